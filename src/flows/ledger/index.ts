export { createLedger, type Ledger, type LedgerDeps, type JournalDraft, type JournalView } from './ledger.js';
export type { LedgerPort } from './ports.js';
export { ledgerPost } from './messages.js';
export { LedgerConfig } from './config.js';
