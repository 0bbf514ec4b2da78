import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { newId, systemClock } from '../src/model/index.js';
import { createDispatcher, createMessage, defineMessageType, handlerFor, writeToOutbox } from '../src/messaging/index.js';
import { webhookBench } from './webhooks.js';
import { benchKey, startBenchHub } from './hub-process.js';
import { formatOrderToCash, orderToCashBench, orderToCashOptionsFromEnv } from './order-to-cash.js';
import { formatInventory, inventoryBench, inventoryOptionsFromEnv } from './inventory.js';
import { financeBench, financeOptionsFromEnv, formatFinance } from './finance.js';
import { consoleBench, formatConsole } from './console.js';
import { countMessagesByStatus, createScratchDatabase, migrateToLatest, openStore, postgresProblem } from '../src/store/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const loader = path.resolve(here, 'load.js');
const key = benchKey;
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const dispatchCount = Number(process.env.BENCH_MESSAGES ?? 20_000);
const webhookCount = Number(process.env.BENCH_WEBHOOKS ?? 5_000);

interface LoadResult {
  total: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

function runLoad(url: string, secs: number, prefix: string, credential = key): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [loader, url, credential, String(connections), String(secs), prefix], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited with ${code}`))));
  });
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** An API key with a rate limit far above the load, so auth and rate limiting run but never throttle. */
async function createRateLimitedKey(url: string): Promise<string> {
  const res = await fetch(`${url}/v1/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', scopes: ['orders:write'], rateLimit: { limit: 1_000_000, windowSeconds: 1 } }),
  });
  if (res.status !== 201) throw new Error(`creating the bench key failed with ${res.status}`);
  return ((await res.json()) as { key: string }).key;
}

