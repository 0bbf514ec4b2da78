import { permanentError, transientError, type TillbridgeError } from '../../model/index.js';

/** How one POST to a subscriber ended: its status (null without a response) and, unless 2xx, why it failed. */
export interface PostOutcome {
  statusCode: number | null;
  error: TillbridgeError | null;
  /** The receiver answered 410 Gone: it wants no more deliveries. */
  gone: boolean;
}

/** Reads a Retry-After header (delay-seconds or an HTTP date) as milliseconds, capped at `maxMs`. */
export function parseRetryAfter(value: string | null, nowMs: number, maxMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - nowMs;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), maxMs);
}

async function excerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 512) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // an unreadable body adds nothing to the error
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
  return text === '' ? '' : `: ${text}`;
}

/** Classifies a response: 2xx delivered; 408, 429 and 5xx retry (honouring Retry-After); 3xx and other 4xx are permanent. */
async function classify(response: Response, nowMs: number, maxRetryAfterMs: number): Promise<PostOutcome> {
  const status = response.status;
  if (status >= 200 && status < 300) {
    await response.body?.cancel().catch(() => undefined);
    return { statusCode: status, error: null, gone: false };
  }
  const said = `the subscriber answered ${status}${await excerpt(response)}`;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs, maxRetryAfterMs);
    const code = status === 429 ? 'subscriber_rate_limited' : 'subscriber_unavailable';
    return { statusCode: status, error: transientError(code, said, retryAfterMs !== undefined ? { retryAfterMs } : {}), gone: false };
  }
  if (status === 410) return { statusCode: status, error: permanentError('subscriber_gone', `${said}; the subscription is disabled`), gone: true };
  if (status >= 300 && status < 400) {
    return { statusCode: status, error: permanentError('subscriber_redirected', `${said} (redirects are not followed; update the subscription URL)`), gone: false };
  }
  return { statusCode: status, error: permanentError('subscriber_rejected', said), gone: false };
}

/**
 * POSTs one signed event. Times out after `timeoutMs` (and aborts when `signal` does: lease lost
 * or shutdown); network errors and timeouts are transient. Redirects are not followed.
 */
export async function postEvent(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  timeoutMs: number;
  nowMs: number;
  maxRetryAfterMs: number;
}): Promise<PostOutcome> {
  let response: Response;
  try {
    response = await fetch(input.url, {
      method: 'POST',
      body: input.body,
      headers: input.headers,
      redirect: 'manual',
      signal: AbortSignal.any([input.signal, AbortSignal.timeout(input.timeoutMs)]),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError') {
      return { statusCode: null, error: transientError('subscriber_timeout', `the subscriber did not answer within ${input.timeoutMs} ms`), gone: false };
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error as Error).message;
    return { statusCode: null, error: transientError('subscriber_unreachable', `could not reach the subscriber: ${detail}`), gone: false };
  }
  return classify(response, input.nowMs, input.maxRetryAfterMs);
}
