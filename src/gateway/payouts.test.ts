import { afterEach, describe, expect, it } from 'vitest';
import type { Connection, ParsedInboundEvent } from '../connectors/framework/index.js';
import { createLedger, createSettlement, type JournalDraft, type Ledger, type Settlement } from '../flows/index.js';
import { newId, systemClock, type Payout, type SettlementLine } from '../model/index.js';
import { inOutboxTransaction } from '../messaging/index.js';
import { insertOrders, insertWorkflowRun, recordWorkflowStep, testStores } from '../store/index.js';
import { PayoutExplanationResponse, PayoutResponse, UnmatchedLineResponse } from './routes/payouts.js';
import { auth, startTestGateway, type TestGateway } from './testing/harness.js';

const stores = await testStores();
const stripe = { id: 'stripe-main', system: 'stripe', settings: {} } as unknown as Connection;
const line = (id: string, kind: SettlementLine['kind'], reference: string, gross: number, fee = 0, extra: Partial<SettlementLine> = {}): SettlementLine => ({ id, kind, reference, gross, fee, net: gross - fee, currency: 'USD', ...extra });

describe.each(stores)('payout routes on $name', (factory) => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
  });

  it.skipIf(factory.skipReason !== null)('lists payouts, explains one down to orders and journal entries, and shows the unmatched queue', async () => {
    let settlement: Settlement | undefined;
    let ledger: Ledger | undefined;
    gw = await startTestGateway(factory, {
      with: (store) => {
        ledger = createLedger({ store, clock: systemClock, newId });
        settlement = createSettlement({ store, clock: systemClock, newId, sources: () => undefined, ledger });
        return { settlement };
      },
    });
    const db = gw.store.db;
    const now = Date.now();
    await insertOrders(db, [{ id: 'ord_a', source: 'shop-main', external_id: '5001', number: '#1001', status: 'closed', hold_reason: null, currency: 'USD', total: 4200, placed_at: new Date(now).toISOString(), body_hash: 'h', data: '{}', correlation_id: 'cor_a', created_at: now, updated_at: now }]);
    await insertWorkflowRun(db, { id: 'run_a', workflow: 'order-completion', key: 'completion:ord_a', order_id: 'ord_a', status: 'completed', step: 'close', input: '{}', outputs: '{}', correlation_id: 'cor_a', error: null, started_at: now, step_started_at: now, step_deadline: null, updated_at: now });
    await recordWorkflowStep(db, { run_id: 'run_a', phase: 'forward', step: 'capture-payment', position: 0, status: 'done', system: 'stripe', attempts: 1, started_at: now, finished_at: now, output: JSON.stringify({ documents: { payment: 'pi_a', capture: 'pi_a' }, output: { amount: 4200 } }), error: null, message_id: null });
    const tx = <T>(work: Parameters<typeof inOutboxTransaction<T>>[2]) => inOutboxTransaction(gw!.store, { origin: { source: 'test', correlationId: 'cor_a' }, now: Date.now(), newId }, work);
    const sale: JournalDraft = { key: 'sale:ord_a', date: '2026-11-02', orderId: 'ord_a', correlationId: 'cor_a', sourceEvents: ['msg_1'], lines: [{ account: 'Debtors', debit: 4200, credit: 0, currency: 'USD' }, { account: 'Sales', debit: 0, credit: 4200, currency: 'USD' }] };
    const booked: JournalDraft = { key: 'payout:stripe:po_1', date: '2026-11-03', correlationId: 'cor_p', sourceEvents: ['stripe-main:inb_1'], lines: [{ account: 'Bank', debit: 3845, credit: 0, currency: 'USD' }, { account: 'Stripe Clearing', debit: 0, credit: 3845, currency: 'USD' }] };
    await tx((t) => ledger!.record(t, sale));
    await tx((t) => ledger!.record(t, booked));
    const lines = [line('txn_1', 'charge', 'ch_a', 4200, 152, { orderReference: '5001' }), line('txn_2', 'charge', 'ch_z', 500, 45), line('txn_3', 'refund', 're_q', -658, 0, { orderReference: 'ord_a' }), line('txn_4', 'payout', 'po_1', -3845)];
    const payout: Payout = { id: 'po_1', provider: 'stripe', reference: 'po_1', currency: 'USD', amount: 3845, status: 'paid', arrivalDate: '2026-11-03', lines };
    const event: ParsedInboundEvent = { kind: 'payout', payout };
    await tx((t) => settlement!.sink.apply(t, event, { connection: stripe, inboxId: 'inb_1', correlationId: 'cor_p' }));
    await tx((t) => settlement!.sink.apply(t, { kind: 'payout', payout: { ...payout, id: 'po_2', reference: 'po_2', amount: 0, status: 'pending', lines: [] } }, { connection: stripe, inboxId: 'inb_2', correlationId: 'cor_q' }));
    const get = (url: string) => gw!.app.inject({ method: 'GET', url, headers: auth });

    const list = await get('/v1/payouts?limit=1');
    expect(list.statusCode).toBe(200);
    const first = list.json();
    expect(first.data).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (await get(`/v1/payouts?limit=1&cursor=${first.nextCursor}`)).json();
    expect([...first.data, ...second.data].map((p: { reference: string }) => p.reference).sort()).toEqual(['po_1', 'po_2']);
    expect(second.nextCursor).toBeNull();
    const paid = (await get('/v1/payouts?status=paid')).json().data;
    expect(paid).toEqual([expect.objectContaining({ reference: 'po_1', amount: 3845, linesState: 'reported', matched: 2, unmatched: 2, violations: [] })]);
    expect(() => PayoutResponse.array().parse(paid)).not.toThrow();

    const explain = await get(`/v1/payouts/${paid[0].id}/explain`);
    expect(explain.statusCode).toBe(200);
    const body = PayoutExplanationResponse.parse(explain.json());
    expect(body.lines.map((l) => [l.id, l.match?.status, l.match?.reason, l.order?.id ?? null])).toEqual([
      ['txn_1', 'matched', null, 'ord_a'],
      ['txn_2', 'unmatched', 'no_order_for_charge', null],
      ['txn_3', 'unmatched', 'no_refund', 'ord_a'],
      ['txn_4', 'matched', null, null],
    ]);
    expect(body.lines[0]!.order).toEqual({ id: 'ord_a', number: '#1001', externalId: '5001', total: 4200, currency: 'USD' });
    expect(body.orders).toEqual([expect.objectContaining({ id: 'ord_a', journal: [expect.objectContaining({ orderId: 'ord_a', lines: sale.lines })] })]);
    expect(body.payoutEntry).toMatchObject({ lines: booked.lines, sourceEvents: ['stripe-main:inb_1'] });
    expect(body.totals).toEqual({ gross: 4200 + 500 - 658, fees: 152 + 45, net: 3845, amount: 3845, reconciles: true });
    expect((await get('/v1/payouts/po_1/explain')).json().payout.id).toBe(paid[0].id);

    const unmatched = await get('/v1/settlements/unmatched?limit=1');
    expect(unmatched.statusCode).toBe(200);
    const page1 = unmatched.json();
    const page2 = (await get(`/v1/settlements/unmatched?limit=1&cursor=${page1.nextCursor}`)).json();
    const queue = UnmatchedLineResponse.array().parse([...page1.data, ...page2.data]);
    expect(queue.map((q) => [q.lineId, q.reason, q.payoutReference])).toEqual(expect.arrayContaining([['txn_2', 'no_order_for_charge', 'po_1'], ['txn_3', 'no_refund', 'po_1']]));
    expect(queue).toHaveLength(2);
    expect(page2.nextCursor).toBeNull();
    expect((await get('/v1/settlements/unmatched?connection=other')).json().data).toEqual([]);

    expect((await get('/v1/payouts/po_nope/explain')).statusCode).toBe(404);
    const bad = await get('/v1/payouts?status=lost&cursor=zzz');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/query/status', '/query/cursor']);
    const key = (await gw.app.inject({ method: 'POST', url: '/v1/keys', headers: auth, payload: { name: 'orders only', scopes: ['orders:read'] } })).json().key as string;
    expect((await gw.app.inject({ method: 'GET', url: '/v1/settlements/unmatched', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(403);
    const spec = (await gw.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/payouts', '/v1/payouts/{id}/explain', '/v1/settlements/unmatched']));
    expect(spec.paths['/v1/payouts/{id}/explain'].get.security).toEqual(expect.arrayContaining([{ oauth2: ['finance:read'] }]));
  });
});
