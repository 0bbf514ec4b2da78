import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../src/cli/sync.js';
import type { ShopifyClient } from '../src/connectors/index.js';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';
import type { Hub } from '../src/runtime/index.js';
import type { Sandbox } from '../src/runtime/sandbox/index.js';

/**
 * Backfills end to end: stock and ERP Items the hub never heard about by webhook (the emulators
 * point their webhooks nowhere) reach the hub through sync jobs run on the bulk lane, a page at a
 * time, with progress in the API and on the CLI.
 */
const key = 'sync-bootstrap-key-0123456789';
const skuCount = 1_200;
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let hub: Hub;
let api: ReturnType<typeof apiClient>;

const url = (id: string) => sandbox.connections[id]!.baseUrl;
const erpAuth = () => ({ authorization: `token ${sandbox.connections['erp-main']!.apiKey}:${sandbox.connections['erp-main']!.apiSecret}` });
const sku = (i: number) => `BULK-${String(i).padStart(5, '0')}`;

interface Job {
  id: string;
  kind: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  error: string | null;
  finishedAt: string | null;
}

async function finished(id: string): Promise<Job> {
  const job = await waitFor(async () => {
    const body = (await api('GET', `/v1/sync/jobs/${id}`)).body as unknown as Job;
    return ['queued', 'running'].includes(body.status) ? undefined : body;
  }, { timeoutMs: 60_000, intervalMs: 100, what: `sync job ${id} to end` });
  return job!;
}

/** A stream that keeps what is written (stands in for stderr/stdout of the CLI). */
function capture(isTTY = false) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as Writable & { isTTY?: boolean };
  stream.isTTY = isTTY;
  return { stream, text: () => chunks.join('') };
}

beforeAll(async () => {
  env = await startSandboxHub({
    name: 'sync',
    key,
    retarget: false,
    configure(config) {
      config['inventory'] = { pushInterval: '200ms', channels: [{ connection: 'shop-main', sources: ['shop-main', 'web-store'], locations: ['wh-main'] }] };
    },
    // Seeded while the emulators' webhooks go nowhere: only a backfill can tell the hub.
    async beforeHub(started) {
      sandbox = started;
      for (let start = 0; start < skuCount; start += 50) {
        await Promise.all(Array.from({ length: Math.min(50, skuCount - start) }, async (_, j) => {
          const i = start + j;
          expect((await call('POST', `${url('wh-main')}/_sandbox/stock`, { sku: sku(i), onHand: (i % 17) + 1 })).status).toBeLessThan(300);
        }));
      }
      const item = await call('POST', `${url('erp-main')}/api/resource/Item`, { item_code: 'SYNC-LAMP', item_name: 'Desk lamp', item_group: 'Products', stock_uom: 'Nos', description: 'Brass desk lamp', standard_rate: 49 }, erpAuth());
      expect(item.status).toBe(200);
    },
  });
  ({ hub, api } = env);
}, 120_000);

afterAll(() => env?.stop());

