import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopifyEmulator } from '../src/connectors/index.js';
import { shopifyWebhookHeaders } from '../src/connectors/shopify/webhooks.js';
import { resolveSettings, startHub, type Hub } from '../src/runtime/index.js';
import { basketToShopifyOrder } from '../src/runtime/sandbox/index.js';
import { waitFor } from '../src/testing/index.js';
import { apiClient } from './support/http.js';

/**
 * End to end: orders placed in the Shopify emulator reach a real hub through signed webhooks
 * (and the poller), exactly once, whatever the delivery order; tampered webhooks are refused.
 */
const key = 'e2e-bootstrap-key-0123456789';
let hub: Hub;
let shopify: Awaited<ReturnType<typeof startShopifyEmulator>>;
let api: ReturnType<typeof apiClient>;
let dir: string;
let number = 5000;

const order = () =>
  basketToShopifyOrder(
    { lines: [{ sku: 'TEE-RED-M', title: 'Tee red M', quantity: 2, unitPrice: 2500 }, { sku: 'CAP-NAVY', title: 'Cap', quantity: 1, unitPrice: 1800 }], discountCode: { code: 'TEN', amount: 1000 }, shipping: 599, taxRate: '0.0625' },
    { number: ++number, paymentIntent: `pi_e2e_${number}`, random: () => 0.5, now: new Date() },
  );

async function emulator(method: string, route: string, body?: unknown) {
  const response = await fetch(`${shopify.url}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${route}`).toBeLessThan(300);
  return (await response.json()) as { order?: { id: string | number } } & Record<string, unknown>;
}

async function ordersOf(externalId: string, source = 'shop-main') {
  const page = await api('GET', `/v1/orders?source=${source}&limit=500`);
  return (page.body.data as { id: string; externalId: string }[]).filter((o) => o.externalId === externalId);
}

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((part) => l.includes(part)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-shopify-e2e-'));
  shopify = await startShopifyEmulator({});
  process.env.TB_E2E_SHOPIFY_TOKEN = shopify.credentials.accessToken;
  fs.writeFileSync(path.join(dir, 'webhook-secret'), shopify.credentials.webhookSecret);
  fs.writeFileSync(
    path.join(dir, 'tillbridge.config.yaml'),
    [
      'connections:',
      '  - id: shop-main',
      '    system: shopify',
      '    settings:',
      `      shopDomain: ${shopify.shopDomain}`,
      `      baseUrl: ${shopify.url}`,
      '      pollIntervalMs: 300',
      '    secrets:',
      '      accessToken: env:TB_E2E_SHOPIFY_TOKEN',
      '      webhookSecret: file:webhook-secret',
      // The same shop without a poller worth the name, where only webhooks tell the hub (delivery order is then what the test says).
      '  - id: shop-quiet',
      '    system: shopify',
      '    settings:',
      `      shopDomain: ${shopify.shopDomain}`,
      `      baseUrl: ${shopify.url}`,
      '      pollIntervalMs: 3600000',
      '      initialLookbackMs: 0',
      '    secrets:',
      '      accessToken: env:TB_E2E_SHOPIFY_TOKEN',
      '      webhookSecret: file:webhook-secret',
    ].join('\n'),
  );
  hub = await startHub(resolveSettings({ port: '0', data: path.join(dir, 'data'), config: path.join(dir, 'tillbridge.config.yaml'), bootstrapKey: key, logLevel: 'silent', pollMs: '20' }));
  await emulator('POST', '/_sandbox/webhooks', { url: `${hub.url}/webhooks/shopify/shop-main` });
  api = apiClient(hub.url, key);
}, 30_000);

afterAll(async () => {
  await shopify?.close();
  await hub?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Shopify emulator → hub', () => {
  it('an order delivered twice becomes one canonical order with exact amounts', async () => {
    const created = await emulator('POST', '/_sandbox/orders?duplicate=true', order());
    const externalId = String(created.order?.id);
    const found = await waitFor(async () => (await ordersOf(externalId))[0], { what: 'the order in the hub', timeoutMs: 15_000 });
    await shopify.idle();
    await waitFor(async () => (await metric('tillbridge_webhooks_total', 'outcome="duplicate"')) >= 1, { what: 'the duplicate delivery' });
    expect(await ordersOf(externalId)).toHaveLength(1);
    const detail = await api("GET", `/v1/orders/${found!.id}`);
    expect(detail.body).toMatchObject({
      source: 'shop-main',
      externalId,
      currency: 'USD',
      totals: { subtotal: 6800, discount: 1000, shipping: 599, tax: 363, total: 6762 },
    });
  });

  it('orders/updated arriving before orders/create still yields one order, and the stale create changes nothing', async () => {
    await emulator('POST', '/_sandbox/webhooks', { url: `${hub.url}/webhooks/shopify/shop-quiet` });
    try {
      const created = await emulator('POST', '/_sandbox/orders?delayMs=1500', order());
      const externalId = String(created.order?.id);
      await emulator('POST', `/_sandbox/orders/${externalId}`, { tags: 'vip' });
      await waitFor(async () => (await ordersOf(externalId, 'shop-quiet')).length > 0, { what: 'the order from orders/updated', timeoutMs: 15_000 });
      await shopify.idle();
      await waitFor(async () => (await metric('tillbridge_message_backlog', 'lane="critical"')) === 0, { what: 'both deliveries interpreted' });
      const orders = await ordersOf(externalId, 'shop-quiet');
      expect(orders).toHaveLength(1);
      const detail = await api('GET', `/v1/orders/${orders[0]!.id}`);
      expect(detail.body.tags).toEqual(['vip']);
      const events = (detail.body.timeline as { event: string }[]).map((e) => e.event);
      expect(events.filter((e) => e === 'channel.order.updated')).toHaveLength(0);
    } finally {
      await emulator('POST', '/_sandbox/webhooks', { url: `${hub.url}/webhooks/shopify/shop-main` });
    }
  });

  it('an order whose webhook was missed is caught by the poller', async () => {
    const created = await emulator('POST', '/_sandbox/orders?webhook=false', order());
    const externalId = String(created.order?.id);
    await waitFor(async () => (await ordersOf(externalId)).length === 1, { what: 'the polled order', timeoutMs: 15_000 });
  });

  it('refuses a tampered webhook with 401 and keeps nothing', async () => {
    const body = JSON.stringify({ ...order(), id: 999_000_111 });
    const headers = shopifyWebhookHeaders({ body, secret: shopify.credentials.webhookSecret, topic: 'orders/create', shopDomain: shopify.shopDomain, webhookId: 'tamper-1', apiVersion: '2026-04', triggeredAt: new Date().toISOString() });
    const tampered = body.replace('"total_price":"67.62"', '"total_price":"0.01"');
    expect(tampered).not.toBe(body);
    const refused = await fetch(`${hub.url}/webhooks/shopify/shop-main`, { method: 'POST', headers, body: tampered });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await metric('tillbridge_webhooks_total', 'outcome="unauthorized"')).toBe(1);
    const accepted = await fetch(`${hub.url}/webhooks/shopify/shop-main`, { method: 'POST', headers, body });
    expect(accepted.status).toBe(200);
    await waitFor(async () => (await ordersOf('999000111')).length === 1, { what: 'the genuine delivery' });
    const unknown = await fetch(`${hub.url}/webhooks/shopify/no-such-shop`, { method: 'POST', headers, body });
    expect(unknown.status).toBe(404);
  });
});
