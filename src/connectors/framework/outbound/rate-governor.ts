import type { Clock } from '../../../model/index.js';

/** What a response tells the governor about the vendor's limits. */
export interface RateFeedback {
  /** Units the vendor says are left now (Shopify GraphQL currentlyAvailable, REST call-limit header). */
  available?: number;
  /** The bucket's size, when the vendor reports it. */
  maximum?: number;
  /** Units restored per second, when the vendor reports it. */
  restoreRate?: number;
  /** The vendor asked us to wait this long (429/503 Retry-After): nothing is sent before it passes. */
  retryAfterMs?: number;
}

/** The governor's state, for health pages and metrics. */
export interface RateGovernorState {
  capacity: number;
  refillPerSecond: number;
  available: number;
  pausedUntil: number | null;
  waiting: number;
}

/**
 * Paces outbound calls of one connection by the vendor's rules. One instance per connection is
 * shared by every worker of the process, so concurrent handlers cannot together exceed the limit.
 */
export interface RateGovernor {
  /** Waits (first come, first served) until a call costing `cost` units may go out. */
  acquire(cost?: number, signal?: AbortSignal): Promise<void>;
  /** Learns from a response: the vendor's own count of what is left, or a Retry-After pause. */
  observe(feedback: RateFeedback): void;
  state(): RateGovernorState;
}

/** Bucket sizes and refill rates by vendor rule. */
export interface RateRule {
  capacity: number;
  refillPerSecond: number;
}

/**
 * A token bucket that follows the vendor: the bucket refills continuously (a leaky bucket seen from
 * the sender's side), the vendor's own reported availability overrides our estimate, and a
 * Retry-After pauses every caller.
 */
export function createRateGovernor(
  rule: RateRule,
  options: { clock?: Clock; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> } = {},
): RateGovernor {
  const now = () => (options.clock ? options.clock.now() : Date.now());
  const sleep = options.sleep ?? abortableSleep;
  let capacity = rule.capacity;
  let refillPerSecond = rule.refillPerSecond;
  let tokens = capacity;
  let updatedAt = now();
  let pausedUntil = 0;
  let queue: Promise<void> = Promise.resolve();
  let waiting = 0;

  const refill = () => {
    const at = now();
    tokens = Math.min(capacity, tokens + ((at - updatedAt) / 1000) * refillPerSecond);
    updatedAt = at;
  };

  const take = async (cost: number, signal?: AbortSignal) => {
    const needed = Math.min(cost, capacity);
    for (;;) {
      signal?.throwIfAborted();
      refill();
      const pause = pausedUntil - now();
      if (pause > 0) {
        await sleep(pause, signal);
        continue;
      }
      if (tokens >= needed) {
        tokens -= needed;
        return;
      }
      await sleep(Math.max(1, Math.ceil(((needed - tokens) / refillPerSecond) * 1000)), signal);
    }
  };

  return {
    acquire(cost = 1, signal) {
      waiting += 1;
      const turn = queue.then(() => take(cost, signal));
      queue = turn.catch(() => undefined);
      return turn.finally(() => {
        waiting -= 1;
      });
    },
    observe(feedback) {
      refill();
      if (feedback.maximum !== undefined && feedback.maximum > 0) capacity = feedback.maximum;
      if (feedback.restoreRate !== undefined && feedback.restoreRate > 0) refillPerSecond = feedback.restoreRate;
      if (feedback.available !== undefined) tokens = Math.max(0, Math.min(capacity, feedback.available));
      if (feedback.retryAfterMs !== undefined && feedback.retryAfterMs > 0) {
        pausedUntil = Math.max(pausedUntil, now() + feedback.retryAfterMs);
      }
    },
    state() {
      refill();
      const at = now();
      return {
        capacity,
        refillPerSecond,
        available: Math.floor(tokens),
        pausedUntil: pausedUntil > at ? pausedUntil : null,
        waiting,
      };
    },
  };
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
