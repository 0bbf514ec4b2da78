import { describe, expect, it } from 'vitest';
import { createDispatcher, inOutboxTransaction, type Dispatcher, type HandlerTransaction } from '../../messaging/index.js';
import { waitFor } from '../../testing/index.js';
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

describe.each(stores)('ledger payments against invoices on $name', (factory) => {
  it.skipIf(factory.skipReason !== null)('posts an entry paid against a sale’s invoice as a payment once the invoice is known, and the others as journal entries', async () => {
    const store = await factory.open();
    const dispatcher: { current?: Dispatcher } = {};
    try {
      const calls: string[] = [];
      const paying: LedgerPort = {
        connectionId: 'erp-test',
        post: async ({ reference }) => (calls.push(`journal ${reference}`), { document: `JV-${calls.length}` }),
        postPayment: async ({ invoice, amount, account, providerReference }) => (calls.push(`payment ${invoice} ${amount} ${account} ${providerReference}`), { document: `PAY-${calls.length}` }),
      };
      const ledger = createLedger({ store, clock: systemClock, newId, port: paying });
      const running = createDispatcher({ store, handlers: ledger.handlers, clock: systemClock, newId, pollMs: 10 });
      dispatcher.current = running;
      running.start();
      const inTx = <T>(work: (tx: HandlerTransaction) => Promise<T>) => inOutboxTransaction(store, { origin: { source: 'test', correlationId: 'cor' }, now: Date.now(), newId }, work);
      await inTx((tx) => ledger.record(tx, draft('capture:stripe:pi_1', 4200), { paymentAgainstInvoiceOf: 'sale:shop:1' }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(calls).toEqual([]);
      await inTx((tx) => ledger.record(tx, draft('sale:shop:1', 4200), { postedAs: { documents: { USD: 'SINV-1' } } }));
      await inTx((tx) => ledger.record(tx, draft('payout:stripe:po_1', 4000)));
      await waitFor(async () => (await ledger.byKey(store.db, 'capture:stripe:pi_1'))?.status === 'posted' && (await ledger.byKey(store.db, 'payout:stripe:po_1'))?.status === 'posted', { timeoutMs: 10_000, what: 'both posted' });
      expect(calls.sort()).toEqual([expect.stringMatching(/^journal je_/), 'payment SINV-1 4200 Stripe Clearing pi_1']);
      expect((await ledger.byKey(store.db, 'capture:stripe:pi_1'))?.erpDocument).toMatch(/^PAY-/);
    } finally {
      await dispatcher.current?.stop(1000);
      await store.close();
    }
  });
});
