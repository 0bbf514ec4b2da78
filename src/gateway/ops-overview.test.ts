import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInRegistry, createConnections } from '../connectors/index.js';
import type { Store } from '../store/index.js';
import { addMessageStats, latencyClassOf, testStores } from '../store/index.js';
import { ConnectionView } from './routes/connections.js';
import { OverviewResponse } from './routes/ops-overview.js';
import { auth, startTestGateway, type TestGateway } from './testing/harness.js';

const stores = await testStores();

const now = Date.parse('2026-11-27T09:00:30Z');
const at = (iso: string) => Date.parse(`2026-11-27T${iso}Z`);

interface Row { id: string; type: string; lane: string; status: string; created: number; updated: number }
const rows: Row[] = [
  { id: 'm_accepted', type: 'order.accepted', lane: 'critical', status: 'done', created: at('09:00:00.000'), updated: at('09:00:00.040') },
  { id: 'm_stock_1', type: 'inventory.level-changed', lane: 'standard', status: 'done', created: at('08:55:09.900'), updated: at('08:55:10.000') },
  { id: 'm_stock_2', type: 'inventory.level-changed', lane: 'standard', status: 'done', created: at('08:55:09.800'), updated: at('08:55:10.000') },
  { id: 'm_stock_3', type: 'inventory.level-changed', lane: 'standard', status: 'done', created: at('08:55:05.000'), updated: at('08:55:10.000') },
  { id: 'm_route', type: 'workflow.order-placement.route', lane: 'critical', status: 'dead', created: at('08:58:00'), updated: at('08:59:00') },
  { id: 'm_old_dead', type: 'order.accepted', lane: 'critical', status: 'dead', created: at('08:00:00'), updated: at('08:00:01') },
  { id: 'm_wait_1', type: 'order.accepted', lane: 'critical', status: 'pending', created: at('09:00:20'), updated: at('09:00:20') },
  { id: 'm_wait_2', type: 'order.accepted', lane: 'critical', status: 'leased', created: at('09:00:21'), updated: at('09:00:21') },
  { id: 'm_wait_3', type: 'inventory.level-changed', lane: 'standard', status: 'pending', created: at('09:00:22'), updated: at('09:00:22') },
  { id: 'm_wait_4', type: 'catalog.product-changed', lane: 'bulk', status: 'pending', created: at('09:00:23'), updated: at('09:00:23') },
];

async function seed(store: Store): Promise<void> {
  await store.db.insertInto('messages').values(rows.map((r) => ({
    id: r.id, type: r.type, source: 'test', subject: null, time: r.created, schema_version: 1, data: '{}', correlation_id: `cor_${r.id}`, causation_id: null,
    traceparent: null, lane: r.lane, ordering_key: null, status: r.status, attempts: 1, available_at: r.created, lease_owner: null, lease_expires_at: null,
    last_error: null, dead_reason: r.status === 'dead' ? 'bad_data: no' : null, created_at: r.created, updated_at: r.updated,
  }))).execute();
  // What the hub's throughput recorder would have counted for these messages, per minute.
  const minuteOf = (t: number) => Math.floor(t / 60_000) * 60_000;
  await addMessageStats(store.db, [
    ...rows.filter((r) => r.status === 'done' || r.status === 'dead').map((r) => ({ minute: minuteOf(r.updated), type: r.type, outcome: r.status as 'done' | 'dead', latencyClass: latencyClassOf(r.updated - r.created), n: 1 })),
    { minute: minuteOf(at('08:58:30')), type: 'workflow.order-placement.route', outcome: 'retried', latencyClass: 0, n: 1 },
    { minute: minuteOf(at('08:00:00')), type: 'order.accepted', outcome: 'retried', latencyClass: 0, n: 1 },
  ]);
  await store.db.insertInto('message_attempts').values([
    { message_id: 'm_route', attempt: 1, at: at('08:58:30'), outcome: 'retry_scheduled', error_code: 'upstream_unavailable', error_message: '503', worker: 'w' },
    { message_id: 'm_route', attempt: 2, at: at('08:59:00'), outcome: 'dead_lettered', error_code: 'bad_data', error_message: 'no', worker: 'w' },
    { message_id: 'm_old_dead', attempt: 1, at: at('08:00:00'), outcome: 'retry_scheduled', error_code: 'upstream_unavailable', error_message: '503', worker: 'w' },
  ]).execute();
  const order = (id: string, status: string) => ({
    id, source: 'shop', external_id: id, number: null, status, hold_reason: status === 'on_hold' ? 'manual' : null, currency: 'EUR', total: 100,
    placed_at: '2026-11-27T08:00:00Z', body_hash: 'h', data: '{}', correlation_id: `cor_${id}`, created_at: 1, updated_at: 1,
  });
  await store.db.insertInto('orders').values([order('o1', 'on_hold'), order('o2', 'on_hold'), order('o3', 'accepted')]).execute();
  await store.db.insertInto('workflow_runs').values({
    id: 'run_1', workflow: 'order-placement', key: 'o3', order_id: 'o3', status: 'running', step: 'route', input: '{}', outputs: '{}', correlation_id: 'cor_o3',
    error: null, started_at: at('08:00:00'), step_started_at: at('08:00:00'), step_deadline: at('08:30:00'), updated_at: at('08:00:00'),
  }).execute();
}

