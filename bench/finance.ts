import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createCircuitBreaker } from '../src/connectors/framework/index.js';
import { createErpnextClient, ErpnextSettings } from '../src/connectors/erpnext/index.js';
import { createLedger, erpOrdersCheck, postSale, PostingConfig } from '../src/flows/index.js';
import { inOutboxTransaction } from '../src/messaging/index.js';
import { newId, Order, systemClock } from '../src/model/index.js';
import { erpnextOrderSide } from '../src/runtime/reconciliation/erpnext-orders.js';
import { migrateToLatest, openStore, type Store } from '../src/store/index.js';

/** Figures of the finance bench: journal entries computed and stored, and one reconciliation of many orders. */
export interface FinanceBenchResult {
  entries: number;
  computedPerSecond: number;
  storedPerSecond: number;
  orders: number;
  seedSeconds: number;
  reconcileSeconds: number;
  reconciledPerSecond: number;
  driftFound: number;
  driftInjected: number;
  erpRequests: number;
  peakRssMiB: number;
}

const config = PostingConfig.parse({
  baseCurrency: 'USD',
  accounts: {
    revenue: { default: 'Sales', byChannel: { 'shop-main': 'Sales - Web' } },
    taxPayable: { default: 'Tax Payable', byJurisdiction: { 'CA State Tax': 'CA Tax Payable' } },
    paymentClearing: { default: 'Clearing', byProvider: { stripe: 'Stripe Clearing' } },
    processorFees: { default: 'Fees' },
    bank: { default: 'Bank' },
  },
});

const currencies = [
  { code: 'USD', unit: 100 },
  { code: 'EUR', unit: 100 },
  { code: 'JPY', unit: 1 },
  { code: 'KWD', unit: 1000 },
];

/** A random but valid order: 1–4 lines, a discount spread over them, tax per line, shipping. */
function randomOrder(n: number, random: () => number): Order {
  const currency = currencies[n % currencies.length]!;
  const lines = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) => {
    const quantity = 1 + Math.floor(random() * 3);
    const unitPrice = (5 + Math.floor(random() * 200)) * currency.unit;
    const discount = random() < 0.3 ? Math.floor(unitPrice * quantity * 0.1) : 0;
    const tax = Math.round((unitPrice * quantity - discount) * 0.0825);
    return { lineId: String(i + 1), sku: `SKU-${i}`, quantity, unitPrice, discount, taxes: [{ name: 'CA State Tax', rate: '0.0825', amount: tax }] };
  });
  const subtotal = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
  const discount = lines.reduce((s, l) => s + l.discount, 0);
  const tax = lines.reduce((s, l) => s + l.taxes[0]!.amount, 0);
  const shipping = 5 * currency.unit;
  return Order.parse({
    source: 'shop-main',
    externalId: String(100_000 + n),
    placedAt: '2026-11-20T10:00:00Z',
    currency: currency.code,
    lines,
    shipping: [{ method: 'Standard', price: shipping }],
    totals: { subtotal, discount, shipping, tax, total: subtotal - discount + shipping + tax },
  });
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** Computes sale entries for random orders (pure), then records them in the ledger, 1,000 per transaction. */
async function journalBench(store: Store, count: number): Promise<{ computedPerSecond: number; storedPerSecond: number }> {
  const random = seeded(42);
  const orders = Array.from({ length: count }, (_, n) => randomOrder(n, random));
  const computeStart = performance.now();
  const drafts = orders.map((order, n) => postSale({ order, orderId: `ord_${n}` }, { correlationId: `cor_${n}`, causationId: `msg_${n}`, sourceEvents: [`shop-main:inb_${n}`] }, config)!);
  const computeSeconds = (performance.now() - computeStart) / 1000;
  const ledger = createLedger({ store, clock: systemClock, newId });
  const storeStart = performance.now();
  for (let start = 0; start < drafts.length; start += 1000) {
    await inOutboxTransaction(store, { origin: { source: 'bench', correlationId: 'bench' }, now: Date.now(), newId }, (tx) => ledger.recordMany(tx, drafts.slice(start, start + 1000)));
  }
  const storeSeconds = (performance.now() - storeStart) / 1000;
  return { computedPerSecond: count / computeSeconds, storedPerSecond: count / (computeSeconds + storeSeconds) };
}

