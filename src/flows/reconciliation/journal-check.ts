import { JournalLine, type Clock } from '../../model/index.js';
import { listJournalEntries, type Store } from '../../store/index.js';
import { repostJournalEntry } from '../ledger/index.js';
import type { Drift } from './drift.js';
import type { Correction, ReconciliationCheck, StoredDrift } from './ports.js';

/** A hub entry as the comparison needs it: its lines and the ERP Journal Entry that posts each currency. */
export interface HubJournalPosting {
  id: string;
  date: string;
  lines: readonly { account: string; debit: number; credit: number; currency: string }[];
  /** Currency → the ERP Journal Entry the hub posted for it (documents of other doctypes left out). */
  documents: Readonly<Record<string, string>>;
}

/** An ERP Journal Entry as the comparison needs it; amounts in minor units of the hub document's currency. */
export interface ErpJournalRecord {
  name: string;
  state: 'draft' | 'submitted' | 'cancelled';
  postingDate: string;
  lines: readonly { account: string; debit: number; credit: number }[];
}

/** The ERP's Journal Entries, read by name. */
export interface ErpJournalSide {
  readonly connectionId: string;
  /** Whether a document name the ERP does not list follows the Journal Entry naming (so it was deleted), not another doctype's (e.g. the Sales Invoice a sale was recorded as posted to). */
  isJournalEntry(name: string): boolean;
  /** The Journal Entries of these names that exist (a deleted one is left out); `currencyOf` gives each name's currency for exact amounts. */
  journalEntries(names: readonly string[], currencyOf: (name: string) => string, signal: AbortSignal): Promise<ErpJournalRecord[]>;
}

/** A hub posting the ERP no longer counts: its document was cancelled or deleted there. */
export interface StalePosting {
  entryId: string;
  currency: string;
  document: string;
}

/** One (date, account, currency) whose totals differ between the hub and the ERP. */
export interface JournalMismatch {
  date: string;
  account: string;
  currency: string;
  hub: { debit: number; credit: number };
  erp: { debit: number; credit: number };
  /** The hub entries with lines there, on either side. */
  entries: string[];
  /** Among them, the postings whose document the ERP no longer counts. */
  stale: StalePosting[];
}

const keyOf = (date: string, account: string, currency: string) => JSON.stringify([date, account, currency]);

/**
 * Totals per (date, account, currency), Σ debit and Σ credit, of the hub's entries against the ERP
 * Journal Entries they name. Only submitted documents count on the ERP side (a cancelled, draft or
 * deleted one is zero there), under the ERP's own posting date; a document missing from `erp` is deleted.
 */
export function compareJournalWithErp(hub: readonly HubJournalPosting[], erp: ReadonlyMap<string, ErpJournalRecord>): JournalMismatch[] {
  const totals = new Map<string, JournalMismatch>();
  const at = (date: string, account: string, currency: string) => {
    const key = keyOf(date, account, currency);
    let total = totals.get(key);
    if (!total) totals.set(key, (total = { date, account, currency, hub: { debit: 0, credit: 0 }, erp: { debit: 0, credit: 0 }, entries: [], stale: [] }));
    return total;
  };
  const involve = (total: JournalMismatch, entryId: string) => {
    if (!total.entries.includes(entryId)) total.entries.push(entryId);
  };
  const staleOf = new Map<string, StalePosting[]>();
  for (const entry of hub) {
    for (const line of entry.lines) {
      if (!entry.documents[line.currency]) continue;
      const total = at(entry.date, line.account, line.currency);
      total.hub.debit += line.debit;
      total.hub.credit += line.credit;
      involve(total, entry.id);
    }
    for (const [currency, document] of Object.entries(entry.documents)) {
      const doc = erp.get(document);
      if (!doc || doc.state === 'cancelled') staleOf.set(entry.id, [...(staleOf.get(entry.id) ?? []), { entryId: entry.id, currency, document }]);
      if (doc?.state !== 'submitted') continue;
      for (const line of doc.lines) {
        const total = at(doc.postingDate, line.account, currency);
        total.erp.debit += line.debit;
        total.erp.credit += line.credit;
        involve(total, entry.id);
      }
    }
  }
  const mismatches: JournalMismatch[] = [];
  for (const total of totals.values()) {
    if (total.hub.debit === total.erp.debit && total.hub.credit === total.erp.credit) continue;
    total.entries.sort();
    total.stale = total.entries.flatMap((id) => (staleOf.get(id) ?? []).filter((s) => s.currency === total.currency));
    mismatches.push(total);
  }
  return mismatches.sort((a, b) => a.date.localeCompare(b.date) || a.account.localeCompare(b.account) || a.currency.localeCompare(b.currency));
}

/** The date (YYYY-MM-DD, UTC) of an epoch-ms instant. */
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Entries read from the store per page. */
const pageSize = 1000;
/** Names per read of the ERP. */
const perRead = 100;

