import { backoffDelay } from '../../../messaging/index.js';
import { permanentError, transientError, TillbridgeError, type Clock } from '../../../model/index.js';
import { createCircuitBreaker, type CircuitBreaker, type CircuitSnapshot } from './circuit-breaker.js';
import { startOutboundCall } from './call-telemetry.js';
import { abortableSleep, createRateGovernor, parseRetryAfter, type RateFeedback, type RateGovernor, type RateGovernorState, type RateRule } from './rate-governor.js';

/** One outbound call. */
export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  /** JSON body (serialised here) or a ready string/Buffer with its own content-type header. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as `Idempotency-Key` (vendors that honour it make the call safe to retry). */
  idempotencyKey?: string;
  /** Units the call costs against the rate governor (default 1; GraphQL: the requested query cost). */
  cost?: number;
  /** Retry 5xx and timeouts within this call. Defaults to true for GET/PUT/DELETE and calls with an idempotency key. */
  retry?: boolean;
  signal?: AbortSignal;
}

/** A successful (2xx) response. */
export interface OutboundResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A connection's outbound health, for `connections check`, the console and metrics. */
export interface OutboundHealth {
  circuit: CircuitSnapshot;
  rate: RateGovernorState;
  lastSuccessAt: number | null;
  lastFailure: { at: number; code: string; message: string } | null;
  calls: number;
  failures: number;
}

/** Vendor-specific parts of the outbound client. */
export interface VendorRules {
  /** The vendor's rate rule (bucket size, refill per second). */
  rate: RateRule;
  /** Reads the vendor's rate feedback from any response (headers, or the body's throttle status). */
  rateFeedback?(response: { status: number; headers: Headers; body: unknown }): RateFeedback | undefined;
  /** A readable message from the vendor's error body (e.g. Frappe's exc_type and _server_messages). */
  errorMessage?(status: number, body: unknown): string | undefined;
  /** Statuses to treat as "slow down" like 429 (Frappe also uses 503 with Retry-After). */
  throttleStatuses?: number[];
}

/** Outbound HTTP for one connection: rate-governed, circuit-broken, with timeouts and retries. */
export interface HttpClient {
  readonly baseUrl: string;
  request<T = unknown>(request: OutboundRequest): Promise<OutboundResponse<T>>;
  health(): OutboundHealth;
}

/** Settings of the outbound client of one connection. */
export interface HttpClientOptions {
  connectionId: string;
  baseUrl: string;
  vendor: VendorRules;
  /** Headers on every call (auth). Never logged. */
  headers?: Record<string, string>;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  /** Attempts within one call for retryable failures (default 3). */
  maxAttempts?: number;
  /** Base delay of the in-call backoff (default 200 ms, capped at 5 s). */
  baseDelayMs?: number;
  breaker?: CircuitBreaker;
  governor?: RateGovernor;
  clock?: Clock;
  random?: () => number;
  fetch?: typeof fetch;
}

