import { afterEach, describe, expect, it } from 'vitest';
import { createLedger, type JournalDraft, type Ledger } from '../flows/index.js';
import { newId, systemClock } from '../model/index.js';
import { inOutboxTransaction } from '../messaging/index.js';
import { testStores } from '../store/index.js';
import { auth, startTestGateway, type TestGateway } from './testing/harness.js';

const stores = await testStores();

describe.each(stores)('GET /v1/journal on $name', (factory) => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
  });

  const entry = (key: string, date: string, orderId: string, correlationId: string, amount: number): JournalDraft => ({
    key,
    date,
    orderId,
    correlationId,
    sourceEvents: [`msg_${key}`],
    lines: [
      { account: 'Stripe Clearing', debit: amount, credit: 0, currency: 'EUR' },
      { account: 'Sales', debit: 0, credit: amount, currency: 'EUR' },
    ],
  });

  it.skipIf(factory.skipReason !== null)('filters by order, correlation id and dates, pages oldest first, and refuses a bad date', async () => {
    let ledger: Ledger | undefined;
    gw = await startTestGateway(factory, {
      with: (store) => {
        ledger = createLedger({ store, clock: systemClock, newId });
        return { ledger };
      },
    });
    const record = (draft: JournalDraft) => inOutboxTransaction(gw!.store, { origin: { source: 'test', correlationId: draft.correlationId }, now: Date.now(), newId }, (tx) => ledger!.record(tx, draft));
    await record(entry('sale:a', '2026-11-02', 'ord_a', 'cor_a', 1000));
    await record(entry('capture:a', '2026-11-03', 'ord_a', 'cor_a', 1000));
    await record(entry('sale:b', '2026-12-01', 'ord_b', 'cor_b', 250));
    const get = async (query: string) => gw!.app.inject({ method: 'GET', url: `/v1/journal${query}`, headers: auth });

    const byOrder = (await get('?orderId=ord_a')).json();
    expect(byOrder.data.map((e: { sourceEvents: string[] }) => e.sourceEvents[0])).toEqual(['msg_sale:a', 'msg_capture:a']);
    expect(byOrder.data[0]).toMatchObject({ date: '2026-11-02', correlationId: 'cor_a', status: 'not-posted', erpDocument: null, lines: [{ account: 'Stripe Clearing', debit: 1000, credit: 0, currency: 'EUR' }, { account: 'Sales', debit: 0, credit: 1000, currency: 'EUR' }] });
    expect((await get('?correlationId=cor_b')).json().data).toHaveLength(1);
    expect((await get('?from=2026-11-03&to=2026-11-30')).json().data).toHaveLength(1);

    const first = (await get('?limit=2')).json();
    expect(first.data).toHaveLength(2);
    const second = (await get(`?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ data: [expect.objectContaining({ orderId: 'ord_b' })], nextCursor: null });

    const bad = await get('?from=November');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ pointer: '/query/from', detail: 'from is a date (YYYY-MM-DD)' }]);
  });
});
