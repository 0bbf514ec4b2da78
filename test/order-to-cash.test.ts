import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopifyClient } from '../src/connectors/index.js';
import { warehouseWebhookHeaders } from '../src/connectors/warehouse/index.js';
import type { Hub } from '../src/runtime/index.js';
import type { Basket, Sandbox } from '../src/runtime/sandbox/index.js';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';
import { placeShopOrder, untilInHub, untilStatus, type PlacedOrder, type ShopCustomer } from './support/shop-orders.js';

/**
 * Order to cash end to end against the emulators: Shopify order → ERP Sales Order → warehouse →
 * shipments (partial, duplicated, out of order) → Shopify fulfillment, Delivery Notes → capture →
 * Sales Invoice → closed; holds, cancellations, bad events and ERP validation errors; with faults.
 */
const key = 'o2c-bootstrap-key-0123456789';
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let hub: Hub;
let api: ReturnType<typeof apiClient>;
let number = 7000;

const url = (id: string) => sandbox.connections[id]!.baseUrl;

const stripeAuth = () => ({ authorization: `Bearer ${sandbox.connections['stripe-main']!.secretKey}` });
const erpAuth = () => ({ authorization: `token ${sandbox.connections['erp-main']!.apiKey}:${sandbox.connections['erp-main']!.apiSecret}` });

const placeOrder = (basket: Basket, customer?: ShopCustomer): Promise<PlacedOrder> => placeShopOrder(sandbox, basket, { number: ++number, customer });

const basket = (lines: Basket['lines'], extra: Partial<Basket> = {}): Basket => ({ lines, shipping: 599, taxRate: '0.0625', ...extra });
const tee = (quantity = 1) => ({ sku: 'TEE-RED-M', title: 'Tee red M', quantity, unitPrice: 2500 });
const cap = (quantity = 1) => ({ sku: 'CAP-NAVY', title: 'Cap navy', quantity, unitPrice: 1800 });

async function hubOrder(externalId: string): Promise<Record<string, unknown>> {
  return (await api('GET', `/v1/orders/${await untilInHub(api, externalId)}`)).body;
}

async function erpDocuments(doctype: string, reference: string): Promise<number> {
  const state = await call('GET', `${url('erp-main')}/_sandbox/state`);
  const byReference = state.body['byReference'] as Record<string, Record<string, number>>;
  return byReference[doctype]?.[reference] ?? 0;
}

async function intent(id: string) {
  return (await call('GET', `${url('stripe-main')}/v1/payment_intents/${id}`, undefined, stripeAuth())).body as { status: string; amount_received: number; amount: number };
}

async function faults(id: string, settings: Record<string, number>) {
  expect((await call('POST', `${url(id)}/_sandbox/faults`, settings)).status).toBe(200);
}

async function behaviour(settings: Record<string, number>) {
  expect((await call('POST', `${url('wh-main')}/_sandbox/behaviour`, settings)).status).toBe(200);
}

const steps = (order: Record<string, unknown>) =>
  (order['workflows'] as { workflow: string; steps: { name: string; status: string; system: string; documents: Record<string, unknown>; attempts: number; correlationId: string }[] }[]).flatMap((w) => w.steps.map((s) => ({ workflow: w.workflow, ...s })));

beforeAll(async () => {
  env = await startSandboxHub({ name: 'o2c', key });
  ({ sandbox, hub, api } = env);
  await behaviour({ shipDelayMs: 300 });
}, 60_000);

afterAll(() => env?.stop());

