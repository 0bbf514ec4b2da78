import { describe, expect, it } from 'vitest';
import { fullBucket, refill, reserve, secondsUntil, take } from './token-bucket.js';

const policy = { limit: 10, windowSeconds: 60 };

describe('token bucket', () => {
  it('starts full and counts down by the cost', () => {
    let state = fullBucket(policy, 0);
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = take(state, policy, 0, 1);
      expect(r.allowed).toBe(true);
      remaining.push(r.remaining);
      state = r.state;
    }
    expect(remaining).toEqual([9, 8, 7]);
    const heavy = take(state, policy, 0, 5);
    expect(heavy).toMatchObject({ allowed: true, remaining: 2, retryAfterSeconds: 0, resetSeconds: 48 });
  });

  it('refuses when empty and says when enough tokens are back', () => {
    let state = fullBucket(policy, 0);
    for (let i = 0; i < 10; i++) state = take(state, policy, 0, 1).state;
    const refused = take(state, policy, 0, 1);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 6, resetSeconds: 60 });
    expect(take(state, policy, 0, 3).retryAfterSeconds).toBe(18);
    expect(refused.state.tokens).toBe(0);
  });

  it('refills at limit / window per second, capped at the limit', () => {
    const empty = { tokens: 0, updatedAt: 0 };
    expect(refill(empty, policy, 6_000).tokens).toBeCloseTo(1);
    expect(take(empty, policy, 5_999).allowed).toBe(false);
    expect(take(empty, policy, 6_000).allowed).toBe(true);
    expect(refill(empty, policy, 3_600_000).tokens).toBe(10);
  });

  it('ignores a clock that runs backwards', () => {
    const state = { tokens: 5, updatedAt: 10_000 };
    expect(refill(state, policy, 0)).toEqual({ tokens: 5, updatedAt: 10_000 });
  });

  it('never admits a cost above the limit', () => {
    const r = take(fullBucket(policy, 0), policy, 0, 11);
    expect(r.allowed).toBe(false);
    expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('reports whole seconds until a target', () => {
    expect(secondsUntil(10, 10, policy)).toBe(0);
    expect(secondsUntil(9.5, 10, policy)).toBe(3);
  });

  it('reserves a batch, all or nothing below the need, and takes unused tokens back', () => {
    const first = reserve(fullBucket(policy, 0), policy, 0, 4, 1);
    expect(first).toEqual({ granted: 4, state: { tokens: 6, updatedAt: 0 } });
    const partial = reserve({ tokens: 2.5, updatedAt: 0 }, policy, 0, 4, 1);
    expect(partial.granted).toBe(2);
    expect(partial.state.tokens).toBeCloseTo(0.5);
    expect(reserve({ tokens: 2.5, updatedAt: 0 }, policy, 0, 4, 3).granted).toBe(0);
    const returned = reserve({ tokens: 0, updatedAt: 0 }, policy, 0, 4, 1, 3);
    expect(returned).toEqual({ granted: 3, state: { tokens: 0, updatedAt: 0 } });
    expect(reserve({ tokens: 9, updatedAt: 0 }, policy, 0, 0, 0, 5).state.tokens).toBe(10);
  });
});
