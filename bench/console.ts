import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createThroughputRecorder, type SettledDelivery } from '../src/messaging/index.js';
import { systemClock } from '../src/model/index.js';
import { flowSeries } from '../src/gateway/ops/series.js';
import { addMessageStats, latencyClassBoundsMs, messageStatsHistogram, migrateToLatest, openStore, searchMessages, type MessageStatsRow, type Store } from '../src/store/index.js';
import { spread } from './measure.js';

/** Figures of the console bench: its queries on a large store, and what counting throughput costs per delivery. */
export interface ConsoleBenchResult {
  messages: number;
  orders: number;
  statsRows: number;
  seedSeconds: number;
  overviewHourMs: { p50: number; p99: number };
  overviewWeekMs: { p50: number; p99: number };
  searchByNumberMs: { p50: number; p99: number };
  searchBySkuMs: { p50: number; p99: number };
  searchByCorrelationMs: { p50: number; p99: number };
  recorderNsPerDelivery: number;
}

const types = ['order.accepted', 'workflow.order-placement.route', 'workflow.order-placement.reserve-stock', 'workflow.order-placement.payment', 'workflow.order-placement.book-sales-order', 'workflow.order-placement.release-to-warehouse', 'inbound.received', 'catalog.publish', 'ledger.post', 'finance.order-posting'];
const skus = Array.from({ length: 500 }, (_, i) => `SKU-${i}`);

async function seed(store: Store, orders: number, now: number): Promise<number> {
  const perOrder = types.length;
  for (let first = 0; first < orders; first += 500) {
    const batch = Array.from({ length: Math.min(500, orders - first) }, (_, i) => first + i);
    await store.db.transaction().execute(async (trx) => {
      await trx.insertInto('orders').values(batch.map((n) => ({ id: `ord_${n}`, source: 'shop-main', external_id: String(n), number: `#${1000 + n}`, status: 'released', hold_reason: null, currency: 'USD', total: 5000, placed_at: '2026-11-27T08:00:00Z', body_hash: 'h', data: '{}', correlation_id: `cor_${n}`, created_at: now, updated_at: now }))).execute();
      await trx.insertInto('order_line_quantities').values(batch.map((n) => ({ order_id: `ord_${n}`, line_id: '1', sku: skus[n % skus.length]!, ordered: 1, shipped: 0, cancelled: 0, returned: 0, updated_at: now }))).execute();
      const messages = batch.flatMap((n) => types.map((type, t) => ({ id: `msg_${n}_${t}`, type, source: 'bench', subject: `ord_${n}`, time: now, schema_version: 1, data: '{"runId":"run"}', correlation_id: `cor_${n}`, causation_id: t === 0 ? null : `msg_${n}_${t - 1}`, traceparent: null, lane: 'critical', ordering_key: `ord_${n}`, status: 'done', attempts: 1, available_at: now, lease_owner: null, lease_expires_at: null, last_error: null, dead_reason: null, created_at: now - 1000 + t * 10, updated_at: now - 900 + t * 10 })));
      for (let i = 0; i < messages.length; i += 1000) await trx.insertInto('messages').values(messages.slice(i, i + 1000)).execute();
    });
  }
  // A week of per-minute statistics: every type settles each minute in two latency classes, and some retry.
  const rows: MessageStatsRow[] = [];
  const firstMinute = Math.floor(now / 60_000) * 60_000 - 7 * 86_400_000;
  for (let minute = firstMinute; minute <= now; minute += 60_000) {
    for (const type of types) {
      rows.push({ minute, type, outcome: 'done', latencyClass: 3, n: 40 }, { minute, type, outcome: 'done', latencyClass: 5, n: 2 });
      if (minute % 600_000 === 0) rows.push({ minute, type, outcome: 'retried', latencyClass: 0, n: 1 });
    }
  }
  await addMessageStats(store.db, rows);
  return orders * perOrder;
}

async function time(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  const { p50, p99 } = spread(samples);
  return { p50, p99 };
}

async function overview(store: Store, now: number, windowMs: number, stepMs: number) {
  const to = Math.floor(now / stepMs) * stepMs + stepMs;
  const points = Math.ceil(windowMs / stepMs);
  const from = to - points * stepMs;
  const { settled, retried } = await messageStatsHistogram(store.db, { from, to, stepMs });
  return flowSeries({ from, stepMs, points }, settled, retried, latencyClassBoundsMs);
}

/** Seeds a SQLite store with `orders` orders (10 messages each) and a week of statistics, then times the console's queries. */
export async function consoleBench(options: { orders: number; log: (line: string) => void }): Promise<ConsoleBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillbridge-bench-console-'));
  const store = await openStore({ dataDir: dir });
  try {
    await migrateToLatest(store);
    const now = Date.now();
    const started = performance.now();
    const messages = await seed(store, options.orders, now);
    const seedSeconds = (performance.now() - started) / 1000;
    const statsRows = Number((await store.db.selectFrom('message_stats').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    options.log(`seeded ${messages} messages, ${options.orders} orders and ${statsRows} statistics rows in ${seedSeconds.toFixed(1)} s`);
    let n = 0;
    const pick = () => (n = (n * 7919 + 13) % options.orders);
    const result = {
      messages,
      orders: options.orders,
      statsRows,
      seedSeconds,
      overviewHourMs: await time(50, () => overview(store, now, 3_600_000, 60_000)),
      overviewWeekMs: await time(10, () => overview(store, now, 7 * 86_400_000, 3_600_000)),
      searchByNumberMs: await time(200, () => searchMessages(store.db, { q: `#${1000 + pick()}` }, { limit: 50 })),
      searchBySkuMs: await time(50, () => searchMessages(store.db, { q: skus[pick() % skus.length] }, { limit: 50 })),
      searchByCorrelationMs: await time(200, () => searchMessages(store.db, { q: `cor_${pick()}` }, { limit: 50 })),
      recorderNsPerDelivery: await recorderCost(store),
    };
    return result;
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Nanoseconds the throughput recorder adds to one delivery (counting in memory; the store sees one upsert per cell every 5 s). */
async function recorderCost(store: Store): Promise<number> {
  const recorder = createThroughputRecorder({ store, clock: systemClock, flushMs: 3_600_000 });
  const delivery: SettledDelivery = { id: 'm', type: 'order.accepted', lane: 'critical', outcome: 'done', attempt: 1, durationMs: 1, latencyMs: 120, correlationId: 'c' };
  const count = 1_000_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) recorder.settled(delivery);
  const ns = Number(process.hrtime.bigint() - started) / count;
  await recorder.stop();
  return ns;
}

/** The figures as lines. */
export function formatConsole(r: ConsoleBenchResult): string[] {
  const ms = (t: { p50: number; p99: number }) => `p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms`;
  return [
    `console on sqlite: ${r.messages.toLocaleString('en')} messages of ${r.orders.toLocaleString('en')} orders, ${r.statsRows.toLocaleString('en')} statistics rows (a week)`,
    `  overview 1 h / 1 min        ${ms(r.overviewHourMs)}`,
    `  overview 7 d / 1 h          ${ms(r.overviewWeekMs)}`,
    `  search by order number      ${ms(r.searchByNumberMs)}`,
    `  search by SKU               ${ms(r.searchBySkuMs)}`,
    `  search by correlation id    ${ms(r.searchByCorrelationMs)}`,
    `  throughput counting         ${r.recorderNsPerDelivery.toFixed(0)} ns per delivery`,
  ];
}
