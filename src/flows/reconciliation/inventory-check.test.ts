import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Connection } from '../../connectors/framework/index.js';
import { inOutboxTransaction } from '../../messaging/index.js';
import { newId, systemClock } from '../../model/index.js';
import { testStores, type Store } from '../../store/index.js';
import { createInventory, InventoryConfig, type ChannelInventoryPort, type Inventory, type StockReport } from '../inventory/index.js';
import type { Drift } from './drift.js';
import { channelStockCheck, compareChannelStock, compareStockWithSource, pushStockCorrection, resyncStockCorrection, sourceStockCheck, type ChannelStockSide, type SourceStockLevel, type StockSourceSide } from './inventory-check.js';
import type { Correction, StoredDrift } from './ports.js';

const stores = await testStores();
const window = { from: 0, to: Date.now() };

describe('compareStockWithSource', () => {
  const hub = [
    { sku: 'TEE', locationId: 'wh', onHand: 10, updatedAt: 100 },
    { sku: 'CAP', locationId: 'wh', onHand: 4, updatedAt: 100 },
    { sku: 'MUG', locationId: 'wh', onHand: 3, updatedAt: 100 },
    { sku: 'BAG', locationId: 'wh', onHand: 1, updatedAt: 500 },
  ];
  const at = (sku: string, onHand: number, locationId = 'WH-1') => ({ sku, locationId, hubLocationId: 'wh', onHand });

  it('answers each level the source holds otherwise than the hub, more oversold as critical, and nothing where they agree', () => {
    const drift = compareStockWithSource([at('TEE', 10), at('CAP', 6), at('MUG', 1), at('NEW', 5), at('NONE', 0)], hub, 'wms', 200);
    expect(drift.map((d) => [d.entity, d.expected, d.actual, d.severity])).toEqual([
      ['stock:CAP@wh', { onHand: 6 }, { onHand: 4 }, 'warning'],
      ['stock:MUG@wh', { onHand: 1 }, { onHand: 3 }, 'critical'],
      ['stock:NEW@wh', { onHand: 5 }, null, 'warning'],
    ]);
    expect(drift[0]).toMatchObject({ kind: 'stock_mismatch', systems: ['wms', 'hub'], correction: 'resync-stock', detail: { connectionId: 'wms', sku: 'CAP', locationId: 'wh', sourceLocationId: 'WH-1' } });
  });

  it('does not judge a hub level that changed while the source was read', () => {
    expect(compareStockWithSource([at('BAG', 9)], hub, 'wms', 200)).toEqual([]);
    expect(compareStockWithSource([at('BAG', 9)], hub, 'wms', 600)).toHaveLength(1);
  });
});

describe('compareChannelStock', () => {
  it('answers what a channel shows otherwise than the hub computes, skipping SKUs with a push pending or not listed', () => {
    const drift = compareChannelStock(
      [
        { sku: 'A', computed: 5, published: 5, pending: false, shown: 5 },
        { sku: 'B', computed: 5, published: 5, pending: false, shown: 2 },
        { sku: 'C', computed: 5, published: 9, pending: false, shown: 9 },
        { sku: 'D', computed: 5, published: 5, pending: true, shown: 1 },
        { sku: 'E', computed: 5, published: null, pending: false, shown: undefined },
      ],
      'shop',
    );
    expect(drift.map((d) => [d.entity, d.expected, d.actual, d.severity])).toEqual([
      ['stock:B@shop', { available: 5 }, { available: 2, lastPublished: 5 }, 'warning'],
      ['stock:C@shop', { available: 5 }, { available: 9, lastPublished: 9 }, 'critical'],
    ]);
    expect(drift[0]).toMatchObject({ kind: 'channel_stock_mismatch', systems: ['hub', 'shop'], correction: 'push-stock', detail: { connectionId: 'shop', sku: 'B' } });
  });
});

/** A warehouse's stock as it lists it, in pages; `between` runs before each page after the first (a webhook landing meanwhile). */
function warehouse(id: string, pages: SourceStockLevel[][], between?: (page: number) => Promise<void>) {
  const connection = { id, system: 'warehouse' } as Connection;
  const now = new Map(pages.flat().map((l) => [`${l.sku}\n${l.locationId}`, l]));
  const side: StockSourceSide = {
    connection,
    async *levels() {
      for (const [i, page] of pages.entries()) {
        if (i > 0) await between?.(i);
        yield page.map((l) => now.get(`${l.sku}\n${l.locationId}`) ?? l);
      }
    },
    async levelOf(sku, locationId) {
      return now.get(`${sku}\n${locationId}`);
    },
  };
  return { side, now };
}

