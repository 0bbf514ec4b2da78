import type { JournalLine } from '../../model/index.js';

/** An ERP that takes journal entries (LedgerSink): one document per entry and currency. */
export interface LedgerPort {
  readonly connectionId: string;
  /** Posts the lines of one currency; idempotent per reference (a repeat finds the document it made). */
  post(entry: { reference: string; date: string; currency: string; lines: JournalLine[]; memo: string | null }, signal: AbortSignal): Promise<{ document: string }>;
}