/**
 * Creates the outbound client. 429 (and the vendor's other throttle statuses) pause the shared
 * rate governor for Retry-After and retry; 5xx, timeouts and network errors retry with capped
 * exponential backoff when the call is safe to repeat, and count toward the circuit breaker; other
 * 4xx are permanent errors carrying the vendor's message. What still fails is thrown as a typed
 * error (transient or permanent) for the message dispatcher to retry or dead-letter.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const breaker = options.breaker ?? createCircuitBreaker(options.clock ? { clock: options.clock } : {});
  const governor = options.governor ?? createRateGovernor(options.vendor.rate, options.clock ? { clock: options.clock } : {});
  const now = () => (options.clock ? options.clock.now() : Date.now());
  const random = options.random ?? Math.random;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const retryPolicy = { maxAttempts, baseDelayMs: options.baseDelayMs ?? 200, maxDelayMs: 5_000 };
  const throttles = new Set([429, ...(options.vendor.throttleStatuses ?? [])]);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const health: Omit<OutboundHealth, 'circuit' | 'rate'> = { lastSuccessAt: null, lastFailure: null, calls: 0, failures: 0 };

  const urlOf = (request: OutboundRequest) => {
    const url = new URL(baseUrl + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  };

  const attempt = async <T>(request: OutboundRequest): Promise<OutboundResponse<T>> => {
    breaker.beforeCall(options.connectionId);
    await governor.acquire(request.cost ?? 1, request.signal);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...request.headers };
    let body: string | Buffer | undefined;
    if (request.body !== undefined) {
      if (typeof request.body === 'string' || Buffer.isBuffer(request.body)) body = request.body;
      else {
        body = JSON.stringify(request.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
    const signals = [AbortSignal.timeout(timeoutMs), ...(request.signal ? [request.signal] : [])];
    health.calls += 1;
    const url = urlOf(request);
    const call = startOutboundCall(options.connectionId, request.method, url, headers);
    let response: Response;
    try {
      response = await doFetch(url, { method: request.method, headers, body: body ?? null, signal: AbortSignal.any(signals) });
    } catch (error) {
      if (request.signal?.aborted) {
        call.end('aborted');
        throw request.signal.reason;
      }
      breaker.failure();
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      call.end(timedOut ? 'timeout' : 'unreachable');
      throw transientError(
        timedOut ? 'outbound_timeout' : 'outbound_unreachable',
        timedOut
          ? `${options.connectionId}: ${request.method} ${request.path} timed out after ${timeoutMs} ms`
          : `${options.connectionId}: ${request.method} ${request.path} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const text = await response.text().catch(() => '');
    call.end(response.ok ? 'ok' : throttles.has(response.status) ? 'throttled' : response.status >= 500 ? 'server_error' : 'rejected', response.status);
    const parsed = parseBody(text, response.headers.get('content-type'));
    const feedback = options.vendor.rateFeedback?.({ status: response.status, headers: response.headers, body: parsed });
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
    if (feedback) governor.observe(feedback);
    if (response.ok) {
      breaker.success();
      return { status: response.status, headers: response.headers, body: parsed as T };
    }
    const detail = options.vendor.errorMessage?.(response.status, parsed) ?? (text.slice(0, 300) || response.statusText);
    const where = `${options.connectionId}: ${request.method} ${request.path} → ${response.status}`;
    if (throttles.has(response.status)) {
      const wait = retryAfterMs ?? 1000;
      governor.observe({ retryAfterMs: wait });
      throw transientError('outbound_throttled', `${where} (throttled): ${detail}`, { retryAfterMs: wait, httpStatus: response.status });
    }
    if (response.status >= 500) {
      breaker.failure();
      throw transientError('outbound_server_error', `${where}: ${detail}`, {
        httpStatus: response.status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    breaker.success();
    throw new TillbridgeError(response.status === 401 || response.status === 403 ? 'outbound_unauthorized' : 'outbound_rejected', `${where}: ${detail}`, {
      retryable: false,
      httpStatus: response.status,
      details: { status: response.status, body: parsed },
    });
  };

  return {
    baseUrl,
    async request<T>(request: OutboundRequest) {
      const safe = request.retry ?? ((request.method !== 'POST' && request.method !== 'PATCH') || request.idempotencyKey !== undefined);
      for (let n = 1; ; n++) {
        try {
          const response = await attempt<T>(request);
          health.lastSuccessAt = now();
          return response;
        } catch (error) {
          const typed = error instanceof TillbridgeError ? error : undefined;
          if (typed) {
            health.failures += 1;
            health.lastFailure = { at: now(), code: typed.code, message: typed.message };
          }
          const throttled = typed?.code === 'outbound_throttled';
          const retryable = typed?.retryable === true && typed.code !== 'circuit_open' && (throttled || safe);
          if (!retryable || n >= maxAttempts) throw error;
          // A throttle waits in the governor (it was told Retry-After); other failures back off here.
          if (!throttled) await abortableSleep(backoffDelay(n, retryPolicy, random, typed.retryAfterMs ?? 0), request.signal);
        }
      }
    },
    health: () => ({ ...health, circuit: breaker.snapshot(), rate: governor.state() }),
  };
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return null;
  if (contentType?.includes('json') || /^[[{]/.test(text.trimStart())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** A permanent error for a vendor response whose shape we cannot use. */
export function unexpectedResponse(connectionId: string, what: string): TillbridgeError {
  return permanentError('outbound_unexpected_response', `${connectionId}: unexpected response: ${what}`, 502);
}
