import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startWarehouseEmulator, type RunningWarehouseEmulator } from '../src/connectors/index.js';
import { sandboxCatalog, startSandbox, type Sandbox } from '../src/runtime/sandbox/index.js';
import { benchKey, startBenchHub } from './hub-process.js';
import { cpuSeconds, json, rssMiB, sleep, spread } from './measure.js';

const key = benchKey;
/** Outbound pace for the bench: far above the load, so the hub's own governors never throttle. */
const unthrottled = 100_000;
/** The warehouse's ship delay while orders are only placed: long enough that nothing ships. */
const neverShip = 3_600_000;

/** What the order-to-cash bench runs. */
export interface OrderToCashBenchOptions {
  /** Orders placed (phase 1: accepted → booked in the ERP → released to the warehouse). */
  orders: number;
  /** POST /v1/orders in flight at once. */
  concurrency: number;
  /** Submit at this many orders per second (open loop) instead of as fast as `concurrency` allows; 0 = as fast as possible. */
  rate: number;
  /** Orders whose timelines are read for latencies (spread evenly over the run). */
  sample: number;
  /** Orders of phase 2 (placed, shipped after `shipDelayMs`, delivered, invoiced, closed); 0 skips it. */
  closeOrders: number;
  /** The warehouse's delay from release to shipment in phase 2. */
  shipDelayMs: number;
  /**
   * The warehouse emulator's own API rate limit. startSandbox starts it at 20 calls refilled at
   * 10/s (with no way to change it), which caps releases at 10 orders/s; by default the bench swaps
   * in an unthrottled warehouse emulator with the same credentials. 'sandbox' keeps the throttled one.
   */
  warehouse: 'unthrottled' | 'sandbox';
  /** Extra `tillbridge start` flags, e.g. ['--sqlite-synchronous', 'NORMAL']. */
  hubArgs: string[];
  /** When set, the hub child runs with --cpu-prof and writes its profile here. */
  cpuProfDir?: string | undefined;
  /** Progress lines on stderr. */
  log?: (line: string) => void;
}

/** Figures of one phase. */
export interface PhaseFigures {
  orders: number;
  /** From the first submit to the last order reaching the phase's final status. */
  seconds: number;
  ordersPerSecond: number;
  /** Of the sampled orders, in ms: accepted → booked, accepted → final status. */
  booked: { p50: number; p99: number; max: number };
  final: { p50: number; p99: number; max: number };
  /** POST /v1/orders latency in ms. */
  submit: { p50: number; p99: number };
  /** Hub process CPU seconds over the phase / wall seconds (1.0 = one core busy). */
  hubCpu: number;
  /** Hub process CPU milliseconds per order (less sensitive to other load on the machine than orders/s). */
  hubCpuMsPerOrder: number;
  /** Outbound calls the hub made per order, by connection. */
  callsPerOrder: Record<string, number>;
  /** Webhooks the hub accepted per order (ERP Bin updates, warehouse shipments and stock). */
  webhooksPerOrder: number;
  /** Bench process (emulators + client) CPU seconds / wall seconds. */
  benchCpu: number;
  /** Bench process CPU milliseconds per order: what the emulators need to keep up. */
  benchCpuMsPerOrder: number;
  /** Orders not in the final status when the phase gave up (should be 0). */
  unfinished: Record<string, number>;
}

/** Figures of the order-to-cash bench. */
export interface OrderToCashBenchResult {
  placement: PhaseFigures;
  closing?: PhaseFigures | undefined;
  deadLetters: number;
  deadLetterSamples: string[];
  /** Deliveries that were retried (outcome=retry), by message type. */
  retries: Record<string, number>;
  /** Mean handler time (lease → settled) per message type, slowest first: [type, count, mean ms]. */
  handlers: [string, number, number][];
  webhooks: number;
  hubPeakRssMiB: number;
  warehouse: OrderToCashBenchOptions['warehouse'];
  shipDelayMs: number;
  rate: number;
  concurrency: number;
  hubArgs: string[];
}

