import { afterEach, describe, expect, it } from 'vitest';
import { getRateBucket, testStores, type Store } from '../../store/index.js';
import { memoryBuckets, storeBuckets, type Reservation } from './shared-buckets.js';

const stores = await testStores();

describe.each(stores)('shared rate buckets on $name', (factory) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it.skipIf(factory.skipReason !== null)('runs the same arithmetic in SQL as the pure token bucket', async () => {
    store = await factory.open();
    const sql = storeBuckets(store);
    const memory = memoryBuckets();
    const policy = { limit: 20, windowSeconds: 10 };
    const steps: Omit<Reservation, 'bucket' | 'policy'>[] = [
      { now: 1_000, want: 5, need: 1, giveBack: 0 },
      { now: 1_000, want: 30, need: 1, giveBack: 0 },
      { now: 1_000, want: 5, need: 1, giveBack: 0 },
      { now: 1_250, want: 5, need: 1, giveBack: 0 },
      { now: 1_749, want: 5, need: 2, giveBack: 0 },
      { now: 2_000, want: 5, need: 2, giveBack: 1 },
      { now: 900, want: 5, need: 1, giveBack: 0 },
      { now: 60_000, want: 3, need: 3, giveBack: 4 },
      { now: 60_000, want: 40, need: 25, giveBack: 0 },
    ];
    for (const step of steps) {
      const r = { ...step, bucket: 'key_a', policy };
      const [fromSql, fromMemory] = [await sql.reserve(r), await memory.reserve(r)];
      expect(fromSql.granted, JSON.stringify(step)).toBe(fromMemory.granted);
      expect(fromSql.tokens, JSON.stringify(step)).toBeCloseTo(fromMemory.tokens, 9);
    }
    expect(await getRateBucket(store.db, 'key_a')).toMatchObject({ updated_at: 60_000 });
    expect((await sql.reserve({ bucket: 'key_b', policy, now: 0, want: 2, need: 1, giveBack: 0 })).granted).toBe(2);
  });

  it.skipIf(factory.skipReason !== null)('never grants more than the bucket holds under concurrent reservations', async () => {
    store = await factory.open();
    const sql = storeBuckets(store);
    const policy = { limit: 100, windowSeconds: 86_400 };
    const grants = await Promise.all(
      Array.from({ length: 60 }, () => sql.reserve({ bucket: 'hot', policy, now: 5_000, want: 7, need: 1, giveBack: 0 })),
    );
    expect(grants.reduce((sum, g) => sum + g.granted, 0)).toBe(100);
  });
});
