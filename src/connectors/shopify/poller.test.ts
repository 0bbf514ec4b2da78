import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createShopifyClient } from './client.js';
import { ShopifySettings } from './config.js';
import { startShopifyEmulator, type RunningShopifyEmulator, type ShopifyEmulatorOptions } from './emulator/server.js';
import { parseExact, stringifyExact } from './emulator/support.js';
import { interpretShopify } from './interpret.js';
import { createShopifyOrdersPoller } from './poller.js';
import { corpusUrl } from '../../testing/index.js';

const corpus = corpusUrl('shopify/webhooks-2026-04/');
const corpusText = readFileSync(new URL('orders_create.json', corpus), 'utf8');

/** The corpus orders/create body without the ids and times Shopify assigns, so the emulator places it now. */
function corpusOrder(): Record<string, unknown> {
  const { response } = parseExact(corpusText) as { response: Record<string, unknown> };
  const { id: _id, admin_graphql_api_id: _gid, created_at: _created, updated_at: _updated, processed_at: _processed, ...order } = response;
  return order;
}

const emulators: RunningShopifyEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function setup(options: ShopifyEmulatorOptions = {}) {
  const emulator = await startShopifyEmulator(options);
  emulators.push(emulator);
  const client = createShopifyClient({
    connectionId: 'shop-poll',
    settings: ShopifySettings.parse({ shopDomain: emulator.shopDomain, baseUrl: emulator.url }),
    secrets: { accessToken: emulator.credentials.accessToken },
    baseDelayMs: 20,
  });
  const poller = createShopifyOrdersPoller({ client, intervalMs: 60_000, clock: { now: () => Date.now() }, initialLookbackMs: 3_600_000 });
  const post = async (path: string, body: string) => {
    const response = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBeLessThan(300);
  };
  const seed = async (count: number) => {
    for (let i = 0; i < count; i++) await post('/_sandbox/orders?webhook=false', stringifyExact(corpusOrder()));
  };
  const signal = new AbortController().signal;
  return { emulator, client, poller, post, seed, signal };
}

describe('shopify orders poller', () => {
  it('pages through more than 250 orders, then resumes from its cursor with what changed since', async () => {
    const { poller, seed, post, signal } = await setup({ restBucket: { capacity: 40, leakPerSecond: 40 } });
    await seed(260);
    // An order whose id is beyond 2^53, written as digits: the poller must keep it exact.
    await post('/_sandbox/orders?webhook=false', stringifyExact({ ...corpusOrder(), id: 9007199254740993n }));

    const first = await poller.poll(null, signal);
    expect(first.items).toHaveLength(250);
    expect(first.more).toBe(true);
    expect(JSON.parse(first.cursor!)).toMatchObject({ pageInfo: expect.any(String) });
    const second = await poller.poll(first.cursor, signal);
    expect(second.items).toHaveLength(11);
    expect(second.more).toBe(false);
    expect(JSON.parse(second.cursor!)).not.toHaveProperty('pageInfo');

    const items = [...first.items, ...second.items];
    const ids = items.map((item) => /^poll:orders\/updated:(\d+):/.exec(item.dedupKey)![1]);
    expect(new Set(ids).size).toBe(261);
    expect(items.every((item) => item.topic === 'orders/updated')).toBe(true);
    const big = items.find((item) => item.dedupKey.startsWith('poll:orders/updated:9007199254740993:'));
    expect(big?.payload).toContain('"id":9007199254740993');
    const [event] = interpretShopify('shop-poll', big!.topic, big!.payload);
    expect(event).toMatchObject({ kind: 'order', order: { externalId: '9007199254740993', currency: 'USD', totals: { total: 40495 } } });

    const seen = new Set(items.map((item) => item.dedupKey));
    const pollAll = async (cursor: string | null) => {
      const found = [];
      for (let page = await poller.poll(cursor, signal); ; page = await poller.poll(page.cursor, signal)) {
        found.push(...page.items);
        if (!page.more) return { items: found, cursor: page.cursor };
      }
    };

    // Nothing new: a poll from the cursor re-reads only versions already handed over (same keys, dropped by the inbox).
    const idle = await pollAll(second.cursor);
    expect(idle.items.length).toBeGreaterThan(0);
    expect(idle.items.every((item) => seen.has(item.dedupKey))).toBe(true);

    // One order changes, one is placed: the next poll hands over exactly those two new versions.
    const changedId = ids[3]!;
    await post(`/_sandbox/orders/${changedId}?webhook=false`, '{"tags":"vip"}');
    await seed(1);
    const resumed = await pollAll(idle.cursor);
    const fresh = resumed.items.filter((item) => !seen.has(item.dedupKey));
    expect(fresh).toHaveLength(2);
    const changed = fresh.find((item) => item.dedupKey.startsWith(`poll:orders/updated:${changedId}:`));
    expect(JSON.parse(changed!.payload)).toMatchObject({ tags: 'vip' });
  });

  it('restarts from the cursor when Shopify no longer knows its page_info', async () => {
    const { poller, seed, signal } = await setup();
    await seed(3);
    const first = await poller.poll(null, signal);
    expect(first.items).toHaveLength(3);
    const stale = JSON.stringify({ ...JSON.parse(first.cursor!), pageInfo: 'expired' });
    const again = await poller.poll(stale, signal);
    expect(again.items.map((i) => i.dedupKey)).toContain(first.items.at(-1)!.dedupKey);
    expect(again.items.every((i) => first.items.some((f) => f.dedupKey === i.dedupKey))).toBe(true);
    expect(again.more).toBe(false);
  });

  it('keeps a null cursor while the shop has no orders, and reads the call limit header', async () => {
    const { poller, client, signal } = await setup();
    expect(await poller.poll(null, signal)).toEqual({ items: [], cursor: null, more: false });
    expect(client.restHealth().rate).toMatchObject({ capacity: 40, refillPerSecond: 2 });
    expect(client.restHealth().rate.available).toBeLessThanOrEqual(39);
  });

  it('waits out the REST leaky bucket (429 with Retry-After) and every page read succeeds', async () => {
    const { client, seed, emulator } = await setup({ restBucket: { capacity: 3, leakPerSecond: 20 }, retryAfterSeconds: 0.05 });
    await seed(2);
    const pages = await Promise.all(Array.from({ length: 5 }, () => client.ordersPage({ updatedAtMin: '2000-01-01T00:00:00Z' })));
    expect(pages.every((page) => page.orders.length === 2)).toBe(true);
    const state = (await (await fetch(`${emulator.url}/_sandbox/state`)).json()) as { calls: { restCalls: number; restLimited: number } };
    expect(state.calls.restLimited).toBeGreaterThan(0);
    expect(state.calls.restCalls - state.calls.restLimited).toBe(5);
    expect(client.restHealth().rate.capacity).toBe(3);
  });
});
