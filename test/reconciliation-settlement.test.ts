import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Basket, Sandbox } from '../src/runtime/sandbox/index.js';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { runReconciliation } from './support/reconciliation.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';
import { placeShopOrder, untilCaptured, type PlacedOrder } from './support/shop-orders.js';

/**
 * Captured against settled end to end: an order the hub captured at Stripe shows as not settled while
 * no payout holds it (the settlement delay configured short); once Stripe pays out, the payout's lines
 * are fetched once, matched and booked, and a run finds only the charge Stripe took without a hub order,
 * which waits unmatched and is matched again on resolution.
 */
const key = 'recon-settlement-bootstrap-key-0123456789';
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let api: ReturnType<typeof apiClient>;
let number = 8300;

const url = (id: string) => sandbox.connections[id]!.baseUrl;

const placeOrder = (basket: Basket): Promise<PlacedOrder> => placeShopOrder(sandbox, basket, { number: ++number });
/** The hub order's id once its payment was captured at acceptance. */
const capturedOrder = async (externalId: string): Promise<string> => (await untilCaptured(api, externalId)).id;

beforeAll(async () => {
  env = await startSandboxHub({
    name: 'recon-settlement',
    key,
    configure: (config) => {
      config['orderToCash']!['captureOn'] = 'acceptance';
      // Money is expected in a payout a moment after its capture (a week by default).
      config['settlement'] = { delay: '200ms', tolerance: 0 };
    },
  });
  ({ sandbox, api } = env);
  expect((await call('POST', `${url('wh-main')}/_sandbox/behaviour`, { shipDelayMs: 600_000 })).status).toBe(200);
}, 60_000);

afterAll(() => env?.stop());

describe('reconciliation of captured against settled', () => {
  it('finds a capture in no payout, then after the payout only the charge without a hub order, and matches it again on resolution', async () => {
    const placed = await placeOrder({ lines: [{ sku: 'TEE-RED-M', title: 'Tee red M', quantity: 1, unitPrice: 2500 }], shipping: 599, taxRate: '0.0625' });
    const orderId = await capturedOrder(placed.externalId);
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Captured, and no payout yet: not settled, corrected by reading back Stripe's payouts since the capture.
    const before = await runReconciliation(api, ['payments']);
    expect(before.status).toBe('succeeded');
    expect(before.checks.map((c) => c.name)).toContain('payments:stripe-main:settlement');
    expect(before.checks.filter((c) => c.error)).toEqual([]);
    expect(before.drift).toEqual([
      expect.objectContaining({ kind: 'capture_not_settled', entity: `capture:stripe:${placed.intent}`, systems: ['hub', 'stripe-main'], severity: 'warning', correction: 'fetch-payouts', actual: null, expected: expect.objectContaining({ orderId }) }),
    ]);

    // A payment Stripe took with no order in the hub, then the payout of everything.
    const stray = await call('POST', `${url('stripe-main')}/_sandbox/payments`, { amount: 1234, count: 1 });
    expect(stray.status).toBe(200);
    const made = await call('POST', `${url('stripe-main')}/_sandbox/payouts`, {});
    expect(made.status).toBe(200);
    const reference = String(made.body['id']);
    const payout = (await waitFor(async () => {
      const list = (await api('GET', '/v1/payouts')).body['data'] as { id: string; reference: string; linesState: string; matched: number; unmatched: number }[];
      const found = list.find((p) => p.reference === reference);
      return found && found.linesState === 'fetched' && found.matched + found.unmatched > 0 ? found : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100, what: `payout ${reference} fetched and matched` }))!;
    // Booked once, net of fees, from the lines the settlement flow stored.
    const explained = (await waitFor(async () => {
      const body = (await api('GET', `/v1/payouts/${payout.id}/explain`)).body as unknown as { payoutEntry: { lines: { account: string; debit: number; credit: number }[] } | null; totals: { fees: number; amount: number } };
      return body.payoutEntry ? body : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100, what: `payout ${reference} booked` }))!;
    expect(explained.payoutEntry!.lines.find((l) => l.debit === explained.totals.amount)?.account).toMatch(/^Bank/);
    expect(explained.payoutEntry!.lines.some((l) => l.debit === explained.totals.fees && /Fees/.test(l.account))).toBe(true);

    const after = await runReconciliation(api, ['payments']);
    expect(after.checks.filter((c) => c.error)).toEqual([]);
    expect(after.drift).toHaveLength(1);
    const [unmatched] = after.drift;
    expect(unmatched).toMatchObject({
      kind: 'settlement_unmatched',
      entity: expect.stringMatching(new RegExp(`^settlement:${reference}:`)),
      systems: ['stripe-main', 'hub'],
      expected: null,
      actual: { kind: 'charge', amount: 1234, currency: 'USD', reason: 'no_order_for_charge' },
      correction: 'rematch',
      status: 'open',
    });

    const attemptsOf = async () => {
      const queue = (await api('GET', '/v1/settlements/unmatched')).body['data'] as { payoutReference: string; attempts: number }[];
      return queue.find((q) => q.payoutReference === reference)?.attempts;
    };
    const attempts = (await waitFor(attemptsOf, { timeoutMs: 10_000, what: 'line waiting' }))!;
    const resolved = await api('POST', `/v1/reconciliation/drift/${unmatched!.id}/resolve`, { note: 'matched again after the order import' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: expect.stringContaining(reference) });
    // Matched again: still no order for it, so it still waits, one attempt more.
    await waitFor(async () => ((await attemptsOf()) ?? 0) > attempts, { timeoutMs: 20_000, what: 'line matched again' });
    expect((await runReconciliation(api, ['payments'])).drift.map((d) => d.entity)).toEqual([unmatched!.entity]);
  }, 120_000);
});