describe('sync jobs', () => {
  it('backfills warehouse stock in pages on the bulk lane, reports progress, refuses a second job meanwhile, and pushes the full picture to the channel', async () => {
    const shopify = hub.connections.get('shop-main')!.instance.client as ShopifyClient;
    await shopify.productSet({ title: 'Bulk product', productOptions: [{ name: 'Title', values: [{ name: sku(7) }] }], variants: [{ sku: sku(7), price: '10.00', optionValues: [{ optionName: 'Title', name: sku(7) }] }] });
    expect((await api('GET', `/v1/inventory/${sku(7)}`)).status).toBe(404);

    const started = await api('POST', '/v1/sync/jobs', { kind: 'inventory' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'inventory', status: 'queued', total: 0, done: 0 });
    expect(started.headers.get('location')).toBe(`/v1/sync/jobs/${started.body['id']}`);
    const again = await api('POST', '/v1/sync/jobs', { kind: 'inventory' });
    expect(again).toMatchObject({ status: 409, body: { jobId: started.body['id'] } });

    const job = await finished(String(started.body['id']));
    expect(job).toMatchObject({ status: 'succeeded', failed: 0, error: null });
    // Every warehouse SKU plus the ERP's Bins, each applied.
    expect(job.total).toBeGreaterThanOrEqual(skuCount);
    expect(job.done).toBe(job.total);
    expect(job.finishedAt).not.toBeNull();

    for (const i of [0, 499, 500, 1_000, skuCount - 1]) {
      const view = await api('GET', `/v1/inventory/${sku(i)}`);
      expect(view.status).toBe(200);
      expect((view.body['locations'] as { locationId: string; onHand: number }[]).find((l) => l.locationId === 'wh-main')).toMatchObject({ onHand: (i % 17) + 1 });
    }
    await waitFor(async () => ((await call('GET', `${url('shop-main')}/_sandbox/inventory/${sku(7)}`)).body['available'] as number) === 8, { timeoutMs: 20_000, what: 'Shopify to show the backfilled stock' });

    // A repeat finds nothing newer: the stock stays, the job still counts what it listed.
    const repeat = await finished(String((await api('POST', '/v1/sync/jobs', { kind: 'inventory', connections: ['wh-main'] })).body['id']));
    expect(repeat).toMatchObject({ status: 'succeeded', failed: 0 });
    // Only the warehouse this time (its own stock besides the seeded SKUs), not the ERP's Bins.
    expect(repeat.total).toBeGreaterThanOrEqual(skuCount);
    expect(repeat.total).toBeLessThan(job.total);
    expect(repeat.done).toBe(repeat.total);
    const list = (await api('GET', '/v1/sync/jobs?limit=1')).body;
    expect((list['data'] as Job[]).map((j) => j.id)).toEqual([repeat.id]);
    const next = (await api('GET', `/v1/sync/jobs?limit=1&cursor=${String(list['nextCursor'])}`)).body;
    expect((next['data'] as Job[]).map((j) => j.id)).toEqual([job.id]);

    expect((await api('POST', '/v1/sync/jobs', { kind: 'inventory', connections: ['shop-main'] })).status).toBe(422);
    expect((await api('POST', '/v1/sync/jobs', { kind: 'everything' })).status).toBe(422);
    expect((await api('GET', '/v1/sync/jobs/job_nope')).status).toBe(404);
  }, 120_000);

  it('builds masters from ERP Items and Item Prices, and a later catalog backfill re-sends approved products even when the channel shows the same listing', async () => {
    const started = await api('POST', '/v1/sync/jobs', { kind: 'catalog' });
    expect(started.status).toBe(202);
    const job = await finished(String(started.body['id']));
    expect(job).toMatchObject({ status: 'succeeded', failed: 0 });
    expect(job.done).toBe(job.total);
    const lamp = (await api('GET', '/v1/products/SYNC-LAMP')).body;
    expect(lamp).toMatchObject({ sku: 'SYNC-LAMP', title: 'Desk lamp', description: 'Brass desk lamp', status: 'draft', prices: [{ currency: 'USD', amount: 4900 }] });
    expect((await api('GET', '/v1/products/TEE-RED-M')).body).toMatchObject({ title: 'Tee red M', prices: [{ currency: 'USD', amount: 2500 }] });

    expect((await api('POST', '/v1/products/SYNC-LAMP/approve')).status).toBe(200);
    const published = async () => {
      const p = (await api('GET', '/v1/products/SYNC-LAMP')).body as { publications: { status: string; publishedAt: string | null }[] };
      return p.publications[0]?.status === 'published' ? p.publications[0] : undefined;
    };
    const first = await waitFor(published, { timeoutMs: 20_000, what: 'SYNC-LAMP published' });
    const calls = async () => ((await call('GET', `${url('shop-main')}/_sandbox/state`)).body['calls'] as { graphqlCalls: number }).graphqlCalls;
    const before = await calls();

    const resync = await finished(String((await api('POST', '/v1/sync/jobs', { kind: 'catalog' })).body['id']));
    expect(resync.status).toBe('succeeded');
    const second = await waitFor(async () => {
      const p = await published();
      return p && p.publishedAt !== first!.publishedAt ? p : undefined;
    }, { timeoutMs: 20_000, what: 'SYNC-LAMP re-sent by the backfill' });
    expect(second).toBeDefined();
    expect(await calls()).toBeGreaterThan(before);
    expect((await call('GET', `${url('shop-main')}/_sandbox/products/SYNC-LAMP`)).body).toMatchObject({ title: 'Desk lamp', status: 'ACTIVE' });
  }, 120_000);

  it('runs `tillbridge sync inventory` against the hub with a progress bar, exit 0 on success and 1 when the job cannot start', async () => {
    const stderr = capture(false);
    const stdout = capture();
    const code = await runSync('inventory', { url: hub.url, key, wait: true, stdout: stdout.stream, stderr: stderr.stream, intervalMs: 50, lineEveryMs: 200 });
    expect(code).toBe(0);
    const id = stdout.text().trim();
    expect(id).toMatch(/^job_/);
    expect(stderr.text()).toMatch(/\[#{30}\] \d+\/\d+ 100% \d+\/s\n/);
    expect(stderr.text()).toContain(`inventory sync ${id} succeeded`);
    expect((await api('GET', `/v1/sync/jobs/${id}`)).body).toMatchObject({ status: 'succeeded' });

    const tty = capture(true);
    expect(await runSync('inventory', { url: hub.url, key, wait: true, stdout: capture().stream, stderr: tty.stream, intervalMs: 50 })).toBe(0);
    expect(tty.text()).toContain('\r[');

    const refused = capture();
    expect(await runSync('catalog', { url: hub.url, key: 'not-a-key', wait: true, stdout: capture().stream, stderr: refused.stream })).toBe(1);
    expect(refused.text()).toContain('(401)');
  }, 120_000);
});