const pad = (n: number) => String(n).padStart(9, '0');
const orderId = (n: number) => `ord_bench${pad(n)}`;

/** Hub orders the hub booked (each with its placement's booking step and its line), inserted in bulk. */
async function seedHubOrders(store: Store, count: number, now: number): Promise<void> {
  const chunk = 500;
  for (let start = 0; start < count; start += chunk) {
    const ns = Array.from({ length: Math.min(chunk, count - start) }, (_, i) => start + i);
    await store.db.transaction().execute(async (db) => {
      await db.insertInto('orders').values(ns.map((n) => ({ id: orderId(n), source: 'shop-main', external_id: String(n), number: `#${n}`, status: 'released', hold_reason: null, currency: 'USD', total: 5281 + (n % 100), placed_at: '2026-11-20T10:00:00Z', body_hash: 'x', data: '{}', correlation_id: `cor_${n}`, created_at: now, updated_at: now }))).execute();
      await db.insertInto('workflow_runs').values(ns.map((n) => ({ id: `run_bench${pad(n)}`, workflow: 'order-placement', key: `placement:${orderId(n)}`, order_id: orderId(n), status: 'completed', step: 'release-to-warehouse', input: '{}', outputs: '{}', correlation_id: `cor_${n}`, error: null, started_at: now, step_started_at: now, step_deadline: null, updated_at: now }))).execute();
      await db.insertInto('workflow_steps').values(ns.map((n) => ({ run_id: `run_bench${pad(n)}`, phase: 'forward', step: 'book-sales-order', position: 3, status: 'done', system: 'erpnext', attempts: 1, started_at: now, finished_at: now, output: JSON.stringify({ documents: { salesOrder: `SAL-ORD-${pad(n)}` }, output: {}, skipped: false }), error: null, message_id: null }))).execute();
      await db.insertInto('order_line_quantities').values(ns.map((n) => ({ order_id: orderId(n), line_id: '1', sku: 'TEE-RED-M', ordered: 2, shipped: 0, cancelled: 0, returned: 0, updated_at: now }))).execute();
    });
  }
}

interface ErpRow {
  name: string;
  total: number;
  docstatus: number;
}

/**
 * ERPNext's Sales Order list (`GET /api/resource/Sales Order` with `filters=[[ref,"in",[…]]]`, `fields`,
 * `limit_page_length`), answered from compact rows indexed by reference: the emulator keeps full documents
 * (several KB each), which for a million orders would measure the emulator, not the hub.
 */
