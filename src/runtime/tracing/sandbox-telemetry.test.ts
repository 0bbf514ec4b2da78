import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleOrder } from '../../model/index.js';
import { waitFor } from '../../testing/index.js';
import { basketToShopifyOrder, startSandbox, type Sandbox } from '../sandbox/index.js';
import { resolveSettings } from '../settings.js';
import { startHub, type Hub } from '../hub.js';

/**
 * A hub on the sandbox emulators with tracing on: an API order's trace reaches the outbound calls
 * to the connections, and /metrics carries the per-flow and per-connection series.
 */
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

type OtlpAttribute = { key: string; value: { stringValue?: string; intValue?: number | string } };

/** A real OTLP/HTTP JSON receiver keeping the spans it is sent. */
async function startReceiver() {
  const spans: Span[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        resourceSpans?: { scopeSpans?: { spans?: (Omit<Span, 'attributes'> & { attributes?: OtlpAttribute[] })[] }[] }[];
      };
      for (const span of (body.resourceSpans ?? []).flatMap((r) => r.scopeSpans ?? []).flatMap((s) => s.spans ?? [])) {
        const attributes = Object.fromEntries((span.attributes ?? []).map(({ key, value }) => [key, value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined)]));
        spans.push({ ...span, parentSpanId: span.parentSpanId ?? '', attributes });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, spans, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const key = 'telemetry-bootstrap-key-0123456789';
const savedDelay = process.env.OTEL_BSP_SCHEDULE_DELAY;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let sandbox: Sandbox | undefined;
let hub: Hub | undefined;
let dir: string;
let order: { id: string; correlationId: string };

const kind = { server: 2, client: 3, consumer: 5 };

/** The first exported span that matches, once it arrives. */
async function exported(matches: (span: Span) => boolean, what: string): Promise<Span> {
  const span = await waitFor(() => receiver.spans.find(matches), { timeoutMs: 20_000, what });
  if (!span) throw new Error(`no ${what}`);
  return span;
}

beforeAll(async () => {
  process.env.OTEL_BSP_SCHEDULE_DELAY = '50';
  receiver = await startReceiver();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-telemetry-'));
  sandbox = await startSandbox({ outDir: dir, hubUrl: 'http://127.0.0.1:9' });
  const settings = { config: sandbox.configPath, port: '0', data: path.join(dir, 'data'), bootstrapKey: key, logLevel: 'silent', leaseMs: '5000', pollMs: '20', otlpEndpoint: receiver.url };
  hub = await startHub(resolveSettings(settings, {}));
  await sandbox.retarget(hub.url);
  const base = exampleOrder({ source: 'web-store', externalId: 'telemetry-1' }) as Record<string, unknown> & { lines: Record<string, unknown>[] };
  const line = { ...base.lines[0]!, sku: 'TEE-RED-M', quantity: 1, unitPrice: 2500, discount: 0, taxes: [] };
  const response = await fetch(`${hub.url}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...base, lines: [line], shipping: [], discounts: [], totals: { subtotal: 2500, discount: 0, shipping: 0, tax: 0, total: 2500 }, payments: [] }),
  });
  expect(response.status).toBe(201);
  order = (await response.json()) as { id: string; correlationId: string };
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  await sandbox?.stop();
  await receiver?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (savedDelay === undefined) delete process.env.OTEL_BSP_SCHEDULE_DELAY;
  else process.env.OTEL_BSP_SCHEDULE_DELAY = savedDelay;
});

describe('telemetry of a hub on the sandbox', () => {
  it('nests the outbound calls an order causes in the trace of its HTTP intake, under the delivery that made them', async () => {
    const server = await exported((s) => s.kind === kind.server && s.attributes['tillbridge.correlation_id'] === order.correlationId, 'the intake span');
    const client = await exported((s) => s.kind === kind.client && s.traceId === server.traceId && s.attributes['tillbridge.connection'] === 'erp-main', 'a call to the ERP in the order trace');
    expect(client.name).toMatch(/^(GET|POST|PUT) erp-main$/);
    expect(client.attributes['url.full']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\//);
    expect(String(client.attributes['url.full'])).not.toContain('?');
    expect(client.attributes['http.response.status_code']).toBeTypeOf('number');
    // its parent is a message delivery of the same order (exported once the delivery settles)
    const parent = await exported((s) => s.spanId === client.parentSpanId, 'the delivery span around the call');
    expect(parent.kind).toBe(kind.consumer);
    expect(parent.name).toMatch(/^handle /);
    expect(parent.attributes['tillbridge.correlation_id']).toBe(order.correlationId);
  });

  it('makes a webhook intake span the parent of the message it stores', async () => {
    const draft = basketToShopifyOrder({ lines: [{ sku: 'CAP-NAVY', title: 'Cap navy', quantity: 1, unitPrice: 1800 }], shipping: 599, taxRate: '0.0625' }, { number: 9101, paymentIntent: 'pending', random: () => 0.5, now: new Date() });
    const created = await fetch(`${sandbox!.connections['shop-main']!.baseUrl}/_sandbox/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(draft) });
    expect(created.status).toBe(201);
    const webhook = await exported((s) => s.kind === kind.server && s.name.startsWith('POST /webhooks/') && s.attributes['http.response.status_code'] === 200, 'the webhook intake span');
    const received = await exported((s) => s.kind === kind.consumer && s.name === 'handle inbound.received' && s.parentSpanId === webhook.spanId, 'the delivery of the stored webhook');
    expect(received.traceId).toBe(webhook.traceId);
  });

  it('scrapes per-flow and per-connection series from /metrics', async () => {
    const scrape = async () => (await fetch(`${hub!.url}/metrics`)).text();
    const text = await waitFor(async () => {
      const body = await scrape();
      return /tillbridge_flow_messages_total\{flow="order-to-cash",outcome="done"\} [1-9]/.test(body) && /tillbridge_connection_requests_total\{connection="erp-main",system="erpnext",outcome="ok"\} [1-9]/.test(body) ? body : undefined;
    }, { timeoutMs: 20_000, what: 'order-to-cash deliveries and ERP calls in /metrics' });
    expect(text).toMatch(/tillbridge_flow_duration_seconds_count\{flow="order-to-cash"\} [1-9]/);
    expect(text).toMatch(/tillbridge_connection_request_duration_seconds_count\{connection="erp-main"\} [1-9]/);
    for (const connection of ['shop-main', 'stripe-main', 'erp-main', 'wh-main']) {
      expect(text).toContain(`tillbridge_connection_circuit_state{connection="${connection}"} 0`);
      expect(text).toMatch(new RegExp(`tillbridge_connection_rate_governor\\{connection="${connection}",state="available"\\} \\d`));
      expect(text).toContain(`tillbridge_connection_rate_governor{connection="${connection}",state="paused"} 0`);
    }
  });
});