/** The options from BENCH_O2C_* environment variables. */
export function orderToCashOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OrderToCashBenchOptions {
  const orders = Number(env.BENCH_O2C_ORDERS ?? 2000);
  return {
    orders,
    concurrency: Number(env.BENCH_O2C_CONCURRENCY ?? 64),
    rate: Number(env.BENCH_O2C_RATE ?? 0),
    sample: Number(env.BENCH_O2C_SAMPLE ?? 200),
    closeOrders: Number(env.BENCH_O2C_CLOSE_ORDERS ?? Math.min(orders, 1000)),
    shipDelayMs: Number(env.BENCH_O2C_SHIP_DELAY_MS ?? 100),
    warehouse: env.BENCH_O2C_WAREHOUSE === 'sandbox' ? 'sandbox' : 'unthrottled',
    hubArgs: (env.BENCH_O2C_HUB_ARGS ?? '').split(/\s+/).filter(Boolean),
    cpuProfDir: env.BENCH_O2C_CPU_PROF || undefined,
  };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Prometheus text as sample name (with labels) → value. */
async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** A canonical order of seeded SKUs, under the high-value hold, without payments (Stripe stays out). */
function benchOrder(externalId: string, n: number): Record<string, unknown> {
  const tee = sandboxCatalog[n % 3]!;
  const cap = sandboxCatalog[4]!;
  const teeQty = 1 + (n % 2);
  const subtotal = tee.price * teeQty + cap.price;
  return {
    source: 'bench',
    externalId,
    number: `#${externalId}`,
    placedAt: new Date().toISOString(),
    currency: 'USD',
    customer: { externalId: `bench-c-${externalId}`, email: `c${externalId}@bench.example`, name: `Bench Customer ${externalId}` },
    shippingAddress: { name: `Bench Customer ${externalId}`, line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
    lines: [
      { lineId: '1', sku: tee.sku, title: tee.title, quantity: teeQty, unitPrice: tee.price, discount: 0, taxes: [] },
      { lineId: '2', sku: cap.sku, title: cap.title, quantity: 1, unitPrice: cap.price, discount: 0, taxes: [] },
    ],
    shipping: [{ method: 'standard', price: 500, discount: 0, taxes: [] }],
    payments: [],
    totals: { subtotal, discount: 0, shipping: 500, tax: 0, total: subtotal + 500 },
  };
}

interface ListedOrder {
  id: string;
  status: string;
  updatedAt: string;
}

/** Outbound calls so far by connection (GET /v1/connections health). */
async function outboundCalls(url: string): Promise<Record<string, number>> {
  const page = await json<{ data: { id: string; health: { calls: number } }[] }>(await fetch(`${url}/v1/connections`, { headers: { authorization: `Bearer ${key}` } }), 'GET /v1/connections');
  return Object.fromEntries(page.data.map((c) => [c.id, c.health.calls]));
}

const acceptedWebhooks = (metrics: Map<string, number>) =>
  [...metrics].filter(([name]) => name.startsWith('tillbridge_webhooks_total') && name.includes('outcome="accepted"')).reduce((sum, [, value]) => sum + value, 0);

async function listOrders(url: string, ids: ReadonlySet<string>): Promise<ListedOrder[]> {
  const found: ListedOrder[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: ListedOrder[]; nextCursor: string | null } = await json(
      await fetch(`${url}/v1/orders?source=bench&limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${key}` } }),
      'GET /v1/orders',
    );
    for (const order of page.data) if (ids.has(order.id)) found.push({ id: order.id, status: order.status, updatedAt: order.updatedAt });
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

/**
 * One phase: submits `count` orders (`concurrency` at a time, paced at `rate` when set), waits until the message counter of
 * the phase's last step says all are through, then reads the orders (status, time of the last
 * change) and the timelines of a sample.
 */
async function runPhase(
  hub: { url: string; pid: number },
  options: OrderToCashBenchOptions,
  phase: { name: string; count: number; doneCounter: string; status: string; prefix: string; timeoutMs: number },
): Promise<PhaseFigures> {
  const log = options.log ?? (() => undefined);
  const metricsBefore = await scrape(hub.url);
  const counterBefore = metricsBefore.get(phase.doneCounter) ?? 0;
  const callsBefore = await outboundCalls(hub.url);
  const ids: string[] = new Array<string>(phase.count);
  const submitMs: number[] = [];
  const bodies = Array.from({ length: phase.count }, (_, n) => JSON.stringify(benchOrder(`${phase.prefix}-${n}`, n)));
  let next = 0;
  const hubCpu0 = cpuSeconds(hub.pid);
  const benchCpu0 = process.cpuUsage();
  const started = Date.now();
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, phase.count) }, async () => {
      while (next < phase.count) {
        const n = next++;
        if (options.rate > 0) await sleep(started + (n * 1000) / options.rate - Date.now());
        const t0 = performance.now();
        const response = await fetch(`${hub.url}/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: bodies[n] });
        const body = await json<{ id: string }>(response, 'POST /v1/orders');
        submitMs.push(performance.now() - t0);
        ids[n] = body.id;
      }
    }),
  );
  const submitted = (Date.now() - started) / 1000;
  log(`bench: o2c ${phase.name}: ${phase.count} orders submitted in ${submitted.toFixed(2)} s, waiting for ${phase.status}…`);
  const deadline = Date.now() + phase.timeoutMs;
  let lastReport = Date.now();
  for (;;) {
    const metrics = await scrape(hub.url);
    const done = (metrics.get(phase.doneCounter) ?? 0) - counterBefore;
    if (done >= phase.count) break;
    if ((metrics.get('tillbridge_dead_letters') ?? 0) > 0 && Date.now() - lastReport > 5000) log(`bench: o2c ${phase.name}: ${metrics.get('tillbridge_dead_letters')} dead letters so far`);
    if (Date.now() > deadline) {
      log(`bench: o2c ${phase.name}: gave up after ${phase.timeoutMs / 1000} s with ${done}/${phase.count} ${phase.status}`);
      break;
    }
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      log(`bench: o2c ${phase.name}: ${done}/${phase.count} ${phase.status} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    await sleep(250);
  }
  const hubCpu = cpuSeconds(hub.pid) - hubCpu0;
  const callsAfter = await outboundCalls(hub.url);
  const webhooks = acceptedWebhooks(await scrape(hub.url)) - acceptedWebhooks(metricsBefore);
  const benchCpuUsage = process.cpuUsage(benchCpu0);
  const wall = (Date.now() - started) / 1000;
  const wanted = new Set(ids);
  const orders = await listOrders(hub.url, wanted);
  const unfinished: Record<string, number> = {};
  for (const order of orders) if (order.status !== phase.status) unfinished[order.status] = (unfinished[order.status] ?? 0) + 1;
  if (orders.length < wanted.size) unfinished['missing'] = wanted.size - orders.length;
  const finals = orders.filter((o) => o.status === phase.status).map((o) => Date.parse(o.updatedAt));
  const seconds = ((finals.length > 0 ? Math.max(...finals) : Date.now()) - started) / 1000;

  const step = Math.max(1, Math.floor(phase.count / Math.max(1, options.sample)));
  const booked: number[] = [];
  const final: number[] = [];
  for (let n = 0; n < phase.count; n += step) {
    const order = await json<{ timeline: { at: string; event: string }[] }>(await fetch(`${hub.url}/v1/orders/${ids[n]}`, { headers: { authorization: `Bearer ${key}` } }), 'GET /v1/orders/{id}');
    const at = (event: string) => order.timeline.find((t) => t.event === event)?.at;
    const accepted = at('order.accepted');
    if (!accepted) continue;
    const bookedAt = at('order.booked');
    const finalAt = at(`order.${phase.status}`);
    if (bookedAt) booked.push(Date.parse(bookedAt) - Date.parse(accepted));
    if (finalAt) final.push(Date.parse(finalAt) - Date.parse(accepted));
  }
  return {
    orders: phase.count,
    seconds,
    ordersPerSecond: finals.length / seconds,
    booked: spread(booked),
    final: spread(final),
    submit: spread(submitMs),
    hubCpu: hubCpu / wall,
    hubCpuMsPerOrder: (hubCpu * 1000) / phase.count,
    callsPerOrder: Object.fromEntries(
      Object.entries(callsAfter)
        .map(([id, calls]): [string, number] => [id, (calls - (callsBefore[id] ?? 0)) / phase.count])
        .filter(([, perOrder]) => perOrder >= 0.05),
    ),
    webhooksPerOrder: webhooks / phase.count,
    benchCpu: (benchCpuUsage.user + benchCpuUsage.system) / 1e6 / wall,
    benchCpuMsPerOrder: (benchCpuUsage.user + benchCpuUsage.system) / 1e3 / phase.count,
    unfinished,
  };
}

/** Lifts the outbound rate limits of the generated configuration (and points wh-main at `warehouseUrl`). */
function rewriteConfig(configPath: string, warehouseUrl: string | undefined): void {
  const config = parse(fs.readFileSync(configPath, 'utf8')) as { connections: { id: string; system: string; settings: Record<string, unknown> }[] };
  for (const connection of config.connections) {
    if (connection.system === 'erpnext') connection.settings['rateLimit'] = { capacity: unthrottled, perSecond: unthrottled };
    if (connection.system === 'warehouse') {
      connection.settings['rateLimit'] = { capacity: unthrottled, refillPerSecond: unthrottled };
      if (warehouseUrl) connection.settings['baseUrl'] = warehouseUrl;
    }
    if (connection.system === 'stripe') connection.settings['rateLimit'] = { capacity: unthrottled, refillPerSecond: unthrottled };
  }
  fs.writeFileSync(configPath, `# Written by the order-to-cash bench: the sandbox configuration with outbound rate limits lifted.\n${stringify(config)}`);
}

/**
 * Order to cash end to end against the ERP and warehouse emulators (in this process) and a hub in
 * a child process on SQLite, without faults: how many orders per second get from POST /v1/orders
 * to booked in the ERP and released to the warehouse, how long accepted → booked takes, and
 * (phase 2) how many per second go all the way to closed (shipment, Delivery Note, Sales Invoice).
 */
export async function orderToCashBench(options: OrderToCashBenchOptions): Promise<OrderToCashBenchResult> {
  const log = options.log ?? (() => undefined);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillbridge-bench-o2c-'));
  let sandbox: Sandbox | undefined;
  let warehouse: RunningWarehouseEmulator | undefined;
  let child: ChildProcess | undefined;
  try {
    sandbox = await startSandbox({ outDir: dir, hubUrl: 'http://127.0.0.1:9' });
    const wh = sandbox.connections['wh-main']!;
    const erp = sandbox.connections['erp-main']!;
    const stock = Object.fromEntries(sandboxCatalog.map((p) => [p.sku, 10_000_000]));
    if (options.warehouse === 'unthrottled') {
      warehouse = await startWarehouseEmulator({ credentials: { apiKey: wh.apiKey!, webhookSecret: wh.webhookSecret! }, stock, rateLimit: null, shipDelayMs: neverShip });
    } else {
      for (const [sku, onHand] of Object.entries(stock)) await json(await post(`${wh.baseUrl}/_sandbox/stock`, { sku, onHand }), 'warehouse stock');
    }
    const warehouseUrl = warehouse?.url ?? wh.baseUrl;
    rewriteConfig(sandbox.configPath, warehouse?.url);
    const config = parse(fs.readFileSync(sandbox.configPath, 'utf8')) as { orderToCash: { accounts: { tax: string } } };
    const abbr = config.orderToCash.accounts.tax.split(' - ').at(-1)!;
    // Enough ERP stock that no Delivery Note runs into NegativeStockError.
    for (const product of sandboxCatalog) {
      await json(await post(`${erp.baseUrl}/_sandbox/stock`, { item_code: product.sku, warehouse: `Stores - ${abbr}`, qty: 10_000_000 }), 'ERP stock');
    }
    await json(await post(`${warehouseUrl}/_sandbox/behaviour`, { shipDelayMs: neverShip }), 'warehouse behaviour');

    const started = await startBenchHub(['--config', sandbox.configPath, '--data', path.join(dir, 'data'), ...options.hubArgs], options.cpuProfDir ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] } : {});
    child = started.child;
    const hub = { url: started.url, pid: started.child.pid! };
    await sandbox.retarget(hub.url);
    if (warehouse) await json(await post(`${warehouse.url}/_sandbox/webhooks`, { url: `${hub.url}/webhooks/warehouse/wh-main` }), 'warehouse webhooks');
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(hub.pid))), 200);

    log(`bench: o2c placement (${options.orders} orders, ${options.concurrency} in flight, warehouse ${options.warehouse})…`);
    const placement = await runPhase(hub, options, {
      name: 'placement',
      count: options.orders,
      doneCounter: 'tillbridge_messages_total{type="workflow.order-placement.release-to-warehouse",outcome="done"}',
      status: 'released',
      prefix: 'o2c-place',
      timeoutMs: Math.max(120_000, options.orders * 200),
    });

    let closing: PhaseFigures | undefined;
    if (options.closeOrders > 0) {
      await json(await post(`${warehouseUrl}/_sandbox/behaviour`, { shipDelayMs: options.shipDelayMs }), 'warehouse behaviour');
      log(`bench: o2c to closed (${options.closeOrders} orders, ship delay ${options.shipDelayMs} ms)…`);
      closing = await runPhase(hub, options, {
        name: 'close',
        count: options.closeOrders,
        doneCounter: 'tillbridge_messages_total{type="workflow.order-completion.close",outcome="done"}',
        status: 'closed',
        prefix: 'o2c-close',
        timeoutMs: Math.max(180_000, options.closeOrders * 400),
      });
    }
    clearInterval(sampler);

    const metrics = await scrape(hub.url);
    const retries: Record<string, number> = {};
    const sums = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const [name, value] of metrics) {
      const type = /type="([^"]+)"/.exec(name)?.[1];
      if (name.startsWith('tillbridge_messages_total') && name.includes('outcome="retry"') && type && value > 0) retries[type] = value;
      if (name.startsWith('tillbridge_message_handler_duration_seconds_sum') && type) sums.set(type, value);
      if (name.startsWith('tillbridge_message_handler_duration_seconds_count') && type) counts.set(type, value);
    }
    const handlers = [...sums]
      .map(([type, sum]): [string, number, number] => [type, counts.get(type) ?? 0, (sum * 1000) / Math.max(1, counts.get(type) ?? 0)])
      .sort((a, b) => b[2] * b[1] - a[2] * a[1]);
    const letters = await json<{ data: Record<string, unknown>[] }>(await fetch(`${hub.url}/v1/dead-letters?limit=20`, { headers: { authorization: `Bearer ${key}` } }), 'GET /v1/dead-letters');
    const deadLetters = metrics.get('tillbridge_dead_letters') ?? letters.data.length;
    return {
      placement,
      closing,
      deadLetters,
      deadLetterSamples: letters.data.slice(0, 5).map((l) => JSON.stringify(l).slice(0, 400)),
      retries,
      handlers,
      webhooks: acceptedWebhooks(metrics),
      hubPeakRssMiB: peakRss,
      warehouse: options.warehouse,
      shipDelayMs: options.shipDelayMs,
      rate: options.rate,
      concurrency: options.concurrency,
      hubArgs: options.hubArgs,
    };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await warehouse?.close();
    await sandbox?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The bench's figures as printed lines: a table of the phases, then notes. */
