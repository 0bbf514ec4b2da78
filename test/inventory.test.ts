import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopifyClient } from '../src/connectors/index.js';
import { exampleOrder } from '../src/model/index.js';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';
import type { Hub } from '../src/runtime/index.js';
import type { Sandbox } from '../src/runtime/sandbox/index.js';

/**
 * Inventory end to end: warehouse stock webhooks and API reports set stock per location; orders
 * from two channels race for the last unit; availability reaches Shopify coalesced and compared
 * against what Shopify shows, and catches up after an outage.
 */
const key = 'inventory-bootstrap-key-0123456789';
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let hub: Hub;
let api: ReturnType<typeof apiClient>;
let n = 0;

const url = (id: string) => sandbox.connections[id]!.baseUrl;
const shopify = () => hub.connections.get('shop-main')!.instance.client as ShopifyClient;

/** A product in Shopify with one variant per SKU (as a publication would create it). */
async function listInShopify(...skus: string[]) {
  await shopify().productSet({
    title: `Test product ${skus.join(' ')}`,
    productOptions: [{ name: 'Title', values: skus.map((s) => ({ name: s })) }],
    variants: skus.map((sku) => ({ sku, price: '10.00', optionValues: [{ optionName: 'Title', name: sku }] })),
  });
}

async function shopifyShows(sku: string): Promise<{ available: number; updates: number }> {
  const res = await call('GET', `${url('shop-main')}/_sandbox/inventory/${sku}`);
  expect(res.status).toBe(200);
  return res.body as { available: number; updates: number };
}

async function warehouseStock(sku: string, onHand: number) {
  expect((await call('POST', `${url('wh-main')}/_sandbox/stock`, { sku, onHand })).status).toBeLessThan(300);
}

async function placeOrder(source: string, sku: string, quantity = 1): Promise<string> {
  const order = exampleOrder({ source, externalId: `inv-${++n}` }) as { lines: Record<string, unknown>[] } & Record<string, unknown>;
  const line = { ...order.lines[0]!, sku, quantity, unitPrice: 1450, discount: 0, taxes: [] };
  const subtotal = 1450 * quantity;
  const res = await api('POST', '/v1/orders', { ...order, lines: [line], shipping: [], discounts: [], totals: { subtotal, discount: 0, shipping: 0, tax: 0, total: subtotal }, payments: [] });
  expect(res.status).toBe(201);
  return String(res.body['id']);
}

/** The hub's stock of a SKU at the warehouse (the ERP's Bin reports are a location of their own). */
const atWarehouse = async (sku: string) => ((await api('GET', `/v1/inventory/${sku}`)).body['locations'] as { locationId: string; onHand: number; reserved: number; available: number }[] | undefined)?.find((l) => l.locationId === 'wh-main');
const onHandOf = async (sku: string, units: number) => (await atWarehouse(sku))?.onHand === units;
const orderOf = async (id: string) => (await api('GET', `/v1/orders/${id}`)).body;

beforeAll(async () => {
  env = await startSandboxHub({
    name: 'inventory',
    key,
    configure(config) {
      config['inventory'] = { pushInterval: '300ms', channels: [{ connection: 'shop-main', sources: ['shop-main', 'web-store'], locations: ['wh-main'] }] };
      config['orderToCash'] = { ...config['orderToCash'], holds: [] };
    },
  });
  ({ sandbox, hub, api } = env);
}, 60_000);

afterAll(() => env?.stop());

