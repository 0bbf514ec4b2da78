import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Basket, Sandbox } from '../src/runtime/sandbox/index.js';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { runReconciliation as runScope, type Run } from './support/reconciliation.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';
import { placeShopOrder, untilInHub, untilStatus, type PlacedOrder } from './support/shop-orders.js';

/**
 * A simulated trading day on the sandbox retailer: orders placed in Shopify and paid through Stripe
 * are booked, shipped, captured, invoiced and paid out, with their journal; then four things go wrong
 * the way they do in real life — a webhook that never arrives, an order edited by hand in ERPNext, a
 * warehouse stock count whose webhook is lost, a refund given straight from the Stripe dashboard.
 * One reconciliation run over every scope finds exactly those four, each is corrected through the
 * API, and a second run finds nothing.
 */
const key = 'trading-day-bootstrap-key-0123456789';
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let api: ReturnType<typeof apiClient>;
let number = 9100;

const url = (id: string) => sandbox.connections[id]!.baseUrl;
const stripeAuth = () => ({ authorization: `Bearer ${sandbox.connections['stripe-main']!.secretKey}` });

const placeOrder = (basket: Basket, options: { webhook: boolean } = { webhook: true }): Promise<PlacedOrder> => placeShopOrder(sandbox, basket, { number: ++number, webhook: options.webhook });
const untilClosed = async (externalId: string): Promise<string> => {
  const id = await untilInHub(api, externalId);
  await untilStatus(api, id, 'closed');
  return id;
};
const runReconciliation = (): Promise<Run> => runScope(api, ['orders', 'inventory', 'catalog', 'payments', 'journal']);

/** Waits until nothing the day set in motion is still moving: journal entries posted, no stock push pending. */
async function settled(): Promise<void> {
  await waitFor(async () => ((await api('GET', '/v1/journal?limit=500')).body['data'] as { status: string }[]).every((e) => e.status === 'posted'), { timeoutMs: 30_000, what: 'every journal entry posted' });
  await new Promise((resolve) => setTimeout(resolve, 600));
}

const hubOnHand = async (sku: string) => ((await api('GET', `/v1/inventory/${sku}`)).body['locations'] as { locationId: string; onHand: number }[] | undefined)?.find((l) => l.locationId === 'wh-main')?.onHand;
const basket = (lines: Basket['lines']): Basket => ({ lines, shipping: 599, taxRate: '0.0625' });
const tee = (quantity = 1) => ({ sku: 'TEE-RED-M', title: 'Tee red M', quantity, unitPrice: 2500 });
const cap = (quantity = 1) => ({ sku: 'CAP-NAVY', title: 'Cap navy', quantity, unitPrice: 1800 });

beforeAll(async () => {
  env = await startSandboxHub({
    name: 'trading-day',
    key,
    configure: (config) => {
      // Only reconciliation may find the missed order (the orders poller would import it within 30 s).
      const connections = config['connections'] as unknown as { id: string; settings: Record<string, unknown> }[];
      connections.find((c) => c.id === 'shop-main')!.settings['pollIntervalMs'] = 3_600_000;
      config['inventory'] = { ...config['inventory'], pushInterval: '200ms' };
    },
  });
  ({ sandbox, api } = env);
  expect((await call('POST', `${url('wh-main')}/_sandbox/behaviour`, { shipDelayMs: 200 })).status).toBe(200);
}, 60_000);

afterAll(() => env?.stop());

