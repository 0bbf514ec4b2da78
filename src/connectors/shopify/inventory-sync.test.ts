import { afterEach, describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../model/index.js';
import { startSandboxShop } from './emulator/test-support.js';
import { searchTerm } from './inventory-sync.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const variant = (sku: string, name: string) => ({ sku, optionValues: [{ optionName: 'Size', name }] });

async function rejection(promise: Promise<unknown>): Promise<TillbridgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TillbridgeError);
  return error as TillbridgeError;
}

async function shopWithTee(settings: Parameters<typeof startSandboxShop>[2] = {}) {
  const shop = await startSandboxShop(closers, {}, settings);
  const product = await shop.client.productSet({ title: 'Tee', handle: 'tee', variants: [variant('TEE-M', 'M'), variant('TEE-L', 'L')] });
  const inventory = async (sku: string) => JSON.parse((await shop.call('GET', `/_sandbox/inventory/${sku}`)).text) as { available: number; updates: number };
  const events = async () => {
    await shop.emulator.idle();
    return shop.hook.received.filter((r) => r.headers['x-shopify-topic'] === 'inventory_levels/update').length;
  };
  return { ...shop, product, inventory, events, item: product.variants[0]!.inventoryItemId };
}

describe('shopify client: inventory propagation (inventoryItemBySku, setAvailable, primaryLocation) and productDelete', () => {
  it('inventoryItemBySku finds the variant with exactly that SKU among the loose matches of the search, or null', async () => {
    const { client } = await startSandboxShop(closers);
    // Shopify's search ignores case: "tee-m" is found first for sku:"TEE-M", and must not be taken for it.
    const lower = await client.productSet({ title: 'Lower', handle: 'lower', variants: [variant('tee-m', 'M')] });
    const upper = await client.productSet({ title: 'Upper', handle: 'upper', variants: [variant('TEE-M', 'M'), variant('TEE "Q" \\ 1', 'Q')] });
    expect(await client.inventoryItemBySku('TEE-M')).toEqual({ inventoryItemId: upper.variants[0]!.inventoryItemId, variantId: upper.variants[0]!.id, productId: upper.productId });
    expect(await client.inventoryItemBySku('tee-m')).toEqual({ inventoryItemId: lower.variants[0]!.inventoryItemId, variantId: lower.variants[0]!.id, productId: lower.productId });
    expect(await client.inventoryItemBySku('TEE "Q" \\ 1')).toMatchObject({ variantId: upper.variants[1]!.id });
    expect(await client.inventoryItemBySku('TEE')).toBeNull();
    expect(await rejection(client.inventoryItemBySku(' '))).toMatchObject({ code: 'invalid_shopify_input' });
  });

  it('searchTerm quotes the value so spaces, quotes and backslashes stay one exact term', () => {
    expect(searchTerm('sku', 'A "B" \\ C')).toBe('sku:"A \\"B\\" \\\\ C"');
  });

  it('setAvailable sets with changeFromQuantity (2026-04); a stale expectation answers the current quantity and writes nothing', async () => {
    const { client, inventory, item, call, events } = await shopWithTee();
    expect(await client.setAvailable({ inventoryItemId: item, quantity: 5, expected: null, idempotencyKey: 'push-1' })).toEqual({ kind: 'set' });
    expect(await client.setAvailable({ inventoryItemId: item, quantity: 3, expected: 5, idempotencyKey: 'push-2' })).toEqual({ kind: 'set' });
    expect(await inventory('TEE-M')).toEqual({ available: 3, updates: 2 });

    // A merchant edits the stock in the admin; the hub still believes 3.
    await call('POST', '/_sandbox/inventory/TEE-M', { available: 7 });
    expect(await client.setAvailable({ inventoryItemId: item, quantity: 1, expected: 3, idempotencyKey: 'push-3' })).toEqual({ kind: 'stale', current: 7 });
    expect(await inventory('TEE-M')).toEqual({ available: 7, updates: 2 });
    expect(await client.setAvailable({ inventoryItemId: item, quantity: 1, expected: 7, idempotencyKey: 'push-3' })).toEqual({ kind: 'set' });
    expect(await inventory('TEE-M')).toEqual({ available: 1, updates: 3 });
    expect(await events()).toBe(4);
  });

  it('a retried setAvailable (same key, same input) is one operation in Shopify', async () => {
    const { client, inventory, item, events } = await shopWithTee();
    const push = { inventoryItemId: item, quantity: 4, expected: 0, idempotencyKey: 'push-1', reason: 'correction', referenceDocumentUri: 'tillbridge://inventory/TEE-M/1' };
    expect(await client.setAvailable(push)).toEqual({ kind: 'set' });
    // Without the @idempotent replay, the retry's compare (0) would be stale against 4.
    expect(await client.setAvailable(push)).toEqual({ kind: 'set' });
    expect(await inventory('TEE-M')).toEqual({ available: 4, updates: 1 });
    expect(await events()).toBe(1);
  });

  it('before 2026-04 it compares with compareQuantity, and ignoreCompareQuantity when nothing is expected', async () => {
    const { client, inventory, item, graphql } = await shopWithTee({ apiVersion: '2026-01' });
    expect(await client.setAvailable({ inventoryItemId: item, quantity: 6, expected: null, idempotencyKey: 'push-1' })).toEqual({ kind: 'set' });
    expect(await client.setAvailable({ inventoryItemId: item, quantity: 2, expected: 5, idempotencyKey: 'push-2' })).toEqual({ kind: 'stale', current: 6 });
    expect(await client.setAvailable({ inventoryItemId: item, quantity: 2, expected: 6, idempotencyKey: 'push-3' })).toEqual({ kind: 'set' });
    expect(await inventory('TEE-M')).toEqual({ available: 2, updates: 2 });
    // The 2026-01 shop refuses an input with neither (so the client did send compareQuantity or ignoreCompareQuantity).
    const bare = await graphql(
      'mutation S($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }',
      { input: { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: item, locationId: (await client.primaryLocation()).id, quantity: 1 }] } },
      '2026-01',
    );
    expect(bare.data).toEqual({ inventorySetQuantities: { userErrors: [{ code: 'COMPARE_QUANTITY_REQUIRED' }] } });
  });

  it('other userErrors throw the permanent error, bad input is refused before sending', async () => {
    const { client, item } = await shopWithTee();
    const unknown = await rejection(client.setAvailable({ inventoryItemId: 'gid://shopify/InventoryItem/1', quantity: 1, expected: null, idempotencyKey: 'k' }));
    expect(unknown).toMatchObject({ code: 'shopify_user_error', httpStatus: 422, retryable: false });
    expect(unknown.message).toContain('input.quantities.0.inventoryItemId: The specified inventory item could not be found. (INVALID_INVENTORY_ITEM)');
    expect(await rejection(client.setAvailable({ inventoryItemId: item, quantity: -1, expected: null, idempotencyKey: 'k' }))).toMatchObject({ code: 'invalid_shopify_input' });
    expect(await rejection(client.setAvailable({ inventoryItemId: item, quantity: 1, expected: null, idempotencyKey: '' }))).toMatchObject({ code: 'invalid_shopify_input' });
    expect(await rejection(client.setAvailable({ inventoryItemId: item, quantity: 1, expected: null, idempotencyKey: 'k', reason: 'because' }))).toMatchObject({ code: 'shopify_user_error' });
  });

  it('without a locationId setting, stock is set at the shop primary location, which shop() also reports', async () => {
    const { client, emulator, inventory, item } = await shopWithTee({ locationId: undefined });
    expect(await client.primaryLocation()).toEqual({ id: emulator.locationId, name: 'Sandbox warehouse' });
    expect((await client.shop()).locationId).toBe(emulator.locationId);
    expect(await client.setAvailable({ inventoryItemId: item, quantity: 9, expected: 0, idempotencyKey: 'push-1' })).toEqual({ kind: 'set' });
    expect(await inventory('TEE-M')).toEqual({ available: 9, updates: 1 });
    const elsewhere = await rejection(client.setAvailable({ inventoryItemId: item, locationId: '12345', quantity: 1, expected: null, idempotencyKey: 'push-2' }));
    expect(elsewhere.message).toContain('INVALID_LOCATION');
  });

  it('productDelete deletes once; deleting again answers deleted: false', async () => {
    const { client, product, call } = await shopWithTee();
    expect(await client.productDelete(product.productId)).toEqual({ productId: product.productId, deleted: true });
    expect(await client.productDelete(product.productId.split('/').at(-1)!)).toEqual({ productId: product.productId, deleted: false });
    expect((await call('GET', '/_sandbox/products/TEE-M')).status).toBe(404);
    expect(await client.inventoryItemBySku('TEE-M')).toBeNull();
    expect(await rejection(client.productDelete('not-an-id'))).toMatchObject({ code: 'invalid_shopify_id' });
  });

  it('setAvailableMany sets many items in calls of 250, and retries a chunk item by item when one compare is stale', async () => {
    const shop = await startSandboxShop(closers);
    const skus = Array.from({ length: 260 }, (_, i) => `BULK-${i}`);
    const made = await shop.client.productSet({ title: 'Bulk', handle: 'bulk', productOptions: [{ name: 'Size', values: skus.map((name) => ({ name })) }], variants: skus.map((sku) => variant(sku, sku)) });
    const items = made.variants.map((v) => v.inventoryItemId);
    const first = await shop.client.setAvailableMany(items.map((inventoryItemId, i) => ({ inventoryItemId, quantity: i + 1, expected: null, idempotencyKey: `bulk-${i}` })));
    expect(first).toEqual(items.map(() => ({ kind: 'set' })));
    const shows = async (sku: string) => JSON.parse((await shop.call('GET', `/_sandbox/inventory/${sku}`)).text) as { available: number; updates: number };
    expect(await shows('BULK-259')).toEqual({ available: 260, updates: 1 });

    await shop.call('POST', '/_sandbox/inventory/BULK-3', { available: 99 });
    const second = await shop.client.setAvailableMany(items.slice(0, 5).map((inventoryItemId, i) => ({ inventoryItemId, quantity: 50, expected: i + 1, idempotencyKey: `bulk-2-${i}` })));
    expect(second).toEqual([{ kind: 'set' }, { kind: 'set' }, { kind: 'set' }, { kind: 'stale', current: 99 }, { kind: 'set' }]);
    expect(await shows('BULK-0')).toEqual({ available: 50, updates: 2 });
    expect(await shows('BULK-3')).toEqual({ available: 99, updates: 1 });
  });
});
