import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, inOutboxTransaction, type Dispatcher } from '../../messaging/index.js';
import { newId, systemClock, transientError } from '../../model/index.js';
import { testStores, type Store } from '../../store/index.js';
import { waitFor } from '../../testing/index.js';
import { CatalogConfig, createCatalog, type Catalog, type CatalogPort } from '../catalog/index.js';
import { catalogChecks, channelCatalogCheck, compareListing, republishProductCorrection, type ChannelCatalogSide, type ChannelProductRecord } from './catalog-check.js';
import type { Drift } from './drift.js';

const stores = await testStores();
const window = { from: 0, to: Date.now() };

describe('compareListing', () => {
  const expected = { sku: 'TEE', title: 'Tee', status: 'active' as const, price: { amount: 2500, currency: 'USD' } };
  const shown = (changes: Partial<ChannelProductRecord> = {}): ChannelProductRecord => ({ sku: 'TEE', productId: 'p1', title: 'Tee', status: 'active', price: { amount: 2500, currency: 'USD' }, ...changes });

  it('agrees when title, price and status are the listing’s', () => {
    expect(compareListing(expected, shown(), 'shop')).toBeUndefined();
  });

  it('answers only the fields that differ, a price or status as critical and a title as a warning', () => {
    expect(compareListing(expected, shown({ price: { amount: 2400, currency: 'USD' } }), 'shop')).toEqual({
      kind: 'product_mismatch',
      entity: 'product:TEE@shop',
      systems: ['hub', 'shop'],
      expected: { price: { amount: 2500, currency: 'USD' } },
      actual: { price: { amount: 2400, currency: 'USD' } },
      severity: 'critical',
      correction: 'republish-product',
      detail: { connectionId: 'shop', sku: 'TEE', productId: 'p1' },
    });
    expect(compareListing(expected, shown({ title: 'Tea' }), 'shop')).toMatchObject({ expected: { title: 'Tee' }, actual: { title: 'Tea' }, severity: 'warning' });
    expect(compareListing(expected, shown({ status: 'archived', price: { amount: 2500, currency: 'EUR' } }), 'shop')).toMatchObject({ expected: { status: 'active', price: { amount: 2500, currency: 'USD' } }, actual: { status: 'archived', price: { amount: 2500, currency: 'EUR' } }, severity: 'critical' });
  });

  it('answers a listing the channel does not have', () => {
    expect(compareListing(expected, undefined, 'shop')).toMatchObject({ kind: 'product_missing_in_channel', entity: 'product:TEE@shop', expected: { title: 'Tee', price: { amount: 2500, currency: 'USD' }, status: 'active' }, actual: null, correction: 'republish-product' });
  });
});

/** A channel that keeps the listings it was sent, as a shop would show them, and can be made to fail. */
function shop(connectionId: string) {
  const listings = new Map<string, ChannelProductRecord>();
  const state = { failure: null as Error | null, reads: 0 };
  let next = 0;
  const port: CatalogPort = {
    connectionId,
    async publish({ sku, listing, known }) {
      if (state.failure) throw state.failure;
      const productId = known?.productId ?? `p${++next}`;
      listings.set(sku, { sku, productId, title: listing.title, status: 'active', price: listing.price });
      return { productId };
    },
    async unpublish({ sku, reason }) {
      const current = listings.get(sku);
      if (current) listings.set(sku, { ...current, status: reason });
    },
    async delete({ sku }) {
      listings.delete(sku);
    },
  };
  const side: ChannelCatalogSide = {
    connectionId,
    async products(skus) {
      state.reads += 1;
      return skus.flatMap((s) => (listings.has(s) ? [listings.get(s)!] : []));
    },
  };
  return { port, side, listings, state };
}

