import { TillbridgeError } from '../model/index.js';

/** How often and how patiently a message type is retried. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The default: 15 attempts, waits from 1 s doubling up to 10 min (30–57 min in all before a dead letter). */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 15, baseDelayMs: 1000, maxDelayMs: 600_000 };

/** What to do after a failed attempt. */
export type RetryDecision =
  | { action: 'retry'; delayMs: number }
  | { action: 'dead'; reason: string };

/**
 * Capped exponential backoff with equal jitter: the n-th retry waits between half and all of
 * min(max, base × 2^(n−1)), and never less than a Retry-After the failing party asked for.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs = 0): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(jittered, retryAfterMs);
}

/**
 * Decides retry or dead letter: permanent errors dead-letter at once; transient ones (and
 * unexpected exceptions, which may be a passing outage) retry until the attempts run out.
 */
export function decideRetry(error: unknown, attempt: number, policy: RetryPolicy, random: () => number): RetryDecision {
  const typed = error instanceof TillbridgeError ? error : undefined;
  if (typed && !typed.retryable) return { action: 'dead', reason: `permanent error ${typed.code}: ${typed.message}` };
  if (attempt >= policy.maxAttempts) {
    return { action: 'dead', reason: `gave up after ${attempt} attempts: ${describeError(error).message}` };
  }
  return { action: 'retry', delayMs: backoffDelay(attempt, policy, random, typed?.retryAfterMs ?? 0) };
}

/** The code, message and retryable flag of any thrown value, as recorded in attempt history. */
export function describeError(error: unknown): { code: string; message: string; retryable: boolean } {
  if (error instanceof TillbridgeError) return { code: error.code, message: error.message, retryable: error.retryable };
  if (error instanceof Error) return { code: 'unexpected_error', message: error.message, retryable: true };
  return { code: 'unexpected_error', message: String(error), retryable: true };
}