export function formatOrderToCash(result: OrderToCashBenchResult): string[] {
  const header = ['phase', 'orders', 'seconds', 'orders/s', 'acc→booked p50 ms', 'p99 ms', 'acc→final p50 ms', 'p99 ms', 'POST p99 ms', 'hub CPU', 'hub CPU ms/order', 'emulators CPU ms/order', 'calls/order', 'webhooks/order'];
  const row = (name: string, p: PhaseFigures): string[] => [
    name,
    String(p.orders),
    p.seconds.toFixed(2),
    p.ordersPerSecond.toFixed(0),
    p.booked.p50.toFixed(0),
    p.booked.p99.toFixed(0),
    p.final.p50.toFixed(0),
    p.final.p99.toFixed(0),
    p.submit.p99.toFixed(0),
    `${(p.hubCpu * 100).toFixed(0)}%`,
    p.hubCpuMsPerOrder.toFixed(1),
    p.benchCpuMsPerOrder.toFixed(1),
    Object.entries(p.callsPerOrder).map(([id, n]) => `${id} ${n.toFixed(1)}`).join(', '),
    p.webhooksPerOrder.toFixed(1),
  ];
  const rows = [row('to released', result.placement), ...(result.closing ? [row('to closed', result.closing)] : [])];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const lines = [
    `Order to cash — ${result.rate > 0 ? `submitted at ${result.rate} orders/s` : `submitted as fast as ${result.concurrency} in flight allow`}, SQLite, hub in its own process${result.hubArgs.length > 0 ? ` (${result.hubArgs.join(' ')})` : ''}, ERP + warehouse emulators in the bench process, no faults, warehouse API ${result.warehouse === 'sandbox' ? 'at the emulator default (20, 10/s)' : 'unthrottled'}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  if (result.closing) lines.push(`to closed: new orders, shipped by the warehouse ${result.shipDelayMs} ms after release; first submit → last closed (shipment, Delivery Note, Sales Invoice)`);
  for (const [name, p] of [['to released', result.placement], ['to closed', result.closing]] as const) {
    if (p && Object.keys(p.unfinished).length > 0) lines.push(`${name}: NOT finished: ${JSON.stringify(p.unfinished)}`);
  }
  lines.push(`dead letters ${result.deadLetters}, retried deliveries ${JSON.stringify(result.retries)}, webhooks accepted ${result.webhooks}, hub peak RSS ${result.hubPeakRssMiB.toFixed(0)} MiB`);
  for (const sample of result.deadLetterSamples) lines.push(`dead letter: ${sample}`);
  lines.push(`handler time (count × mean ms, lease → settled): ${result.handlers.slice(0, 10).map(([type, count, mean]) => `${type.replace(/^workflow\./, '')} ${count}×${mean.toFixed(0)}`).join(', ')}`);
  return lines;
}
