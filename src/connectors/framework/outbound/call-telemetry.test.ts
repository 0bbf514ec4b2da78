import http from 'node:http';
import { context, propagation, trace, SpanKind } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onOutboundCall, type OutboundCallEvent } from './call-telemetry.js';
import { createHttpClient } from './http-client.js';

/** A vendor that records the headers it is sent: /ok answers 200, /missing 404, /down 503. */
const seen: http.IncomingHttpHeaders[] = [];
const vendor = http.createServer((req, res) => {
  seen.push(req.headers);
  const status = req.url?.startsWith('/ok') ? 200 : req.url?.startsWith('/missing') ? 404 : 503;
  res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
});
let baseUrl: string;

const client = () => createHttpClient({ connectionId: 'vendor-1', baseUrl, vendor: { rate: { capacity: 100, refillPerSecond: 100 } }, maxAttempts: 1 });

beforeAll(async () => {
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(vendor.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => vendor.close(() => resolve())));
afterEach(() => {
  seen.length = 0;
});

describe('outbound call telemetry', () => {
  it('reports each call with its connection, outcome, status and duration to subscribers', async () => {
    const events: OutboundCallEvent[] = [];
    const stop = onOutboundCall((event) => events.push(event));
    try {
      await client().request({ method: 'GET', path: '/ok' });
      await expect(client().request({ method: 'GET', path: '/missing' })).rejects.toThrow();
      await expect(client().request({ method: 'GET', path: '/down' })).rejects.toThrow();
    } finally {
      stop();
    }
    await client().request({ method: 'GET', path: '/ok' });
    expect(events.map(({ connectionId, method, outcome, status }) => ({ connectionId, method, outcome, status }))).toEqual([
      { connectionId: 'vendor-1', method: 'GET', outcome: 'ok', status: 200 },
      { connectionId: 'vendor-1', method: 'GET', outcome: 'rejected', status: 404 },
      { connectionId: 'vendor-1', method: 'GET', outcome: 'server_error', status: 503 },
    ]);
    for (const event of events) expect(event.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('sends no traceparent while tracing is off', async () => {
    await client().request({ method: 'GET', path: '/ok' });
    expect(seen[0]?.traceparent).toBeUndefined();
  });

  describe('with a tracer provider', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    beforeAll(() => {
      trace.setGlobalTracerProvider(provider);
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('records a CLIENT span under the active span, without the query string, and sends its traceparent', async () => {
      const parent = trace.getTracer('test').startSpan('handle order.accepted');
      await context.with(trace.setSpan(context.active(), parent), () => client().request({ method: 'GET', path: '/ok', query: { api_key: 'sekrit', page: 2 } }));
      parent.end();
      const span = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT);
      expect(span?.name).toBe('GET vendor-1');
      expect(span?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(span?.spanContext().traceId).toBe(parent.spanContext().traceId);
      expect(span?.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.full': `${baseUrl}/ok`, 'http.response.status_code': 200, 'tillbridge.connection': 'vendor-1' });
      expect(JSON.stringify(span?.attributes)).not.toContain('sekrit');
      expect(seen[0]?.traceparent).toBe(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
    });

    it('marks a failed call as an error with its status', async () => {
      exporter.reset();
      await expect(client().request({ method: 'POST', path: '/down', body: {} })).rejects.toThrow();
      const span = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT);
      expect(span?.status.code).toBe(2);
      expect(span?.attributes['http.response.status_code']).toBe(503);
      expect(span?.attributes['error.type']).toBe('503');
    });
  });
});
