import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Clock } from '../../model/index.js';
import { migrateToLatest, openStore, postgresProblem, quoteIdentifier, testDatabaseUrl, type TestStoreFactory } from '../../store/index.js';
import { auth, startTestGateway, type TestGateway } from '../testing/harness.js';

const skip = await postgresProblem();
const schema = `t_rate_${process.pid}_${Date.now().toString(36)}`;

/** Every store this factory opens is a new connection pool on the same PostgreSQL schema, as separate hub processes have. */
const shared: TestStoreFactory = {
  name: 'postgres',
  skipReason: skip,
  open: () => openStore({ databaseUrl: testDatabaseUrl, pgSchema: schema, poolSize: 5 }),
};

async function dropSchema() {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  await client.query(`drop schema if exists ${quoteIdentifier(schema)} cascade`).finally(() => client.end());
}

describe.skipIf(skip !== null)('rate limiting across hub processes sharing one PostgreSQL', () => {
  let t = 1_700_000_000_000;
  const clock: Clock & { advance(ms: number): void } = { now: () => t, advance: (ms) => (t += ms) };
  let gateways: TestGateway[] = [];

  beforeAll(async () => {
    const store = await shared.open();
    await migrateToLatest(store);
    await store.close();
  });
  afterAll(dropSchema);
  afterEach(async () => {
    for (const gw of gateways) await gw.close();
    gateways = [];
  });

  const start = async (batchFraction?: number) => {
    const options = { clock, rateLimit: batchFraction ? { batchFraction } : {} };
    gateways = [await startTestGateway(shared, options), await startTestGateway(shared, options)];
    return gateways as [TestGateway, TestGateway];
  };
  const createKey = async (gw: TestGateway, limit: number) => {
    const res = await gw.app.inject({ method: 'POST', url: '/v1/keys', headers: auth, payload: { name: 'shared', scopes: ['orders:read'], rateLimit: { limit, windowSeconds: 86_400 } } });
    return (res.json() as { key: string }).key;
  };
  const get = (gw: TestGateway, key: string) => gw.app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `Bearer ${key}` } });

  /** Alternates between the gateways until both refuse; returns how many each admitted. */
  const drain = async (pair: TestGateway[], key: string) => {
    const admitted = [0, 0];
    const refusing = [false, false];
    while (!refusing.every(Boolean)) {
      for (const i of [0, 1]) {
        const res = await get(pair[i]!, key);
        refusing[i] = res.statusCode === 429;
        if (res.statusCode === 200) admitted[i]! += 1;
      }
    }
    return admitted;
  };

  it('admits exactly N in total when two gateways alternate on one key', async () => {
    const pair = await start();
    const key = await createKey(pair[0], 40);
    const admitted = await drain(pair, key);
    expect(admitted[0]! + admitted[1]!).toBe(40);
    expect(admitted[0]).toBeGreaterThan(0);
    expect(admitted[1]).toBeGreaterThan(0);
  });

  it('never admits more than N under a concurrent burst on both gateways', async () => {
    const pair = await start();
    const limit = 60;
    const key = await createKey(pair[0], limit);
    const burst = await Promise.all(Array.from({ length: 3 * limit }, (_, n) => get(pair[n % 2]!, key)));
    const ok = burst.filter((r) => r.statusCode === 200).length;
    expect(burst.filter((r) => r.statusCode !== 200).every((r) => r.statusCode === 429 && r.headers['retry-after'] !== undefined)).toBe(true);
    const batch = Math.max(1, Math.floor(limit / 20));
    expect(ok).toBeLessThanOrEqual(limit);
    expect(ok).toBeGreaterThanOrEqual(limit - 2 * batch);
    const rest = await drain(pair, key);
    expect(ok + rest[0]! + rest[1]!).toBe(limit);
  });

  it('returns an expired reservation to the shared bucket for the other gateway to use', async () => {
    const pair = await start(1 / 4);
    const key = await createKey(pair[0], 40);
    expect((await get(pair[0], key)).statusCode).toBe(200);
    let fromSecond = 0;
    while ((await get(pair[1], key)).statusCode === 200) fromSecond += 1;
    expect(fromSecond).toBe(30);
    clock.advance(1_001);
    const admitted = await drain(pair, key);
    expect(1 + fromSecond + admitted[0]! + admitted[1]!).toBe(40);
  });
});