function startErpListServer(rows: Map<string, ErpRow>): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests += 1;
    const url = new URL(request.url ?? '/', 'http://erp');
    const filters = JSON.parse(url.searchParams.get('filters') ?? '[]') as [string, string, string[]][];
    const references = filters.find((f) => f[1] === 'in')?.[2] ?? [];
    const data = [];
    for (const reference of references) {
      const row = rows.get(reference);
      if (row) data.push({ name: row.name, tillbridge_ref: reference, docstatus: row.docstatus, grand_total: row.total / 100, currency: 'USD', modified_by: 'api@retailer.example' });
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ data }));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${address.port}`, requests: () => requests, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

/** Journal entries/s, then one reconciliation of `orders` hub orders against the ERP's list, on SQLite. */
export async function financeBench(options: { entries: number; orders: number }): Promise<FinanceBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillbridge-bench-finance-'));
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
  try {
    const journalStore = await openStore({ dataDir: path.join(dir, 'journal') });
    await migrateToLatest(journalStore);
    process.stderr.write(`bench: finance — ${options.entries} sale entries computed and recorded…\n`);
    const journal = await journalBench(journalStore, options.entries);
    await journalStore.close();

    const store = await openStore({ dataDir: path.join(dir, 'recon') });
    await migrateToLatest(store);
    process.stderr.write(`bench: finance — seeding ${options.orders} booked orders…\n`);
    const seedStart = performance.now();
    const now = Date.now();
    await seedHubOrders(store, options.orders, now);
    const erpRows = new Map<string, ErpRow>();
    let injected = 0;
    for (let n = 0; n < options.orders; n++) {
      const total = 5281 + (n % 100);
      // One order in 10,000 is missing in the ERP, one in 10,000 was edited there.
      if (n % 10_000 === 17) {
        injected += 1;
        continue;
      }
      if (n % 10_000 === 4242) injected += 1;
      erpRows.set(orderId(n), { name: `SAL-ORD-${pad(n)}`, total: n % 10_000 === 4242 ? total + 2500 : total, docstatus: 1 });
    }
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const erp = await startErpListServer(erpRows);
    try {
      const client = createErpnextClient({ connectionId: 'erp-bench', settings: ErpnextSettings.parse({ baseUrl: erp.url, company: 'Bench Retail', currency: 'USD', rateLimit: { capacity: 10_000, perSecond: 10_000 } }), secrets: { apiKey: 'k', apiSecret: 's' }, breaker: createCircuitBreaker({ openMs: 1000 }) });
      const check = erpOrdersCheck({ store, erp: erpnextOrderSide('erp-bench', client, ErpnextSettings.parse({ baseUrl: erp.url, company: 'Bench Retail', currency: 'USD' })), pageSize: 1000 });
      process.stderr.write(`bench: finance — reconciling ${options.orders} orders against the ERP…\n`);
      const started = performance.now();
      const drift = await check.run({ from: now - 1, to: now + 1 }, AbortSignal.timeout(600_000));
      const reconcileSeconds = (performance.now() - started) / 1000;
      return {
        entries: options.entries,
        computedPerSecond: journal.computedPerSecond,
        storedPerSecond: journal.storedPerSecond,
        orders: options.orders,
        seedSeconds,
        reconcileSeconds,
        reconciledPerSecond: options.orders / reconcileSeconds,
        driftFound: drift.length,
        driftInjected: injected,
        erpRequests: erp.requests(),
        peakRssMiB: peak / 1024 / 1024,
      };
    } finally {
      await erp.close();
      await store.close();
    }
  } finally {
    clearInterval(sample);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The finance bench's figures as lines to print. */
export function formatFinance(r: FinanceBenchResult): string {
  return [
    `\nFinance — journal entries (sale entries of random multi-currency orders) and reconciliation, SQLite`,
    `| journal entries | computed/s | computed + recorded/s |`,
    `| --- | --- | --- |`,
    `| ${r.entries} | ${r.computedPerSecond.toFixed(0)} | ${r.storedPerSecond.toFixed(0)} |`,
    `| orders reconciled | seconds | orders/s | drift found / injected | ERP list calls | peak RSS MiB |`,
    `| --- | --- | --- | --- | --- | --- |`,
    `| ${r.orders} | ${r.reconcileSeconds.toFixed(1)} | ${r.reconciledPerSecond.toFixed(0)} | ${r.driftFound} / ${r.driftInjected} | ${r.erpRequests} | ${r.peakRssMiB.toFixed(0)} |`,
    `(seeding the hub's orders took ${r.seedSeconds.toFixed(1)} s and is not counted)`,
  ].join('\n');
}

/** Sizes from the environment: BENCH_JOURNAL_ENTRIES (default 100,000), BENCH_RECON_ORDERS (default 1,000,000). */
export function financeOptionsFromEnv(): { entries: number; orders: number } {
  return { entries: Number(process.env.BENCH_JOURNAL_ENTRIES ?? 100_000), orders: Number(process.env.BENCH_RECON_ORDERS ?? 1_000_000) };
}
