import { transientError, type Clock } from '../../../model/index.js';

/** closed: calls flow; open: calls fail fast; half-open: one probe decides. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Breaker settings. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** How long the circuit stays open before a half-open probe (default 30 s). */
  openMs?: number;
  clock?: Clock;
  /** Told of every change of state, e.g. for a log line or an alert. */
  onChange?(state: CircuitState): void;
}

/** The breaker's state, for health pages and metrics. */
export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  openedAt: number | null;
  retryAt: number | null;
}

/** Guards one connection: after repeated failures, calls fail fast until a probe succeeds. */
export interface CircuitBreaker {
  /** Throws a transient `circuit_open` error (with Retry-After) unless a call may go out now. */
  beforeCall(connectionId: string): void;
  success(): void;
  failure(): void;
  snapshot(): CircuitSnapshot;
}

/** Creates a breaker: opens after consecutive failures, lets one probe through after `openMs`. */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = options.failureThreshold ?? 5;
  const openMs = options.openMs ?? 30_000;
  const now = () => (options.clock ? options.clock.now() : Date.now());
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt: number | null = null;
  let probing = false;

  const move = (next: CircuitState) => {
    if (next === state) return;
    state = next;
    options.onChange?.(next);
  };

  return {
    beforeCall(connectionId) {
      if (state === 'closed') return;
      const retryAt = (openedAt ?? 0) + openMs;
      if (state === 'open' && now() >= retryAt) move('half-open');
      if (state === 'half-open' && !probing) {
        probing = true;
        return;
      }
      const waitMs = Math.max(retryAt - now(), 1000);
      throw transientError('circuit_open', `connection ${connectionId} is failing: circuit open, next probe in ${Math.ceil(waitMs / 1000)} s`, {
        retryAfterMs: waitMs,
      });
    },
    success() {
      failures = 0;
      probing = false;
      openedAt = null;
      move('closed');
    },
    failure() {
      failures += 1;
      const wasProbe = probing;
      probing = false;
      if (wasProbe || failures >= threshold) {
        openedAt = now();
        move('open');
      }
    },
    snapshot() {
      return {
        state,
        consecutiveFailures: failures,
        openedAt,
        retryAt: openedAt === null ? null : openedAt + openMs,
      };
    },
  };
}
