import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decimalToMinor } from '../src/model/index.js';
import { basketToShopifyOrder, startSandbox, type Basket, type Sandbox } from '../src/runtime/sandbox/index.js';
import { waitFor } from '../src/testing/index.js';
import { apiClient } from './support/http.js';
import { spawnTs, type HubProcess } from './support/hub-process.js';

/**
 * Order to cash survives kill -9 (SQLite): the emulators run in this process, the hub in a child
 * process that is killed with SIGKILL twice while orders are being booked, released, shipped,
 * captured and invoiced, and restarted on the same data folder, configuration and port (as a
 * deployed hub keeps its URL, so the vendors' webhook retries reach the new process). Some orders are
 * placed while the hub is down; the Shopify poller picks up what their webhooks missed. In the end
 * every order is closed with exactly one Sales Order, one Sales Invoice and one capture, each
 * placement step done once, and nothing dead-lettered.
 */
const key = 'o2c-crash-bootstrap-key-0123456789';
const ordersBeforeFirstKill = 20;
const ordersWhileDown = 10;
const placementSteps = ['route', 'reserve-stock', 'payment', 'book-sales-order', 'release-to-warehouse'];
const completionSteps = ['capture-payment', 'invoice', 'close'];
const inFlight = new Set(['accepted', 'booked', 'released', 'partially_shipped', 'shipped', 'invoiced']);