describe('inventory', () => {
  it('gives the last unit to one of two concurrent orders from two channels; the other waits on hold for stock and goes on by itself when stock arrives', async () => {
    await warehouseStock('MUG-LOGO', 1);
    await waitFor(async () => onHandOf('MUG-LOGO', 1), { what: 'the warehouse stock report' });
    const [a, b] = await Promise.all([placeOrder('shop-main', 'MUG-LOGO'), placeOrder('web-store', 'MUG-LOGO')]);
    const settled = await waitFor(async () => {
      const orders = await Promise.all([orderOf(a), orderOf(b)]);
      const statuses = orders.map((o) => o['status']);
      return statuses.includes('on_hold') && statuses.includes('released') ? orders : undefined;
    }, { timeoutMs: 30_000, what: 'one order released and one on hold' });
    const held = settled!.find((o) => o['status'] === 'on_hold')!;
    expect(held['holdReason']).toBe('insufficient_stock');
    expect(await atWarehouse('MUG-LOGO')).toMatchObject({ onHand: 1, reserved: 1, available: 0 });

    await warehouseStock('MUG-LOGO', 5);
    await waitFor(async () => (await orderOf(String(held['id'])))['status'] === 'released', { timeoutMs: 30_000, what: 'the held order to go on by itself once stock arrived' });
    expect(await atWarehouse('MUG-LOGO')).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
  });

  it('applies API stock reports by the sender’s version, lists the locations, and explains availability', async () => {
    const events = (onHand: number, sourceVersion: number) => ({ sku: 'SOCK-BLK', locationId: 'wh-main', onHand, sourceVersion, occurredAt: new Date().toISOString() });
    const first = await api('POST', '/v1/inventory/events', { events: [events(10, 2), events(4, 1), events(10, 2)] });
    expect(first.body).toMatchObject({ applied: 1, stale: 1, duplicate: 1 });
    const bad = await api('POST', '/v1/inventory/events', { events: [{ sku: 'SOCK-BLK', locationId: 'wh-main', onHand: 'lots' }] });
    expect(bad.status).toBe(422);
    expect(bad.body['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/events/0/onHand' })]));
    const view = (await api('GET', '/v1/inventory/SOCK-BLK')).body;
    expect(view).toMatchObject({ sku: 'SOCK-BLK', locations: [{ locationId: 'wh-main', onHand: 10, reserved: 0, available: 10 }], channels: [{ connectionId: 'shop-main', available: 10 }] });
    expect((view['explain'] as { channels: Record<string, string> }).channels['shop-main']).toContain('10 on hand');
    const locations = (await api('GET', '/v1/locations')).body['data'] as { id: string; source: string }[];
    expect(locations).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'wh-main', source: 'connection' })]));
    // The ERP's stock warehouses are read at start, before any of them reports stock.
    await waitFor(async () => ((await api('GET', '/v1/locations')).body['data'] as { id: string; source: string; connectionId: string }[]).some((l) => l.id.startsWith('Finished Goods - ') && l.source === 'erpnext' && l.connectionId === 'erp-main'), { what: 'the ERP warehouses among the locations' });
    expect((await api('GET', '/v1/inventory/NO-SUCH-SKU')).status).toBe(404);
  });

  it('sends a burst of 1,000 changes to one SKU to Shopify as a handful of updates, ending at the last level', async () => {
    await listInShopify('BURST-1');
    for (let batch = 0; batch < 10; batch++) {
      const events = Array.from({ length: 100 }, (_, i) => ({ sku: 'BURST-1', locationId: 'wh-main', onHand: batch * 100 + i + 1, sourceVersion: batch * 100 + i + 1, occurredAt: new Date().toISOString() }));
      expect((await api('POST', '/v1/inventory/events', { events })).body['applied']).toBe(100);
    }
    await waitFor(async () => (await shopifyShows('BURST-1')).available === 1000, { timeoutMs: 20_000, what: 'Shopify to show the last level' });
    await new Promise((resolve) => setTimeout(resolve, 700));
    const shown = await shopifyShows('BURST-1');
    expect(shown.available).toBe(1000);
    expect(shown.updates).toBeLessThanOrEqual(3);
    const channel = ((await api('GET', '/v1/inventory/BURST-1')).body['channels'] as Record<string, unknown>[])[0];
    expect(channel).toMatchObject({ connectionId: 'shop-main', available: 1000, publishedAvailable: 1000, error: null });
    // Shopify's inventory_levels/update for the hub's own push is recognised as its echo and not queued.
    await waitFor(async () => /tillbridge_webhooks_total\{[^}]*connection="shop-main"[^}]*outcome="echo"[^}]*\} [1-9]/.test(await (await fetch(`${hub.url}/metrics`)).text()), { what: 'an echo webhook counted' });
  });

  it('puts the hub’s number back after a merchant edits stock in Shopify by hand, and catches up after a Shopify outage with the latest level only', async () => {
    await listInShopify('EDIT-1');
    await api('POST', '/v1/inventory/events', { events: [{ sku: 'EDIT-1', locationId: 'wh-main', onHand: 7, sourceVersion: 1, occurredAt: new Date().toISOString() }] });
    await waitFor(async () => (await shopifyShows('EDIT-1')).available === 7, { what: 'the first push' });
    expect((await call('POST', `${url('shop-main')}/_sandbox/inventory/EDIT-1`, { available: 2 })).status).toBeLessThan(300);
    await waitFor(async () => (await shopifyShows('EDIT-1')).available === 7, { timeoutMs: 20_000, what: 'the hub to put its number back' });

    expect((await call('POST', `${url('shop-main')}/_sandbox/faults`, { errorRate: 1 })).status).toBe(200);
    const before = (await shopifyShows('EDIT-1')).updates;
    try {
      for (const [onHand, sourceVersion] of [[9, 2], [11, 3], [13, 4]] as const) {
        await api('POST', '/v1/inventory/events', { events: [{ sku: 'EDIT-1', locationId: 'wh-main', onHand, sourceVersion, occurredAt: new Date().toISOString() }] });
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      await waitFor(async () => ((await api('GET', '/v1/inventory/EDIT-1')).body['channels'] as { error: string | null }[])[0]?.error != null, { what: 'the failed push to be recorded' });
    } finally {
      expect((await call('POST', `${url('shop-main')}/_sandbox/faults`, { errorRate: 0 })).status).toBe(200);
    }
    await waitFor(async () => (await shopifyShows('EDIT-1')).available === 13, { timeoutMs: 30_000, what: 'Shopify to catch up after the outage' });
    expect((await shopifyShows('EDIT-1')).updates - before).toBe(1);
  }, 90_000);
});
