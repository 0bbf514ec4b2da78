import { describe, expect, it } from 'vitest';
import { createRateGovernor, parseRetryAfter } from './rate-governor.js';

function fakeTime() {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    clock: { now: () => now },
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    slept,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('rate governor', () => {
  it('lets a full bucket through at once, then paces at the refill rate (Shopify REST: 40, 2/s)', async () => {
    const time = fakeTime();
    const governor = createRateGovernor({ capacity: 40, refillPerSecond: 2 }, time);
    for (let i = 0; i < 40; i++) await governor.acquire();
    expect(time.slept).toEqual([]);
    await governor.acquire();
    await governor.acquire();
    expect(time.slept.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('charges GraphQL query cost and believes the vendor\'s throttle status over its own estimate', async () => {
    const time = fakeTime();
    const governor = createRateGovernor({ capacity: 1000, refillPerSecond: 50 }, time);
    await governor.acquire(100);
    governor.observe({ available: 50, maximum: 2000, restoreRate: 100 });
    expect(governor.state()).toMatchObject({ capacity: 2000, refillPerSecond: 100, available: 50 });
    await governor.acquire(250);
    expect(time.slept.reduce((a, b) => a + b, 0)).toBe(2000);
  });

  it('pauses every caller for a Retry-After', async () => {
    const time = fakeTime();
    const governor = createRateGovernor({ capacity: 10, refillPerSecond: 10 }, time);
    governor.observe({ retryAfterMs: 3000 });
    expect(governor.state().pausedUntil).toBe(time.clock.now() + 3000);
    await governor.acquire();
    expect(time.slept).toEqual([3000]);
  });

  it('serves concurrent callers first come, first served, never exceeding the bucket', async () => {
    const governor = createRateGovernor({ capacity: 5, refillPerSecond: 100 });
    const order: number[] = [];
    const started = Date.now();
    await Promise.all(Array.from({ length: 15 }, (_, i) => governor.acquire().then(() => order.push(i))));
    expect(order).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('gives up waiting when the caller aborts', async () => {
    const governor = createRateGovernor({ capacity: 1, refillPerSecond: 0.01 });
    await governor.acquire();
    const controller = new AbortController();
    const waiting = governor.acquire(1, controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter('0.5', 0)).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});
