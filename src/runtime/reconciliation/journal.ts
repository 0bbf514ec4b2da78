import { minorFromFrappe, type Connections, type ErpnextClient } from '../../connectors/index.js';
import { erpJournalCheck, repostEntryCorrection, type ErpJournalRecord, type ErpJournalSide, type ReconciliationCheck } from '../../flows/index.js';
import type { Clock } from '../../model/index.js';
import type { Store } from '../../store/index.js';
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
      const records: ErpJournalRecord[] = [];
      for (let start = 0; start < listed.length; start += concurrency) {
        const read = await Promise.all(
          listed.slice(start, start + concurrency).map(async (row): Promise<ErpJournalRecord> => {
            const state = states[Number(row['docstatus']) as 0 | 1 | 2] ?? 'draft';
            const base = { name: row.name, state, postingDate: String(row['posting_date']) };
            if (state !== 'submitted') return { ...base, lines: [] };
            const doc = await client.getDoc('Journal Entry', row.name, signal);
            const currency = currencyOf(row.name);
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
      return records;
    },
  };
}

/** Journal totals per day and account against each ERPNext connection, with the re-post correction. */
export function journalReconciliation(deps: { store: Store; clock: Clock; connections: Connections; graceMs?: number }): ReconciliationPart {
  const checks: ReconciliationCheck[] = [];
  for (const connection of deps.connections.values()) {
    if (connection.system === 'erpnext') checks.push(erpJournalCheck({ store: deps.store, clock: deps.clock, erp: erpnextJournalSide(connection.id, connection.instance.client as ErpnextClient), graceMs: deps.graceMs }));
  }
  return { checks, corrections: [repostEntryCorrection()] };
}
