import { describe, expect, it } from 'vitest';
import { allocate } from './allocation.js';
import type { TillbridgeError } from './errors.js';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('allocate', () => {
  it('splits proportionally with largest remainders', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(500, [2500, 2500])).toEqual([250, 250]);
    expect(allocate(10, [1, 2, 7])).toEqual([1, 2, 7]);
    expect(allocate(5, [3, 3, 4])).toEqual([2, 1, 2]);
    expect(allocate(1, [1, 1])).toEqual([1, 0]);
  });

  it('breaks ties by lower index', () => {
    expect(allocate(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(allocate(1, [5, 5, 5, 5])).toEqual([1, 0, 0, 0]);
  });

  it('mirrors negative totals', () => {
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(-1, [1, 1])).toEqual([-1, 0]);
    for (const part of allocate(-1, [1, 1])) expect(Object.is(part, -0)).toBe(false);
  });

  it('gives nothing to zero weights and splits evenly when every weight is zero', () => {
    expect(allocate(100, [0, 1, 0])).toEqual([0, 100, 0]);
    expect(allocate(10, [0, 0, 0])).toEqual([4, 3, 3]);
  });

  it('handles empty weights only for a zero total', () => {
    expect(allocate(0, [])).toEqual([]);
    let code: string | undefined;
    try {
      allocate(5, []);
    } catch (err) {
      code = (err as TillbridgeError).code;
    }
    expect(code).toBe('invalid_allocation');
  });

  it('rejects fractional totals and negative or fractional weights', () => {
    expect(() => allocate(1.5, [1])).toThrow(/safe integer/);
    expect(() => allocate(10, [1, -1])).toThrow(/non-negative/);
    expect(() => allocate(10, [0.5])).toThrow(/non-negative/);
  });

  it('is exact at the edges of the safe integer range', () => {
    const parts = allocate(Number.MAX_SAFE_INTEGER, [Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER]);
    expect(parts.reduce((a, b) => BigInt(a) + BigInt(b), 0n)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it('property: parts sum to the total and each is within 1 of its exact share', () => {
    const random = mulberry32(20261126);
    for (let run = 0; run < 2000; run += 1) {
      const count = 1 + Math.floor(random() * 8);
      const scale = random() < 0.2 ? 1e12 : 1000;
      const weights = Array.from({ length: count }, () => (random() < 0.15 ? 0 : Math.floor(random() * scale)));
      const total = Math.floor((random() - 0.3) * scale * 10);
      const parts = allocate(total, weights);

      expect(parts).toHaveLength(count);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      const weightSum = weights.reduce((a, b) => a + b, 0);
      const effective = weightSum === 0 ? weights.map(() => 1) : weights;
      const sum = BigInt(weightSum === 0 ? count : weightSum);
      parts.forEach((part, index) => {
        const exact = BigInt(total) * BigInt(effective[index]!);
        const deviation = BigInt(part) * sum - exact;
        expect(deviation < sum && deviation > -sum, `run ${run} part ${index}`).toBe(true);
        if (weightSum !== 0 && weights[index] === 0) expect(part).toBe(0);
      });
    }
  });

  it('property: the same input always gives the same output', () => {
    const random = mulberry32(7);
    for (let run = 0; run < 200; run += 1) {
      const weights = Array.from({ length: 5 }, () => Math.floor(random() * 10));
      const total = Math.floor(random() * 1000);
      expect(allocate(total, weights)).toEqual(allocate(total, [...weights]));
    }
  });
});