describe.each(stores)('GET /v1/ops/overview on $name', (factory) => {
  let gw: TestGateway;
  const get = (url: string) => gw.app.inject({ method: 'GET', url, headers: auth });

  beforeAll(async () => {
    if (factory.skipReason !== null) return;
    const connections = createConnections(
      [{ id: 'shop-main', system: 'shopify', settings: { shopDomain: 'acme.myshopify.com', apiVersion: '2026-01' }, secrets: { accessToken: 'env:TOKEN', webhookSecret: 'env:HOOK' } }],
      builtInRegistry,
      { clock: { now: () => now }, secretSources: { env: { TOKEN: 'shpat_test', HOOK: 'whsec_test' }, readFile: () => '' } },
    );
    gw = await startTestGateway(factory, { clock: { now: () => now }, with: () => ({ connections }) });
    await seed(gw.store);
  });
  afterAll(async () => gw?.close());

  describe.skipIf(factory.skipReason !== null)('overview', () => {
    it('buckets throughput, failures, retries and latency per flow, with the state of the hub now', async () => {
      const res = await get('/v1/ops/overview?window=10m&step=1m');
      expect(res.statusCode).toBe(200);
      const body = res.json() as {
        from: string; to: string; stepMs: number;
        flows: { flow: string; points: { t: string; done: number; failed: number; retried: number; p50Ms: number | null; p95Ms: number | null }[] }[];
      } & Record<string, unknown>;
      expect(OverviewResponse.safeParse(body).error).toBeUndefined();
      expect(body).toMatchObject({
        from: '2026-11-27T08:51:00.000Z',
        to: '2026-11-27T09:01:00.000Z',
        stepMs: 60_000,
        backlog: { critical: 2, standard: 1, bulk: 1 },
        deadLetters: 2,
        errorRate: 1 / 5,
        connections: [{ id: 'shop-main', system: 'shopify', circuit: 'closed', lastSuccessAt: null }],
        stuckOrders: 1,
        ordersOnHold: 2,
      });
      expect(body.flows.map((f) => f.flow)).toEqual(['order-to-cash', 'inventory']);
      const [orderToCash, inventory] = body.flows;
      expect(orderToCash!.points).toHaveLength(10);
      expect(orderToCash!.points[0]).toEqual({ t: '2026-11-27T08:51:00.000Z', done: 0, failed: 0, retried: 0, p50Ms: null, p95Ms: null });
      expect(orderToCash!.points[7]).toMatchObject({ t: '2026-11-27T08:58:00.000Z', retried: 1, failed: 0 });
      expect(orderToCash!.points[8]).toMatchObject({ t: '2026-11-27T08:59:00.000Z', failed: 1, done: 0 });
      expect(orderToCash!.points[9]).toEqual({ t: '2026-11-27T09:00:00.000Z', done: 1, failed: 0, retried: 0, p50Ms: 50, p95Ms: 50 });
      // latencies 100, 200 and 5000 ms: the median falls in (100, 250], the 95th percentile in (2500, 5000]
      expect(inventory!.points[4]).toEqual({ t: '2026-11-27T08:55:00.000Z', done: 3, failed: 0, retried: 0, p50Ms: 250, p95Ms: 5000 });
      expect(inventory!.points.reduce((n, p) => n + p.done, 0)).toBe(3);
    });

    it('uses 1 h in 1 min steps by default and reads a shorter or coarser grid', async () => {
      const byDefault = (await get('/v1/ops/overview')).json() as { from: string; to: string; stepMs: number; flows: { points: unknown[] }[] };
      expect(byDefault).toMatchObject({ from: '2026-11-27T08:01:00.000Z', to: '2026-11-27T09:01:00.000Z', stepMs: 60_000 });
      expect(byDefault.flows[0]!.points).toHaveLength(60);
      const fine = (await get('/v1/ops/overview?window=2m&step=1m')).json() as { flows: { flow: string; points: { done: number }[] }[]; errorRate: number };
      expect(fine.flows.map((f) => [f.flow, f.points.length, f.points.reduce((n, p) => n + p.done, 0)])).toEqual([['order-to-cash', 2, 1]]);
      // 08:59 to 09:01: the accepted order done and the route dead-lettered at 08:59
      expect(fine.errorRate).toBe(0.5);
      const week = (await get('/v1/ops/overview?window=7d&step=1h')).json() as { flows: { points: unknown[] }[]; deadLetters: number };
      expect(week.flows[0]!.points).toHaveLength(168);
    });

    it.each(['window=8d', 'step=5s', 'step=90s', 'window=1d&step=1m', 'window=soon', 'step=1w'])('rejects %s with a 400 problem', async (query) => {
      const res = await get(`/v1/ops/overview?${query}`);
      expect(res.statusCode).toBe(400);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
    });

    it("shows each connection's API version and its end of life", async () => {
      const list = (await get('/v1/connections')).json() as { data: { id: string; api: unknown }[] };
      expect(list.data).toEqual([expect.objectContaining({ id: 'shop-main', api: { version: '2026-01', endOfLifeAt: '2027-01-01T00:00:00.000Z', daysToEndOfLife: 34 } })]);
      expect(ConnectionView.safeParse(list.data[0]).error).toBeUndefined();
      expect(((await get('/v1/connections/shop-main')).json() as { api: unknown }).api).toEqual({ version: '2026-01', endOfLifeAt: '2027-01-01T00:00:00.000Z', daysToEndOfLife: 34 });
    });
  });
});
