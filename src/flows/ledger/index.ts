export { createLedger, journalView, type Ledger, type LedgerDeps, type JournalDraft, type JournalView, type RecordOptions } from './ledger.js';
export type { LedgerPort, InvoicePayment } from './ports.js';
export { ledgerPost } from './messages.js';
export { repostJournalEntry } from './repost.js';
export { LedgerConfig } from './config.js';