async function intakeBench(engine: string, location: { data: string; databaseUrl?: string }, rateLimited = false) {
  const args = ['--data', location.data, ...(location.databaseUrl ? ['--database-url', location.databaseUrl] : [])];
  const { child, url } = await startBenchHub(args);
  const credential = rateLimited ? await createRateLimitedKey(url) : key;
  engine = rateLimited ? `${engine}-key` : engine;
  await runLoad(url, 2, `${engine}-warm`, credential);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(child.pid!))), 200);
  const result = await runLoad(url, seconds, `${engine}-run`, credential);
  const store = await openStore({ databaseUrl: location.databaseUrl, dataDir: location.data });
  const loadEnded = Date.now();
  for (;;) {
    const counts = await countMessagesByStatus(store.db);
    if ((counts.pending ?? 0) + (counts.leased ?? 0) === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const drainSeconds = (Date.now() - loadEnded) / 1000;
  clearInterval(sampler);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  const stored = Number(
    (await store.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('external_id', 'like', `${engine}-run-%`).executeTakeFirstOrThrow()).n,
  );
  await store.close();
  const acknowledged = result.statusCodes['201'] ?? 0;
  return { result, peakRss, acknowledged, stored, drainSeconds };
}

const noop = defineMessageType({ type: 'bench.noop', lane: 'critical', schemaVersion: 1, data: z.object({ n: z.number() }) });

async function dispatchBench(engine: string, keyed: boolean) {
  const database = engine === 'postgres' ? await createScratchDatabase('tb_bench_dispatch') : undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillbridge-bench-dispatch-'));
  const store = await openStore({ databaseUrl: database?.url, dataDir });
  await migrateToLatest(store);
  const now = Date.now();
  const messages = Array.from({ length: dispatchCount }, (_, n) =>
    createMessage(noop, { n }, { source: 'bench', correlationId: `cor-${n % 1000}` }, { id: newId('msg'), now, ...(keyed ? { orderingKey: `key-${n % 1000}` } : {}) }),
  );
  const before = (await countMessagesByStatus(store.db)).done ?? 0;
  await store.db.transaction().execute((trx) => writeToOutbox(trx, messages, now));
  const started = process.hrtime.bigint();
  const dispatcher = createDispatcher({ store, clock: systemClock, newId, pollMs: 5, handlers: [handlerFor(noop, async () => undefined)] });
  dispatcher.start();
  for (;;) {
    await new Promise((r) => setTimeout(r, 25));
    if (((await countMessagesByStatus(store.db)).done ?? 0) >= before + dispatchCount) break;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  await dispatcher.stop();
  await store.close();
  await database?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return dispatchCount / elapsed;
}

async function orderToCashSection() {
  const options = orderToCashOptionsFromEnv();
  process.stderr.write(`bench: sqlite order to cash (${options.orders} orders through the ERP and warehouse emulators)…\n`);
  const result = await orderToCashBench({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`\n${formatOrderToCash(result).join('\n')}\n`);
}

async function inventorySection() {
  const options = inventoryOptionsFromEnv();
  process.stderr.write(`bench: sqlite inventory (${options.events} events, then ${options.rate} events/s for ${options.seconds} s, against the Shopify emulator)…\n`);
  const result = await inventoryBench({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`\n${formatInventory(result).join('\n')}\n`);
}

async function consoleSection() {
  const orders = Number(process.env.BENCH_CONSOLE_ORDERS ?? 100_000);
  process.stderr.write(`bench: sqlite console queries (${orders} orders, ${orders * 10} messages, a week of statistics)…\n`);
  const result = await consoleBench({ orders, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`\n${formatConsole(result).join('\n')}\n`);
}

async function main() {
  // BENCH_ONLY=o2c runs only the order-to-cash section, BENCH_ONLY=inventory the inventory one, BENCH_ONLY=finance the finance one, BENCH_ONLY=console the console one.
  if (process.env.BENCH_ONLY === 'o2c') return orderToCashSection();
  if (process.env.BENCH_ONLY === 'inventory') return inventorySection();
  if (process.env.BENCH_ONLY === 'finance') return financeSection();
  if (process.env.BENCH_ONLY === 'console') return consoleSection();
  const rows: string[][] = [];
  const notes: string[] = [];
  const pgProblem = await postgresProblem();
  for (const engine of ['sqlite', 'postgres']) {
    if (engine === 'postgres' && pgProblem) {
      rows.push([engine, `skipped: ${pgProblem}`]);
      continue;
    }
    const data = fs.mkdtempSync(path.join(os.tmpdir(), `tillbridge-bench-${engine}-`));
    const database = engine === 'postgres' ? await createScratchDatabase('tb_bench') : undefined;
    const location = { data, ...(database ? { databaseUrl: database.url } : {}) };
    try {
      process.stderr.write(`bench: ${engine} HTTP intake (${connections} connections, ${seconds} s)…\n`);
      const intake = await intakeBench(engine, location);
      process.stderr.write(`bench: ${engine} dispatcher (${dispatchCount} messages)…\n`);
      const plain = await dispatchBench(engine, false);
      const keyed = await dispatchBench(engine, true);
      process.stderr.write(`bench: ${engine} Shopify webhooks (${webhookCount} orders/create)…\n`);
      const webhookData = fs.mkdtempSync(path.join(os.tmpdir(), `tillbridge-bench-${engine}-wh-`));
      const webhookDatabase = engine === 'postgres' ? await createScratchDatabase('tb_bench_wh') : undefined;
      try {
        const w = await webhookBench({ data: webhookData, ...(webhookDatabase ? { databaseUrl: webhookDatabase.url } : {}) }, webhookCount, connections);
        notes.push(`${engine}: Shopify webhooks ${w.ackedPerSecond.toFixed(0)}/s verified+kept+acked (p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms), ${w.endToEndPerSecond.toFixed(0)} orders/s webhook → canonical order stored (${w.webhooks} orders)`);
      } finally {
        await webhookDatabase?.drop();
        fs.rmSync(webhookData, { recursive: true, force: true });
      }
      const r = intake.result;
      rows.push([
        engine,
        (intake.acknowledged / seconds).toFixed(0),
        (intake.acknowledged / (seconds + intake.drainSeconds)).toFixed(0),
        String(r.p50),
        String(r.p99),
        String(r.max),
        String(r.total - intake.acknowledged + r.errors + r.timeouts),
        `${intake.stored}/${intake.acknowledged}`,
        intake.peakRss.toFixed(0),
        plain.toFixed(0),
        keyed.toFixed(0),
      ]);
      process.stderr.write(`bench: ${engine} HTTP intake through an API key with a rate limit…\n`);
      const keyData = fs.mkdtempSync(path.join(os.tmpdir(), `tillbridge-bench-${engine}-key-`));
      const keyDatabase = engine === 'postgres' ? await createScratchDatabase('tb_bench_key') : undefined;
      try {
        const limited = await intakeBench(engine, { data: keyData, ...(keyDatabase ? { databaseUrl: keyDatabase.url } : {}) }, true);
        const l = limited.result;
        rows.push([`${engine} (key + rate limit)`, (limited.acknowledged / seconds).toFixed(0), (limited.acknowledged / (seconds + limited.drainSeconds)).toFixed(0), String(l.p50), String(l.p99), String(l.max), String(l.total - limited.acknowledged + l.errors + l.timeouts), `${limited.stored}/${limited.acknowledged}`, limited.peakRss.toFixed(0), '-', '-']);
        const overhead = (1 - limited.acknowledged / Math.max(1, intake.acknowledged)) * 100;
        notes.push(`${engine}: gateway overhead (API key + rate limiting vs bootstrap key) ${overhead.toFixed(1)}% orders/s, p99 ${r.p99} → ${l.p99} ms`);
      } finally {
        await keyDatabase?.drop();
        fs.rmSync(keyData, { recursive: true, force: true });
      }
    } finally {
      await database?.drop();
      fs.rmSync(data, { recursive: true, force: true });
    }
  }
  const header = ['store', 'orders/s acked', 'orders/s handled', 'p50 ms', 'p99 ms', 'max ms', 'failed', 'stored/acked', 'hub RSS MiB', 'dispatch msg/s', 'keyed msg/s'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`\nTillbridge bench — ${os.cpus().length} cores, Node ${process.version}, ${connections} clients × ${seconds} s, ${dispatchCount} messages\n`);
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  for (const note of notes) process.stdout.write(`${note}\n`);
  await orderToCashSection();
  await inventorySection();
  await financeSection();
  await consoleSection();
}

async function financeSection() {
  process.stdout.write(`${formatFinance(await financeBench(financeOptionsFromEnv()))}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
