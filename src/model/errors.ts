/** Options accepted by {@link TillbridgeError}. */
export interface TillbridgeErrorOptions {
  retryable?: boolean;
  httpStatus?: number;
  details?: unknown;
  retryAfterMs?: number;
  cause?: unknown;
}

/** The project-wide typed error: a stable code, a retryable flag and an HTTP status. */
export class TillbridgeError extends Error {
  /** Stable machine-readable code, e.g. 'validation_failed', 'unknown_currency', 'transient'. */
  readonly code: string;
  /** Whether retrying the same operation later may succeed. */
  readonly retryable: boolean;
  /** The HTTP status this error maps to at the API boundary. */
  readonly httpStatus: number;
  /** Extra structured data (e.g. violations) for diagnosis. */
  readonly details?: unknown;
  /** How long to wait before retrying, when the failing party said so (Retry-After). */
  readonly retryAfterMs?: number;

  constructor(code: string, message: string, options: TillbridgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TillbridgeError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.httpStatus = options.httpStatus ?? (this.retryable ? 503 : 500);
    if (options.details !== undefined) this.details = options.details;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** An error worth retrying with backoff (timeouts, 429s, 5xx, outages). */
export function transientError(
  code: string,
  message: string,
  options: { retryAfterMs?: number; httpStatus?: number; details?: unknown; cause?: unknown } = {},
): TillbridgeError {
  return new TillbridgeError(code, message, { ...options, retryable: true, httpStatus: options.httpStatus ?? 503 });
}

/** An error that will fail the same way on every retry, so it dead-letters at once. */
export function permanentError(
  code: string,
  message: string,
  httpStatus = 422,
  details?: unknown,
): TillbridgeError {
  return new TillbridgeError(code, message, { retryable: false, httpStatus, details });
}

/** True only for a {@link TillbridgeError} flagged retryable (the dispatcher also retries unexpected exceptions, up to its limit). */
export function isRetryable(err: unknown): boolean {
  return err instanceof TillbridgeError && err.retryable;
}

/** Narrows an unknown thrown value to a {@link TillbridgeError}. */
export function isTillbridgeError(err: unknown): err is TillbridgeError {
  return err instanceof TillbridgeError;
}