/**
 * Journal totals per day and account, hub vs ERP: the entries the hub posted to the ERP as its own
 * Journal Entries (dated within the window) against those documents as the ERP has them now; and
 * entries still waiting to be posted after `graceMs` (default 1 h), so in-flight postings are not drift.
 * Entries recorded as posted to another doctype (a sale's Sales Invoice, a refund's credit note) are
 * left to the checks of those documents: a recorded document counts as a Journal Entry when the ERP
 * lists it as one, or, when the ERP does not have it at all, when its name follows the Journal Entry series.
 */
export function erpJournalCheck(deps: { store: Store; clock: Clock; erp: ErpJournalSide; graceMs?: number | undefined }): ReconciliationCheck {
  const { erp } = deps;
  const graceMs = deps.graceMs ?? 3_600_000;
  return {
    name: `journal:${erp.connectionId}`,
    scope: 'journal',
    async run(window, signal) {
      const drift: Drift[] = [];
      const postings: HubJournalPosting[] = [];
      const notPostedBefore = deps.clock.now() - graceMs;
      const filter = { from: dayOf(window.from), to: dayOf(window.to) };
      for (let after: { date: string; id: string } | undefined; ; ) {
        const rows = await listJournalEntries(deps.store.db, filter, { limit: pageSize, after });
        for (const row of rows) {
          if (row.erp_connection !== erp.connectionId) continue;
          if (row.status === 'pending') {
            if (Number(row.created_at) <= notPostedBefore) drift.push(notPosted(row.id, row.key, row.date, erp.connectionId));
            continue;
          }
          if (row.status !== 'posted' || !row.erp_documents) continue;
          const documents = JSON.parse(row.erp_documents) as Record<string, string>;
          if (Object.keys(documents).length === 0) continue;
          postings.push({ id: row.id, date: row.date, lines: JournalLine.array().parse(JSON.parse(row.lines)), documents });
        }
        if (rows.length < pageSize) break;
        const last = rows.at(-1)!;
        after = { date: last.date, id: last.id };
      }
      const currencyOf = new Map(postings.flatMap((p) => Object.entries(p.documents).map(([currency, name]) => [name, currency] as const)));
      const names = [...currencyOf.keys()];
      const found = new Map<string, ErpJournalRecord>();
      for (let start = 0; start < names.length; start += perRead) {
        for (const doc of await erp.journalEntries(names.slice(start, start + perRead), (name) => currencyOf.get(name)!, signal)) found.set(doc.name, doc);
      }
      // A document the ERP lists as a Journal Entry is the hub's own posting; one it does not list is a deleted
      // Journal Entry when its name follows the Journal Entry series, else another doctype (left to other checks).
      const own = postings
        .map((p) => ({ ...p, documents: Object.fromEntries(Object.entries(p.documents).filter(([, name]) => found.has(name) || erp.isJournalEntry(name))) }))
        .filter((p) => Object.keys(p.documents).length > 0);
      for (const mismatch of compareJournalWithErp(own, found)) {
        drift.push({
          kind: 'journal_mismatch',
          entity: `journal:${mismatch.date}:${mismatch.account}:${mismatch.currency}`,
          systems: ['hub', erp.connectionId],
          expected: mismatch.hub,
          actual: mismatch.erp,
          severity: 'critical',
          correction: mismatch.stale.length > 0 ? 'repost-entry' : undefined,
          detail: { connectionId: erp.connectionId, entries: mismatch.entries, stale: mismatch.stale },
        });
      }
      return drift;
    },
  };
}

function notPosted(entryId: string, key: string, date: string, connectionId: string): Drift {
  return {
    kind: 'journal_not_posted',
    entity: `journal-entry:${entryId}`,
    systems: ['hub', connectionId],
    expected: { entryId, key, date, status: 'posted' },
    actual: { status: 'pending' },
    severity: 'critical',
    correction: 'repost-entry',
    detail: { connectionId, entries: [entryId], stale: [] },
  };
}

/**
 * Posts again the hub entries a journal drift names: those whose ERP document was cancelled or
 * deleted become new documents (once, however often the correction runs: an entry whose document
 * was already replaced is left alone), and entries still pending are queued once more.
 */
export function repostEntryCorrection(): Correction {
  return {
    name: 'repost-entry',
    async commit(tx, drift: StoredDrift) {
      const stale = (drift.detail?.['stale'] ?? []) as StalePosting[];
      const queued: string[] = [];
      if (drift.kind === 'journal_not_posted') {
        for (const entryId of (drift.detail?.['entries'] ?? []) as string[]) if (await repostJournalEntry(tx, entryId)) queued.push(entryId);
      }
      const byEntry = new Map<string, Record<string, string>>();
      for (const s of stale) byEntry.set(s.entryId, { ...byEntry.get(s.entryId), [s.currency]: s.document });
      for (const [entryId, replaces] of byEntry) if (await repostJournalEntry(tx, entryId, replaces)) queued.push(`${entryId} (replacing ${Object.values(replaces).join(', ')})`);
      return { summary: queued.length > 0 ? `queued the posting of ${queued.join('; ')}` : 'nothing to re-post: the entries were posted again already' };
    },
  };
}