describe('a trading day', () => {
  it('finds a dropped webhook, a hand edit in the ERP, a lost stock update and a refund made in Stripe, and nothing else; after resolution, nothing at all', async () => {
    // The morning: stock backfilled from the warehouse and the ERP, the day's orders taken, shipped and paid out.
    const sync = await api('POST', '/v1/sync/jobs', { kind: 'inventory' });
    expect(sync.status).toBe(202);
    await waitFor(async () => (await api('GET', `/v1/sync/jobs/${String(sync.body['id'])}`)).body['status'] === 'succeeded', { timeoutMs: 60_000, what: 'the inventory backfill' });
    const placed = [await placeOrder(basket([tee(2), cap(1)])), await placeOrder(basket([cap(2)])), await placeOrder(basket([tee(1)])), await placeOrder(basket([tee(1), cap(1)]))];
    const orderIds: string[] = [];
    for (const order of placed) orderIds.push(await untilClosed(order.externalId));
    expect((await call('POST', `${url('stripe-main')}/_sandbox/payouts`, {})).status).toBe(200);
    await settled();

    const morning = await runReconciliation();
    expect(morning.checks.filter((c) => c.error !== undefined)).toEqual([]);
    expect(morning.drift).toEqual([]);

    // The afternoon, and what goes wrong.
    const missed = await placeOrder(basket([cap(1)]), { webhook: false });
    const salesOrders = (await call('GET', `${url('erp-main')}/_sandbox/documents?doctype=${encodeURIComponent('Sales Order')}&reference=${orderIds[2]}`)).body['data'] as { name: string }[];
    const edited = await call('POST', `${url('erp-main')}/_sandbox/desk`, { user: 'jane@retailer.example', doctype: 'Sales Order', name: salesOrders[0]!.name, action: 'update-items', items: [{ item_code: 'TEE-RED-M', qty: 2 }] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const onHand = (await hubOnHand('CAP-NAVY'))!;
    expect((await call('POST', `${url('wh-main')}/_sandbox/webhooks`, { url: null })).status).toBe(200);
    expect((await call('POST', `${url('wh-main')}/_sandbox/stock`, { sku: 'CAP-NAVY', onHand: onHand - 3 })).status).toBeLessThan(300);
    expect((await call('POST', `${url('wh-main')}/_sandbox/webhooks`, { url: `${env!.hub.url}/webhooks/warehouse/wh-main` })).status).toBe(200);
    const refund = await call('POST', `${url('stripe-main')}/v1/refunds`, new URLSearchParams({ payment_intent: placed[1]!.intent, amount: '1000' }).toString(), stripeAuth());
    expect(refund.status).toBe(200);
    await settled();

    // The evening run finds exactly what went wrong.
    const evening = await runReconciliation();
    expect(evening.status).toBe('succeeded');
    expect(evening.drift.map((d) => `${d.kind} ${d.entity}`).sort()).toEqual(
      [
        `order_missing_in_hub order:shop-main:${missed.externalId}`,
        `order_total_mismatch order:${orderIds[2]}`,
        `refund_not_recorded refund:stripe-main:${String(refund.body['id'])}`,
        'stock_mismatch stock:CAP-NAVY@wh-main',
      ].sort(),
    );
    const byKind = Object.fromEntries(evening.drift.map((d) => [d.kind, d]));
    expect(byKind['order_total_mismatch']).toMatchObject({ systems: ['hub', 'erp-main'], expected: { total: placed[2]!.total }, actual: { modifiedBy: 'jane@retailer.example' }, correction: 'resync-order' });
    expect(byKind['stock_mismatch']).toMatchObject({ systems: ['wh-main', 'hub'], expected: { onHand: onHand - 3 }, actual: { onHand }, correction: 'resync-stock' });
    expect(byKind['refund_not_recorded']).toMatchObject({ systems: ['stripe-main', 'hub'], expected: { orderId: orderIds[1], amount: 1000 }, correction: 'record-refund' });
    expect(byKind['order_missing_in_hub']).toMatchObject({ systems: ['shop-main', 'hub'], expected: { total: missed.total }, correction: 'import-order' });

    // Each is put right through the API, audited.
    for (const drift of evening.drift) {
      const resolved = await api('POST', `/v1/reconciliation/drift/${drift.id}/resolve`, { note: 'end-of-day reconciliation' });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ status: 'resolved' });
    }
    const audit = (await api('GET', '/v1/audit?resourceType=drift&limit=100')).body['data'] as { resourceId: string; action: string }[];
    expect(evening.drift.every((d) => audit.some((a) => a.resourceId === d.id && a.action === 'reconciliation.drift.correct'))).toBe(true);
    await untilClosed(missed.externalId);
    await waitFor(async () => (await hubOnHand('CAP-NAVY')) !== onHand, { timeoutMs: 20_000, what: 'the hub to take the warehouse count' });
    await waitFor(async () => ((await api('GET', `/v1/orders/${orderIds[1]}`)).body['timeline'] as { event: string }[]).some((t) => t.event === 'refund.completed'), { timeoutMs: 20_000, what: 'the Stripe refund on its order' });
    await settled();

    const night = await runReconciliation();
    expect(night.checks.filter((c) => c.error !== undefined)).toEqual([]);
    expect(night.drift).toEqual([]);
  }, 240_000);
});
