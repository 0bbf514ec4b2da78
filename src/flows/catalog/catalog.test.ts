import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../connectors/framework/index.js';
import { createDispatcher, inOutboxTransaction, type Dispatcher } from '../../messaging/index.js';
import { newId, permanentError, systemClock, transientError } from '../../model/index.js';
import { listProductSources, publishedInventoryItem, skuOfPublishedItem, testStores, type Store } from '../../store/index.js';
import { waitFor } from '../../testing/index.js';
import { createCatalog, type Catalog } from './catalog.js';
import { CatalogConfig, type CatalogConfigInput } from './config.js';
import { publishOrderingKey } from './master.js';
import { catalogPublish } from './messages.js';
import type { ChannelListing } from './listing.js';
import type { CatalogPort, ChannelIds } from './ports.js';

const stores = await testStores();

/** A channel that records what it was asked and can be made to fail. */
function fakeChannel(connectionId: string) {
  const calls: { op: 'publish' | 'unpublish' | 'delete'; sku: string; listing?: ChannelListing; reason?: string }[] = [];
  const state = { failure: null as Error | null };
  const knowns: (ChannelIds | null)[] = [];
  let next = 100;
  const port: CatalogPort = {
    connectionId,
    async publish({ sku, listing, known }) {
      if (state.failure) throw state.failure;
      calls.push({ op: 'publish', sku, listing });
      knowns.push(known);
      // The port keeps its own mark of what it sent, as the Shopify port does for images.
      if (known) return { ...known, imagesKey: `sent-${knowns.length}` };
      const ids: ChannelIds = { productId: `gid://shop/Product/${++next}`, variantId: `gid://shop/Variant/${++next}`, inventoryItemId: `gid://shop/InventoryItem/${++next}` };
      return ids;
    },
    async unpublish({ sku, reason }) {
      if (state.failure) throw state.failure;
      calls.push({ op: 'unpublish', sku, reason });
    },
    async delete({ sku }) {
      if (state.failure) throw state.failure;
      calls.push({ op: 'delete', sku });
    },
  };
  return { port, calls, state, knowns, publishes: () => calls.filter((c) => c.op === 'publish') };
}

const config: CatalogConfigInput = {
  sources: [{ id: 'erp', connection: 'erp-main', priceLists: { 'Standard Selling': '*', 'Shop Prices': 'shop-main' } }, { id: 'pim' }],
  merge: { title: ['erp', 'api'], description: ['pim', 'erp', 'api'], attributes: ['pim', 'erp', 'api'], images: ['pim', 'erp', 'api'], prices: ['erp', 'api'] },
  channels: [{ connection: 'shop-main', currency: 'USD', mapping: '{ "title": title, "vendor": $string(attributes.brand), "price": price, "images": images }' }],
};

