import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Basket, Sandbox } from '../src/runtime/sandbox/index.js';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';
import { placeShopOrder, untilCaptured, type HubOrderView, type PlacedOrder } from './support/shop-orders.js';

/**
 * Settlement end to end: Shopify orders paid through Stripe are captured by the hub; Stripe pays out
 * the balance; the hub fetches the payout's balance transactions and explains the payout: every
 * charge matched to its order, the hub's refund matched to the cancelled order, a chargeback matched
 * to the disputed order, a charge the hub never saw and a refund made directly in Stripe waiting
 * with their reasons, fees listed and Σ net equal to the amount paid.
 */
const key = 'settlement-bootstrap-key-0123456789';
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let api: ReturnType<typeof apiClient>;
let number = 8100;

const url = (id: string) => sandbox.connections[id]!.baseUrl;
const stripeAuth = () => ({ authorization: `Bearer ${sandbox.connections['stripe-main']!.secretKey}` });

const placeOrder = (basket: Basket): Promise<PlacedOrder> => placeShopOrder(sandbox, basket, { number: ++number });
const capturedOrder = (externalId: string): Promise<HubOrderView> => untilCaptured(api, externalId);

interface Explained {
  payout: { id: string; reference: string; amount: number; linesState: string; violations: unknown[] };
  lines: { id: string; kind: string; reference: string; gross: number; fee: number; net: number; match: { status: string; reason: string | null; target: { kind: string; reference: string } | null } | null; order: { id: string; externalId: string; total: number } | null }[];
  orders: { id: string; journal: unknown[] }[];
  payoutEntry: { lines: { account: string; debit: number; credit: number }[] } | null;
  totals: { gross: number; fees: number; net: number; amount: number; reconciles: boolean };
}

beforeAll(async () => {
  env = await startSandboxHub({
    name: 'settlement',
    key,
    configure: (config) => {
      config['orderToCash']!['captureOn'] = 'acceptance';
    },
  });
  ({ sandbox, api } = env);
  // Nothing ships during the test, so an order can still be cancelled.
  expect((await call('POST', `${url('wh-main')}/_sandbox/behaviour`, { shipDelayMs: 600_000 })).status).toBe(200);
}, 60_000);

afterAll(() => env?.stop());