describe('order to cash', () => {
  it('books, releases, ships, pushes the fulfillment to Shopify, delivers, captures, invoices and closes an order, once each', async () => {
    const placed = await placeOrder(basket([tee(2), cap(1)]));
    const order = await hubOrder(placed.externalId);
    const closed = await untilStatus(api, String(order['id']), 'closed');
    const all = steps(closed);
    const find = (name: string) => all.find((s) => s.name === name)!;
    expect(find('book-sales-order')).toMatchObject({ status: 'done', system: 'erpnext', documents: { salesOrder: expect.stringMatching(/^SAL-ORD-/) } });
    expect(find('release-to-warehouse')).toMatchObject({ status: 'done', documents: { shipmentOrders: [expect.any(String)] } });
    expect(find('push-fulfillment')).toMatchObject({ status: 'done', system: 'shopify', documents: { fulfillment: expect.any(String) } });
    expect(find('create-delivery-note')).toMatchObject({ status: 'done', documents: { deliveryNote: expect.stringMatching(/^MAT-DN-/) } });
    expect(find('capture-payment')).toMatchObject({ status: 'done', system: 'stripe', documents: { capture: placed.intent } });
    expect(find('invoice')).toMatchObject({ status: 'done', documents: { salesInvoice: expect.stringMatching(/^ACC-SINV-/) } });
    expect(all.every((s) => s.correlationId === closed['correlationId'])).toBe(true);
    const events = (closed['timeline'] as { event: string }[]).map((t) => t.event);
    expect(events).toEqual(expect.arrayContaining(['order.accepted', 'order.booked', 'order.released', 'order.shipped', 'order.invoiced', 'order.closed']));
    expect(await erpDocuments('Sales Order', String(order['id']))).toBe(1);
    expect(await intent(placed.intent)).toMatchObject({ status: 'succeeded', amount_received: placed.total });
    expect(await (await fetch(`${hub.url}/metrics`)).text()).toMatch(/^tillbridge_orders_stuck 0$/m);
    const fulfillmentOrders = await call('GET', `${url('shop-main')}/_sandbox/orders/${placed.externalId}`);
    expect(JSON.stringify(fulfillmentOrders.body)).toContain('fulfilled');
  }, 90_000);

  it('books concurrent first orders of a new customer with one ERP Customer', async () => {
    await behaviour({ shipDelayMs: 600_000 });
    await faults('erp-main', { latencyMs: 50 });
    const customer = { id: 990_000 + number, first_name: 'Zoe', last_name: `Quinn${number}`, email: `zoe${number}@example.com` };
    const placed = await Promise.all(Array.from({ length: 4 }, () => placeOrder(basket([tee(1)]), customer)));
    const orders = await Promise.all(placed.map((p) => hubOrder(p.externalId)));
    await Promise.all(orders.map((o) => untilStatus(api, String(o['id']), 'released')));
    await faults('erp-main', { latencyMs: 0 });
    const booked = await Promise.all(orders.map(async (o) => steps((await api('GET', `/v1/orders/${String(o['id'])}`)).body).find((s) => s.name === 'book-sales-order')!.documents['customer']));
    expect(new Set(booked).size).toBe(1);
    for (const o of orders) await cancelEverything(String(o['id']));
    await behaviour({ shipDelayMs: 300 });
  }, 60_000);

  it('holds an order by rule until released, and cancels a booked order everywhere: warehouse, ERP and the authorisation', async () => {
    const big = await placeOrder(basket([{ sku: 'HOODIE-GRY-L', title: 'Hoodie', quantity: 9, unitPrice: 5900 }]));
    const held = await hubOrder(big.externalId);
    await untilStatus(api, String(held['id']), 'on_hold');
    expect((await api('GET', `/v1/orders/${String(held['id'])}`)).body).toMatchObject({ holdReason: 'high_value' });
    await behaviour({ shipDelayMs: 600_000 });
    const released = await api('POST', `/v1/orders/${String(held['id'])}/release`, {});
    expect(released.status).toBe(202);
    await untilStatus(api, String(held['id']), 'released');
    const cancelled = await api('POST', `/v1/orders/${String(held['id'])}/cancel`, { reason: 'customer asked' });
    expect(cancelled.status).toBe(202);
    const after = await untilStatus(api, String(held['id']), 'cancelled');
    await behaviour({ shipDelayMs: 300 });
    const compensations = steps(after).filter((s) => s.workflow === 'order-placement' && (s as unknown as { phase: string }).phase === 'compensate');
    expect(compensations.map((s) => [s.name, s.status])).toEqual([
      ['release-to-warehouse', 'done'],
      ['book-sales-order', 'done'],
      ['payment', 'done'],
      ['reserve-stock', 'done'],
      ['route', 'skipped'],
    ]);
    expect(await intent(big.intent)).toMatchObject({ status: 'canceled' });
    const salesOrder = steps(after).find((s) => s.name === 'book-sales-order')!.documents['salesOrder'];
    const so = await call('GET', `${url('erp-main')}/api/resource/Sales Order/${String(salesOrder)}`, undefined, erpAuth());
    expect((so.body['data'] as { docstatus: number }).docstatus).toBe(2);
  }, 90_000);

  it('under faults — ERP 5xx on 20% of calls and 429 bursts, a 30-second warehouse outage, duplicate, partial and out-of-order shipments — every order closes with one Sales Order and one capture', async () => {
    await faults('erp-main', { errorRate: 0.2, rateLimitRate: 0.15 });
    await behaviour({ shipDelayMs: 300, partialRate: 0.5, duplicateRate: 0.3, reorderRate: 0.3, reorderDelayMs: 400 });
    const placed = [];
    for (let i = 0; i < 6; i++) placed.push(await placeOrder(basket([tee(1 + (i % 2)), cap(2)])));
    await faults('wh-main', { outageSeconds: 30 });
    for (let i = 0; i < 6; i++) placed.push(await placeOrder(basket([tee(2), cap(1 + (i % 3))])));
    const orders = await Promise.all(placed.map((p) => hubOrder(p.externalId)));
    const closed = await Promise.all(orders.map((o) => untilStatus(api, String(o['id']), 'closed', 150_000)));
    await faults('erp-main', { errorRate: 0, rateLimitRate: 0 });
    await behaviour({ partialRate: 0, duplicateRate: 0, reorderRate: 0 });
    for (const [i, order] of closed.entries()) {
      expect(await erpDocuments('Sales Order', String(order['id'])), `Sales Orders of ${String(order['id'])}`).toBe(1);
      expect(await erpDocuments('Sales Invoice', `invoice:${String(order['id'])}`)).toBe(1);
      expect(await intent(placed[i]!.intent)).toMatchObject({ status: 'succeeded', amount_received: placed[i]!.total });
      const shipments = (order['workflows'] as { workflow: string }[]).filter((w) => w.workflow === 'order-shipment');
      const lines = order['lines'] as { quantity: number; progress: { shipped: number } }[];
      expect(lines.every((l) => l.progress.shipped === l.quantity)).toBe(true);
      expect(shipments.length).toBeGreaterThanOrEqual(1);
    }
    const retried = closed.flatMap(steps).filter((s) => s.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    expect((await api('GET', '/v1/dead-letters')).body.data).toEqual([]);
  }, 240_000);

  it('dead-letters bad shipment events with a clear reason — unknown order, a SKU not on the order, more than was ordered', async () => {
    const placed = await placeOrder(basket([tee(1)]));
    await behaviour({ shipDelayMs: 600_000 });
    const order = await hubOrder(placed.externalId);
    await untilStatus(api, String(order['id']), 'released');
    const secret = sandbox.connections['wh-main']!.webhookSecret!;
    const send = async (reference: string, lines: { lineId: string; sku: string; quantity: number }[]) => {
      const eventId = `evt-${Math.random().toString(36).slice(2)}`;
      const body = JSON.stringify({ type: 'shipment.confirmed', eventId, shipmentOrderId: 'so-x', reference, shipmentId: `shp-${eventId}`, lines, carrier: 'UPS', trackingNumber: '1Z999', shippedAt: new Date().toISOString(), partial: false });
      const response = await fetch(`${hub.url}/webhooks/warehouse/wh-main`, { method: 'POST', headers: warehouseWebhookHeaders({ body, secret, eventId, eventType: 'shipment.confirmed', timestampSeconds: Math.floor(Date.now() / 1000) }), body });
      expect(response.status).toBeLessThan(300);
    };
    const line = (order['lines'] as { lineId: string }[])[0]!.lineId;
    await send('ord_does_not_exist', [{ lineId: line, sku: 'TEE-RED-M', quantity: 1 }]);
    await send(String(order['id']), [{ lineId: 'nope', sku: 'SOCKS-3PK', quantity: 1 }]);
    await send(String(order['id']), [{ lineId: line, sku: 'TEE-RED-M', quantity: 5 }]);
    const reasons = await waitFor(async () => {
      const letters = (await api('GET', '/v1/dead-letters')).body.data as { reason?: string; deadReason?: string; lastError?: { code: string } }[];
      return letters.length >= 3 ? letters.map((l) => JSON.stringify(l)) : undefined;
    }, { timeoutMs: 20_000, what: 'three dead letters' }) as string[];
    expect(reasons.some((r) => r.includes('unknown_order'))).toBe(true);
    expect(reasons.some((r) => r.includes('shipment_sku_not_on_order'))).toBe(true);
    expect(reasons.some((r) => r.includes('shipment_exceeds_order'))).toBe(true);
    const after = (await api('GET', `/v1/orders/${String(order['id'])}`)).body;
    expect(after['status']).toBe('released');
    const failed = steps(after).filter((s) => s.status === 'failed');
    expect(failed.map((s) => s.name)).toEqual(['record-shipment', 'record-shipment']);
    await cancelEverything(String(order['id']));
  }, 60_000);

  it('dead-letters an order whose Item is not in the ERP at once with the ERP message, keeps others flowing, and books it on replay after the Item is created', async () => {
    await behaviour({ shipDelayMs: 600_000 });
    const ghost = await placeOrder(basket([{ sku: 'GHOST-ITEM', title: 'Ghost', quantity: 1, unitPrice: 1000 }]));
    const fine = await placeOrder(basket([tee(1)]));
    const ghostOrder = await hubOrder(ghost.externalId);
    const failed = await waitFor(async () => {
      const order = (await api('GET', `/v1/orders/${String(ghostOrder['id'])}`)).body;
      return steps(order).find((s) => s.name === 'book-sales-order' && s.status === 'failed') as ({ attempts: number; error?: string; messageId?: string } | undefined);
    }, { timeoutMs: 20_000, what: 'the booking to dead-letter' }) as { attempts: number; error?: string; messageId?: string };
    expect(failed.attempts).toBe(1);
    expect(failed.error).toMatch(/GHOST-ITEM/);
    await untilStatus(api, String((await hubOrder(fine.externalId))['id']), 'released');
    const created = await call('POST', `${url('erp-main')}/api/resource/Item`, { item_code: 'GHOST-ITEM', item_name: 'Ghost', item_group: 'Products', stock_uom: 'Nos', is_stock_item: 1 }, erpAuth());
    expect(created.status).toBe(200);
    expect((await api('POST', `/v1/dead-letters/${failed.messageId!}/replay`, {})).status).toBe(202);
    await untilStatus(api, String(ghostOrder['id']), 'released');
    expect(await erpDocuments('Sales Order', String(ghostOrder['id']))).toBe(1);
    await cancelEverything(String(ghostOrder['id']));
    await cancelEverything(String((await hubOrder(fine.externalId))['id']));
  }, 60_000);

  it('cancels some lines after release (warehouse, ERP rows) and, when the rest ships, captures only what shipped', async () => {
    await behaviour({ shipDelayMs: 600_000, partialRate: 0 });
    const placed = await placeOrder(basket([tee(2), cap(1)]));
    const order = await hubOrder(placed.externalId);
    await untilStatus(api, String(order['id']), 'released');
    const capLine = (order['lines'] as { lineId: string; sku: string }[]).find((l) => l.sku === 'CAP-NAVY')!.lineId;
    const response = await api('POST', `/v1/orders/${String(order['id'])}/cancel`, { lines: [{ lineId: capLine, quantity: 1 }], reason: 'out of stock' });
    expect(response.status).toBe(202);
    await untilStatus(api, String(order['id']), 'partially_cancelled');
    await waitFor(async () => steps((await api('GET', `/v1/orders/${String(order['id'])}`)).body).some((s) => s.name === 'reduce-sales-order' && s.status === 'done'), { what: 'the Sales Order reduced' });
    await behaviour({ shipDelayMs: 100 });
    expect((await call('POST', `${url('wh-main')}/_sandbox/ship`, {})).status).toBeLessThan(500);
    const closed = await untilStatus(api, String(order['id']), 'closed', 30_000);
    const capture = steps(closed).find((s) => s.name === 'capture-payment')!;
    expect(capture.status).toBe('done');
    const captured = await intent(placed.intent);
    expect(captured.status).toBe('succeeded');
    expect(captured.amount_received).toBeLessThan(placed.total);
    expect(captured.amount_received).toBeGreaterThan(0);
  }, 60_000);

  it('takes a cancellation of some lines asked for while the order is still being booked: it waits for the Sales Order, then reduces it', async () => {
    await behaviour({ shipDelayMs: 600_000, partialRate: 0 });
    await faults('erp-main', { latencyMs: 1500 });
    try {
      const placed = await placeOrder(basket([tee(2), cap(1)]));
      const order = await hubOrder(placed.externalId);
      const id = String(order['id']);
      const capLine = (order['lines'] as { lineId: string; sku: string }[]).find((l) => l.sku === 'CAP-NAVY')!.lineId;
      const response = await api('POST', `/v1/orders/${id}/cancel`, { lines: [{ lineId: capLine, quantity: 1 }], reason: 'changed my mind' });
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ status: 'cancelling' });
      const reduced = await waitFor(async () => {
        const now = (await api('GET', `/v1/orders/${id}`)).body;
        return steps(now).some((s) => s.name === 'reduce-sales-order' && s.status === 'done') ? now : undefined;
      }, { timeoutMs: 30_000, what: 'the Sales Order reduced once booked' }).catch(async (error: Error) => {
        const now = (await api('GET', `/v1/orders/${id}`)).body;
        throw new Error(`${error.message}; the order is ${String(now['status'])}: ${JSON.stringify(now['workflows'])}`);
      });
      const all = steps(reduced!);
      const booked = all.find((s) => s.name === 'book-sales-order')!;
      expect(booked.status).toBe('done');
      expect(await erpDocuments('Sales Order', id)).toBe(1);
      const capProgress = (reduced!['lines'] as { lineId: string; progress: { cancelled: number } }[]).find((l) => l.lineId === capLine)!;
      expect(capProgress.progress.cancelled).toBe(1);
    } finally {
      await faults('erp-main', { latencyMs: 0 });
    }
  }, 60_000);
});

