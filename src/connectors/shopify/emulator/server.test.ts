import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { InboundEvent } from '../../framework/index.js';
import { interpretShopify } from '../interpret.js';
import { verifyShopifyWebhook } from '../webhooks.js';
import type { ShopifyEmulatorOptions } from './server.js';
import { parseExact } from './support.js';
import { startSandboxShop, webhookReceiver, type Received } from './test-support.js';
import { corpusUrl } from '../../../testing/index.js';

const corpus = corpusUrl('shopify/webhooks-2026-04/orders_create.json');

/** The corpus orders/create body without ids and times, so the emulator assigns them. */
function corpusOrder(): Record<string, unknown> {
  const { response } = parseExact(readFileSync(corpus, 'utf8')) as { response: Record<string, unknown> };
  const { id: _id, admin_graphql_api_id: _gid, created_at: _c, updated_at: _u, processed_at: _p, ...order } = response;
  return order;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const receiver = () => webhookReceiver(closers);
const setup = (options: ShopifyEmulatorOptions = {}) => startSandboxShop(closers, options);

const body = (r: Received) => r.raw.toString('utf8');
const topics = (received: Received[]) => received.map((r) => r.headers['x-shopify-topic']);

describe('shopify emulator', () => {
  it('stores a sandbox order and delivers a signed orders/create that verifies with the emulator secret', async () => {
    const { emulator, hook, call } = await setup();
    const created = await call('POST', '/_sandbox/orders', { ...corpusOrder(), id: 9007199254740993n });
    expect(created.status).toBe(201);
    expect(created.text).toContain('"id":9007199254740993');
    await emulator.idle();

    expect(hook.received).toHaveLength(1);
    const [delivery] = hook.received;
    expect(verifyShopifyWebhook(delivery!.raw, delivery!.headers, emulator.credentials.webhookSecret)).toEqual({ ok: true });
    expect(verifyShopifyWebhook(delivery!.raw, delivery!.headers, 'shpss_other').ok).toBe(false);
    expect(delivery!.headers).toMatchObject({
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': emulator.shopDomain,
      'x-shopify-api-version': '2026-04',
      'x-shopify-webhook-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(body(delivery!)).toContain('"id":9007199254740993');
    const [event] = interpretShopify('shop-main', 'orders/create', body(delivery!));
    expect(event).toMatchObject({ kind: 'order', order: { source: 'shop-main', externalId: '9007199254740993', number: '#9999', totals: { total: 40495 } } });
  });

  it('duplicate=true delivers twice with the same X-Shopify-Webhook-Id; webhook=false stores without telling', async () => {
    const { emulator, hook, call } = await setup();
    await call('POST', '/_sandbox/orders?duplicate=true', corpusOrder());
    await emulator.idle();
    expect(hook.received).toHaveLength(2);
    expect(hook.received[0]!.headers['x-shopify-webhook-id']).toBe(hook.received[1]!.headers['x-shopify-webhook-id']);
    expect(body(hook.received[0]!)).toBe(body(hook.received[1]!));

    const missed = JSON.parse((await call('POST', '/_sandbox/orders?webhook=false', corpusOrder())).text) as { order: { id: number } };
    await emulator.idle();
    expect(hook.received).toHaveLength(2);
    expect((await call('GET', `/_sandbox/orders/${missed.order.id}`)).status).toBe(200);
    const state = JSON.parse((await call('GET', '/_sandbox/state')).text) as { counts: Record<string, number>; events: { topic: string; sent: boolean }[] };
    expect(state.counts).toMatchObject({ orders: 2, webhooksEmitted: 2, webhookDeliveries: 2 });
    expect(state.events.map((e) => e.sent)).toEqual([true, false]);
  });

  it('a delayed orders/create arrives after the orders/updated of a later change, whose updated_at is later', async () => {
    const { emulator, hook, call } = await setup();
    const created = JSON.parse((await call('POST', '/_sandbox/orders?delayMs=150', corpusOrder())).text) as { order: { id: number; updated_at: string } };
    const updated = await call('POST', `/_sandbox/orders/${created.order.id}`, { tags: 'vip' });
    expect(updated.status).toBe(200);
    await emulator.idle();
    expect(topics(hook.received)).toEqual(['orders/updated', 'orders/create']);
    const [later, earlier] = hook.received.map((r) => parseExact(body(r)) as { updated_at: string; tags: string });
    expect(Date.parse(later!.updated_at)).toBeGreaterThan(Date.parse(earlier!.updated_at));
    expect([later!.tags, earlier!.tags]).toEqual(['vip', 'tag1, tag2']);
    expect((await call('POST', '/_sandbox/orders/12345', { tags: 'x' })).status).toBe(404);
  });

  it('POST /_sandbox/webhooks moves deliveries to another URL', async () => {
    const { emulator, hook, call } = await setup();
    const other = await receiver();
    expect((await call('POST', '/_sandbox/webhooks', { url: other.url })).status).toBe(200);
    await call('POST', '/_sandbox/orders', corpusOrder());
    await emulator.idle();
    expect(hook.received).toHaveLength(0);
    expect(topics(other.received)).toEqual(['orders/create']);
    expect((await call('POST', '/_sandbox/webhooks', { url: 'ftp://nope' })).status).toBe(400);
  });

  it('sends fulfillments/create, refunds/create and inventory_levels/update that map to valid canonical events', async () => {
    const { emulator, hook, call, client } = await setup();
    const order = (JSON.parse((await call('POST', '/_sandbox/orders?webhook=false', corpusOrder())).text) as { order: { id: number; line_items: { admin_graphql_api_id: string }[] } }).order;
    const [fulfillmentOrder] = await client.fulfillmentOrders(String(order.id));
    await client.fulfillmentCreate({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fulfillmentOrder!.id }], trackingInfo: { company: 'UPS', number: '1Z001' } });
    await client.refundCreate(
      { orderId: String(order.id), refundLineItems: [{ lineItemId: order.line_items[1]!.admin_graphql_api_id, quantity: 1, restockType: 'RETURN' }], transactions: [{ gateway: 'bogus', kind: 'REFUND', amount: '19.99' }] },
      { idempotencyKey: 'rma-1' },
    );
    const { variants } = await client.productSet({ title: 'Cap', handle: 'cap', variants: [{ sku: 'CAP-NAVY', optionValues: [{ optionName: 'Title', name: 'Default Title' }] }] });
    await client.inventorySetQuantities({ name: 'available', reason: 'correction', quantities: [{ inventoryItemId: variants[0]!.inventoryItemId, quantity: 9, changeFromQuantity: 0 }] }, { idempotencyKey: 'stock-1' });
    await emulator.idle();

    expect(topics(hook.received)).toEqual(['fulfillments/create', 'orders/updated', 'refunds/create', 'orders/updated', 'inventory_levels/update']);
    for (const delivery of hook.received) expect(verifyShopifyWebhook(delivery.raw, delivery.headers, emulator.credentials.webhookSecret).ok).toBe(true);
    const events = hook.received.flatMap((r) => interpretShopify('shop-main', String(r.headers['x-shopify-topic']), body(r)));
    for (const event of events) expect(InboundEvent.safeParse(event).success).toBe(true);
    const byKind = Object.fromEntries(events.map((e) => [e.kind, e]));
    expect(byKind['fulfillment']).toMatchObject({
      orderExternalId: String(order.id),
      fulfillment: { status: 'shipped', tracking: [{ carrier: 'UPS', number: '1Z001' }], lines: expect.arrayContaining([{ lineId: expect.any(String), sku: 'SKU2006-001', quantity: 1 }]) },
    });
    expect(byKind['fulfillment']!.kind === 'fulfillment' && byKind['fulfillment']!.fulfillment.lines).toHaveLength(5);
    expect(byKind['refund']).toMatchObject({ orderExternalId: String(order.id), refund: { currency: 'USD', amount: 1999, lines: [{ quantity: 1, amount: 1999 }], restock: true } });
    expect(byKind['inventory-level']).toMatchObject({ itemId: variants[0]!.inventoryItemId.split('/').at(-1), available: 9 });
  });

  it('answers Shopify auth errors, REST call limits, Link pagination and fault shapes', async () => {
    const { call, admin } = await setup();
    const denied = await admin('/orders.json', { token: 'shpat_wrong' });
    expect([denied.status, JSON.parse(denied.text)]).toEqual([401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }]);

    for (let i = 0; i < 5; i++) await call('POST', '/_sandbox/orders?webhook=false', corpusOrder());
    const first = await admin('/orders.json?status=any&limit=2&order=updated_at%20asc');
    expect(first.headers.get('x-shopify-shop-api-call-limit')).toMatch(/^\d+\/40$/);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')![1]!;
    expect(new URL(next).searchParams.get('limit')).toBe('2');
    const second = await admin(new URL(next).pathname.replace('/admin/api/2026-04', '') + new URL(next).search);
    expect(second.headers.get('link')).toMatch(/rel="previous".*rel="next"/);
    const ids = [first, second].flatMap((page) => (JSON.parse(page.text) as { orders: { id: number }[] }).orders.map((o) => o.id));
    expect(new Set(ids).size).toBe(4);
    expect((await admin(`/orders.json?status=any&page_info=${new URL(next).searchParams.get('page_info')}`)).status).toBe(400);
    expect((await admin('/orders.json?page_info=garbage')).status).toBe(400);

    await call('POST', '/_sandbox/faults', { rateLimitRate: 1 });
    const limited = await admin('/shop.json');
    expect([limited.status, limited.headers.get('retry-after'), JSON.parse(limited.text)]).toEqual([
      429,
      '2.0',
      { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
    ]);
    await call('POST', '/_sandbox/faults', { rateLimitRate: 0, errorRate: 1 });
    const failed = await admin('/shop.json');
    expect([failed.status, JSON.parse(failed.text)]).toEqual([500, { errors: 'Internal Server Error' }]);
  });

  it('reports extensions.cost, answers THROTTLED from a real cost bucket and refuses over-costly queries', async () => {
    const { graphql, call } = await setup({ costBucket: { maximum: 30, restoreRate: 1 } });
    const order = (JSON.parse((await call('POST', '/_sandbox/orders?webhook=false', corpusOrder())).text) as { order: { admin_graphql_api_id: string } }).order;
    const shop = await graphql('{ shop { name currencyCode } }');
    expect(shop).toEqual({
      data: { shop: { name: 'Tillbridge Sandbox', currencyCode: 'USD' } },
      extensions: { cost: { requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 30, currentlyAvailable: 29, restoreRate: 1 } } },
    });
    const costly = 'query Lines($id: ID!) { order(id: $id) { fulfillmentOrders(first: 2) { nodes { lineItems(first: 5) { nodes { id lineItem { id } } } } } } }';
    const first = await graphql(costly, { id: order.admin_graphql_api_id });
    // Requested: 1 + (2 + 2 × (1 + (2 + 5 × 2))); actual: one fulfillment order with five lines, 1 + 2 + 1 + 2 + 5 × 2.
    expect(first.extensions!.cost).toMatchObject({ requestedQueryCost: 29, actualQueryCost: 16 });
    const throttled = await graphql(costly, { id: order.admin_graphql_api_id });
    expect(throttled).toEqual({
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
      extensions: { cost: { requestedQueryCost: 29, actualQueryCost: null, throttleStatus: { maximumAvailable: 30, currentlyAvailable: expect.any(Number), restoreRate: 1 } } },
    });
    const tooBig = await graphql('{ locations(first: 40) { nodes { id } } }');
    expect(tooBig.errors![0]!.extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', cost: 42, maxCost: 30 });
    expect((await graphql('{ shopp { name } }')).errors![0]).toMatchObject({ message: "Field 'shopp' doesn't exist on type 'QueryRoot'", extensions: { code: 'undefinedField' } });
    expect((await graphql('{ shop { name }')).errors![0]!.message).toContain('expected "}"');
  });

  it('requires @idempotent for refundCreate and inventorySetQuantities from 2026-04, and compareQuantity before it', async () => {
    const { graphql, client, emulator } = await setup();
    const { variants } = await client.productSet({ title: 'Cap', variants: [{ sku: 'CAP', optionValues: [{ optionName: 'Title', name: 'Default Title' }] }] });
    const item = variants[0]!.inventoryItemId;
    const payload = '{ inventoryAdjustmentGroup { id } userErrors { field message code } }';
    const plain = `mutation Set($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) ${payload} }`;
    const keyed = `mutation Set($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) @idempotent(key: "k-1") ${payload} }`;
    const input = (extra: Record<string, unknown>) => ({ name: 'available', reason: 'correction', quantities: [{ inventoryItemId: item, locationId: emulator.locationId, quantity: 3, ...extra }] });
    type Payload = { inventorySetQuantities: { inventoryAdjustmentGroup: { id: string } | null; userErrors: { field: string[]; message: string; code: string }[] } | null };

    const missing = await graphql(plain, { input: input({ changeFromQuantity: null }) });
    expect(missing).toMatchObject({ data: { inventorySetQuantities: null }, errors: [{ message: expect.stringContaining('@idempotent directive is required'), extensions: { code: 'BAD_REQUEST' } }] });
    const refund = await graphql('mutation R($input: RefundInput!) { refundCreate(input: $input) { refund { id } userErrors { field message } } }', { input: { orderId: 'gid://shopify/Order/1' } });
    expect(refund.errors![0]!.message).toContain('@idempotent directive is required for refundCreate');

    const noCompare = (await graphql(keyed, { input: input({}) })).data as Payload;
    expect(noCompare.inventorySetQuantities!.userErrors).toEqual([
      { field: ['input', 'quantities', '0', 'changeFromQuantity'], message: 'changeFromQuantity must be given for each quantity (null skips the check).', code: 'COMPARE_QUANTITY_REQUIRED' },
    ]);
    const reused = (await graphql(keyed, { input: input({ changeFromQuantity: null }) })).data as Payload;
    expect(reused.inventorySetQuantities!.userErrors[0]!.code).toBe('IDEMPOTENCY_KEY_PARAMETER_MISMATCH');

    // Before 2026-04 the directive is optional and compareQuantity does the check.
    const stale = (await graphql(plain, { input: input({ compareQuantity: 5 }) }, '2026-01')).data as Payload;
    expect(stale.inventorySetQuantities!.userErrors[0]!.code).toBe('COMPARE_QUANTITY_STALE');
    const done = (await graphql(plain, { input: input({ compareQuantity: 0 }) }, '2026-01')).data as Payload;
    expect(done.inventorySetQuantities).toEqual({ inventoryAdjustmentGroup: { id: expect.stringMatching(/^gid:\/\/shopify\/InventoryAdjustmentGroup\/\d+$/) }, userErrors: [] });
    expect(await client.inventoryLevel(item)).toMatchObject({ available: 3, onHand: 3 });
  });
});
