import { JournalLine, journalViolations, permanentError, transientError, type Clock, type IdGenerator } from '../../model/index.js';
import { handlerFor, type HandlerRegistration, type HandlerTransaction } from '../../messaging/index.js';
import { getJournalEntry, getJournalEntryByKey, insertJournalEntries, listJournalEntries, setJournalPosting, type JournalEntryRow, type NewJournalEntryRow, type Store } from '../../store/index.js';
import { ledgerPost } from './messages.js';
import type { InvoicePayment, LedgerPort } from './ports.js';

/** A journal entry a flow computed, with what it is for and the events behind it. */
export interface JournalDraft {
  /** One entry per key (e.g. `sale:<order>`, `refund:<refund>`): a repeated event records and posts nothing twice. */
  key: string;
  /** Posting date, YYYY-MM-DD (already moved out of a closed period by the posting rules). */
  date: string;
  lines: JournalLine[];
  sourceEvents: string[];
  correlationId: string;
  causationId?: string | undefined;
  orderId?: string | undefined;
  memo?: string | undefined;
}

/** A journal entry as GET /v1/journal shows it. */
export interface JournalView {
  id: string;
  date: string;
  lines: JournalLine[];
  sourceEvents: string[];
  correlationId: string;
  causationId: string | null;
  orderId: string | null;
  memo: string | null;
  status: string;
  /** The ERP document (the first, when the entry spans currencies), or null until posted. */
  erpDocument: string | null;
  /** The ERP documents by currency. */
  erpDocuments: Record<string, string>;
  error: string | null;
}

/** How an entry is recorded: by default it is queued for posting; `postedAs` records one the ERP already holds as its own documents. */
export interface RecordOptions {
  /**
   * The ERP documents (by currency) that already post this entry, e.g. the Sales Invoice of a sale
   * (ERPNext posts revenue, tax and the receivable itself): the entry is recorded as posted to
   * them and no second document is made.
   */
  postedAs?: { connectionId?: string | undefined; documents: Record<string, string> } | undefined;
  /**
   * Post it as a payment received against the invoice of the sale entry recorded under this key (its
   * ERP document), e.g. a capture on shipment: the invoice is paid in the ERP, not merely balanced
   * by an unallocated credit. Posting waits for that invoice.
   */
  paymentAgainstInvoiceOf?: string | undefined;
}

/** How an entry is posted when not as a Journal Entry (stored with it). */
interface PostAs {
  paymentAgainstInvoiceOf?: string;
}

/** What the ledger needs. */
export interface LedgerDeps {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  /** The ERP that journal entries are posted to, when one is configured. */
  port?: LedgerPort | undefined;
}

/** Journal entries: recorded with the events that cause them, posted to the ERP exactly once, listed with their lineage. */
export interface Ledger {
  handlers: HandlerRegistration[];
  /** Records an entry in the caller's transaction (refusing one that does not balance per currency) and queues its posting (unless already posted as given documents); false when its key was recorded before. */
  record(tx: HandlerTransaction, draft: JournalDraft, options?: RecordOptions): Promise<boolean>;
  /** Records many entries at once (bulk bookings, backfills): true for each one new, false for a key recorded before. */
  recordMany(tx: HandlerTransaction, drafts: readonly JournalDraft[]): Promise<boolean[]>;
  /** The entry recorded under a key, if any. */
  byKey(db: HandlerTransaction['db'], key: string): Promise<JournalView | undefined>;
  list(filter: { orderId?: string | undefined; correlationId?: string | undefined; from?: string | undefined; to?: string | undefined }, page: { limit: number; after?: { date: string; id: string } | undefined }): Promise<JournalView[]>;
}

