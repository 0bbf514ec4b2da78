import { JournalLine, permanentError, type Clock } from '../../model/index.js';
import { listJournalEntries, type Store } from '../../store/index.js';
import { repostJournalEntry, type LedgerPort } from '../ledger/index.js';
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
  /** For a cancelled document: the amendment a person made of it in the ERP (the newest of the chain), which stands in its place. */
  amendment?: ErpJournalRecord | undefined;
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

/** A hub posting whose ERP document is submitted with other amounts than the hub's (edited there: cancelled and amended by hand). */
export interface DifferingPosting {
  entryId: string;
  currency: string;
  /** The document the hub recorded. */
  document: string;
  /** The submitted document that differs: the recorded one, or the amendment standing in its place. */
  erpDocument: string;
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
  /** Among them, the postings whose ERP document counts with other amounts. */
  differing: DifferingPosting[];
}

const keyOf = (date: string, account: string, currency: string) => JSON.stringify([date, account, currency]);

/** Whether two sets of lines carry the same Σ debit and Σ credit per account. */
function sameAmounts(hub: readonly { account: string; debit: number; credit: number }[], erp: readonly { account: string; debit: number; credit: number }[]): boolean {
  const net = new Map<string, { debit: number; credit: number }>();
  const add = (lines: typeof hub, sign: 1 | -1) => {
    for (const line of lines) {
      const total = net.get(line.account) ?? { debit: 0, credit: 0 };
      net.set(line.account, { debit: total.debit + sign * line.debit, credit: total.credit + sign * line.credit });
    }
  };
  add(hub, 1);
  add(erp, -1);
  return [...net.values()].every((t) => t.debit === 0 && t.credit === 0);
}

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
    if (!total) totals.set(key, (total = { date, account, currency, hub: { debit: 0, credit: 0 }, erp: { debit: 0, credit: 0 }, entries: [], stale: [], differing: [] }));
    return total;
  };
  const involve = (total: JournalMismatch, entryId: string) => {
    if (!total.entries.includes(entryId)) total.entries.push(entryId);
  };
  const staleOf = new Map<string, StalePosting[]>();
  const differingOf = new Map<string, DifferingPosting[]>();
  for (const entry of hub) {
    for (const line of entry.lines) {
      if (!entry.documents[line.currency]) continue;
      const total = at(entry.date, line.account, line.currency);
      total.hub.debit += line.debit;
      total.hub.credit += line.credit;
      involve(total, entry.id);
    }
    for (const [currency, document] of Object.entries(entry.documents)) {
      const recorded = erp.get(document);
      // A cancelled document amended by a person: the amendment is what the ERP counts now.
      const doc = recorded?.state === 'cancelled' && recorded.amendment ? recorded.amendment : recorded;
      if (!doc || doc.state === 'cancelled') staleOf.set(entry.id, [...(staleOf.get(entry.id) ?? []), { entryId: entry.id, currency, document }]);
      if (doc?.state !== 'submitted') continue;
      if (!sameAmounts(entry.lines.filter((l) => l.currency === currency), doc.lines) || doc.postingDate !== entry.date) {
        differingOf.set(entry.id, [...(differingOf.get(entry.id) ?? []), { entryId: entry.id, currency, document, erpDocument: doc.name }]);
      }
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
    total.differing = total.entries.flatMap((id) => (differingOf.get(id) ?? []).filter((s) => s.currency === total.currency));
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
          correction: mismatch.stale.length > 0 ? 'repost-entry' : mismatch.differing.length > 0 ? 'cancel-and-repost' : undefined,
          detail: { connectionId: erp.connectionId, entries: mismatch.entries, stale: mismatch.stale, differing: mismatch.differing },
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

/**
 * Replaces the ERP documents a person edited (cancelled and amended with other amounts, or otherwise
 * submitted with amounts the hub does not hold): the differing document is cancelled in the ERP
 * (already cancelled is fine), then the hub's entry is posted again as a new document replacing the
 * one it recorded — once, however often the correction runs.
 */
export function cancelAndRepostCorrection(deps: { ledger: (connectionId: string) => LedgerPort | undefined }): Correction {
  return {
    name: 'cancel-and-repost',
    async prepare(drift, signal) {
      const connectionId = drift.detail?.['connectionId'];
      const port = typeof connectionId === 'string' ? deps.ledger(connectionId) : undefined;
      if (!port?.cancel) throw permanentError('ledger_cannot_cancel', `${String(connectionId)} is not a ledger of this hub that can cancel a document`);
      const differing = (drift.detail?.['differing'] ?? []) as DifferingPosting[];
      for (const document of new Set(differing.map((d) => d.erpDocument))) await port.cancel(document, signal);
      return { cancelled: [...new Set(differing.map((d) => d.erpDocument))] };
    },
    async commit(tx, drift, prepared) {
      const differing = (drift.detail?.['differing'] ?? []) as DifferingPosting[];
      const byEntry = new Map<string, Record<string, string>>();
      for (const d of differing) byEntry.set(d.entryId, { ...byEntry.get(d.entryId), [d.currency]: d.document });
      const queued: string[] = [];
      for (const [entryId, replaces] of byEntry) if (await repostJournalEntry(tx, entryId, replaces)) queued.push(`${entryId} (replacing ${Object.values(replaces).join(', ')})`);
      const { cancelled } = prepared as { cancelled: string[] };
      return { summary: `cancelled ${cancelled.join(', ')}; ${queued.length > 0 ? `queued the posting of ${queued.join('; ')}` : 'the entries were posted again already'}` };
    },
  };
}
