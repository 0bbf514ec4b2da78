import { minorFromFrappe, type Connections, type ErpnextClient } from '../../connectors/index.js';
import { cancelAndRepostCorrection, erpJournalCheck, repostEntryCorrection, type LedgerPort, type ErpJournalRecord, type ErpJournalSide, type ReconciliationCheck } from '../../flows/index.js';
import type { Clock } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { erpnextLedgerPortOf } from '../ledger-ports/erpnext.js';
import type { ReconciliationPart } from './part.js';

const states = { 0: 'draft', 1: 'submitted', 2: 'cancelled' } as const;
/** Documents read at once for their account rows. */
const concurrency = 8;
/** ERPNext's default Journal Entry naming series (ACC-JV-.YYYY.-): a recorded name with it that the ERP no longer lists was deleted. */
const journalSeries = /^ACC-JV-/;

/**
 * ERPNext's Journal Entries by name: one list call (name in […]) for their state and posting date,
 * then a read of each submitted one for its account rows (Frappe's list does not return child rows).
 */
export function erpnextJournalSide(connectionId: string, client: ErpnextClient): ErpJournalSide {
  return {
    connectionId,
    isJournalEntry: (name) => journalSeries.test(name),
    async journalEntries(names, currencyOf, signal) {
      if (names.length === 0) return [];
      const listed = await client.listDocs('Journal Entry', { filters: [['name', 'in', [...names]]], fields: ['name', 'docstatus', 'posting_date'], limit: 0, signal });
      // A cancelled entry a person amended (cancel, amend, submit: ERPNext's way to change a submitted entry's amounts):
      // the newest amendment of the chain stands in its place, read in the currency of the entry it amends.
      const amendmentOf = new Map<string, string>();
      const currencyOfName = new Map(names.map((name) => [name, currencyOf(name)] as const));
      const rootOf = new Map<string, string>();
      for (let cancelled = listed.filter((r) => Number(r['docstatus']) === 2).map((r) => r.name); cancelled.length > 0; ) {
        const amendments = (await client.listDocs('Journal Entry', { filters: [['amended_from', 'in', cancelled]], fields: ['name', 'docstatus', 'posting_date', 'amended_from'], limit: 0, signal })).filter((r) => !currencyOfName.has(r.name));
        for (const row of amendments) {
          const from = String(row['amended_from']);
          const root = rootOf.get(from) ?? from;
          rootOf.set(row.name, root);
          amendmentOf.set(root, row.name);
          currencyOfName.set(row.name, currencyOfName.get(root)!);
          listed.push(row);
        }
        cancelled = amendments.filter((r) => Number(r['docstatus']) === 2).map((r) => r.name);
      }
      const records: ErpJournalRecord[] = [];
      for (let start = 0; start < listed.length; start += concurrency) {
        const read = await Promise.all(
          listed.slice(start, start + concurrency).map(async (row): Promise<ErpJournalRecord> => {
            const state = states[Number(row['docstatus']) as 0 | 1 | 2] ?? 'draft';
            const base = { name: row.name, state, postingDate: String(row['posting_date']) };
            if (state !== 'submitted') return { ...base, lines: [] };
            const doc = await client.getDoc('Journal Entry', row.name, signal);
            const currency = currencyOfName.get(row.name)!;
            const what = `Journal Entry ${row.name}`;
            const accounts = Array.isArray(doc['accounts']) ? (doc['accounts'] as Record<string, unknown>[]) : [];
            return {
              ...base,
              postingDate: String(doc['posting_date']),
              lines: accounts.map((a) => ({
                account: String(a['account']),
                debit: minorFromFrappe(a['debit_in_account_currency'], currency, `${what} debit_in_account_currency`),
                credit: minorFromFrappe(a['credit_in_account_currency'], currency, `${what} credit_in_account_currency`),
              })),
            };
          }),
        );
        records.push(...read);
      }
      const byName = new Map(records.map((r) => [r.name, r]));
      return records
        .filter((r) => !rootOf.has(r.name))
        .map((r) => (amendmentOf.has(r.name) ? { ...r, amendment: byName.get(amendmentOf.get(r.name)!) } : r));
    },
  };
}

/** Journal totals per day and account against each ERPNext connection, with the re-post and cancel-and-repost corrections. */
export function journalReconciliation(deps: { store: Store; clock: Clock; connections: Connections; graceMs?: number }): ReconciliationPart {
  const checks: ReconciliationCheck[] = [];
  const ledgers = new Map<string, LedgerPort>();
  for (const connection of deps.connections.values()) {
    if (connection.system === 'erpnext') ledgers.set(connection.id, erpnextLedgerPortOf(connection.id, connection.instance.client as ErpnextClient));
    if (connection.system === 'erpnext') checks.push(erpJournalCheck({ store: deps.store, clock: deps.clock, erp: erpnextJournalSide(connection.id, connection.instance.client as ErpnextClient), graceMs: deps.graceMs }));
  }
  return { checks, corrections: [repostEntryCorrection(), cancelAndRepostCorrection({ ledger: (id) => ledgers.get(id) })] };
}
