import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopifyClient } from '../src/connectors/index.js';
import type { Sandbox } from '../src/runtime/sandbox/index.js';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { runReconciliation } from './support/reconciliation.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';

/**
 * Inventory and catalog reconciliation end to end against the sandbox emulators: a warehouse stock
 * change whose webhook was lost, a stock edit in Shopify the hub never heard of, and a price changed
 * by hand in Shopify are found by one run (and nothing else of the sandbox), put right through
 * POST …/resolve, and a second run finds nothing.
 */
const key = 'recon-stock-catalog-key-0123456789';
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let api: ReturnType<typeof apiClient>;

const url = (id: string) => sandbox.connections[id]!.baseUrl;

const shopifyShows = async (sku: string) => (await call('GET', `${url('shop-main')}/_sandbox/inventory/${sku}`)).body['available'] as number | undefined;
const shopProduct = async (sku: string) => (await call('GET', `${url('shop-main')}/_sandbox/products/${sku}`)).body as { id: string; title: string; status: string; variants: { id: string; sku: string; price: string }[] };
const hubOnHand = async (sku: string) => ((await api('GET', `/v1/inventory/${sku}`)).body['locations'] as { locationId: string; onHand: number }[] | undefined)?.find((l) => l.locationId === 'wh-main')?.onHand;
const publication = async (sku: string) => ((await api('GET', `/v1/products/${sku}`)).body['publications'] as { connectionId: string; status: string; publishedVersion: number | null }[] | undefined)?.find((p) => p.connectionId === 'shop-main');
const warehouseWebhooks = (target: string | null) => call('POST', `${url('wh-main')}/_sandbox/webhooks`, { url: target });

async function syncInventory(): Promise<void> {
  const started = await api('POST', '/v1/sync/jobs', { kind: 'inventory' });
  expect(started.status).toBe(202);
  await waitFor(async () => ['succeeded'].includes(String((await api('GET', `/v1/sync/jobs/${String(started.body['id'])}`)).body['status'])), { timeoutMs: 60_000, intervalMs: 100, what: 'the inventory backfill' });
}

async function publishProduct(sku: string, title: string, amount: number): Promise<void> {
  expect((await api('PUT', `/v1/products/${sku}`, { title, prices: [{ currency: 'USD', amount }] })).status).toBeLessThan(300);
  expect((await api('POST', `/v1/products/${sku}/approve`)).status).toBe(200);
  await waitFor(async () => (await publication(sku))?.status === 'published', { timeoutMs: 20_000, what: `${sku} published` });
}

beforeAll(async () => {
  env = await startSandboxHub({ name: 'recon-stock', key, configure: (config) => void (config['inventory'] = { ...config['inventory'], pushInterval: '200ms' }) });
  ({ sandbox, api } = env);
}, 60_000);

afterAll(() => env?.stop());

