import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { createShopifyClient, ShopifySettings, startShopifyEmulator, type RunningShopifyEmulator } from '../src/connectors/shopify/index.js';
import { startSandbox, type Sandbox } from '../src/runtime/sandbox/index.js';
import { benchKey, startBenchHub } from './hub-process.js';
import { cpuSeconds, json, rssMiB, sleep, spread } from './measure.js';

const key = benchKey;
/** Shopify GraphQL points restored per second when the bench lifts the emulator's cost limit. */
const unthrottledPoints = 1_000_000;

/** What the inventory bench runs. */
export interface InventoryBenchOptions {
  /** Events of the throughput phase. */
  events: number;
  /** SKUs (all listed in Shopify) the events are spread over. */
  skus: number;
  /** Events per POST /v1/inventory/events. */
  batch: number;
  /** Requests in flight in the throughput phase. */
  concurrency: number;
  /** Events per second of the latency phase (open loop). */
  rate: number;
  /** Seconds of the latency phase. */
  seconds: number;
  /** SKUs whose last change is timed in the latency phase. */
  sample: number;
  /** The inventory push interval of the latency phase (ms). */
  pushIntervalMs: number;
  /** The Shopify emulator's GraphQL points restored per second (its bucket holds 20×); default far above the load. */
  shopifyPoints: number;
  log?: (line: string) => void;
}

/** Figures of the throughput phase. */
export interface ThroughputFigures {
  events: number;
  requests: number;
  seconds: number;
  eventsPerSecond: number;
  request: { p50: number; p99: number; max: number };
  hubCpuMsPer1000: number;
  applied: number;
  stale: number;
  duplicate: number;
}

/** Figures of the latency phase. */
export interface LatencyFigures {
  events: number;
  /** Events per second actually sent (open loop). */
  sentPerSecond: number;
  request: { p50: number; p99: number; max: number };
  /** Send of the POST carrying a sampled SKU's last change → the hub's publishedAt for that value (ms). */
  latency: { p50: number; p99: number; max: number };
  /** Sampled SKUs measured / sampled; a SKU whose final value Shopify did not show within the wait is not measured. */
  measured: number;
  sampled: number;
  /** Sampled SKUs where Shopify's available differs from the last value sent (should be 0). */
  wrong: number;
  /** Sampled SKUs Shopify had not caught up with 60 s after the last send (counted in `wrong` too). */
  behind: number;
  /** Changes per sampled SKU in the phase, and Shopify updates per sampled SKU in the phase. */
  changesPerSku: number;
  updatesPerSku: number;
  hubCpuMsPer1000: number;
  /** Bench process (Shopify emulator, client) CPU ms per 1,000 events over the same span. */
  benchCpuMsPer1000: number;
}

/** Figures of the inventory bench. */
export interface InventoryBenchResult {
  options: InventoryBenchOptions;
  throughput: ThroughputFigures;
  latency: LatencyFigures;
  hubPeakRssMiB: number;
}

/** The options from BENCH_INV_* environment variables. */
export function inventoryOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): InventoryBenchOptions {
  const skus = Number(env.BENCH_INV_SKUS ?? 2000);
  return {
    events: Number(env.BENCH_INV_EVENTS ?? 200_000),
    skus,
    batch: Number(env.BENCH_INV_BATCH ?? 1000),
    concurrency: Number(env.BENCH_INV_CONCURRENCY ?? 6),
    rate: Number(env.BENCH_INV_RATE ?? 1000),
    seconds: Number(env.BENCH_INV_SECONDS ?? 20),
    sample: Math.min(skus, Number(env.BENCH_INV_SAMPLE ?? 200)),
    pushIntervalMs: Number(env.BENCH_INV_PUSH_INTERVAL_MS ?? 250),
    shopifyPoints: Number(env.BENCH_INV_SHOPIFY_POINTS ?? unthrottledPoints),
  };
}

const skuOf = (n: number) => `INV-${String(n).padStart(5, '0')}`;

interface StockEvent {
  sku: string;
  locationId: string;
  onHand: number;
  sourceVersion: number;
  occurredAt: string;
}

