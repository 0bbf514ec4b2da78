import { describe, expect, it } from 'vitest';
import { inOutboxTransaction } from '../../messaging/index.js';
import { newId, systemClock } from '../../model/index.js';
import { listJournalEntries, testStores, type Store } from '../../store/index.js';
import { createLedger, type JournalDraft, type Ledger } from './ledger.js';
import type { LedgerPort } from './ports.js';

const stores = await testStores();

const draft = (key: string, amount: number): JournalDraft => ({
  key,
  date: '2026-11-27',
  correlationId: `cor_${key}`,
  sourceEvents: [`msg_${key}`],
  lines: [
    { account: 'Stripe Clearing', debit: amount, credit: 0, currency: 'USD' },
    { account: 'Sales', debit: 0, credit: amount, currency: 'USD' },
  ],
});

const port: LedgerPort = { connectionId: 'erp-test', post: () => Promise.reject(new Error('not posted in this test')) };

async function recordMany(store: Store, ledger: Ledger, drafts: JournalDraft[]): Promise<{ recorded: boolean[]; posts: number }> {
  let posts = 0;
  const recorded = await inOutboxTransaction(store, { origin: { source: 'test', correlationId: 'cor' }, now: Date.now(), newId }, async (tx) => {
    const emit = tx.emit.bind(tx);
    tx.emit = (definition, data, options) => {
      if (definition.type === 'ledger.post') posts += 1;
      emit(definition, data, options);
    };
    return ledger.recordMany(tx, drafts);
  });
  return { recorded, posts };
}

describe.each(stores)('ledger on $name', (factory) => {
  it.skipIf(factory.skipReason !== null)('records many entries at once, once per key (a key given twice or recorded before is not recorded again), and queues one posting each', async () => {
    const store = await factory.open();
    try {
      const ledger = createLedger({ store, clock: systemClock, newId, port });
      const drafts = Array.from({ length: 250 }, (_, n) => draft(`sale:${n}`, 100 + n));
      const first = await recordMany(store, ledger, [...drafts, draft('sale:7', 999)]);
      expect(first.recorded.filter(Boolean)).toHaveLength(250);
      expect(first.recorded.at(-1)).toBe(false);
      expect(first.posts).toBe(250);
      const again = await recordMany(store, ledger, drafts.slice(0, 10));
      expect(again).toEqual({ recorded: Array(10).fill(false), posts: 0 });
      const rows = await listJournalEntries(store.db, {}, { limit: 1000 });
      expect(rows).toHaveLength(250);
      expect(JSON.parse(rows.find((r) => r.key === 'sale:7')!.lines)).toEqual(draft('sale:7', 107).lines);
      await expect(recordMany(store, ledger, [{ ...draft('sale:x', 5), lines: [{ account: 'Sales', debit: 5, credit: 0, currency: 'USD' }] }])).rejects.toMatchObject({ code: 'unbalanced_journal_entry' });
    } finally {
      await store.close();
    }
  });
});