describe('settlement', () => {
  it('explains a Stripe payout down to its orders, refunds, chargeback and fees, and queues what the hub never saw', async () => {
    const tee = { sku: 'TEE-RED-M', title: 'Tee red M', quantity: 1, unitPrice: 2500 };
    const cap = { sku: 'CAP-NAVY', title: 'Cap navy', quantity: 2, unitPrice: 1800 };
    const placed = [await placeOrder({ lines: [tee], shipping: 599, taxRate: '0.0625' }), await placeOrder({ lines: [cap, tee], shipping: 0, taxRate: '0.0625' })];
    const orders = await Promise.all(placed.map((p) => capturedOrder(p.externalId)));
    // An order the hub cancels after capture: it refunds through Stripe.
    const cancelledPlaced = await placeOrder({ lines: [cap], shipping: 0, taxRate: '0' });
    const cancelled = await capturedOrder(cancelledPlaced.externalId);
    expect((await api('POST', `/v1/orders/${cancelled.id}/cancel`, { reason: 'customer asked' })).status).toBe(202);
    const hubRefund = (await waitFor(async () => {
      const order = (await api('GET', `/v1/orders/${cancelled.id}`)).body as unknown as HubOrderView;
      const step = order.workflows.flatMap((w) => w.steps).find((s) => s.status === 'done' && typeof s.documents['refund'] === 'string');
      return step ? String(step.documents['refund']) : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100, what: `order ${cancelled.id} refunded` }))!;
    // A refund made directly in Stripe, which the hub never asked for.
    const direct = await call('POST', `${url('stripe-main')}/v1/refunds`, new URLSearchParams({ payment_intent: placed[0]!.intent, amount: '500' }).toString(), stripeAuth());
    expect(direct.status).toBe(200);
    // A chargeback on the second order's charge.
    const secondCharge = String((await call('GET', `${url('stripe-main')}/v1/payment_intents/${placed[1]!.intent}`, undefined, stripeAuth())).body['latest_charge']);
    const dispute = await call('POST', `${url('stripe-main')}/_sandbox/disputes`, { charge: secondCharge, amount: 1000 });
    expect(dispute.status).toBe(200);
    // A payment taken at Stripe with no order in the hub.
    const stray = await call('POST', `${url('stripe-main')}/_sandbox/payments`, { amount: 1234, count: 1 });
    expect(stray.status).toBe(200);

    const made = await call('POST', `${url('stripe-main')}/_sandbox/payouts`, {});
    expect(made.status).toBe(200);
    const reference = String(made.body['id']);
    const amount = Number(made.body['amount']);

    const explained = (await waitFor(async () => {
      const list = (await api('GET', '/v1/payouts')).body['data'] as { id: string; reference: string; linesState: string; matched: number; unmatched: number }[];
      const payout = list.find((p) => p.reference === reference);
      if (!payout || payout.linesState !== 'fetched') return undefined;
      const body = (await api('GET', `/v1/payouts/${payout.id}/explain`)).body as unknown as Explained;
      return body.lines.length > 0 && body.lines.every((l) => l.match !== null) && body.payoutEntry ? body : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100, what: `payout ${reference} explained` }))!;

    expect(explained.payout).toMatchObject({ reference, amount, violations: [] });
    const charges = explained.lines.filter((l) => l.kind === 'charge');
    expect(charges).toHaveLength(4);
    expect(charges.find((l) => l.order?.id === cancelled.id)?.match).toMatchObject({ status: 'matched', target: { kind: 'capture', reference: cancelledPlaced.intent } });
    const refunds = explained.lines.filter((l) => l.kind === 'refund');
    expect(refunds).toEqual(expect.arrayContaining([
      expect.objectContaining({ reference: hubRefund, gross: -cancelledPlaced.total, match: expect.objectContaining({ status: 'matched', target: { kind: 'refund', reference: hubRefund } }), order: expect.objectContaining({ id: cancelled.id }) }),
      expect.objectContaining({ reference: String(direct.body['id']), gross: -500, match: expect.objectContaining({ status: 'unmatched', reason: 'no_refund' }), order: expect.objectContaining({ id: orders[0]!.id }) }),
    ]));
    expect(refunds).toHaveLength(2);
    for (const [i, order] of orders.entries()) {
      const matched = charges.filter((l) => l.order?.id === order.id);
      expect(matched, `order ${order.id}`).toEqual([expect.objectContaining({ gross: placed[i]!.total, match: expect.objectContaining({ status: 'matched', reason: null, target: { kind: 'capture', reference: placed[i]!.intent } }), order: expect.objectContaining({ id: order.id, externalId: placed[i]!.externalId, total: placed[i]!.total }) })]);
    }
    const unknown = charges.filter((l) => l.order === null);
    expect(unknown).toEqual([expect.objectContaining({ gross: 1234, match: expect.objectContaining({ status: 'unmatched', reason: 'no_order_for_charge' }) })]);
    expect(explained.lines.filter((l) => l.kind === 'payout')).toEqual([expect.objectContaining({ net: -amount, match: expect.objectContaining({ status: 'matched' }) })]);

    expect(explained.lines.filter((l) => l.kind === 'chargeback')).toEqual([
      expect.objectContaining({ reference: String(dispute.body['id']), gross: -1000, fee: 1500, match: expect.objectContaining({ status: 'matched', target: { kind: 'dispute', reference: String(dispute.body['id']) } }), order: expect.objectContaining({ id: orders[1]!.id }) }),
    ]);

    // Net of fees: Σ net = amount, with every charge's fee (and the dispute fee) listed.
    const fees = explained.lines.filter((l) => l.kind !== 'payout').reduce((sum, l) => sum + l.fee, 0);
    expect(charges.every((l) => l.fee > 0 && l.net === l.gross - l.fee)).toBe(true);
    expect(fees).toBe(charges.reduce((sum, l) => sum + l.fee, 0) + 1500);
    const gross = placed[0]!.total + placed[1]!.total + cancelledPlaced.total + 1234 - cancelledPlaced.total - 500 - 1000;
    expect(explained.totals).toEqual({ gross, fees, net: amount, amount, reconciles: true });
    expect(amount).toBe(gross - fees);
    expect(explained.orders.map((o) => o.id).sort()).toEqual([...orders, cancelled].map((o) => o.id).sort());
    expect(explained.payoutEntry!.lines.find((l) => l.debit === amount)?.account).toMatch(/^Bank/);

    const queue = (await api('GET', '/v1/settlements/unmatched')).body['data'] as { payoutReference: string; reference: string; reason: string }[];
    expect(queue.filter((q) => q.payoutReference === reference).map((q) => q.reason).sort()).toEqual(['no_order_for_charge', 'no_refund']);
  }, 90_000);
});
