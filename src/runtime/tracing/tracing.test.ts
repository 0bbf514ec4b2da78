import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { orderAccepted } from '../../flows/index.js';
import { handlerFor } from '../../messaging/index.js';
import { exampleOrder, permanentError } from '../../model/index.js';
import { openStore } from '../../store/index.js';
import { waitFor } from '../../testing/index.js';
import { resolveSettings } from '../settings.js';
import { startHub, type Hub } from '../hub.js';
import { tracesUrl, tracingOptionsFrom } from './options.js';

/** A span as an OTLP/HTTP JSON export carries it. */
interface ExportedSpan {
  service: unknown;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  status: { code?: number; message?: string };
}

/** OTLP span kinds (the proto enum: the API's SpanKind + 1). */
const kind = { server: 2, client: 3, consumer: 5 };

type OtlpValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean; doubleValue?: number };
type OtlpAttribute = { key: string; value: OtlpValue };

const attributes = (list: OtlpAttribute[] | undefined) =>
  Object.fromEntries((list ?? []).map(({ key, value }) => [key, value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : value.boolValue ?? value.doubleValue)]));

/** OTLP/JSON ids are hex; accept base64 too, as some encoders send it. */
const hexId = (id: string | undefined) => (!id ? '' : /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex'));

/** A real OTLP/HTTP receiver: accepts JSON `POST /v1/traces` and keeps the spans. */
async function startReceiver() {
  const spans: ExportedSpan[] = [];
  const requests: { method: string; url: string; contentType: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'] ?? '' });
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !req.headers['content-type']?.includes('json')) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: (Omit<ExportedSpan, 'attributes' | 'service'> & { attributes?: OtlpAttribute[] })[] }[] }[];
      };
      for (const resource of body.resourceSpans ?? []) {
        const service = attributes(resource.resource?.attributes)['service.name'];
        for (const scope of resource.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              service,
              name: span.name,
              kind: span.kind,
              traceId: hexId(span.traceId),
              spanId: hexId(span.spanId),
              parentSpanId: hexId(span.parentSpanId),
              attributes: attributes(span.attributes),
              status: span.status ?? {},
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const key = 'tracing-bootstrap-key-0123456789';
const otelVariables = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_SERVICE_NAME', 'OTEL_SDK_DISABLED', 'OTEL_TRACES_EXPORTER', 'OTEL_BSP_SCHEDULE_DELAY'];
const savedEnvironment = Object.fromEntries(otelVariables.map((name) => [name, process.env[name]]));
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let dir: string;
let hub: Hub | undefined;

async function startTestHub(name: string, otlpEndpoint?: string, options: Parameters<typeof startHub>[1] = {}): Promise<Hub> {
  const settings = { port: '0', data: path.join(dir, name), bootstrapKey: key, logLevel: 'silent', pollMs: '20', ...(otlpEndpoint ? { otlpEndpoint } : {}) };
  hub = await startHub(resolveSettings(settings, {}), options);
  return hub;
}

/** A pino logger whose JSON lines are kept, parsed. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

async function postOrder(target: Hub, externalId: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${target.url}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(exampleOrder({ source: 'trace-store', externalId })),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; correlationId: string };
}

beforeAll(async () => {
  for (const name of otelVariables) delete process.env[name];
  receiver = await startReceiver();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-tracing-'));
});

afterEach(async () => {
  await hub?.stop();
  hub = undefined;
});

afterAll(async () => {
  await receiver?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [name, value] of Object.entries(savedEnvironment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('tracing over OTLP/HTTP', () => {
  it('exports one trace from the HTTP intake span to the message spans, with the correlation id on each', async () => {
    const target = await startTestHub('on', receiver.url);
    const incomingTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const incomingParent = '00f067aa0ba902b7';
    const order = await postOrder(target, 'traced-1', { traceparent: `00-${incomingTrace}-${incomingParent}-01` });
    // the order's first message is handled: order.accepted leads to the placement workflow
    await waitFor(async () => {
      const detail = (await (await fetch(`${target.url}/v1/orders/${order.id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { timeline?: unknown[] };
      return (detail.timeline?.length ?? 0) > 1;
    }, { what: 'the order to move past acceptance' });
    await target.stop(); // flushes the batch of spans
    hub = undefined;

    const server = receiver.spans.find((s) => s.kind === kind.server && s.name === 'POST /v1/orders');
    expect(server, JSON.stringify(receiver.spans.map((s) => s.name))).toBeDefined();
    expect(server!.service).toBe('tillbridge');
    expect(server!.traceId).toBe(incomingTrace);
    expect(server!.parentSpanId).toBe(incomingParent);
    expect(server!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/orders',
      'http.response.status_code': 201,
      'tillbridge.correlation_id': order.correlationId,
    });

    const consumers = receiver.spans.filter((s) => s.kind === kind.consumer && s.attributes['tillbridge.correlation_id'] === order.correlationId);
    const accepted = consumers.find((s) => s.name === 'handle order.accepted');
    expect(accepted, JSON.stringify(consumers.map((s) => s.name))).toBeDefined();
    expect(accepted!.traceId).toBe(server!.traceId);
    expect(accepted!.parentSpanId).toBe(server!.spanId);
    expect(accepted!.attributes).toMatchObject({
      'messaging.message.id': expect.stringMatching(/^msg/),
      'tillbridge.lane': 'critical',
      'tillbridge.flow': 'order-to-cash',
      'tillbridge.attempt': 1,
    });
    expect(accepted!.attributes['tillbridge.outcome']).toBeDefined();

    // messages the handler emitted are children of its span, in the same trace
    const caused = consumers.filter((s) => s.attributes['tillbridge.causation_id'] === accepted!.attributes['messaging.message.id']);
    expect(caused.length).toBeGreaterThan(0);
    for (const span of caused) {
      expect(span.traceId).toBe(server!.traceId);
      expect(span.parentSpanId).toBe(accepted!.spanId);
    }
    expect(receiver.requests.every((r) => r.url === '/v1/traces' && r.contentType.includes('json'))).toBe(true);
  });

  it('logs a failed delivery as JSON with its correlation id and the trace and span of its delivery', async () => {
    const { logger, lines } = capturingLogger();
    const failing = handlerFor(orderAccepted, () => Promise.reject(permanentError('test_refused', 'this hub refuses every order')));
    const target = await startTestHub('logs', receiver.url, { logger, handlers: [failing] });
    const order = await postOrder(target, 'logged-1');
    const line = await waitFor(() => lines.find((l) => l['msg'] === 'message dead-lettered' && l['correlationId'] === order.correlationId), { what: 'the dead-letter log line' });
    await target.stop();
    hub = undefined;
    expect(line).toMatchObject({ level: 50, type: 'order.accepted', attempt: 1, error: { code: 'test_refused' } });
    const span = receiver.spans.find((s) => s.spanId === line!['spanId']);
    expect(span?.name).toBe('handle order.accepted');
    expect(span?.traceId).toBe(line!['traceId']);
    expect(span?.status.code).toBe(2);
    expect(span?.attributes).toMatchObject({ 'tillbridge.outcome': 'dead', 'error.type': 'test_refused', 'tillbridge.correlation_id': order.correlationId });
  });

  it('exports nothing and registers no tracer provider when no endpoint is configured', async () => {
    const before = receiver.requests.length;
    const target = await startTestHub('off');
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    const incoming = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const order = await postOrder(target, 'untraced-1', { traceparent: incoming });
    await waitFor(async () => {
      const detail = (await (await fetch(`${target.url}/v1/orders/${order.id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { timeline?: unknown[] };
      return (detail.timeline?.length ?? 0) > 1;
    }, { what: 'the order to move past acceptance' });
    await target.stop();
    hub = undefined;
    expect(receiver.requests.length).toBe(before);
    // the caller's traceparent is still stored with the order's message, as without tracing support
    const store = await openStore({ dataDir: path.join(dir, 'off') });
    try {
      const rows = await store.db.selectFrom('messages').select(['type', 'traceparent']).where('correlation_id', '=', order.correlationId).execute();
      expect(rows.find((r) => r.type === 'order.accepted')?.traceparent).toBe(incoming);
    } finally {
      await store.close();
    }
  });

  it('traces again in the same process after a traced hub stopped (the globals were released)', async () => {
    const target = await startTestHub('again', receiver.url);
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(true);
    await fetch(`${target.url}/health`);
    await target.stop();
    hub = undefined;
    expect(receiver.spans.some((s) => s.kind === kind.server && s.name === 'GET /health')).toBe(true);
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
  });

  it('leaves a tracer provider the process already has in place and sends the hub spans to it', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      const before = receiver.requests.length;
      const target = await startTestHub('external', receiver.url);
      const order = await postOrder(target, 'external-1');
      await waitFor(() => exporter.getFinishedSpans().some((s) => s.name === 'handle order.accepted' && s.attributes['tillbridge.correlation_id'] === order.correlationId), { what: 'the delivery span in the existing provider' });
      await target.stop();
      hub = undefined;
      expect(exporter.getFinishedSpans().some((s) => s.name === 'POST /v1/orders')).toBe(true);
      expect(receiver.requests.length).toBe(before);
      expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(true);
    } finally {
      await provider.shutdown();
      trace.disable();
      context.disable();
    }
  });
});

describe('tracingOptionsFrom', () => {
  it('is off unless an endpoint is configured', () => {
    expect(tracingOptionsFrom({}, {})).toBeUndefined();
  });

  it('prefers the hub setting, then the traces endpoint, then the OTLP base endpoint', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/custom/path' };
    expect(tracingOptionsFrom({ otlpEndpoint: 'http://hub:4318' }, env)?.endpoint).toBe('http://hub:4318/v1/traces');
    expect(tracingOptionsFrom({}, env)?.endpoint).toBe('http://traces:4318/custom/path');
    expect(tracingOptionsFrom({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318/' })?.endpoint).toBe('http://base:4318/v1/traces');
  });

  it('names the service tillbridge unless OTEL_SERVICE_NAME says otherwise', () => {
    expect(tracingOptionsFrom({ otlpEndpoint: 'http://c:4318' }, {})?.serviceName).toBe('tillbridge');
    expect(tracingOptionsFrom({ otlpEndpoint: 'http://c:4318' }, { OTEL_SERVICE_NAME: 'hub-eu' })?.serviceName).toBe('hub-eu');
  });

  it('stays off when the SDK or the traces exporter is disabled', () => {
    expect(tracingOptionsFrom({ otlpEndpoint: 'http://c:4318' }, { OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(tracingOptionsFrom({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
  });

  it('refuses an OTEL endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() => tracingOptionsFrom({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: the OTLP endpoint is an http\(s\) URL/);
    expect(() => tracingOptionsFrom({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/);
  });

  it('appends /v1/traces to a base URL once', () => {
    expect(tracesUrl('https://otlp.example.com/otlp')).toBe('https://otlp.example.com/otlp/v1/traces');
    expect(tracesUrl('https://otlp.example.com/otlp/v1/traces')).toBe('https://otlp.example.com/otlp/v1/traces');
  });
});
