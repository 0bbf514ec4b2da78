import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { newId, type Clock } from '../../model/index.js';
import { testStores, type Store } from '../../store/index.js';
import { createApiKeys } from '../access/api-keys.js';
import { authenticate } from '../auth.js';
import { auth, exampleOrder, startTestGateway, testKey, type TestGateway } from '../testing/harness.js';
import { rateLimit } from './hook.js';
import { createRateLimiter } from './limiter.js';
import { storeBuckets } from './shared-buckets.js';

const stores = await testStores();

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe.each(stores)('rate limiting on $name', (factory) => {
  let gw: TestGateway | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await gw?.close();
    await store?.close();
    gw = undefined;
    store = undefined;
  });

  const createKey = async (body: Record<string, unknown>) => {
    const res = await gw!.app.inject({ method: 'POST', url: '/v1/keys', headers: auth, payload: { name: 'partner', scopes: ['orders:read', 'orders:write'], ...body } });
    expect(res.statusCode).toBe(201);
    return (res.json() as { key: string }).key;
  };
  const list = (key: string) => gw!.app.inject({ method: 'GET', url: '/v1/orders', headers: bearer(key) });

  it.skipIf(factory.skipReason !== null)('counts down in RateLimit headers, then answers 429 with Retry-After, then refills', async () => {
    const clock = manualClock();
    gw = await startTestGateway(factory, { clock });
    const key = await createKey({ rateLimit: { limit: 5, windowSeconds: 60 } });
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await list(key);
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-policy']).toBe('"default";q=5;w=60');
      seen.push(String(res.headers.ratelimit));
    }
    expect(seen).toEqual(['"default";r=4;t=12', '"default";r=3;t=24', '"default";r=2;t=36', '"default";r=1;t=48', '"default";r=0;t=60']);

    const refused = await list(key);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.headers['retry-after']).toBe('12');
    expect(refused.headers.ratelimit).toBe('"default";r=0;t=60');
    expect(refused.json()).toMatchObject({ type: 'https://tillbridge.dev/problems/rate-limited', title: 'Too many requests', status: 429 });
    expect((refused.json() as { detail: string }).detail).toContain('5 requests per 60 s');

    clock.advance(11_000);
    expect((await list(key)).statusCode).toBe(429);
    clock.advance(1_000);
    const refilled = await list(key);
    expect(refilled.statusCode).toBe(200);
    expect(refilled.headers.ratelimit).toBe('"default";r=0;t=60');
    expect((await list(key)).statusCode).toBe(429);
    clock.advance(60_000);
    expect((await list(key)).headers.ratelimit).toBe('"default";r=4;t=12');
  });

  it.skipIf(factory.skipReason !== null)('gives keys without a limit the default, with a bucket per key, and exempts the bootstrap key', async () => {
    gw = await startTestGateway(factory, { clock: manualClock(), rateLimit: { defaultLimit: { limit: 3, windowSeconds: 60 } } });
    const first = await createKey({});
    const second = await createKey({});
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await list(first)).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const other = await list(second);
    expect(other.statusCode).toBe(200);
    expect(other.headers['ratelimit-policy']).toBe('"default";q=3;w=60');
    expect(other.headers.ratelimit).toBe('"default";r=2;t=20');
    for (let i = 0; i < 10; i++) {
      const res = await gw.app.inject({ method: 'GET', url: '/v1/orders', headers: auth });
      expect(res.statusCode).toBe(200);
      expect(res.headers.ratelimit).toBeUndefined();
    }
  });

  it.skipIf(factory.skipReason !== null)('sets the headers on intake and never counts unauthenticated or forbidden requests', async () => {
    gw = await startTestGateway(factory, { clock: manualClock() });
    const key = await createKey({ rateLimit: { limit: 100, windowSeconds: 60 } });
    for (let i = 0; i < 5; i++) {
      expect((await gw.app.inject({ method: 'GET', url: '/v1/orders' })).statusCode).toBe(401);
      expect((await gw.app.inject({ method: 'GET', url: '/v1/orders', headers: bearer('tb_wrong') })).statusCode).toBe(401);
      const forbidden = await gw.app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(key) });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.headers.ratelimit).toBeUndefined();
    }
    const order = exampleOrder();
    const accepted = await gw.app.inject({ method: 'POST', url: '/v1/orders', headers: { ...bearer(key), 'content-type': 'application/json' }, payload: JSON.stringify(order) });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.headers['ratelimit-policy']).toBe('"default";q=100;w=60');
    expect(accepted.headers.ratelimit).toBe('"default";r=99;t=1');
    const remaining = [];
    for (let i = 0; i < 8; i++) remaining.push(Number(/r=(\d+)/.exec(String((await list(key)).headers.ratelimit))?.[1]));
    expect(remaining).toEqual([98, 97, 96, 95, 94, 93, 92, 91]);
  });

  it.skipIf(factory.skipReason !== null)('applies per-route overrides: a cost in the caller bucket, or a bucket of its own', async () => {
    store = await factory.open();
    const clock = manualClock();
    const apiKeys = createApiKeys({ store, clock, newId, bootstrapKey: testKey });
    const limiter = createRateLimiter({ buckets: storeBuckets(store), clock, defaultLimit: { limit: 10, windowSeconds: 60 } });
    const app = Fastify();
    await app.register(async (v1) => {
      v1.addHook('onRequest', authenticate(apiKeys.resolve));
      v1.addHook('onRequest', rateLimit({ rateLimiter: limiter, store: store!, clock }));
      const ok = async () => ({ ok: true });
      v1.get('/v1/cheap', { config: { meta: { scope: 'orders:read', summary: 'cheap' } } }, ok);
      v1.get('/v1/heavy', { config: { meta: { scope: 'orders:read', summary: 'heavy', rateLimit: { cost: 4 } } } }, ok);
      v1.get('/v1/export', { config: { meta: { scope: 'orders:read', summary: 'export', rateLimit: { limit: 2, windowSeconds: 3600 } } } }, ok);
    });
    try {
      const { key } = await apiKeys.create({ name: 'p', scopes: ['orders:read'] }, { name: 'test' });
      const get = (url: string) => app.inject({ method: 'GET', url, headers: bearer(key) });
      expect((await get('/v1/heavy')).headers.ratelimit).toBe('"default";r=6;t=24');
      expect((await get('/v1/cheap')).headers.ratelimit).toBe('"default";r=5;t=30');
      expect((await get('/v1/heavy')).headers.ratelimit).toBe('"default";r=1;t=54');
      const heavy = await get('/v1/heavy');
      expect(heavy.statusCode).toBe(429);
      expect(heavy.headers['retry-after']).toBe('18');
      expect((await get('/v1/cheap')).statusCode).toBe(200);

      const exports = [await get('/v1/export'), await get('/v1/export'), await get('/v1/export')];
      expect(exports.map((r) => r.statusCode)).toEqual([200, 200, 429]);
      expect(exports[0]!.headers['ratelimit-policy']).toBe('"route";q=2;w=3600');
      expect(exports[1]!.headers.ratelimit).toBe('"route";r=0;t=3600');
      expect(exports[2]!.headers['retry-after']).toBe('1800');
      expect((await get('/v1/cheap')).statusCode).toBe(429);
    } finally {
      await app.close();
    }
  });
});