describe('inventory and catalog reconciliation', () => {
  it('finds a lost stock webhook, a stock edit and a price edit made in Shopify, corrects each on request, and then finds nothing', async () => {
    // The sandbox as the hub knows it: every warehouse and ERP level backfilled, two products live in Shopify with stock.
    await syncInventory();
    await publishProduct('RECON-TEE', 'Reconciled tee', 2900);
    await publishProduct('RECON-CAP', 'Reconciled cap', 1500);
    for (const sku of ['RECON-TEE', 'RECON-CAP']) expect((await call('POST', `${url('wh-main')}/_sandbox/stock`, { sku, onHand: 20 })).status).toBeLessThan(300);
    // 20 on hand − 2 safety stock at wh-main.
    await waitFor(async () => (await shopifyShows('RECON-TEE')) === 18 && (await shopifyShows('RECON-CAP')) === 18, { timeoutMs: 20_000, what: 'Shopify to show the stock' });

    const clean = await runReconciliation(api, ['inventory', 'catalog']);
    expect(clean.status).toBe('succeeded');
    expect(clean.drift).toEqual([]);
    expect(clean.checks.map((c) => c.name).sort()).toEqual(['catalog:shop-main', 'inventory:channel:shop-main', 'inventory:erp-main', 'inventory:wh-main']);

    // A stock count in the warehouse whose webhook is lost.
    const before = await hubOnHand('TEE-RED-M');
    expect(before).toBe(100);
    expect((await warehouseWebhooks(null)).status).toBe(200);
    expect((await call('POST', `${url('wh-main')}/_sandbox/stock`, { sku: 'TEE-RED-M', onHand: 42 })).status).toBeLessThan(300);
    expect((await warehouseWebhooks(`${env!.hub.url}/webhooks/warehouse/wh-main`)).status).toBe(200);
    // A merchant's stock edit in Shopify whose webhook never came.
    expect((await call('POST', `${url('shop-main')}/_sandbox/inventory/RECON-CAP?webhook=false`, { available: 5 })).status).toBe(200);
    // A price changed by hand in Shopify's admin.
    const shop = await shopProduct('RECON-TEE');
    const client = env!.hub.connections.get('shop-main')!.instance.client as ShopifyClient;
    await client.productSet({ variants: [{ id: shop.variants[0]!.id, sku: 'RECON-TEE', price: '24.00', optionValues: [{ optionName: 'Title', name: 'Default Title' }] }] }, { identifier: { id: shop.id } });
    expect((await shopProduct('RECON-TEE')).variants[0]!.price).toBe('24.00');

    const found = await runReconciliation(api, ['inventory', 'catalog']);
    expect(found.status).toBe('succeeded');
    const byEntity = Object.fromEntries(found.drift.map((d) => [`${d.kind} ${d.entity}`, d]));
    expect(Object.keys(byEntity).sort()).toEqual(['channel_stock_mismatch stock:RECON-CAP@shop-main', 'product_mismatch product:RECON-TEE@shop-main', 'stock_mismatch stock:TEE-RED-M@wh-main']);
    expect(byEntity['stock_mismatch stock:TEE-RED-M@wh-main']).toMatchObject({ systems: ['wh-main', 'hub'], expected: { onHand: 42 }, actual: { onHand: 100 }, severity: 'critical', correction: 'resync-stock', status: 'open' });
    expect(byEntity['channel_stock_mismatch stock:RECON-CAP@shop-main']).toMatchObject({ systems: ['hub', 'shop-main'], expected: { available: 18 }, actual: { available: 5, lastPublished: 18 }, correction: 'push-stock' });
    expect(byEntity['product_mismatch product:RECON-TEE@shop-main']).toMatchObject({ systems: ['hub', 'shop-main'], expected: { price: { amount: 2900, currency: 'USD' } }, actual: { price: { amount: 2400, currency: 'USD' } }, severity: 'critical', correction: 'republish-product' });

    for (const drift of found.drift) {
      const resolved = await api('POST', `/v1/reconciliation/drift/${drift.id}/resolve`, { action: 'correct' });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ id: drift.id, status: 'resolved' });
      expect(String(resolved.body['resolution'])).not.toBe('');
    }
    await waitFor(async () => (await hubOnHand('TEE-RED-M')) === 42, { what: 'the hub to take the warehouse’s count' });
    await waitFor(async () => (await shopifyShows('RECON-CAP')) === 18, { timeoutMs: 20_000, what: 'Shopify to show the hub’s availability again' });
    await waitFor(async () => (await shopProduct('RECON-TEE')).variants[0]!.price === '29.00' && (await publication('RECON-TEE'))?.status === 'published', { timeoutMs: 20_000, what: 'the hub’s price back in Shopify' });

    const after = await runReconciliation(api, ['inventory', 'catalog']);
    expect(after.status).toBe('succeeded');
    expect(after.drift).toEqual([]);
    expect((await api('POST', `/v1/reconciliation/drift/${found.drift[0]!.id}/resolve`, { action: 'correct' })).status).toBe(409);
  }, 180_000);
});
