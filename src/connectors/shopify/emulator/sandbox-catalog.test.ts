import { afterEach, describe, expect, it } from 'vitest';
import { InboundEvent } from '../../framework/index.js';
import { interpretShopify } from '../interpret.js';
import { verifyShopifyWebhook } from '../webhooks.js';
import { startSandboxShop } from './test-support.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const tee = {
  title: 'Organic tee',
  handle: 'organic-tee',
  descriptionHtml: '<p>Soft</p>',
  vendor: 'Acme',
  productType: 'Shirts',
  tags: ['organic', 'summer'],
  status: 'DRAFT' as const,
  productOptions: [{ name: 'Size', values: [{ name: 'M' }, { name: 'L' }] }],
  variants: [
    { sku: 'TEE-M', price: '25.00', compareAtPrice: '30.00', optionValues: [{ optionName: 'Size', name: 'M' }] },
    { sku: 'TEE-L', price: '26.00', optionValues: [{ optionName: 'Size', name: 'L' }] },
  ],
};

interface Payload<T> {
  data?: T;
  errors?: unknown[];
}

describe('shopify emulator: catalog sandbox routes, productDelete, productVariants(query:)', () => {
  it('GET /_sandbox/products/{sku} answers the product holding that SKU, 404 for an unknown SKU', async () => {
    const { call, client } = await startSandboxShop(closers);
    const created = await client.productSet(tee);
    const response = await call('GET', '/_sandbox/products/TEE-L');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({
      id: created.productId,
      title: 'Organic tee',
      handle: 'organic-tee',
      status: 'DRAFT',
      descriptionHtml: '<p>Soft</p>',
      vendor: 'Acme',
      productType: 'Shirts',
      tags: ['organic', 'summer'],
      options: [{ name: 'Size', values: ['M', 'L'] }],
      images: [],
      variants: [
        { id: created.variants[0]!.id, title: 'M', sku: 'TEE-M', barcode: null, price: '25.00', compareAtPrice: '30.00', inventoryItemId: created.variants[0]!.inventoryItemId, available: 0 },
        { id: created.variants[1]!.id, title: 'L', sku: 'TEE-L', barcode: null, price: '26.00', compareAtPrice: null, inventoryItemId: created.variants[1]!.inventoryItemId, available: 0 },
      ],
    });
    expect((await call('GET', '/_sandbox/products/TEE-XL')).status).toBe(404);

    // productSet honours status: archiving unpublishes, an unknown status is refused.
    await client.productSet({ handle: 'organic-tee', status: 'ARCHIVED' });
    expect(JSON.parse((await call('GET', '/_sandbox/products/TEE-M')).text)).toMatchObject({ status: 'ARCHIVED', title: 'Organic tee' });
  });

  it('productSet keeps files as the product media (external image URLs), shown as images; a files list replaces them, none leaves them', async () => {
    const { call, client, graphql } = await startSandboxShop(closers);
    const images = async () => (JSON.parse((await call('GET', '/_sandbox/products/TEE-M')).text) as { images: { id: string; url: string; alt: string }[] }).images;
    await client.productSet({ ...tee, files: [{ originalSource: 'https://pim.example.com/tee-front.jpg', alt: 'Front', contentType: 'IMAGE' }, { originalSource: 'https://pim.example.com/tee-back.jpg' }] });
    const first = await images();
    expect(first).toEqual([
      { id: expect.stringMatching(/^gid:\/\/shopify\/MediaImage\/\d+$/), url: 'https://pim.example.com/tee-front.jpg', alt: 'Front' },
      { id: expect.stringMatching(/^gid:\/\/shopify\/MediaImage\/\d+$/), url: 'https://pim.example.com/tee-back.jpg', alt: '' },
    ]);
    // Without files the media stay; a file naming a media id keeps it; the list replaces the rest.
    await client.productSet({ handle: 'organic-tee', title: 'Organic tee v2' });
    expect(await images()).toEqual(first);
    await client.productSet({ handle: 'organic-tee', files: [{ id: first[1]!.id, alt: 'Back' }, { originalSource: 'https://pim.example.com/tee-side.jpg', contentType: 'IMAGE' }] });
    const second = await images();
    expect(second).toEqual([{ id: first[1]!.id, url: 'https://pim.example.com/tee-back.jpg', alt: 'Back' }, { id: expect.any(String), url: 'https://pim.example.com/tee-side.jpg', alt: '' }]);
    expect(second[1]!.id).not.toBe(first[0]!.id);
    const queried = await graphql('query P($h: String!) { productByIdentifier(identifier: { handle: $h }) { mediaCount { count } media(first: 5) { nodes { ... on MediaImage { id alt mediaContentType image { url } } } } } }', { h: 'organic-tee' });
    expect(queried.data).toEqual({ productByIdentifier: { mediaCount: { count: 2 }, media: { nodes: [{ id: first[1]!.id, alt: 'Back', mediaContentType: 'IMAGE', image: { url: 'https://pim.example.com/tee-back.jpg' } }, { id: second[1]!.id, alt: '', mediaContentType: 'IMAGE', image: { url: 'https://pim.example.com/tee-side.jpg' } }] } } });

    // A file that is not an external image URL is refused and nothing changes.
    const mutation = 'mutation P($input: ProductSetInput!, $identifier: ProductSetIdentifiers) { productSet(input: $input, identifier: $identifier, synchronous: true) { product { id } userErrors { field message code } } }';
    const refused = await graphql(mutation, { identifier: { handle: 'organic-tee' }, input: { title: 'Changed', files: [{ originalSource: 'ftp://pim.example.com/x.jpg' }] } });
    expect(refused.data).toEqual({ productSet: { product: null, userErrors: [{ field: ['input', 'files', '0', 'originalSource'], message: 'Original source must be an external http(s) URL.', code: 'INVALID_INPUT' }] } });
    const unknown = await graphql(mutation, { identifier: { handle: 'organic-tee' }, input: { files: [{ id: 'gid://shopify/MediaImage/999999' }] } });
    expect(unknown.data).toMatchObject({ productSet: { product: null, userErrors: [{ code: 'FILE_DOES_NOT_EXIST' }] } });
    expect(await images()).toEqual(second);
    await client.productSet({ handle: 'organic-tee', files: [] });
    expect(await images()).toEqual([]);
  });

  it('productSet refuses a status outside ACTIVE, DRAFT and ARCHIVED', async () => {
    const { graphql } = await startSandboxShop(closers);
    const mutation = 'mutation P($input: ProductSetInput!) { productSet(input: $input, synchronous: true) { product { id status } userErrors { field message code } } }';
    const refused = await graphql(mutation, { input: { title: 'Cap', status: 'PUBLISHED' } });
    expect(refused.data).toEqual({ productSet: { product: null, userErrors: [{ field: ['input', 'status'], message: 'Status must be one of ACTIVE, ARCHIVED, DRAFT.', code: 'INVALID_INPUT' }] } });
    const archived = await graphql(mutation, { input: { title: 'Cap', status: 'ARCHIVED' } });
    expect(archived.data).toMatchObject({ productSet: { product: { status: 'ARCHIVED' }, userErrors: [] } });
  });

  it('counts inventory updates per SKU; a merchant edit is not counted and sends a signed inventory_levels/update', async () => {
    const { emulator, hook, call, client } = await startSandboxShop(closers);
    const { variants } = await client.productSet(tee);
    const item = variants[0]!.inventoryItemId;
    const inventory = async (sku: string) => {
      const response = await call('GET', `/_sandbox/inventory/${sku}`);
      return { status: response.status, body: JSON.parse(response.text) as unknown };
    };
    expect(await inventory('TEE-M')).toEqual({ status: 200, body: { available: 0, updates: 0 } });
    expect((await inventory('NOPE')).status).toBe(404);

    const set = (quantity: number, changeFromQuantity: number | null, key: string) =>
      client.inventorySetQuantities({ name: 'available', reason: 'correction', quantities: [{ inventoryItemId: item, quantity, changeFromQuantity }] }, { idempotencyKey: key });
    await set(5, 0, 'stock-1');
    await set(5, 0, 'stock-1'); // replayed by the @idempotent key: not received again
    await expect(set(8, 0, 'stock-2')).rejects.toMatchObject({ code: 'inventory_compare_mismatch' }); // refused: changes and counts nothing
    await set(5, 5, 'stock-3'); // accepted with no change: still an update the shop received
    expect(await inventory('TEE-M')).toEqual({ status: 200, body: { available: 5, updates: 2 } });
    expect(await inventory('TEE-L')).toEqual({ status: 200, body: { available: 0, updates: 0 } });

    const edited = await call('POST', '/_sandbox/inventory/TEE-M', { available: 2 });
    expect([edited.status, JSON.parse(edited.text)]).toEqual([200, { available: 2, updates: 2 }]);
    expect(await inventory('TEE-M')).toEqual({ status: 200, body: { available: 2, updates: 2 } });
    expect(await client.inventoryLevel(item)).toMatchObject({ available: 2, onHand: 2 });

    expect((await call('POST', '/_sandbox/inventory/NOPE', { available: 1 })).status).toBe(404);
    expect((await call('POST', '/_sandbox/inventory/TEE-M', { available: 1.5 })).status).toBe(422);
    expect((await call('POST', '/_sandbox/inventory/TEE-M', { quantity: 1 })).status).toBe(422);

    await emulator.idle();
    const levels = hook.received.filter((r) => r.headers['x-shopify-topic'] === 'inventory_levels/update');
    expect(levels).toHaveLength(2);
    const manual = levels[1]!;
    expect(verifyShopifyWebhook(manual.raw, manual.headers, emulator.credentials.webhookSecret)).toEqual({ ok: true });
    const events = interpretShopify('shop-main', 'inventory_levels/update', manual.raw.toString('utf8'));
    expect(events).toEqual([
      { kind: 'inventory-level', itemId: item.split('/').at(-1), locationId: emulator.locationId.split('/').at(-1), available: 2, occurredAt: expect.any(String) },
    ]);
    expect(InboundEvent.safeParse(events[0]).success).toBe(true);
    // The same shape as the one the mutation sent.
    expect(Object.keys(JSON.parse(manual.raw.toString('utf8')) as object).sort()).toEqual(Object.keys(JSON.parse(levels[0]!.raw.toString('utf8')) as object).sort());
  });

  it('a merchant edit honours webhook=false like the order controls', async () => {
    const { emulator, hook, call, client } = await startSandboxShop(closers);
    await client.productSet(tee);
    expect((await call('POST', '/_sandbox/inventory/TEE-L?webhook=false', { available: 4 })).status).toBe(200);
    await emulator.idle();
    expect(hook.received).toHaveLength(0);
    expect(JSON.parse((await call('GET', '/_sandbox/inventory/TEE-L')).text)).toEqual({ available: 4, updates: 0 });
  });

  it('productDelete removes the product, its variants and inventory items; an unknown id is a userError', async () => {
    const { call, client, graphql } = await startSandboxShop(closers);
    const created = await client.productSet(tee);
    const mutation = 'mutation D($input: ProductDeleteInput!) { productDelete(input: $input) { deletedProductId userErrors { field message } } }';
    const deleted = await graphql(mutation, { input: { id: created.productId } });
    expect(deleted.data).toEqual({ productDelete: { deletedProductId: created.productId, userErrors: [] } });
    const state = JSON.parse((await call('GET', '/_sandbox/state')).text) as { counts: Record<string, number> };
    expect(state.counts).toMatchObject({ products: 0, variants: 0, inventoryItems: 0 });
    expect((await call('GET', '/_sandbox/products/TEE-M')).status).toBe(404);
    expect((await call('GET', '/_sandbox/inventory/TEE-M')).status).toBe(404);
    const item = (await graphql('query I($id: ID!) { inventoryItem(id: $id) { id } }', { id: created.variants[0]!.inventoryItemId })) as Payload<unknown>;
    expect(item.data).toEqual({ inventoryItem: null });

    const again = await graphql(mutation, { input: { id: created.productId } });
    expect(again.data).toEqual({ productDelete: { deletedProductId: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] } });
  });

  it('productVariants(query:) filters by sku (case-insensitive, prefix with *), negation and OR, and pages', async () => {
    const { client, graphql } = await startSandboxShop(closers);
    const tees = await client.productSet(tee);
    await client.productSet({ title: 'Cap', handle: 'cap', variants: [{ sku: 'CAP "NAVY"', barcode: '0123', optionValues: [{ optionName: 'Title', name: 'Default Title' }] }] });
    const skus = async (query: string, first = 10) => {
      const result = (await graphql('query V($q: String, $first: Int!) { productVariants(first: $first, query: $q) { nodes { sku product { id } inventoryItem { id } } pageInfo { hasNextPage } } }', {
        q: query,
        first,
      })) as Payload<{ productVariants: { nodes: { sku: string; product: { id: string }; inventoryItem: { id: string } }[]; pageInfo: { hasNextPage: boolean } } }>;
      return result.data!.productVariants;
    };
    expect((await skus('sku:TEE-M')).nodes).toEqual([{ sku: 'TEE-M', product: { id: tees.productId }, inventoryItem: { id: tees.variants[0]!.inventoryItemId } }]);
    expect((await skus('sku:tee-l')).nodes.map((n) => n.sku)).toEqual(['TEE-L']);
    expect((await skus('sku:TEE*')).nodes.map((n) => n.sku)).toEqual(['TEE-M', 'TEE-L']);
    expect((await skus('sku:"CAP \\"NAVY\\""')).nodes.map((n) => n.sku)).toEqual(['CAP "NAVY"']);
    expect((await skus('sku:TEE* -sku:TEE-M')).nodes.map((n) => n.sku)).toEqual(['TEE-L']);
    expect((await skus('sku:TEE-M OR barcode:0123')).nodes.map((n) => n.sku)).toEqual(['TEE-M', 'CAP "NAVY"']);
    expect((await skus('sku:NOPE')).nodes).toEqual([]);
    const page = await skus('', 2);
    expect([page.nodes.length, page.pageInfo.hasNextPage]).toEqual([2, true]);
  });
});
