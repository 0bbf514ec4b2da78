import { describe, expect, it } from 'vitest';
import { isRetryable, isTillbridgeError, permanentError, TillbridgeError, transientError } from './errors.js';

describe('TillbridgeError', () => {
  it('carries a stable code, retryable flag and HTTP status', () => {
    const err = new TillbridgeError('not_found', 'order ord_1 not found', { httpStatus: 404, details: { id: 'ord_1' } });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('TillbridgeError');
    expect(err.code).toBe('not_found');
    expect(err.retryable).toBe(false);
    expect(err.httpStatus).toBe(404);
    expect(err.details).toEqual({ id: 'ord_1' });
    expect(err.retryAfterMs).toBeUndefined();
  });

  it('transient errors are retryable and keep Retry-After', () => {
    const err = transientError('rate_limited', 'slow down', { retryAfterMs: 2000, httpStatus: 429 });
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(2000);
    expect(err.httpStatus).toBe(429);
    expect(transientError('transient', 'timeout').httpStatus).toBe(503);
    expect(isRetryable(err)).toBe(true);
  });

  it('permanent errors are not retryable and default to 422', () => {
    const err = permanentError('validation_failed', 'bad order');
    expect(err.retryable).toBe(false);
    expect(err.httpStatus).toBe(422);
    expect(permanentError('conflict', 'exists', 409).httpStatus).toBe(409);
    expect(isRetryable(err)).toBe(false);
  });

  it('does not treat foreign errors as retryable', () => {
    expect(isRetryable(new Error('boom'))).toBe(false);
    expect(isRetryable('boom')).toBe(false);
    expect(isTillbridgeError(permanentError('x', 'y'))).toBe(true);
    expect(isTillbridgeError(new Error('x'))).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('socket hang up');
    expect(transientError('transient', 'upstream failed', { cause }).cause).toBe(cause);
  });
});