/** The ledger over a store and, optionally, an ERP. */
export function createLedger(deps: LedgerDeps): Ledger {
  const post = handlerFor(ledgerPost, async (ctx) => {
    const entry = await getJournalEntry(deps.store.db, ctx.message.data.entryId);
    if (!entry) throw permanentError('unknown_journal_entry', `journal entry ${ctx.message.data.entryId} does not exist`);
    if (entry.status === 'posted' || !deps.port) return;
    const lines = JournalLine.array().parse(JSON.parse(entry.lines));
    const documents: Record<string, string> = JSON.parse(entry.erp_documents ?? '{}') as Record<string, string>;
    const postAs = JSON.parse(entry.erp_as ?? '{}') as PostAs;
    for (const currency of [...new Set(lines.map((l) => l.currency))].sort()) {
      if (documents[currency]) continue;
      const replaced = ctx.message.data.replaces?.[currency];
      const reference = replaced ? `${entry.id}-${currency}-r-${replaced}` : `${entry.id}-${currency}`;
      const ofCurrency = lines.filter((l) => l.currency === currency);
      const posted = postAs.paymentAgainstInvoiceOf && deps.port.postPayment
        ? await deps.port.postPayment({ ...(await paymentOf(entry, postAs.paymentAgainstInvoiceOf, currency, ofCurrency)), reference }, ctx.signal)
        : await deps.port.post({ reference, date: entry.date, currency, lines: ofCurrency, memo: entry.memo }, ctx.signal);
      documents[currency] = posted.document;
    }
    await ctx.commit(async (tx) => {
      await setJournalPosting(tx.db, entry.id, { status: 'posted', erp_connection: deps.port!.connectionId, erp_documents: JSON.stringify(documents), error: null, posted_at: tx.now });
    });
  });

  /** A payment entry's lines as a payment against the invoice of a sale entry: the debited (clearing) account receives it; waits until the invoice is known. */
  const paymentOf = async (entry: JournalEntryRow, saleKey: string, currency: string, lines: readonly JournalLine[]): Promise<Omit<InvoicePayment, 'reference'>> => {
    const sale = await getJournalEntryByKey(deps.store.db, saleKey);
    const invoice = (JSON.parse(sale?.erp_documents ?? '{}') as Record<string, string>)[currency];
    if (!invoice) throw transientError('invoice_pending', `journal entry ${entry.key} is paid against the invoice of ${saleKey}, which is not posted yet`, { retryAfterMs: 2000 });
    const received = lines.filter((l) => l.debit > 0);
    if (received.length !== 1) throw permanentError('payment_entry_shape', `journal entry ${entry.key} must debit exactly one account to post as a payment (it debits ${received.length})`);
    return { date: entry.date, currency, invoice, amount: received[0]!.debit, account: received[0]!.account, providerReference: entry.key.split(':').slice(2).join(':') || undefined };
  };

  /** The row of a draft, refused when it does not balance per currency or names no document for a currency it was posted in. */
  const rowOf = (draft: JournalDraft, options: RecordOptions, now: number): NewJournalEntryRow => {
    const lines = JournalLine.array().parse(draft.lines);
    const violations = journalViolations({ lines });
    if (violations.length > 0) throw permanentError('unbalanced_journal_entry', `journal entry ${draft.key}: ${violations.map((v) => `${v.pointer}: ${v.detail}`).join('; ')}`, 422, violations);
    const { postedAs } = options;
    if (postedAs) {
      const missing = [...new Set(lines.map((l) => l.currency))].filter((c) => !postedAs.documents[c]);
      if (missing.length > 0) throw permanentError('posted_document_missing', `journal entry ${draft.key} is recorded as posted but names no ERP document for ${missing.join(', ')}`, 422);
    }
    return {
      id: deps.newId('je'),
      key: draft.key,
      date: draft.date,
      lines: JSON.stringify(lines),
      source_events: JSON.stringify(draft.sourceEvents),
      correlation_id: draft.correlationId,
      causation_id: draft.causationId ?? null,
      order_id: draft.orderId ?? null,
      memo: draft.memo ?? null,
      status: postedAs ? 'posted' : deps.port ? 'pending' : 'not-posted',
      erp_connection: postedAs?.connectionId ?? deps.port?.connectionId ?? null,
      erp_documents: postedAs ? JSON.stringify(postedAs.documents) : null,
      erp_as: options.paymentAgainstInvoiceOf ? JSON.stringify({ paymentAgainstInvoiceOf: options.paymentAgainstInvoiceOf } satisfies PostAs) : null,
      error: null,
      created_at: now,
      posted_at: postedAs ? now : null,
    };
  };

  /** Records drafts in the caller's transaction (one insert per chunk) and queues the posting of those new and not already posted. */
  const recordAll = async (tx: HandlerTransaction, drafts: readonly { draft: JournalDraft; options: RecordOptions }[]): Promise<boolean[]> => {
    const rows = drafts.map(({ draft, options }) => rowOf(draft, options, tx.now));
    const inserted = await insertJournalEntries(tx.db, rows);
    // A key given twice is inserted once, by its first row.
    return rows.map((row) => {
      if (!inserted.delete(row.key)) return false;
      if (deps.port && row.status === 'pending') tx.emit(ledgerPost, { entryId: row.id }, { subject: row.key });
      return true;
    });
  };

  return {
    handlers: [post],
    async record(tx, draft, options = {}) {
      const [inserted] = await recordAll(tx, [{ draft, options }]);
      return inserted!;
    },
    async recordMany(tx, drafts) {
      return recordAll(tx, drafts.map((draft) => ({ draft, options: {} })));
    },
    async byKey(db, key) {
      const row = await getJournalEntryByKey(db, key);
      return row ? journalView(row) : undefined;
    },
    async list(filter, page) {
      return (await listJournalEntries(deps.store.db, filter, page)).map(journalView);
    },
  };
}

/** A stored entry as GET /v1/journal shows it. */
export function journalView(row: JournalEntryRow): JournalView {
  const documents = JSON.parse(row.erp_documents ?? '{}') as Record<string, string>;
  return {
    id: row.id,
    date: row.date,
    lines: JSON.parse(row.lines) as JournalLine[],
    sourceEvents: JSON.parse(row.source_events) as string[],
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    orderId: row.order_id,
    memo: row.memo,
    status: row.status,
    erpDocument: Object.values(documents)[0] ?? null,
    erpDocuments: documents,
    error: row.error,
  };
}
