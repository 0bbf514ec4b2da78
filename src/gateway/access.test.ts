import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createOrderIntake } from '../flows/index.js';
import { newId, systemClock } from '../model/index.js';
import { testStores } from '../store/index.js';
import { buildGateway, createApiKeys, createMetrics } from './index.js';
import { auth, exampleOrder, startTestGateway, testKey, type TestGateway } from './testing/harness.js';

const stores = await testStores();

describe.each(stores)('access control on $name', (factory) => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  const start = async (options: Parameters<typeof startTestGateway>[1] = {}) => (gw = await startTestGateway(factory, options));
  const createKey = async (scopes: string[], name = 'test key') => {
    const res = await gw!.app.inject({ method: 'POST', url: '/v1/keys', headers: auth, payload: { name, scopes } });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; key: string; prefix: string; scopes: string[] };
  };
  const sample = (url: string) => url.replace(/:(\w+)/g, 'sample-$1');

  it.skipIf(factory.skipReason !== null)('walks every registered /v1 route: 401 without credentials, 403 without the scope', async () => {
    await start();
    const routes = gw!.app.registry.routes.filter((r) => r.url.startsWith('/v1/'));
    expect(routes.length).toBeGreaterThanOrEqual(12);
    const readOnly = await createKey(['orders:read']);
    const events = await createKey(['events:manage']);
    for (const route of routes) {
      const url = sample(route.url);
      const anonymous = await gw!.app.inject({ method: route.method as 'GET', url });
      expect(anonymous.statusCode, `${route.method} ${route.url} without credentials`).toBe(401);
      expect(anonymous.headers['content-type']).toContain('application/problem+json');
      const wrong = await gw!.app.inject({ method: route.method as 'GET', url, headers: { authorization: 'Bearer tb_not-a-real-key' } });
      expect(wrong.statusCode, `${route.method} ${route.url} with a wrong key`).toBe(401);
      if (route.scope === 'public') continue;
      const lacking = route.scope === 'orders:read' ? events : readOnly;
      const denied = await gw!.app.inject({ method: route.method as 'GET', url, headers: { authorization: `Bearer ${lacking.key}` } });
      expect(denied.statusCode, `${route.method} ${route.url} (needs ${route.scope}) with ${lacking.scopes.join(',')}`).toBe(403);
      expect(denied.json()).toMatchObject({ status: 403, requiredScope: route.scope });
    }
    const allowed = await gw!.app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `Bearer ${readOnly.key}` } });
    expect(allowed.statusCode).toBe(200);
  });

  it.skipIf(factory.skipReason !== null)('every route declares a scope, a summary and a lifecycle, and /v1/meta/api lists them all', async () => {
    await start();
    const registered = gw!.app.registry.routes;
    for (const route of registered) {
      expect(route.summary.length, `${route.method} ${route.url}`).toBeGreaterThan(0);
      expect(['public', 'orders:read', 'orders:write', 'catalog:read', 'catalog:write', 'inventory:read', 'inventory:write', 'finance:read', 'finance:write', 'events:manage', 'admin']).toContain(route.scope);
    }
    const res = await gw!.app.inject({ method: 'GET', url: '/v1/meta/api', headers: auth });
    expect(res.statusCode).toBe(200);
    const listed = (res.json() as { data: { method: string; path: string; status: string; scope: string; version: string }[] }).data;
    expect(listed.map((r) => `${r.method} ${r.path}`).sort()).toEqual(registered.map((r) => `${r.method} ${r.url}`).sort());
    expect(listed.find((r) => r.path === '/v1/orders' && r.method === 'POST')).toMatchObject({ status: 'stable', scope: 'orders:write', version: 'v1' });
  });

  it.skipIf(factory.skipReason !== null)('creates a key shown once, lists keys without secrets, and revokes it so it gets 401', async () => {
    await start();
    const created = await createKey(['orders:write', 'orders:read'], 'storefront');
    expect(created.key).toMatch(/^tb_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 10));
    const bearer = { authorization: `Bearer ${created.key}` };
    const order = await gw!.app.inject({ method: 'POST', url: '/v1/orders', headers: bearer, payload: exampleOrder() });
    expect(order.statusCode).toBe(201);

    const list = await gw!.app.inject({ method: 'GET', url: '/v1/keys', headers: auth });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.key);
    expect(list.body).not.toContain('hash');
    expect(list.json().data).toEqual([expect.objectContaining({ id: created.id, name: 'storefront', scopes: ['orders:write', 'orders:read'], revokedAt: null })]);

    const revoke = await gw!.app.inject({ method: 'DELETE', url: `/v1/keys/${created.id}`, headers: auth });
    expect(revoke.statusCode).toBe(204);
    const after = await gw!.app.inject({ method: 'GET', url: '/v1/orders', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect((await gw!.app.inject({ method: 'DELETE', url: '/v1/keys/key_unknown', headers: auth })).statusCode).toBe(404);
    const stored = await gw!.store.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(created.key);
  });

  it.skipIf(factory.skipReason !== null)('rejects key requests with unknown scopes or no name, listing each violation', async () => {
    await start();
    const res = await gw!.app.inject({ method: 'POST', url: '/v1/keys', headers: auth, payload: { name: '', scopes: ['orders:read', 'root'] } });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/name', '/scopes/1']);
  });

  it.skipIf(factory.skipReason !== null)('audits key creation, revocation and replays with actor, time, before and after', async () => {
    await start();
    const created = await createKey(['admin'], 'ops');
    await gw!.app.inject({ method: 'DELETE', url: `/v1/keys/${created.id}`, headers: auth });
    const res = await gw!.app.inject({ method: 'GET', url: '/v1/audit?resourceType=api_key', headers: auth });
    expect(res.statusCode).toBe(200);
    const entries = res.json().data as { action: string; actor: string; resourceId: string; before: { revokedAt: string | null } | null; after: { revokedAt: string | null }; at: string }[];
    expect(entries.map((e) => e.action)).toEqual(['api_key.revoke', 'api_key.create']);
    expect(entries[0]).toMatchObject({ actor: 'bootstrap key', resourceId: created.id, before: { revokedAt: null } });
    expect(entries[0]!.after.revokedAt).not.toBeNull();
    expect(entries[1]!.before).toBeNull();
    expect(JSON.stringify(entries)).not.toContain(created.key);

    const filtered = await gw!.app.inject({ method: 'GET', url: '/v1/audit?action=api_key.create&limit=1', headers: auth });
    expect(filtered.json().data).toHaveLength(1);
    expect((await gw!.app.inject({ method: 'GET', url: '/v1/audit?since=yesterday', headers: auth })).statusCode).toBe(400);
  });

  it.skipIf(factory.skipReason !== null)('marks deprecated routes with Deprecation, Sunset and a successor Link', async () => {
    gw = await startTestGateway(factory);
    const store = gw.store;
    const built = await buildGateway({
      store,
      intake: createOrderIntake({ store, clock: systemClock, newId }),
      metrics: createMetrics(),
      apiKeys: createApiKeys({ store, clock: systemClock, newId, bootstrapKey: testKey }),
      clock: systemClock,
      newId,
      logger: pino({ level: 'silent' }),
      isReady: async () => true,
    });
    built.get('/v0/orders', {
      config: { meta: { scope: 'public', summary: 'Old order list', lifecycle: { status: 'deprecated', deprecatedAt: '2026-11-01T00:00:00Z', sunset: '2027-05-01T00:00:00Z', successor: '/v1/orders' } } },
    }, async () => ({ data: [] }));
    await built.ready();
    const res = await built.inject({ method: 'GET', url: '/v0/orders' });
    expect(res.statusCode).toBe(200);
    expect(res.headers.deprecation).toBe(`@${Date.parse('2026-11-01T00:00:00Z') / 1000}`);
    expect(res.headers.sunset).toBe('Sat, 01 May 2027 00:00:00 GMT');
    expect(res.headers.link).toBe('</v1/orders>; rel="successor-version"');
    expect(built.registry.routes.find((r) => r.url === '/v0/orders')?.lifecycle).toMatchObject({ status: 'deprecated' });
    const stable = await built.inject({ method: 'GET', url: '/health' });
    expect(stable.headers.deprecation).toBeUndefined();
    await built.close();
  });

  it.skipIf(factory.skipReason !== null)('sends security headers, and CORS only to allowed origins', async () => {
    await start();
    const res = await gw!.app.inject({ method: 'GET', url: '/v1/orders', headers: { ...auth, origin: 'https://evil.example' } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    await gw!.close();
    gw = await startTestGateway(factory, { corsOrigins: ['https://ops.example'] });
    const preflight = await gw.app.inject({ method: 'OPTIONS', url: '/v1/orders', headers: { origin: 'https://ops.example', 'access-control-request-method': 'GET' } });
    expect(preflight.headers['access-control-allow-origin']).toBe('https://ops.example');
    const other = await gw.app.inject({ method: 'OPTIONS', url: '/v1/orders', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it.skipIf(factory.skipReason !== null)('never writes a key into a log line or an error response', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
    await start({ logger: pino({ level: 'trace' }, sink) });
    const created = await createKey(['orders:read']);
    const attempts = [
      { authorization: `Bearer ${created.key}` },
      { authorization: `Bearer ${created.key}x` },
      { authorization: `Bearer ${testKey}` },
      { authorization: `Basic ${Buffer.from(`user:${created.key}`).toString('base64')}` },
    ];
    const bodies: string[] = [];
    for (const headers of attempts) {
      for (const url of ['/v1/orders', '/v1/keys', '/v1/orders/unknown', '/v1/nothing-here']) {
        bodies.push((await gw!.app.inject({ method: 'GET', url, headers })).body);
      }
      bodies.push((await gw!.app.inject({ method: 'POST', url: '/v1/orders', headers: { ...headers, 'content-type': 'application/json' }, payload: '{broken' })).body);
    }
    const everything = lines.join('') + bodies.join('');
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(created.key);
    expect(everything).not.toContain(created.key.slice(3));
    expect(everything).not.toContain(testKey);
  });
});