describe('returns and refunds', () => {
  async function shippedOrder(lines: Basket['lines']) {
    await behaviour({ shipDelayMs: 100, partialRate: 0 });
    const placed = await placeOrder(basket(lines));
    const order = await hubOrder(placed.externalId);
    const closed = await untilStatus(api, String(order['id']), 'closed', 30_000);
    return { placed, order: closed, id: String(order['id']), line: (sku: string) => (closed['lines'] as { lineId: string; sku: string }[]).find((l) => l.sku === sku)!.lineId };
  }

  async function refunds(orderId: string, count: number) {
    return waitFor(async () => {
      const order = (await api('GET', `/v1/orders/${orderId}`)).body;
      const list = order['refunds'] as { status: string; amount: number | null; documents: Record<string, string>; source: string; mode: string }[];
      return list.length >= count && list.every((r) => r.status === 'completed') ? { order, list } : undefined;
    }, { timeoutMs: 30_000, what: `${count} completed refunds of ${orderId}` }) as Promise<{ order: Record<string, unknown>; list: { status: string; amount: number | null; documents: Record<string, string>; source: string; mode: string }[] }>;
  }

  it('return then refund: authorised at the warehouse, refunded once through Stripe on receipt, credited in the ERP', async () => {
    const { placed, id, line } = await shippedOrder([tee(2), cap(1)]);
    const requested = await api('POST', `/v1/orders/${id}/returns`, { lines: [{ lineId: line('TEE-RED-M'), quantity: 1, reason: 'changed-mind' }] });
    expect(requested.status).toBe(202);
    const [ret] = requested.body['returns'] as { returnId: string; mode: string }[];
    expect(ret!.mode).toBe('return-then-refund');
    const authorisation = await waitFor(async () => ((await api('GET', `/v1/orders/${id}`)).body['returns'] as { id: string; documents: Record<string, string> }[]).find((r) => r.id === ret!.returnId)?.documents['returnAuthorization'], { what: 'the return authorisation' });
    expect((await call('POST', `${url('wh-main')}/_sandbox/returns/${String(authorisation)}/receive`, { condition: 'sellable' })).status).toBe(200);
    const { order, list } = await refunds(id, 1);
    const teeTax = Math.round(Math.round(2 * 2500 * 0.0625) / 2);
    expect(list[0]).toMatchObject({ source: 'return', mode: 'return-then-refund', amount: 2500 + teeTax, documents: { refund: expect.stringMatching(/^re_/), creditNote: expect.any(String) } });
    expect(await erpDocuments('Sales Invoice', `credit:${ret!.returnId}`)).toBe(1);
    const stripeRefund = await call('GET', `${url('stripe-main')}/v1/refunds/${list[0]!.documents['refund']}`, undefined, stripeAuth());
    expect(stripeRefund.body).toMatchObject({ amount: 2500 + teeTax, payment_intent: placed.intent, status: 'succeeded' });
    expect(await intent(placed.intent)).toMatchObject({ amount_received: placed.total });
    const credit = await call('GET', `${url('erp-main')}/api/resource/Sales Invoice/${list[0]!.documents['creditNote']}`, undefined, erpAuth());
    expect((credit.body['data'] as { grand_total: number; is_return: number }).grand_total).toBe(-(2500 + teeTax) / 100);
    expect((order['lines'] as { sku: string; progress: { returned: number } }[]).find((l) => l.sku === 'TEE-RED-M')!.progress.returned).toBe(1);
    const again = await api('POST', `/v1/orders/${id}/returns`, { lines: [{ lineId: line('TEE-RED-M'), quantity: 2, reason: 'changed-mind' }] });
    expect(again.status).toBe(409);
  }, 60_000);

  it('refund only (with shipping) and exchange follow the returns policy; a refund made in Shopify is credited in the ERP without a second refund', async () => {
    const { id, line, order } = await shippedOrder([tee(1), cap(2)]);
    const requested = await api('POST', `/v1/orders/${id}/returns`, { lines: [{ lineId: line('CAP-NAVY'), quantity: 1, reason: 'arrived-late' }, { lineId: line('TEE-RED-M'), quantity: 1, reason: 'wrong-size' }] });
    expect(requested.status).toBe(202);
    expect((requested.body['returns'] as { mode: string }[]).map((r) => r.mode).sort()).toEqual(['exchange', 'refund']);
    const exchangeReturn = (await waitFor(async () => ((await api('GET', `/v1/orders/${id}`)).body['returns'] as { mode: string; documents: Record<string, string> }[]).find((r) => r.mode === 'exchange' && r.documents['returnAuthorization']), { what: 'the exchange authorised' }))!;
    expect((await call('POST', `${url('wh-main')}/_sandbox/returns/${exchangeReturn.documents['returnAuthorization']}/receive`, {})).status).toBe(200);
    const { list } = await refunds(id, 2);
    const refundOnly = list.find((r) => r.mode === 'refund')!;
    expect(refundOnly.amount).toBe(1800 + 113 + Number((order as { totals: { shipping: number } }).totals.shipping));
    const exchange = list.find((r) => r.mode === 'exchange')!;
    expect(exchange.documents['replacementOrder']).toMatch(/^ord_/);
    expect(exchange.documents['refund']).toBeUndefined();
    const replacement = await untilStatus(api, exchange.documents['replacementOrder']!, 'closed', 30_000);
    expect(replacement).toMatchObject({ source: 'exchange', totals: { total: 0 } });

    const shopify = hub.connections.get('shop-main')!.instance.client as ShopifyClient;
    const shopOrder = await call('GET', `${url('shop-main')}/_sandbox/orders/${String(order['externalId'])}`);
    const lineItems = ((shopOrder.body['order'] ?? shopOrder.body) as { line_items: { id: number; sku: string; admin_graphql_api_id: string }[] }).line_items;
    await shopify.refundCreate({ orderId: String(order['externalId']), refundLineItems: [{ lineItemId: lineItems.find((l) => l.sku === 'CAP-NAVY')!.admin_graphql_api_id, quantity: 1, restockType: 'RETURN' }], transactions: [{ gateway: 'stripe', kind: 'REFUND', amount: '19.13' }] }, { idempotencyKey: `refund-${id}` });
    const { list: after } = await refunds(id, 3);
    const fromChannel = after.find((r) => r.source === 'channel')!;
    expect(fromChannel).toMatchObject({ amount: 1913, documents: { creditNote: expect.any(String) } });
    expect(fromChannel.documents['refund']).toBeUndefined();
  }, 90_000);
});

/** Cancels whatever of an order is still open, so it leaves no work behind. */
async function cancelEverything(orderId: string) {
  const response = await api('POST', `/v1/orders/${orderId}/cancel`, { reason: 'test cleanup' });
  expect(response.status).toBe(202);
  await untilStatus(api, orderId, 'cancelled');
}