let number = 9000;
const cleanups: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function call(method: string, target: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(target, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A free loopback port, so every hub process of the test listens at the same URL. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `tillbridge start` in a child process on a fixed port (startHubProcess always asks for port 0). */
async function startHubOnPort(options: { port: number; data: string; env: NodeJS.ProcessEnv }): Promise<HubProcess> {
  const child = spawnTs('src/cli/main.ts', ['start', '--port', String(options.port), '--log-level', 'warn', '--data', options.data], { TILLBRIDGE_BOOTSTRAP_KEY: key, ...options.env });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start in time:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

describe('order to cash crash safety on SQLite', () => {
  it('kill -9 twice mid-workflow: every order closes with one Sales Order, one Sales Invoice and one capture, each step done once, nothing dead-lettered', async () => {
    const began = Date.now();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-o2c-crash-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const sandbox: Sandbox = await startSandbox({ outDir: dir, hubUrl: 'http://127.0.0.1:9' });
    cleanups.push(() => sandbox.stop());
    const url = (id: string) => sandbox.connections[id]!.baseUrl;
    const stripeAuth = { authorization: `Bearer ${sandbox.connections['stripe-main']!.secretKey}` };

    const port = await freePort();
    const data = path.join(dir, 'data');
    const env = { TILLBRIDGE_CONFIG: sandbox.configPath, TILLBRIDGE_LEASE_MS: '500', TILLBRIDGE_POLL_MS: '50' };
    let hub = await startHubOnPort({ port, data, env });
    cleanups.push(async () => void (await hub.kill('SIGKILL')));
    await sandbox.retarget(hub.url);
    const api = apiClient(hub.url, key);

    expect((await call('POST', `${url('wh-main')}/_sandbox/behaviour`, { shipDelayMs: 200, partialRate: 0.3 })).status).toBe(200);
    expect((await call('POST', `${url('erp-main')}/_sandbox/faults`, { latencyMs: 50 })).status).toBe(200);

    /** A shopper's order: authorised at Stripe (manual capture), then placed in Shopify, which tells the hub. */
    const placeOrder = async (basket: Basket): Promise<{ externalId: string; intent: string; total: number }> => {
      const draft = basketToShopifyOrder(basket, { number: ++number, paymentIntent: 'pending', random: () => 0.5, now: new Date() });
      const total = decimalToMinor(draft.total_price, 'USD');
      const intent = await call('POST', `${url('stripe-main')}/v1/payment_intents`, new URLSearchParams({ amount: String(total), currency: 'usd', capture_method: 'manual', confirm: 'true', payment_method: 'pm_card_visa' }).toString(), stripeAuth);
      expect(intent.status).toBe(200);
      const created = await call('POST', `${url('shop-main')}/_sandbox/orders`, { ...draft, note_attributes: [{ name: 'payment_intent', value: intent.body['id'] }] });
      expect(created.status).toBeLessThan(300);
      const order = (created.body['order'] ?? created.body) as { id: number | string };
      return { externalId: String(order.id), intent: String(intent.body['id']), total };
    };
    const tee = (quantity: number) => ({ sku: 'TEE-RED-M', title: 'Tee red M', quantity, unitPrice: 2500 });
    const cap = (quantity: number) => ({ sku: 'CAP-NAVY', title: 'Cap navy', quantity, unitPrice: 1800 });
    const basketOf = (i: number): Basket => ({ lines: [tee(1 + (i % 3)), cap(1 + (i % 2))], shipping: 599, taxRate: '0.0625' });

    /** The hub's orders of the shop, by Shopify order id. */
    const hubOrders = async () => {
      const page = await api('GET', '/v1/orders?source=shop-main&limit=500');
      expect(page.status).toBe(200);
      return new Map((page.body['data'] as { id: string; externalId: string; status: string }[]).map((o) => [o.externalId, o]));
    };
    const statuses = async () => {
      const counts: Record<string, number> = {};
      for (const order of (await hubOrders()).values()) counts[order.status] = (counts[order.status] ?? 0) + 1;
      return counts;
    };
    /** Waits until workflows are under way (some orders past acceptance, some still open) and kills the hub with SIGKILL. */
    const killMidWorkflow = async (what: string, minimumClosed: number) => {
      const seen = await waitFor(
        async () => {
          const counts = await statuses();
          if (process.env.O2C_DEBUG && counts['accepted'] === 20) {
            const one = [...(await hubOrders()).values()][0]!;
            console.info(JSON.stringify((await api('GET', `/v1/orders/${one.id}`)).body, null, 1).slice(0, 4000), hub.output().slice(-3000));
            throw new Error('debug');
          }
          const open = Object.entries(counts).filter(([status]) => inFlight.has(status) && status !== 'accepted').reduce((sum, [, n]) => sum + n, 0);
          return open >= 3 && (counts['closed'] ?? 0) >= minimumClosed ? counts : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 25, what: `workflows under way before ${what}` },
      );
      expect(await hub.kill('SIGKILL')).toBeNull();
      return seen;
    };
    const restart = async () => {
      hub = await startHubOnPort({ port, data, env });
      await sandbox.retarget(hub.url);
    };

    const placed: Awaited<ReturnType<typeof placeOrder>>[] = [];
    for (let i = 0; i < ordersBeforeFirstKill; i++) placed.push(await placeOrder(basketOf(i)));

    const atFirstKill = await killMidWorkflow('the first kill', 0);
    const downSince = Date.now();
    // Shoppers keep buying while the hub is down: these orders/create webhooks hit a dead port.
    for (let i = 0; i < ordersWhileDown; i++) placed.push(await placeOrder(basketOf(ordersBeforeFirstKill + i)));
    await restart();
    const firstDowntimeMs = Date.now() - downSince;

    const atSecondKill = await killMidWorkflow('the second kill', (atFirstKill['closed'] ?? 0) + 1);
    const secondDownSince = Date.now();
    await restart();
    const secondDowntimeMs = Date.now() - secondDownSince;

    const total = placed.length;
    let last: Record<string, number> = {};
    await waitFor(
      async () => {
        last = await statuses();
        return last['closed'] === total;
      },
      { timeoutMs: 120_000, intervalMs: 200, what: `all ${total} orders to close` },
    ).catch(async (error: Error) => {
      const warehouse = await call('GET', `${url('wh-main')}/_sandbox/state`);
      const failed = (warehouse.body['deliveries'] as { topic: string; status: number | null; attempts: number; error?: string }[]).filter((d) => d.status === null || d.status >= 300);
      throw new Error(`${error.message}; statuses ${JSON.stringify(last)}; warehouse webhooks never delivered: ${JSON.stringify(failed)}`);
    });

    const byExternalId = await hubOrders();
    const erp = await call('GET', `${url('erp-main')}/_sandbox/state`);
    const byReference = erp.body['byReference'] as Record<string, Record<string, number>>;
    expect(erp.body['duplicateReferences'], 'ERP documents sharing a hub reference').toEqual([]);
    const captures: number[] = [];
    for (const p of placed) {
      const summary = byExternalId.get(p.externalId);
      expect(summary, `hub order of Shopify order ${p.externalId}`).toBeDefined();
      const id = summary!.id;
      const order = (await api('GET', `/v1/orders/${id}`)).body;
      expect(order['status']).toBe('closed');
      expect(byReference['Sales Order']?.[id], `Sales Orders of ${id}`).toBe(1);
      expect(byReference['Sales Invoice']?.[`invoice:${id}`], `Sales Invoices of ${id}`).toBe(1);
      const intent = (await call('GET', `${url('stripe-main')}/v1/payment_intents/${p.intent}`, undefined, stripeAuth)).body as { status: string; amount_received: number };
      expect(intent, `PaymentIntent of ${id}`).toMatchObject({ status: 'succeeded', amount_received: p.total });
      captures.push(intent.amount_received);

      const workflows = order['workflows'] as { workflow: string; status: string; steps: { name: string; phase: string; status: string; attempts: number }[] }[];
      const placement = workflows.filter((w) => w.workflow === 'order-placement');
      expect(placement, `placement runs of ${id}`).toHaveLength(1);
      expect(placement[0]!.steps.map((s) => [s.name, s.phase, s.status]), `placement steps of ${id}`).toEqual(placementSteps.map((name) => [name, 'forward', 'done']));
      const completion = workflows.filter((w) => w.workflow === 'order-completion');
      expect(completion, `completion runs of ${id}`).toHaveLength(1);
      expect(completion[0]!.steps.map((s) => [s.name, s.status]), `completion steps of ${id}`).toEqual(completionSteps.map((name) => [name, 'done']));
      const shipments = workflows.filter((w) => w.workflow === 'order-shipment');
      expect(shipments.length).toBeGreaterThanOrEqual(1);
      expect(shipments.every((w) => w.status === 'completed')).toBe(true);
      for (const shipment of shipments) expect(byReference['Delivery Note']?.[(shipment as unknown as { key: string }).key], `Delivery Notes of ${(shipment as unknown as { key: string }).key}`).toBe(1);

      // The timeline records each step once: a step redone after the crash would show twice.
      const events = (order['timeline'] as { event: string }[]).map((t) => t.event);
      for (const step of [...placementSteps.map((s) => `order-placement.${s}`), ...completionSteps.map((s) => `order-completion.${s}`)]) {
        expect(events.filter((e) => e === step), `${step} on the timeline of ${id}`).toHaveLength(1);
      }
      const lines = order['lines'] as { quantity: number; progress: { shipped: number } }[];
      expect(lines.every((l) => l.progress.shipped === l.quantity)).toBe(true);

      const shopOrder = (await call('GET', `${url('shop-main')}/_sandbox/orders/${p.externalId}`)).body['order'] as { fulfillment_status: string; line_items: { quantity: number }[]; fulfillments: { line_items: { quantity: number }[] }[] };
      expect(shopOrder.fulfillment_status).toBe('fulfilled');
      const fulfilled = shopOrder.fulfillments.flatMap((f) => f.line_items).reduce((sum, l) => sum + l.quantity, 0);
      expect(fulfilled, `units fulfilled in Shopify for ${id}`).toBe(shopOrder.line_items.reduce((sum, l) => sum + l.quantity, 0));
    }
    expect(Object.keys(byReference['Sales Order'] ?? {}).filter((reference) => reference.startsWith('ord_'))).toHaveLength(total);
    expect((await api('GET', '/v1/dead-letters')).body['data']).toEqual([]);

    const warehouse = await call('GET', `${url('wh-main')}/_sandbox/state`);
    const deliveries = warehouse.body['deliveries'] as { topic: string; status: number | null; attempts: number }[];
    const retriedDeliveries = deliveries.filter((d) => d.attempts > 1).length;
    console.info(
      `o2c crash: ${total} orders; at first kill ${JSON.stringify(atFirstKill)}, at second kill ${JSON.stringify(atSecondKill)}; downtime ${firstDowntimeMs} ms and ${secondDowntimeMs} ms; ` +
        `warehouse webhooks retried ${retriedDeliveries} of ${deliveries.length}; captured ${captures.reduce((a, b) => a + b, 0)} minor units; ${Date.now() - began} ms`,
    );

    expect(await hub.kill('SIGTERM')).toBe(0);
  }, 150_000);
});
