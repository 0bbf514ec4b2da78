import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../model/index.js';
import { createCircuitBreaker } from '../framework/index.js';
import { createShopifyClient, type ShopifyClientOptions } from './client.js';
import { ShopifySettings, type ShopifySettingsInput } from './config.js';
import { startShopifyEmulator, type RunningShopifyEmulator, type ShopifyEmulatorOptions } from './emulator/server.js';
import { parseExact, stringifyExact } from './emulator/support.js';
import { corpusUrl } from '../../testing/index.js';

const corpus = corpusUrl('shopify/webhooks-2026-04/');

/** The corpus orders/create body (numbers as written), without its ids, so the emulator gives fresh ones. */
function corpusOrder(): Record<string, unknown> {
  const { response } = parseExact(readFileSync(new URL('orders_create.json', corpus), 'utf8')) as { response: Record<string, unknown> };
  const { id: _id, admin_graphql_api_id: _gid, ...order } = response;
  return order;
}

const emulators: RunningShopifyEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function setup(options: ShopifyEmulatorOptions = {}, settings: Partial<ShopifySettingsInput> = {}, client: Partial<ShopifyClientOptions> = {}) {
  const emulator = await startShopifyEmulator(options);
  emulators.push(emulator);
  const shopify = createShopifyClient({
    connectionId: 'shop-test',
    settings: ShopifySettings.parse({ shopDomain: emulator.shopDomain, baseUrl: emulator.url, locationId: emulator.locationId, timeoutMs: 2000, ...settings }),
    secrets: { accessToken: emulator.credentials.accessToken },
    baseDelayMs: 20,
    ...client,
  });
  const state = async () =>
    (await (await fetch(`${emulator.url}/_sandbox/state`)).json()) as {
      counts: Record<string, number>;
      calls: { graphqlCalls: number; throttled: number; restCalls: number; restLimited: number; rateLimited: number; errors: number };
      costBucket: { currentlyAvailable: number };
      events: { topic: string; sent: boolean }[];
      inventory: { sku: string; available: number; onHand: number }[];
    };
  const faults = (body: Record<string, number>) => fetch(`${emulator.url}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const placeOrder = async (order: Record<string, unknown> = corpusOrder()) => {
    const response = await fetch(`${emulator.url}/_sandbox/orders?webhook=false`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stringifyExact(order) });
    expect(response.status).toBe(201);
    return ((await response.json()) as { order: { id: number; admin_graphql_api_id: string; line_items: { admin_graphql_api_id: string; sku: string }[] } }).order;
  };
  return { emulator, shopify, state, faults, placeOrder };
}

const tee = {
  title: 'Organic tee',
  handle: 'organic-tee',
  productOptions: [{ name: 'Size', values: [{ name: 'M' }, { name: 'L' }] }],
  variants: [
    { sku: 'TEE-M', price: '25.00', optionValues: [{ optionName: 'Size', name: 'M' }] },
    { sku: 'TEE-L', price: '25.00', optionValues: [{ optionName: 'Size', name: 'L' }] },
  ],
};

async function rejection(promise: Promise<unknown>): Promise<TillbridgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TillbridgeError);
  return error as TillbridgeError;
}

describe('shopify client (GraphQL Admin API 2026-04 against the emulator)', () => {
  it('reads the shop and reports the API version that served the call', async () => {
    const { shopify, emulator } = await setup({ currency: 'EUR' });
    expect(await shopify.shop()).toEqual({ name: 'Tillbridge Sandbox', currencyCode: 'EUR', myshopifyDomain: emulator.shopDomain, apiVersion: '2026-04', locationId: emulator.locationId });
  });

  it('refuses a wrong access token as outbound_unauthorized (401)', async () => {
    const { emulator } = await setup();
    const stranger = createShopifyClient({
      connectionId: 'shop-test',
      settings: ShopifySettings.parse({ shopDomain: emulator.shopDomain, baseUrl: emulator.url }),
      secrets: { accessToken: 'shpat_wrong' },
    });
    const error = await rejection(stranger.shop());
    expect(error).toMatchObject({ code: 'outbound_unauthorized', httpStatus: 401, retryable: false });
    expect(error.message).toContain('Invalid API key or access token');
  });

  it('productSet creates a product by handle, then updates the same product and replaces its variants', async () => {
    const { shopify, state } = await setup();
    const created = await shopify.productSet(tee);
    expect(created).toMatchObject({ productId: expect.stringMatching(/^gid:\/\/shopify\/Product\/\d+$/), handle: 'organic-tee' });
    expect(created.variants.map((v) => [v.sku, v.title])).toEqual([
      ['TEE-M', 'M'],
      ['TEE-L', 'L'],
    ]);
    expect(created.variants.every((v) => /^gid:\/\/shopify\/InventoryItem\/\d+$/.test(v.inventoryItemId))).toBe(true);

    const updated = await shopify.productSet({ ...tee, title: 'Organic tee (new)', variants: [{ ...tee.variants[1]!, price: '27.50' }] });
    expect(updated.productId).toBe(created.productId);
    expect(updated.variants).toEqual([created.variants[1]]);
    expect((await state()).counts).toMatchObject({ products: 1, variants: 1, inventoryItems: 1 });
  });

  it('productSet userErrors become a permanent error naming the field path', async () => {
    const { shopify } = await setup();
    const error = await rejection(shopify.productSet({ title: 'Ghost' }, { identifier: { id: '999' } }));
    expect(error).toMatchObject({ code: 'shopify_user_error', retryable: false, httpStatus: 422 });
    expect(error.message).toContain('identifier.id: Product does not exist (PRODUCT_DOES_NOT_EXIST)');
    expect(error.details).toEqual({ userErrors: [{ field: ['identifier', 'id'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }] });
  });

  it('inventorySetQuantities sets with compare-and-swap; a stale changeFromQuantity is inventory_compare_mismatch', async () => {
    const { shopify, state } = await setup();
    const { variants } = await shopify.productSet(tee);
    const item = variants[0]!.inventoryItemId;
    const set = (quantity: number, changeFromQuantity: number | null, key: string) =>
      shopify.inventorySetQuantities({ name: 'available', reason: 'correction', referenceDocumentUri: 'tillbridge://stock/1', quantities: [{ inventoryItemId: item, quantity, changeFromQuantity }] }, { idempotencyKey: key });

    const first = await set(12, null, 'msg-1');
    expect(first.changes).toContainEqual({ name: 'available', delta: 12, quantityAfterChange: 12, inventoryItemId: item, locationId: expect.stringMatching(/^gid:\/\/shopify\/Location\//) });
    expect(await set(7, 12, 'msg-2')).toMatchObject({ changes: expect.arrayContaining([expect.objectContaining({ name: 'available', delta: -5, quantityAfterChange: 7 })]) });

    const stale = await rejection(set(20, 12, 'msg-3'));
    expect(stale).toMatchObject({ code: 'inventory_compare_mismatch', httpStatus: 409, retryable: false });
    expect(stale.message).toContain('input.quantities.0.changeFromQuantity');
    expect(await shopify.inventoryLevel(item)).toEqual({ inventoryItemId: item, sku: 'TEE-M', available: 7, onHand: 7, committed: 0 });

    // The same call again (same caller key, same input) is one operation: Shopify replays the first result.
    const again = await set(7, 12, 'msg-2');
    expect(again.changes.find((c) => c.name === 'available')).toMatchObject({ delta: -5 });
    const { events } = await state();
    expect(events.filter((e) => e.topic === 'inventory_levels/update')).toHaveLength(2);
  });

  it('inventorySetQuantities needs an idempotency key and a location', async () => {
    const { shopify } = await setup({}, { locationId: undefined });
    const input = { name: 'available' as const, reason: 'correction', quantities: [{ inventoryItemId: '1', quantity: 1, changeFromQuantity: null }] };
    expect(await rejection(shopify.inventorySetQuantities(input, { idempotencyKey: '' }))).toMatchObject({ code: 'invalid_shopify_input' });
  });

  it('reads fulfillment orders and ships lines with tracking (fulfillmentCreate)', async () => {
    const { shopify, placeOrder, state } = await setup();
    const order = await placeOrder();
    const [fulfillmentOrder] = await shopify.fulfillmentOrders(String(order.id));
    expect(fulfillmentOrder).toMatchObject({ status: 'OPEN', locationName: 'Sandbox warehouse' });
    expect(fulfillmentOrder!.lineItems.map((l) => [l.sku, l.remainingQuantity])).toEqual(order.line_items.map((l) => [l.sku, 1]));
    const first = fulfillmentOrder!.lineItems[0]!;

    const result = await shopify.fulfillmentCreate({
      lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fulfillmentOrder!.id, fulfillmentOrderLineItems: [{ id: first.id, quantity: 1 }] }],
      trackingInfo: { company: 'UPS', number: '1Z999AA10123456784', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' },
      notifyCustomer: false,
    });
    expect(result).toMatchObject({ status: 'SUCCESS', name: '#9999.1', trackingInfo: [{ company: 'UPS', number: '1Z999AA10123456784', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' }] });

    const [after] = await shopify.fulfillmentOrders(order.admin_graphql_api_id);
    expect(after!.status).toBe('IN_PROGRESS');
    expect(after!.lineItems[0]!.remainingQuantity).toBe(0);
    const again = await rejection(
      shopify.fulfillmentCreate({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fulfillmentOrder!.id, fulfillmentOrderLineItems: [{ id: first.id, quantity: 1 }] }] }),
    );
    expect(again).toMatchObject({ code: 'shopify_user_error' });
    expect(again.message).toContain('quantity: Invalid fulfillment order line item quantity requested.');
    expect((await state()).events.map((e) => e.topic)).toEqual(['orders/create', 'fulfillments/create', 'orders/updated']);
  });

  it('refundCreate refunds a line, shipping and money once per idempotency key', async () => {
    const { shopify, placeOrder, state } = await setup();
    const order = await placeOrder();
    const line = order.line_items[0]!;
    const input = {
      orderId: String(order.id),
      note: 'damaged',
      refundLineItems: [{ lineItemId: line.admin_graphql_api_id, quantity: 1, restockType: 'NO_RESTOCK' as const }],
      shipping: { amount: '10.00' },
      transactions: [{ gateway: 'bogus', kind: 'REFUND' as const, amount: '99.99' }],
    };
    const refund = await shopify.refundCreate(input, { idempotencyKey: 'return-42' });
    expect(refund).toMatchObject({
      refundId: expect.stringMatching(/^gid:\/\/shopify\/Refund\/\d+$/),
      totalRefunded: { amount: '99.99', currencyCode: 'USD' },
      transactions: [{ kind: 'REFUND', status: 'SUCCESS', gateway: 'bogus', amount: '99.99', currencyCode: 'USD' }],
      orderFinancialStatus: 'PARTIALLY_REFUNDED',
    });
    expect(await shopify.refundCreate(input, { idempotencyKey: 'return-42' })).toEqual(refund);
    expect((await state()).counts.refunds).toBe(1);

    const over = await rejection(shopify.refundCreate({ ...input, refundLineItems: [], shipping: {}, transactions: [{ gateway: 'bogus', kind: 'REFUND', amount: '400.00' }] }, { idempotencyKey: 'return-43' }));
    expect(over.message).toMatch(/transactions: Refund amount 400.00 exceeds the refundable amount 304.96/);
  });

  it('a GraphQL THROTTLED answer is waited out like a 429: every call of a burst succeeds', async () => {
    const { shopify, state } = await setup({ costBucket: { maximum: 60, restoreRate: 400 } });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => shopify.productSet({ title: `Burst ${i}`, handle: `burst-${i}`, variants: [{ sku: `B-${i}`, optionValues: [{ optionName: 'Title', name: 'Default Title' }] }] })));
    expect(new Set(results.map((r) => r.productId)).size).toBe(12);
    const first = await state();
    // The client started out believing in a 2000-point bucket, so Shopify throttled it before it learned.
    expect(first.calls.throttled).toBeGreaterThan(0);
    // 12 × 16 points through a 60-point bucket restored at 400/s cannot take less than (192 − 60) / 400 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(shopify.health().rate).toMatchObject({ capacity: 60, refillPerSecond: 400 });

    // Having learned the bucket, the governor paces the next burst itself.
    await Promise.all(Array.from({ length: 12 }, (_, i) => shopify.productSet({ title: `Again ${i}`, handle: `again-${i}`, variants: [{ sku: `A-${i}`, optionValues: [{ optionName: 'Title', name: 'Default Title' }] }] })));
    const second = await state();
    expect(second.counts.products).toBe(24);
    expect(second.calls.throttled - first.calls.throttled).toBeLessThanOrEqual(3);
  });

  it('honours Retry-After of a 429 before trying again', async () => {
    const { shopify, faults, state } = await setup({ retryAfterSeconds: 0.4 });
    await faults({ rateLimitRate: 1 });
    const started = Date.now();
    const call = shopify.shop();
    setTimeout(() => void faults({ rateLimitRate: 0 }), 100);
    expect((await call).name).toBe('Tillbridge Sandbox');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect((await state()).calls.rateLimited).toBe(1);
  });

  it('retries a query after a 5xx, but not a fulfillmentCreate', async () => {
    const { shopify, faults, state, placeOrder } = await setup({}, {}, { baseDelayMs: 150 });
    const order = await placeOrder();
    await faults({ errorRate: 1 });
    const read = shopify.fulfillmentOrders(String(order.id));
    // Once the first attempt has failed, the fault goes away before the retry (backoff from 150 ms).
    while ((await state()).calls.errors === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await faults({ errorRate: 0 });
    expect(await read).toHaveLength(1);
    expect((await state()).calls.errors).toBe(1);

    await faults({ errorRate: 1 });
    const before = (await state()).calls.errors;
    const error = await rejection(shopify.fulfillmentCreate({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: '1' }] }));
    expect(error).toMatchObject({ code: 'outbound_server_error', retryable: true, httpStatus: 500 });
    expect((await state()).calls.errors - before).toBe(1);
  });

  it('opens the circuit after consecutive failures and closes it after a half-open probe succeeds', async () => {
    const breaker = createCircuitBreaker({ failureThreshold: 3, openMs: 250 });
    const { shopify, faults, state } = await setup({}, {}, { breaker, maxAttempts: 1 });
    await faults({ errorRate: 1 });
    for (let i = 0; i < 3; i++) expect(await rejection(shopify.shop())).toMatchObject({ code: 'outbound_server_error' });
    expect(shopify.health().circuit.state).toBe('open');
    const calls = (await state()).calls.graphqlCalls + (await state()).calls.errors;
    expect(await rejection(shopify.shop())).toMatchObject({ code: 'circuit_open', retryable: true });
    expect((await state()).calls.graphqlCalls + (await state()).calls.errors).toBe(calls);

    await faults({ errorRate: 0 });
    await new Promise((resolve) => setTimeout(resolve, 260));
    expect((await shopify.shop()).name).toBe('Tillbridge Sandbox');
    expect(shopify.health().circuit).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });
});