/** A channel that shows availability: a number per listed SKU, compare-and-set as the hub pushes. */
function shelf(connectionId: string) {
  const shown = new Map<string, number>();
  const port: ChannelInventoryPort = {
    connectionId,
    async setAvailable({ sku, available, expected }) {
      const current = shown.get(sku) ?? 0;
      if (expected !== null && expected !== current) return { kind: 'stale', current };
      shown.set(sku, available);
      return { kind: 'set' };
    },
  };
  const side: ChannelStockSide = { connectionId, shown: async (skus) => new Map(skus.filter((s) => shown.has(s)).map((s) => [s, shown.get(s)!])) };
  return { port, side, shown };
}

describe.each(stores)('inventory reconciliation on $name', (factory) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  const setup = async (config: z.input<typeof InventoryConfig>, ports: ChannelInventoryPort[] = []): Promise<{ store: Store; inventory: Inventory; config: InventoryConfig }> => {
    store = await factory.open();
    const parsed = InventoryConfig.parse(config);
    return { store, config: parsed, inventory: createInventory({ store, clock: systemClock, newId, config: parsed, port: (id) => ports.find((p) => p.connectionId === id) }) };
  };
  const report = (sku: string, onHand: number, extra: Partial<StockReport> = {}): StockReport => ({ sku, locationId: 'wh-east', onHand, source: 'wms', sourceVersion: null, occurredAt: Date.now(), ...extra });
  const stored = (drift: Drift): StoredDrift => ({ ...drift, id: newId('drift'), runId: 'rec_test' });
  const correct = async (s: Store, correction: Correction, drift: Drift) => {
    const d = stored(drift);
    const prepared = await correction.prepare?.(d, AbortSignal.timeout(5000));
    return inOutboxTransaction(s, { origin: { source: 'test', correlationId: d.runId }, now: Date.now(), newId }, (tx) => correction.commit(tx, d, prepared));
  };
  const pendingSkus = async (s: Store) => (await s.db.selectFrom('inventory_pending').select('sku').orderBy('sku').execute()).map((r) => r.sku);

  it.skipIf(factory.skipReason !== null)('finds the hub’s stock that differs from the source’s, at the hub location the source’s id stands for, page by page, and not a report that landed meanwhile', async () => {
    const { store, inventory, config } = await setup({ locations: [{ id: 'wh-east', aliases: ['wms:EAST-1'] }] });
    await inventory.report([report('TEE', 10), report('CAP', 4), report('MUG', 3), report('BAG', 2)]);
    const source = warehouse('wms', [[{ sku: 'TEE', locationId: 'EAST-1', onHand: 10 }, { sku: 'CAP', locationId: 'EAST-1', onHand: 6 }, { sku: 'BAG', locationId: 'EAST-1', onHand: 7 }], [{ sku: 'MUG', locationId: 'EAST-1', onHand: 1 }, { sku: 'NEW', locationId: 'EAST-1', onHand: 0 }]], async () => {
      // BAG's count of 7 reaches the hub (its webhook) while the run reads the next page.
      await inventory.report([report('BAG', 7)]);
    });
    const check = sourceStockCheck({ store, clock: systemClock, config, source: source.side });
    expect(check).toMatchObject({ name: 'inventory:wms', scope: 'inventory' });
    const drift = await check.run(window, AbortSignal.timeout(5000));
    expect(drift.map((d) => [d.kind, d.entity, d.expected, d.actual])).toEqual([
      ['stock_mismatch', 'stock:CAP@wh-east', { onHand: 6 }, { onHand: 4 }],
      ['stock_mismatch', 'stock:MUG@wh-east', { onHand: 1 }, { onHand: 3 }],
    ]);

    // The correction reads the source again (CAP is 9 by now), applies it as a fresh report and schedules the push.
    source.now.set('CAP\nEAST-1', { sku: 'CAP', locationId: 'EAST-1', onHand: 9 });
    const resync = resyncStockCorrection({ clock: systemClock, inventory, source: (id) => (id === 'wms' ? source.side : undefined) });
    const outcome = await correct(store, resync, drift[0]!);
    expect(outcome.summary).toContain('set CAP at wh-east to 9');
    expect((await inventory.view('CAP'))?.locations).toEqual([expect.objectContaining({ locationId: 'wh-east', onHand: 9 })]);
    await correct(store, resync, drift[1]!);
    expect((await inventory.view('MUG'))?.locations).toEqual([expect.objectContaining({ locationId: 'wh-east', onHand: 1 })]);
    expect(await check.run(window, AbortSignal.timeout(5000))).toEqual([]);

    await expect(correct(store, resync, { ...drift[0]!, detail: { ...drift[0]!.detail, connectionId: 'elsewhere' } })).rejects.toMatchObject({ code: 'stock_source_not_configured' });
  });

  it.skipIf(factory.skipReason !== null)('schedules the push when it resyncs stock for a channel', async () => {
    const { store, inventory, config } = await setup({ channels: [{ connection: 'shop-main' }] });
    await inventory.report([report('TEE', 3)]);
    await store.db.deleteFrom('inventory_pending').execute();
    const source = warehouse('wms', [[{ sku: 'TEE', locationId: 'wh-east', onHand: 8 }]]);
    const [drift] = await sourceStockCheck({ store, clock: systemClock, config, source: source.side }).run(window, AbortSignal.timeout(5000));
    await correct(store, resyncStockCorrection({ clock: systemClock, inventory, source: () => source.side }), drift!);
    expect(await pendingSkus(store)).toEqual(['TEE']);
  });

  it.skipIf(factory.skipReason !== null)('fails the resync rather than claim it when a later report of another source keeps the hub’s figure', async () => {
    const { store, inventory, config } = await setup({});
    await inventory.report([report('TEE', 3, { source: 'api:counter', occurredAt: Date.now() + 3_600_000 })]);
    const source = warehouse('wms', [[{ sku: 'TEE', locationId: 'wh-east', onHand: 8 }]]);
    const [drift] = await sourceStockCheck({ store, clock: systemClock, config, source: source.side }).run(window, AbortSignal.timeout(5000));
    await expect(correct(store, resyncStockCorrection({ clock: systemClock, inventory, source: () => source.side }), drift!)).rejects.toMatchObject({ code: 'stock_report_not_applied', httpStatus: 409 });
    expect((await inventory.view('TEE'))?.locations[0]).toMatchObject({ onHand: 3 });
  });

  it.skipIf(factory.skipReason !== null)('finds what a channel shows otherwise than the hub computes, skips a SKU with a push pending, and puts it right with push-stock', async () => {
    const shop = shelf('shop-main');
    const { store, inventory, config } = await setup({ pushInterval: 1, safetyStock: 1, channels: [{ connection: 'shop-main' }] }, [shop.port]);
    await inventory.report([report('TEE', 10), report('CAP', 5), report('MUG', 2)]);
    const pushDue = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await inventory.pusher.pushDue();
    };
    await pushDue();
    expect(Object.fromEntries(shop.shown)).toEqual({ TEE: 9, CAP: 4, MUG: 1 });
    shop.shown.delete('MUG'); // no longer listed there: the catalog's business, not the stock's

    const check = channelStockCheck({ store, config, rule: config.channels[0]!, channel: shop.side, pageSize: 2 });
    expect(await check.run(window, AbortSignal.timeout(5000))).toEqual([]);

    shop.shown.set('TEE', 3); // a change in the channel the hub never heard of
    await inventory.report([report('CAP', 8)]); // a change the hub has not pushed yet
    const drift = await check.run(window, AbortSignal.timeout(5000));
    expect(drift).toEqual([expect.objectContaining({ kind: 'channel_stock_mismatch', entity: 'stock:TEE@shop-main', expected: { available: 9 }, actual: { available: 3, lastPublished: 9 }, severity: 'warning', correction: 'push-stock' })]);

    const push = pushStockCorrection({ inventory, channel: (id) => (id === 'shop-main' ? shop.side : undefined) });
    expect((await correct(store, push, drift[0]!)).summary).toContain('TEE');
    expect(await pendingSkus(store)).toEqual(['CAP', 'TEE']);
    await pushDue();
    expect(Object.fromEntries(shop.shown)).toEqual({ TEE: 9, CAP: 7 });
    expect(await check.run(window, AbortSignal.timeout(5000))).toEqual([]);
  });
});