interface EventsAnswer {
  applied: number;
  stale: number;
  duplicate: number;
}

/** Event `v` (1-based, increasing across the whole run) of SKU `n`: on hand = version, so every change is a new level. */
const eventOf = (n: number, v: number, at: string): StockEvent => ({ sku: skuOf(n), locationId: 'wh-main', onHand: v, sourceVersion: v, occurredAt: at });

async function postEvents(url: string, body: string): Promise<EventsAnswer> {
  return json<EventsAnswer>(
    await fetch(`${url}/v1/inventory/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body }),
    'POST /v1/inventory/events',
  );
}

interface ChannelView {
  connectionId: string;
  available: number;
  publishedAvailable: number | null;
  publishedAt: string | null;
  error: string | null;
}

async function channelOf(url: string, sku: string): Promise<ChannelView | undefined> {
  const view = await json<{ channels: ChannelView[] }>(await fetch(`${url}/v1/inventory/${sku}`, { headers: { authorization: `Bearer ${key}` } }), 'GET /v1/inventory/{sku}');
  return view.channels.find((c) => c.connectionId === 'shop-main');
}

async function shopifyShows(shopUrl: string, sku: string): Promise<{ available: number; updates: number }> {
  return json(await fetch(`${shopUrl}/_sandbox/inventory/${sku}`), 'GET _sandbox/inventory');
}

/** Waits until Shopify shows `expected` for every SKU in it (or the deadline passes); the SKUs still behind. */
async function waitForShopify(shopUrl: string, expected: Map<string, number>, timeoutMs: number): Promise<Set<string>> {
  const behind = new Set(expected.keys());
  const deadline = Date.now() + timeoutMs;
  while (behind.size > 0 && Date.now() < deadline) {
    for (const sku of [...behind]) if ((await shopifyShows(shopUrl, sku)).available === expected.get(sku)) behind.delete(sku);
    if (behind.size > 0) await sleep(100);
  }
  return behind;
}

/** Sandbox config with the bench's inventory settings (no safety stock, so Shopify shows on hand) and Shopify at `shopUrl`. */
function writeConfig(configPath: string, shopUrl: string, pushIntervalMs: number): void {
  const config = parse(fs.readFileSync(configPath, 'utf8')) as { connections: { id: string; settings: Record<string, unknown> }[] } & Record<string, unknown>;
  for (const connection of config.connections) if (connection.id === 'shop-main') connection.settings['baseUrl'] = shopUrl;
  config['inventory'] = {
    locations: [{ id: 'wh-main', name: 'Main warehouse (3PL)' }],
    channels: [{ connection: 'shop-main', locations: ['wh-main'] }],
    pushInterval: `${pushIntervalMs}ms`,
  };
  fs.writeFileSync(configPath, `# Written by the inventory bench.\n${stringify(config)}`);
}

async function stopHub(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Inventory API throughput and Shopify propagation latency against a hub in its own process
 * (SQLite) and a Shopify emulator in the bench process: (1) stock events through
 * POST /v1/inventory/events as fast as `concurrency` requests in flight allow; (2) a steady
 * open-loop rate, then, for a sample of SKUs, the time from sending the SKU's last change to the
 * hub's publishedAt of that value (read from GET /v1/inventory/{sku}, checked against what the
 * emulator shows).
 */
export async function inventoryBench(options: InventoryBenchOptions): Promise<InventoryBenchResult> {
  const began = Date.now();
  const log = (line: string) => options.log?.(`${line} (+${((Date.now() - began) / 1000).toFixed(1)} s)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillbridge-bench-inv-'));
  let sandbox: Sandbox | undefined;
  let shop: RunningShopifyEmulator | undefined;
  let child: ChildProcess | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    sandbox = await startSandbox({ outDir: dir, hubUrl: 'http://127.0.0.1:9' });
    const sandboxShop = sandbox.connections['shop-main']!;
    // A Shopify emulator of its own (same credentials and default shop domain as the sandbox's) so its cost bucket can be set.
    shop = await startShopifyEmulator({
      credentials: { accessToken: sandboxShop['accessToken']!, webhookSecret: sandboxShop['webhookSecret']! },
      costBucket: { maximum: options.shopifyPoints * 20, restoreRate: options.shopifyPoints },
    });
    const client = createShopifyClient({ connectionId: 'shop-main', settings: ShopifySettings.parse({ shopDomain: shop.shopDomain, baseUrl: shop.url }), secrets: { accessToken: shop.credentials.accessToken } });
    log(`bench: inventory: listing ${options.skus} SKUs in Shopify…`);
    for (let first = 0; first < options.skus; first += 100) {
      const skus = Array.from({ length: Math.min(100, options.skus - first) }, (_, i) => skuOf(first + i));
      await client.productSet({
        title: `Bench product ${first / 100}`,
        productOptions: [{ name: 'Title', values: skus.map((s) => ({ name: s })) }],
        variants: skus.map((sku) => ({ sku, price: '10.00', optionValues: [{ optionName: 'Title', name: sku }] })),
      });
    }

    const data = path.join(dir, 'data');
    const start = async (pushIntervalMs: number) => {
      writeConfig(sandbox!.configPath, shop!.url, pushIntervalMs);
      const started = await startBenchHub(['--config', sandbox!.configPath, '--data', data]);
      child = started.child;
      await sandbox!.retarget(started.url);
      await json(await fetch(`${shop!.url}/_sandbox/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `${started.url}/webhooks/shopify/shop-main` }) }), 'Shopify webhooks');
      return { url: started.url, pid: started.child.pid! };
    };
    let peakRss = 0;
    let hub = await start(1000);
    sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(hub.pid))), 200);

    // Phase 1: throughput (push interval 1 s, the default; pushes to Shopify run meanwhile).
    log(`bench: inventory throughput (${options.events} events over ${options.skus} SKUs, ${options.batch} per request, ${options.concurrency} in flight)…`);
    const requests = Math.ceil(options.events / options.batch);
    const requestMs: number[] = [];
    const totals = { applied: 0, stale: 0, duplicate: 0 };
    let next = 0;
    const cpu0 = cpuSeconds(hub.pid);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency, requests) }, async () => {
        while (next < requests) {
          const r = next++;
          const at = new Date().toISOString();
          const events: StockEvent[] = [];
          for (let e = r * options.batch; e < Math.min(options.events, (r + 1) * options.batch); e++) events.push(eventOf(e % options.skus, e + 1, at));
          const body = JSON.stringify({ events });
          const sent = performance.now();
          const answer = await postEvents(hub.url, body);
          requestMs.push(performance.now() - sent);
          totals.applied += answer.applied;
          totals.stale += answer.stale;
          totals.duplicate += answer.duplicate;
        }
      }),
    );
    const wall = (performance.now() - t0) / 1000;
    log(`bench: inventory: throughput phase sent`);
    const throughput: ThroughputFigures = {
      events: options.events,
      requests,
      seconds: wall,
      eventsPerSecond: options.events / wall,
      request: spread(requestMs),
      hubCpuMsPer1000: ((cpuSeconds(hub.pid) - cpu0) * 1000 * 1000) / options.events,
      ...totals,
    };

    // Let phase 1's pushes finish so phase 2 starts from a quiet hub (and Shopify shows phase 1's levels).
    const lastOfPhase1 = new Map<string, number>();
    for (let e = Math.max(0, options.events - options.skus); e < options.events; e++) lastOfPhase1.set(skuOf(e % options.skus), e + 1);
    const sampleSkus = Array.from({ length: options.sample }, (_, i) => Math.floor((i * options.skus) / options.sample));
    log(`bench: inventory: waiting for Shopify to show the throughput phase's last levels…`);
    const settle = new Map(sampleSkus.map((n) => [skuOf(n), lastOfPhase1.get(skuOf(n)) ?? 0]));
    const behind1 = await waitForShopify(shop.url, settle, 60_000);
    if (behind1.size > 0) log(`bench: inventory: ${behind1.size} sampled SKUs still behind after 60 s`);

    // Phase 2: latency at a steady rate, with the push interval the options give (hub restarted on the same data).
    clearInterval(sampler);
    await stopHub(child);
    hub = await start(options.pushIntervalMs);
    sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(hub.pid))), 200);
    const tickMs = 100;
    const perTick = Math.max(1, Math.round((options.rate * tickMs) / 1000));
    /** Per SKU: its last value and when the POST carrying it was sent (epoch ms). */
    const last = new Map<string, { value: number; sentAt: number }>();
    const changes = new Map<string, number>();
    const latencyRequestMs: number[] = [];
    /** Sends `count` events from version `base` at the steady rate (open loop); resolves when every answer is in. */
    const steady = async (count: number, base: number): Promise<number> => {
      const inFlight: Promise<void>[] = [];
      const ticks = Math.ceil(count / perTick);
      const phaseStart = Date.now();
      for (let tick = 0; tick < ticks; tick++) {
        await sleep(phaseStart + tick * tickMs - Date.now());
        const at = new Date().toISOString();
        const events: StockEvent[] = [];
        // A stride through the SKUs (coprime with most counts) so each SKU's changes are spread over the phase.
        for (let e = tick * perTick; e < Math.min(count, (tick + 1) * perTick); e++) events.push(eventOf((e * 7919) % options.skus, base + e, at));
        const sentAt = Date.now();
        for (const event of events) {
          last.set(event.sku, { value: event.onHand, sentAt });
          changes.set(event.sku, (changes.get(event.sku) ?? 0) + 1);
        }
        const sent = performance.now();
        inFlight.push(postEvents(hub.url, JSON.stringify({ events })).then(() => void latencyRequestMs.push(performance.now() - sent)));
      }
      await Promise.all(inFlight);
      return (Date.now() - phaseStart) / 1000;
    };
    // Warm-up at the same rate (every SKU once, so the hub has looked up its Shopify item again after the restart), not measured.
    const warmup = Math.max(options.skus, Math.round(options.rate * 3));
    log(`bench: inventory warm-up (${warmup} events at ${options.rate}/s, push interval ${options.pushIntervalMs} ms)…`);
    await steady(warmup, options.events + 1);
    const warmExpected = new Map(sampleSkus.map((n) => [skuOf(n), last.get(skuOf(n))?.value ?? lastOfPhase1.get(skuOf(n)) ?? 0]));
    log(`bench: inventory: warm-up sent, waiting for Shopify…`);
    await waitForShopify(shop.url, warmExpected, 60_000);
    last.clear();
    changes.clear();
    latencyRequestMs.length = 0;
    const updatesBefore = new Map<string, number>();
    for (const n of sampleSkus) updatesBefore.set(skuOf(n), (await shopifyShows(shop.url, skuOf(n))).updates);
    const total = Math.round(options.rate * options.seconds);
    log(`bench: inventory latency (${options.rate} events/s for ${options.seconds} s over ${options.skus} SKUs, ${perTick} events every ${tickMs} ms, push interval ${options.pushIntervalMs} ms)…`);
    const cpu1 = cpuSeconds(hub.pid);
    const benchCpu1 = process.cpuUsage();
    const sentSeconds = await steady(total, options.events + warmup + 1);
    const expected = new Map(sampleSkus.map((n) => [skuOf(n), last.get(skuOf(n))?.value ?? lastOfPhase1.get(skuOf(n)) ?? 0]));
    log(`bench: inventory: all sent, waiting for Shopify to show the last levels of the sample…`);
    const behind2 = await waitForShopify(shop.url, expected, 60_000);
    log(`bench: inventory: done`);
    const cpuLatency = cpuSeconds(hub.pid) - cpu1;
    const benchCpu = process.cpuUsage(benchCpu1);
    const latencies: number[] = [];
    let wrong = 0;
    let updates = 0;
    for (const n of sampleSkus) {
      const sku = skuOf(n);
      const shown = await shopifyShows(shop.url, sku);
      updates += shown.updates - (updatesBefore.get(sku) ?? 0);
      const final = last.get(sku);
      if (!final) continue;
      if (shown.available !== final.value) {
        wrong++;
        continue;
      }
      const channel = await channelOf(hub.url, sku);
      if (channel?.publishedAvailable === final.value && channel.publishedAt) latencies.push(Date.parse(channel.publishedAt) - final.sentAt);
    }
    const latency: LatencyFigures = {
      events: total,
      sentPerSecond: total / sentSeconds,
      request: spread(latencyRequestMs),
      latency: spread(latencies),
      measured: latencies.length,
      sampled: sampleSkus.length,
      wrong,
      behind: behind2.size,
      changesPerSku: sampleSkus.reduce((sum, n) => sum + (changes.get(skuOf(n)) ?? 0), 0) / sampleSkus.length,
      updatesPerSku: updates / sampleSkus.length,
      hubCpuMsPer1000: (cpuLatency * 1000 * 1000) / total,
      benchCpuMsPer1000: ((benchCpu.user + benchCpu.system) / 1000 / total) * 1000,
    };
    clearInterval(sampler);
    return { options, throughput, latency, hubPeakRssMiB: peakRss };
  } finally {
    if (sampler) clearInterval(sampler);
    await stopHub(child);
    await shop?.close();
    await sandbox?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The bench's figures as printed lines: a table of the two phases, then notes. */
export function formatInventory(result: InventoryBenchResult): string[] {
  const { options: o, throughput: t, latency: l } = result;
  const header = ['phase', 'events', 'events/s', 'request p50 ms', 'p99 ms', 'hub CPU ms/1k events', 'push latency p50 ms', 'p99 ms', 'max ms', 'Shopify updates/SKU', 'changes/SKU'];
  const rows = [
    ['throughput', String(t.events), t.eventsPerSecond.toFixed(0), t.request.p50.toFixed(0), t.request.p99.toFixed(0), t.hubCpuMsPer1000.toFixed(0), '-', '-', '-', '-', (t.events / o.skus).toFixed(0)],
    [
      `steady ${o.rate}/s`,
      String(l.events),
      l.sentPerSecond.toFixed(0),
      l.request.p50.toFixed(0),
      l.request.p99.toFixed(0),
      l.hubCpuMsPer1000.toFixed(0),
      l.latency.p50.toFixed(0),
      l.latency.p99.toFixed(0),
      l.latency.max.toFixed(0),
      l.updatesPerSku.toFixed(1),
      l.changesPerSku.toFixed(1),
    ],
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const shopify = o.shopifyPoints >= unthrottledPoints ? 'Shopify emulator cost limit lifted' : `Shopify emulator at ${o.shopifyPoints} GraphQL points/s`;
  return [
    `Inventory — SQLite, hub in its own process, ${o.skus} SKUs at wh-main all listed in Shopify, ${shopify}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `throughput: ${o.batch} events per POST /v1/inventory/events, ${o.concurrency} in flight, push interval 1 s (pushes to Shopify run meanwhile and count in hub CPU); applied ${t.applied}, stale ${t.stale}, duplicate ${t.duplicate}, ${t.seconds.toFixed(1)} s`,
    `steady: open loop, ${o.seconds} s, one POST every 100 ms, push interval ${o.pushIntervalMs} ms; latency = send of the POST carrying a sampled SKU's last change → the hub's publishedAt of that value (GET /v1/inventory/{sku}), checked against the emulator's _sandbox/inventory; measured ${l.measured}/${l.sampled} sampled SKUs, ${l.wrong} showing another value in Shopify (${l.behind} not caught up 60 s after the last send); hub CPU includes pushes until Shopify caught up; after a ${Math.max(o.skus, o.rate * 3)}-event warm-up at the same rate; bench process (Shopify emulator + client) CPU ${l.benchCpuMsPer1000.toFixed(0)} ms/1k events`,
    `hub peak RSS ${result.hubPeakRssMiB.toFixed(0)} MiB`,
  ];
}
