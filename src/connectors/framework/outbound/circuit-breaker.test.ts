import { describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../../model/index.js';
import { createCircuitBreaker } from './circuit-breaker.js';

describe('circuit breaker', () => {
  it('opens after consecutive failures, fails fast, lets one half-open probe through, and closes on its success', () => {
    let now = 0;
    const changes: string[] = [];
    const breaker = createCircuitBreaker({ failureThreshold: 3, openMs: 10_000, clock: { now: () => now }, onChange: (s) => changes.push(s) });
    for (let i = 0; i < 2; i++) {
      breaker.beforeCall('erp');
      breaker.failure();
    }
    breaker.success();
    for (let i = 0; i < 3; i++) {
      breaker.beforeCall('erp');
      breaker.failure();
    }
    expect(breaker.snapshot().state).toBe('open');
    let thrown: unknown;
    try {
      breaker.beforeCall('erp');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TillbridgeError);
    expect(thrown).toMatchObject({ code: 'circuit_open', retryable: true, retryAfterMs: 10_000 });
    now = 10_000;
    breaker.beforeCall('erp');
    expect(breaker.snapshot().state).toBe('half-open');
    expect(() => breaker.beforeCall('erp')).toThrow(/circuit open/);
    breaker.success();
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('re-opens when the half-open probe fails', () => {
    let now = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 1, openMs: 1000, clock: { now: () => now } });
    breaker.beforeCall('x');
    breaker.failure();
    now = 1000;
    breaker.beforeCall('x');
    breaker.failure();
    expect(breaker.snapshot()).toMatchObject({ state: 'open', openedAt: 1000, retryAt: 2000 });
  });
});
