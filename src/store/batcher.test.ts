import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';

describe('createBatcher (group commit)', () => {
  it('gathers what arrives while a batch is in flight into the next batch, answering each in order', async () => {
    const batches: number[][] = [];
    const batcher = createBatcher<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise((r) => setTimeout(r, 10));
        return items.map((i) => i * 10);
      },
      { maxBatch: 100 },
    );
    const first = batcher.submit(1);
    await new Promise((r) => setImmediate(r));
    const rest = Promise.all([2, 3, 4].map((i) => batcher.submit(i)));
    expect(await first).toBe(10);
    expect(await rest).toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('caps batches at maxBatch', async () => {
    const sizes: number[] = [];
    const batcher = createBatcher<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    }, { maxBatch: 3 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => batcher.submit(i)));
    expect(sizes).toEqual([3, 3, 2]);
  });

  it('rejects every item of a failed batch and keeps serving later ones', async () => {
    let fail = true;
    const batcher = createBatcher<number, number>(async (items) => {
      if (fail) throw new Error('disk full');
      return items;
    }, { maxBatch: 10 });
    const failed = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batcher.submit(3)).toBe(3);
  });

  it('drain waits until everything submitted is processed', async () => {
    const done: number[] = [];
    const batcher = createBatcher<number, number>(async (items) => {
      await new Promise((r) => setTimeout(r, 5));
      done.push(...items);
      return items;
    }, { maxBatch: 2 });
    for (let i = 0; i < 5; i++) void batcher.submit(i);
    await batcher.drain();
    expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('createBatcher with concurrency', () => {
  it('runs up to `concurrency` batches at once, never more', async () => {
    let active = 0;
    let peak = 0;
    const batcher = createBatcher<number, number>(
      async (items) => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 10));
        active -= 1;
        return items;
      },
      { maxBatch: 2, concurrency: 3 },
    );
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => batcher.submit(i)));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
  });
});