describe.each(stores)('catalog reconciliation on $name', (factory) => {
  let store: Store | undefined;
  let dispatcher: Dispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.stop(1000);
    await store?.close();
    dispatcher = undefined;
    store = undefined;
  });

  const config = CatalogConfig.parse({ channels: [{ connection: 'shop-main', currency: 'USD', mapping: '{ "title": $uppercase(title), "price": price }' }] });
  async function start() {
    store = await factory.open();
    const channel = shop('shop-main');
    const catalog = createCatalog({ store, clock: systemClock, newId, config, port: (id) => (id === 'shop-main' ? channel.port : undefined) });
    dispatcher = createDispatcher({ store, handlers: catalog.handlers, clock: systemClock, newId, pollMs: 10 });
    dispatcher.start();
    return { store, channel, catalog };
  }
  const status = async (catalog: Catalog, sku: string) => (await catalog.view(sku))?.publications.find((p) => p.connectionId === 'shop-main')?.status;
  const live = async (catalog: Catalog, sku: string, title: string, amount: number) => {
    await catalog.put(sku, { title, prices: [{ currency: 'USD', amount }] }, { actor: 'test' });
    await catalog.approve(sku, 'test');
    await waitFor(async () => (await status(catalog, sku)) === 'published', { timeoutMs: 10_000, what: `${sku} published` });
  };

  it.skipIf(factory.skipReason !== null)('finds listings a channel shows otherwise than the mapped master, page by page, skips drafts and publishes on their way, and republishes on request', async () => {
    const { store, channel, catalog } = await start();
    for (const [i, sku] of ['A-1', 'A-2', 'A-3', 'A-4', 'A-5'].entries()) await live(catalog, sku, `Item ${i + 1}`, 1000 + i);
    await catalog.put('DRAFT-1', { title: 'Draft', prices: [{ currency: 'USD', amount: 1 }] }, { actor: 'test' });
    const check = channelCatalogCheck({ store, channel: config.channels[0]!, side: channel.side, pageSize: 2 });
    expect(check).toMatchObject({ name: 'catalog:shop-main', scope: 'catalog' });
    expect(await check.run(window, AbortSignal.timeout(5000))).toEqual([]);
    expect(channel.state.reads).toBe(3);

    // Edits by hand in the channel, a listing deleted there, and a price change the channel has not taken yet.
    channel.listings.set('A-1', { ...channel.listings.get('A-1')!, price: { amount: 999, currency: 'USD' } });
    channel.listings.set('A-2', { ...channel.listings.get('A-2')!, title: 'Item 2' });
    channel.listings.delete('A-4');
    channel.state.failure = transientError('outbound_unavailable', 'shop-main is down');
    await catalog.put('A-5', { title: 'Item 5', prices: [{ currency: 'USD', amount: 2000 }] }, { actor: 'test' });
    await waitFor(async () => (await catalog.view('A-5'))?.publications[0]?.error, { what: 'the failed publish' });
    channel.state.failure = null;
    await dispatcher!.stop(1000);
    dispatcher = undefined;

    const drift = await check.run(window, AbortSignal.timeout(5000));
    expect(drift.map((d) => [d.kind, d.entity, d.expected, d.actual])).toEqual([
      ['product_mismatch', 'product:A-1@shop-main', { price: { amount: 1000, currency: 'USD' } }, { price: { amount: 999, currency: 'USD' } }],
      ['product_mismatch', 'product:A-2@shop-main', { title: 'ITEM 2' }, { title: 'Item 2' }],
      ['product_missing_in_channel', 'product:A-4@shop-main', { title: 'ITEM 4', price: { amount: 1003, currency: 'USD' }, status: 'active' }, null],
    ]);

    const republish = republishProductCorrection();
    for (const d of drift) {
      const stored = { ...d, id: newId('drift'), runId: 'rec_test' };
      await inOutboxTransaction(store, { origin: { source: 'test', correlationId: 'rec_test' }, now: Date.now(), newId }, (tx) => republish.commit(tx, stored, undefined));
    }
    expect(await status(catalog, 'A-1')).toBe('pending');
    dispatcher = createDispatcher({ store, handlers: catalog.handlers, clock: systemClock, newId, pollMs: 10 });
    dispatcher.start();
    await waitFor(async () => (await Promise.all(['A-1', 'A-2', 'A-4', 'A-5'].map((s) => status(catalog, s)))).every((s) => s === 'published'), { timeoutMs: 10_000, what: 'the republished listings' });
    // The forced publish goes out although the hub's hash says the channel has the listing.
    expect(channel.listings.get('A-1')?.price.amount).toBe(1000);
    expect(channel.listings.get('A-4')?.title).toBe('ITEM 4');
    expect(await check.run(window, AbortSignal.timeout(5000))).toEqual([]);
  });

  it.skipIf(factory.skipReason !== null)('refuses to republish a product that is no longer approved, and has no check for a channel without a side', async () => {
    const { store, channel, catalog } = await start();
    await live(catalog, 'GONE', 'Gone', 500);
    const drift: Drift = { kind: 'product_missing_in_channel', entity: 'product:GONE@shop-main', systems: ['hub', 'shop-main'], expected: null, actual: null, severity: 'critical', correction: 'republish-product', detail: { connectionId: 'shop-main', sku: 'GONE' } };
    await catalog.put('GONE', { title: 'Gone', prices: [{ currency: 'USD', amount: 500 }], status: 'archived' }, { actor: 'test' });
    await expect(inOutboxTransaction(store, { origin: { source: 'test', correlationId: 'rec' }, now: Date.now(), newId }, (tx) => republishProductCorrection().commit(tx, { ...drift, id: 'drift_1', runId: 'rec' }, undefined))).rejects.toMatchObject({ code: 'product_not_approved', httpStatus: 409 });
    expect(catalogChecks({ store, config, side: () => undefined })).toEqual([]);
    expect(catalogChecks({ store, config, side: () => channel.side }).map((c) => c.name)).toEqual(['catalog:shop-main']);
  });
});