describe.each(stores)('catalog on $name', (factory) => {
  let store: Store | undefined;
  let dispatcher: Dispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.stop(1000);
    await store?.close();
    dispatcher = undefined;
    store = undefined;
  });

  async function start(overrides: Partial<CatalogConfigInput> = {}) {
    store = await factory.open();
    const shop = fakeChannel('shop-main');
    const catalog = createCatalog({ store, clock: systemClock, newId, config: CatalogConfig.parse({ ...config, ...overrides }), port: (id) => (id === 'shop-main' ? shop.port : undefined) });
    dispatcher = createDispatcher({ store, handlers: catalog.handlers, clock: systemClock, newId, pollMs: 10 });
    dispatcher.start();
    return { store, shop, catalog };
  }

  const publication = async (catalog: Catalog, sku: string) => (await catalog.view(sku))?.publications.find((p) => p.connectionId === 'shop-main');
  const settled = async (catalog: Catalog, sku: string, status: string, version?: number) =>
    (await waitFor(async () => {
      const p = await publication(catalog, sku);
      return p?.status === status && (version === undefined || p.publishedVersion === version) ? p : undefined;
    }, { timeoutMs: 15_000, what: `${sku} ${status} in shop-main` }))!;
  const pendingMessages = async (s: Store) => Number((await s.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).where('type', '=', 'catalog.publish').where('status', 'in', ['pending', 'leased']).executeTakeFirstOrThrow()).n);

  it.skipIf(factory.skipReason !== null)('keeps a draft off the channels, publishes on approval, and sends only real changes', async () => {
    const { store, shop, catalog } = await start();
    const created = await catalog.put('TEE-RED-M', { title: 'Tee red M', prices: [{ currency: 'USD', amount: 2500 }] }, { actor: 'test' });
    expect(created).toMatchObject({ created: true, product: { status: 'draft', version: 1, publications: [] } });
    await expect(catalog.put('TEE-RED-M', { title: 'Tee red M', status: 'approved' }, { actor: 'test' })).rejects.toMatchObject({ code: 'approval_required', httpStatus: 409 });
    expect(await pendingMessages(store)).toBe(0);

    const approved = await catalog.approve('TEE-RED-M', 'alice');
    expect(approved).toMatchObject({ status: 'approved', version: 2, approvedBy: 'alice', publications: [{ connectionId: 'shop-main', status: 'pending' }] });
    const published = await settled(catalog, 'TEE-RED-M', 'published');
    expect(shop.publishes()).toEqual([{ op: 'publish', sku: 'TEE-RED-M', listing: { title: 'Tee red M', price: { amount: 2500, currency: 'USD' }, images: [] } }]);
    expect(published).toMatchObject({ externalId: 'gid://shop/Product/101', externalIds: { variantId: 'gid://shop/Variant/102', inventoryItemId: 'gid://shop/InventoryItem/103' }, error: null });
    expect(published.publishedAt).not.toBeNull();
    expect(await publishedInventoryItem(store.db, 'shop-main', 'TEE-RED-M')).toBe('gid://shop/InventoryItem/103');
    expect(await skuOfPublishedItem(store.db, 'shop-main', 'gid://shop/InventoryItem/103')).toBe('TEE-RED-M');
    expect(await skuOfPublishedItem(store.db, 'shop-main', 'gid://shop/InventoryItem/999')).toBeUndefined();

    // The same content again is no change at all: no version, no message.
    const same = await catalog.put('TEE-RED-M', { title: 'Tee red M', prices: [{ currency: 'USD', amount: 2500 }] }, { actor: 'test' });
    expect(same).toMatchObject({ created: false, product: { version: 2 } });
    expect(await pendingMessages(store)).toBe(0);

    // A change the channel's mapping does not show (the description) is a new version, but nothing goes out.
    await catalog.put('TEE-RED-M', { title: 'Tee red M', description: 'Cotton', prices: [{ currency: 'USD', amount: 2500 }] }, { actor: 'test' });
    await settled(catalog, 'TEE-RED-M', 'published', 3);
    expect(shop.publishes()).toHaveLength(1);

    // A price change goes out once.
    await catalog.put('TEE-RED-M', { title: 'Tee red M', description: 'Cotton', prices: [{ currency: 'USD', amount: 2700 }] }, { actor: 'test' });
    await settled(catalog, 'TEE-RED-M', 'published', 4);
    expect(shop.publishes().map((c) => c.listing?.price.amount)).toEqual([2500, 2700]);
  });

  it.skipIf(factory.skipReason !== null)('catches up after a channel outage with the latest state only, and shows a permanent failure', async () => {
    const { shop, catalog } = await start();
    await catalog.put('CAP-NAVY', { title: 'Cap navy', prices: [{ currency: 'USD', amount: 1800 }] }, { actor: 'test' });
    await catalog.approve('CAP-NAVY', 'alice');
    await settled(catalog, 'CAP-NAVY', 'published');

    shop.state.failure = transientError('outbound_unavailable', 'shop-main is down (503)');
    await catalog.put('CAP-NAVY', { title: 'Cap navy', prices: [{ currency: 'USD', amount: 1900 }] }, { actor: 'test' });
    await waitFor(async () => (await publication(catalog, 'CAP-NAVY'))?.error?.includes('shop-main is down'), { what: 'the outage on the publication' });
    expect(await publication(catalog, 'CAP-NAVY')).toMatchObject({ status: 'pending' });
    await catalog.put('CAP-NAVY', { title: 'Cap navy', prices: [{ currency: 'USD', amount: 2000 }] }, { actor: 'test' });
    shop.state.failure = null;
    await settled(catalog, 'CAP-NAVY', 'published', 4);
    expect(shop.publishes().map((c) => c.listing?.price.amount)).toEqual([1800, 2000]);
    expect((await publication(catalog, 'CAP-NAVY'))?.error).toBeNull();

    shop.state.failure = permanentError('shopify_user_error', 'shop-main: Shopify refused productSet: title is too long');
    await catalog.put('CAP-NAVY', { title: 'Cap navy!', prices: [{ currency: 'USD', amount: 2000 }] }, { actor: 'test' });
    const failed = await settled(catalog, 'CAP-NAVY', 'failed');
    expect(failed.error).toBe('shopify_user_error: shop-main: Shopify refused productSet: title is too long');
    const dead = await store!.db.selectFrom('messages').select(['type', 'dead_reason']).where('status', '=', 'dead').execute();
    expect(dead).toEqual([{ type: 'catalog.publish', dead_reason: expect.stringContaining('title is too long') }]);
  });

  it.skipIf(factory.skipReason !== null)('archives (unpublish), re-approves (publish again) and deletes in the channel', async () => {
    const { shop, catalog } = await start();
    await catalog.put('SOCKS-3PK', { title: 'Socks', prices: [{ currency: 'USD', amount: 1200 }] }, { actor: 'test' });
    await catalog.approve('SOCKS-3PK', 'alice');
    await settled(catalog, 'SOCKS-3PK', 'published');
    await catalog.put('SOCKS-3PK', { title: 'Socks', prices: [{ currency: 'USD', amount: 1200 }], status: 'archived' }, { actor: 'test' });
    await settled(catalog, 'SOCKS-3PK', 'unpublished');
    await catalog.approve('SOCKS-3PK', 'bob');
    await settled(catalog, 'SOCKS-3PK', 'published', 4);
    const removed = await catalog.remove('SOCKS-3PK', 'bob');
    expect(removed.status).toBe('deleted');
    const deleted = await settled(catalog, 'SOCKS-3PK', 'deleted');
    expect(deleted.externalId).toBeNull();
    expect(shop.calls.map((c) => `${c.op}${c.reason ? `:${c.reason}` : ''}`)).toEqual(['publish', 'unpublish:archived', 'publish', 'delete']);
    expect((await catalog.remove('SOCKS-3PK', 'bob')).status).toBe('deleted');
    await expect(catalog.remove('NEVER-SEEN', 'bob')).rejects.toMatchObject({ httpStatus: 404 });
    // A draft that never went out is deleted without a channel call.
    await catalog.put('DRAFT-ONLY', { title: 'Draft' }, { actor: 'test' });
    expect((await catalog.remove('DRAFT-ONLY', 'bob')).publications).toEqual([]);
  });

  it.skipIf(factory.skipReason !== null)('builds the master from ERP Items and Item Prices, enriched by the PIM by rule', async () => {
    const { store, shop, catalog } = await start({ requireApproval: false });
    const erp = { id: 'erp-main' } as Connection;
    const apply = (event: Parameters<Catalog['sink']['apply']>[1], connection = erp) =>
      inOutboxTransaction(store, { origin: { source: 'test', correlationId: 'cor_1' }, now: Date.now(), newId }, (tx) => catalog.sink.apply(tx, event, { connection, inboxId: 'inb_1', correlationId: 'cor_1' }));
    const item = (extra: Record<string, unknown> = {}) => ({
      kind: 'product' as const,
      product: { productId: 'BEANIE-GRN', title: 'Beanie green', description: 'Wool beanie', status: 'active' as const, attributes: { brand: 'Acme', itemGroup: 'Hats' }, images: [], variants: [{ sku: 'BEANIE-GRN', options: { Colour: 'Green' } }], ...extra },
    });
    const price = (amount: number, priceList: string, deleted?: boolean) => ({ kind: 'price' as const, price: { sku: 'BEANIE-GRN', channel: 'default', currency: 'USD', amount }, priceList, ...(deleted ? { deleted } : {}) });

    await apply(price(1999, 'Standard Selling'));
    expect(await catalog.view('BEANIE-GRN')).toMatchObject({ status: 'draft', title: '', prices: [{ currency: 'USD', amount: 1999 }] });
    await apply(item());
    // Without approval a product with a title goes live at once.
    expect(await catalog.view('BEANIE-GRN')).toMatchObject({ status: 'approved', title: 'Beanie green', description: 'Wool beanie', attributes: { brand: 'Acme', itemGroup: 'Hats', Colour: 'Green' } });
    await settled(catalog, 'BEANIE-GRN', 'published');
    await apply(price(1799, 'Shop Prices'));
    await apply(price(500, 'Buying Prices'));
    await apply({ ...price(1999, 'Standard Selling'), price: { sku: 'BEANIE-GRN', channel: 'default', currency: 'EUR', amount: 1899 } });
    expect((await catalog.view('BEANIE-GRN'))?.prices).toEqual([{ currency: 'EUR', amount: 1899 }, { currency: 'USD', amount: 1999 }, { currency: 'USD', amount: 1799, channel: 'shop-main' }]);

    const pim = await catalog.put('BEANIE-GRN', { title: 'PIM title (not a title source)', description: '<p>Merino wool beanie</p>', attributes: { brand: 'Acme Knitwear', material: 'merino' }, images: [{ url: 'https://pim.example.com/beanie.jpg' }] }, { source: 'pim', actor: 'pim-sync' });
    expect(pim.product).toMatchObject({ title: 'Beanie green', description: '<p>Merino wool beanie</p>', attributes: { brand: 'Acme Knitwear', material: 'merino', itemGroup: 'Hats' }, images: [{ url: 'https://pim.example.com/beanie.jpg' }] });
    expect(pim.product.sources.map((s) => s.source)).toEqual(['erp', 'pim']);
    await waitFor(() => shop.publishes().at(-1)?.listing?.vendor === 'Acme Knitwear', { what: 'the enriched listing' });
    expect(shop.publishes().at(-1)?.listing).toEqual({ title: 'Beanie green', vendor: 'Acme Knitwear', price: { amount: 1799, currency: 'USD' }, images: [{ url: 'https://pim.example.com/beanie.jpg' }] });
    await expect(catalog.put('BEANIE-GRN', { title: 'x' }, { source: 'erp', actor: 'test' })).rejects.toMatchObject({ code: 'unknown_source', httpStatus: 422 });

    // The ERP disabling the item archives it (and takes it off sale); enabling it again brings it back.
    await apply(item({ status: 'archived' }));
    expect((await catalog.view('BEANIE-GRN'))?.status).toBe('archived');
    await settled(catalog, 'BEANIE-GRN', 'unpublished');
    await apply(item());
    expect((await catalog.view('BEANIE-GRN'))?.status).toBe('approved');
    await apply(price(1799, 'Shop Prices', true));
    expect((await catalog.view('BEANIE-GRN'))?.prices.map((p) => p.amount)).toEqual([1899, 1999]);
    // Events of connections that feed no source are not the catalog's business.
    await apply(item({ title: 'Other' }), { id: 'shop-main' } as Connection);
    expect((await catalog.view('BEANIE-GRN'))?.title).toBe('Beanie green');
  });
  it.skipIf(factory.skipReason !== null)('does not let an older ERP Item (by modified) overwrite a newer one; the same Item again is a duplicate; a deletion at that version applies', async () => {
    const { store, catalog } = await start();
    const erp = { id: 'erp-main' } as Connection;
    const apply = (event: Parameters<Catalog['sink']['apply']>[1]) =>
      inOutboxTransaction(store, { origin: { source: 'test', correlationId: 'cor_1' }, now: Date.now(), newId }, (tx) => catalog.sink.apply(tx, event, { connection: erp, inboxId: 'inb_1', correlationId: 'cor_1' }));
    const item = (title: string, modified: string, extra: { deleted?: boolean } = {}) => ({
      kind: 'product' as const,
      product: { productId: 'MUG-BLUE', title, status: 'active' as const, attributes: { brand: 'Acme' }, images: [], variants: [{ sku: 'MUG-BLUE', options: {} }] },
      sourceVersion: modified,
      ...extra,
    });
    // Delivered newest first: the rename at 10:05, then the Item as it was at 10:00.
    await apply(item('Mug blue (large)', '2026-11-26 10:05:00.000000'));
    await apply({ kind: 'price', price: { sku: 'MUG-BLUE', channel: 'default', currency: 'USD', amount: 900 }, priceList: 'Standard Selling' });
    const newest = await catalog.view('MUG-BLUE');
    expect(newest).toMatchObject({ title: 'Mug blue (large)', version: 2, prices: [{ currency: 'USD', amount: 900 }] });
    await apply(item('Mug blue', '2026-11-26 10:00:00.000000'));
    expect(await catalog.view('MUG-BLUE')).toMatchObject({ title: 'Mug blue (large)', version: 2, contentHash: newest!.contentHash });
    const kept = JSON.parse((await listProductSources(store.db, 'MUG-BLUE'))[0]!.fields) as Record<string, unknown>;
    expect(kept).toMatchObject({ title: 'Mug blue (large)', sourceVersion: '2026-11-26 10:05:00.000000', prices: [{ currency: 'USD', amount: 900 }] });
    // The same version again (a duplicate, even with other content) changes nothing.
    await apply(item('Mug blue (duplicate)', '2026-11-26 10:05:00.000000'));
    expect(await catalog.view('MUG-BLUE')).toMatchObject({ title: 'Mug blue (large)', version: 2 });
    // A newer one applies.
    await apply(item('Mug blue XL', '2026-11-26 10:06:00.000000'));
    expect(await catalog.view('MUG-BLUE')).toMatchObject({ title: 'Mug blue XL', version: 3 });
    // on_trash carries the version of the last update: it still archives; a late older update does not bring the item back.
    await apply(item('Mug blue XL', '2026-11-26 10:06:00.000000', { deleted: true }));
    expect(await catalog.view('MUG-BLUE')).toMatchObject({ status: 'archived', version: 4 });
    await apply(item('Mug blue XL', '2026-11-26 10:05:30.000000'));
    expect(await catalog.view('MUG-BLUE')).toMatchObject({ status: 'archived', version: 4 });
    // An Item without a version (another kind of source) is applied as before.
    await apply({ ...item('Mug', '2026-11-26 10:07:00.000000'), sourceVersion: undefined });
    expect(await catalog.view('MUG-BLUE')).toMatchObject({ title: 'Mug', status: 'draft' });
  });

  it.skipIf(factory.skipReason !== null)('lists masters in SKU order by page, optionally of one status', async () => {
    const { catalog } = await start();
    for (const sku of ['C-3', 'A-1', 'B-2', 'D-4']) await catalog.put(sku, { title: sku, prices: [{ currency: 'USD', amount: 100 }] }, { actor: 'test' });
    await catalog.approve('B-2', 'alice');
    await catalog.approve('D-4', 'alice');
    const first = await catalog.list({ limit: 3 });
    expect(first.data.map((p) => p.sku)).toEqual(['A-1', 'B-2', 'C-3']);
    expect(first.next).toBe('C-3');
    expect(first.data[1]).toMatchObject({ status: 'approved', sources: [{ source: 'api' }], publications: [{ connectionId: 'shop-main' }] });
    const second = await catalog.list({ limit: 3, afterSku: first.next! });
    expect(second).toMatchObject({ data: [{ sku: 'D-4' }], next: null });
    expect((await catalog.list({ limit: 1, status: 'approved' })).data.map((p) => p.sku)).toEqual(['B-2']);
    expect((await catalog.list({ limit: 1, status: 'approved', afterSku: 'B-2' }))).toMatchObject({ data: [{ sku: 'D-4' }], next: null });
    expect(await catalog.list({ limit: 5, status: 'archived' })).toEqual({ data: [], next: null });
  });

  it.skipIf(factory.skipReason !== null)('hands the port its own marks back on a publish, but not on a forced one (a backfill re-sends everything); the API does not show them', async () => {
    const { store, shop, catalog } = await start();
    await catalog.put('HAT-RED', { title: 'Hat', prices: [{ currency: 'USD', amount: 1500 }] }, { actor: 'test' });
    await catalog.approve('HAT-RED', 'alice');
    await settled(catalog, 'HAT-RED', 'published');
    await catalog.put('HAT-RED', { title: 'Hat', prices: [{ currency: 'USD', amount: 1600 }] }, { actor: 'test' });
    await settled(catalog, 'HAT-RED', 'published', 3);
    expect(shop.knowns.at(-1)).toMatchObject({ productId: 'gid://shop/Product/101' });
    expect(shop.knowns.at(-1)).not.toHaveProperty('imagesKey');
    await catalog.put('HAT-RED', { title: 'Hat', prices: [{ currency: 'USD', amount: 1700 }] }, { actor: 'test' });
    await settled(catalog, 'HAT-RED', 'published', 4);
    expect(shop.knowns.at(-1)).toMatchObject({ productId: 'gid://shop/Product/101', imagesKey: 'sent-2' });
    expect((await publication(catalog, 'HAT-RED'))?.externalIds).not.toHaveProperty('imagesKey');
    await inOutboxTransaction(store, { origin: { source: 'test', correlationId: 'cor_2' }, now: Date.now(), newId }, async (tx) => {
      tx.emit(catalogPublish, { sku: 'HAT-RED', connectionId: 'shop-main', version: 4, force: true }, { subject: 'HAT-RED', orderingKey: publishOrderingKey('shop-main', 'HAT-RED') });
    });
    await waitFor(() => shop.knowns.length === 4, { what: 'the forced publish' });
    expect(shop.knowns.at(-1)).toMatchObject({ productId: 'gid://shop/Product/101' });
    expect(shop.knowns.at(-1)).not.toHaveProperty('imagesKey');
  });
});
