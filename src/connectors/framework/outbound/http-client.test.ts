import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../../model/index.js';
import { startEmulator, type RunningEmulator } from '../emulator/server.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { createHttpClient } from './http-client.js';

/** A small vendor: /flaky fails `failuresLeft` times, /slow never answers in time, /items echoes headers. */
let server: RunningEmulator;
let failuresLeft = 0;
let failStatus = 500;
let calls = 0;
const seenHeaders: Record<string, string | string[] | undefined>[] = [];

beforeAll(async () => {
  server = await startEmulator({
    name: 'vendor',
    faultResponse: (kind) =>
      kind === 'rate-limit' ? { status: 429, headers: { 'retry-after': '0.2' }, body: { message: 'slow down' } } : { status: 503, body: { message: kind } },
    state: () => ({}),
    routes(app) {
      app.all('/flaky', async (request, reply) => {
        calls += 1;
        seenHeaders.push(request.headers);
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          return reply.code(failStatus).headers(failStatus === 429 ? { 'retry-after': '0.3' } : {}).send({ message: `failure ${failStatus}` });
        }
        return { ok: true, calls };
      });
      app.get('/slow', async () => new Promise((resolve) => setTimeout(() => resolve({ late: true }), 500)));
      app.post('/reject', async (_request, reply) => reply.code(422).send({ error: { message: 'sku is required' } }));
    },
  });
});
afterAll(async () => server.close());
beforeEach(() => {
  failuresLeft = 0;
  failStatus = 500;
  calls = 0;
  seenHeaders.length = 0;
});

const client = (overrides: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
  createHttpClient({
    connectionId: 'vendor-1',
    baseUrl: server.url,
    vendor: {
      rate: { capacity: 100, refillPerSecond: 100 },
      errorMessage: (_status, body) => (body as { error?: { message?: string } } | null)?.error?.message,
    },
    headers: { authorization: 'Bearer secret' },
    baseDelayMs: 10,
    ...overrides,
  });

describe('outbound HTTP client', () => {
  it('retries a GET through 5xx and succeeds', async () => {
    failuresLeft = 2;
    const response = await client().request<{ ok: boolean; calls: number }>({ method: 'GET', path: '/flaky' });
    expect(response.body).toEqual({ ok: true, calls: 3 });
  });

  it('does not repeat a POST without an idempotency key: the caller decides (check-before-create)', async () => {
    failuresLeft = 1;
    const error = await client().request({ method: 'POST', path: '/flaky', body: { a: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TillbridgeError);
    expect(error).toMatchObject({ code: 'outbound_server_error', retryable: true });
    expect(calls).toBe(1);
  });

  it('repeats a POST that carries an Idempotency-Key, sending the same key every time', async () => {
    failuresLeft = 2;
    await client().request({ method: 'POST', path: '/flaky', body: { a: 1 }, idempotencyKey: 'refund-42' });
    expect(calls).toBe(3);
    expect(seenHeaders.map((h) => h['idempotency-key'])).toEqual(['refund-42', 'refund-42', 'refund-42']);
    expect(seenHeaders[0]?.['content-type']).toBe('application/json');
  });

  it('honours 429 Retry-After before retrying, and the governor shows the pause', async () => {
    failuresLeft = 1;
    failStatus = 429;
    const http = client();
    const started = Date.now();
    const response = await http.request({ method: 'POST', path: '/flaky' });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(http.health().lastFailure).toMatchObject({ code: 'outbound_throttled' });
  });

  it('times out a call that does not answer, as a transient error', async () => {
    const error = await client({ timeoutMs: 100, maxAttempts: 1 }).request({ method: 'GET', path: '/slow' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'outbound_timeout', retryable: true });
  });

  it('turns a 4xx into a permanent error with the vendor\'s message', async () => {
    const error = await client().request({ method: 'POST', path: '/reject', body: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'outbound_rejected', retryable: false, httpStatus: 422 });
    expect((error as Error).message).toContain('sku is required');
  });

  it('opens the circuit after consecutive failures and then fails fast without calling', async () => {
    failuresLeft = 100;
    const http = client({ maxAttempts: 1, breaker: createCircuitBreaker({ failureThreshold: 3, openMs: 60_000 }) });
    for (let i = 0; i < 3; i++) await http.request({ method: 'GET', path: '/flaky' }).catch(() => undefined);
    expect(calls).toBe(3);
    const error = await http.request({ method: 'GET', path: '/flaky' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'circuit_open', retryable: true });
    expect(calls).toBe(3);
    expect(http.health().circuit.state).toBe('open');
  });

  it('emulator faults: a rate-limit fault answers 429 and the client waits it out', async () => {
    await fetch(`${server.url}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimitRate: 1 }) });
    const error = await client({ maxAttempts: 2 }).request({ method: 'GET', path: '/flaky' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'outbound_throttled', retryAfterMs: 200 });
    await fetch(`${server.url}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimitRate: 0 }) });
    expect((await client().request({ method: 'GET', path: '/flaky' })).status).toBe(200);
  });
});
