import { afterEach, describe, expect, it } from 'vitest';
import { testStores } from '../store/index.js';
import { auth, startTestGateway, type TestGateway } from './testing/harness.js';

const stores = await testStores();

describe.each(stores)('subscriptions API on $name', (factory) => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  const start = async () => (gw = await startTestGateway(factory));
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = auth) =>
    gw!.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const createKey = async (scopes: string[]) => (await call('POST', '/v1/keys', { name: 'k', scopes })).json().key as string;

  it.skipIf(factory.skipReason !== null)('creates a subscription with a secret shown once, and never shows the secret again', async () => {
    await start();
    const created = await call('POST', '/v1/subscriptions', { url: 'https://erp.example.com/hooks', events: ['order.accepted'], description: 'ERP' });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const body = created.json();
    expect(body).toMatchObject({ id: expect.stringMatching(/^sub_/), url: 'https://erp.example.com/hooks', events: ['order.accepted'], description: 'ERP', status: 'active', createdBy: 'bootstrap key' });
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(body.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const secret = body.secret as string;

    const list = await call('GET', '/v1/subscriptions');
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toEqual([expect.objectContaining({ id: body.id, status: 'active' })]);
    const one = await call('GET', `/v1/subscriptions/${body.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).not.toHaveProperty('secret');

    const rotated = await call('POST', `/v1/subscriptions/${body.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    const newSecret = rotated.json().secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);

    expect((await call('DELETE', `/v1/subscriptions/${body.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/v1/subscriptions/${body.id}`)).statusCode).toBe(404);
    expect((await call('GET', '/v1/subscriptions')).json().data).toEqual([]);
    const all = await call('GET', '/v1/subscriptions?includeDeleted=true');
    expect(all.json().data).toEqual([expect.objectContaining({ id: body.id, status: 'deleted' })]);

    const audit = await call('GET', '/v1/audit?resourceType=subscription');
    expect(audit.json().data.map((e: { action: string }) => e.action)).toEqual(['subscription.delete', 'subscription.rotate_secret', 'subscription.create']);
    const [deleted, , createdEntry] = audit.json().data;
    expect(createdEntry).toMatchObject({ actor: 'bootstrap key', resourceId: body.id, before: null, after: expect.objectContaining({ status: 'active' }) });
    expect(deleted).toMatchObject({ before: expect.objectContaining({ status: 'active' }), after: expect.objectContaining({ status: 'deleted' }) });
    for (const response of [list, one, all, audit, await call('GET', `/v1/subscriptions/${body.id}`)]) {
      expect(response.body).not.toContain(secret.slice(6));
      expect(response.body).not.toContain(newSecret.slice(6));
      expect(response.body).not.toContain('whsec_');
    }
  });

  it.skipIf(factory.skipReason !== null)('rejects invalid subscriptions', async () => {
    await start();
    const cases = [
      { url: 'ftp://erp.example.com/hooks', events: ['order.accepted'] },
      { url: 'not a url', events: ['order.accepted'] },
      { url: 'https://erp.example.com/hooks', events: ['order.exploded'] },
      { url: 'https://erp.example.com/hooks', events: [] },
      { events: ['*'] },
    ];
    for (const payload of cases) {
      const res = await call('POST', '/v1/subscriptions', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await call('POST', '/v1/subscriptions', { url: 'http://127.0.0.1:9/h', events: ['*'] })).statusCode).toBe(201);
  });

  it.skipIf(factory.skipReason !== null)('answers 404 for unknown subscriptions and 400 for a bad cursor', async () => {
    await start();
    for (const [method, url] of [['GET', '/v1/subscriptions/sub_nope'], ['DELETE', '/v1/subscriptions/sub_nope'], ['POST', '/v1/subscriptions/sub_nope/rotate-secret'], ['GET', '/v1/subscriptions/sub_nope/deliveries']] as const) {
      expect((await call(method, url)).statusCode, `${method} ${url}`).toBe(404);
    }
    const { id } = (await call('POST', '/v1/subscriptions', { url: 'https://a.example/h', events: ['*'] })).json();
    expect((await call('GET', `/v1/subscriptions/${id}/deliveries?cursor=zzz`)).statusCode).toBe(400);
    expect((await call('GET', `/v1/subscriptions/${id}/deliveries`)).json()).toEqual({ data: [], nextCursor: null });
  });

  it.skipIf(factory.skipReason !== null)('requires events:manage', async () => {
    await start();
    const reader = { authorization: `Bearer ${await createKey(['orders:read'])}` };
    const manager = { authorization: `Bearer ${await createKey(['events:manage'])}` };
    const payload = { url: 'https://a.example/h', events: ['order.accepted'] };
    expect((await call('POST', '/v1/subscriptions', payload, reader)).statusCode).toBe(403);
    expect((await call('GET', '/v1/subscriptions', undefined, reader)).statusCode).toBe(403);
    expect((await call('POST', '/v1/subscriptions', payload, {})).statusCode).toBe(401);
    const created = await call('POST', '/v1/subscriptions', payload, manager);
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await call('GET', `/v1/subscriptions/${id}/deliveries`, undefined, reader)).statusCode).toBe(403);
    expect((await call('DELETE', `/v1/subscriptions/${id}`, undefined, reader)).statusCode).toBe(403);
    expect((await call('GET', `/v1/subscriptions/${id}`, undefined, manager)).statusCode).toBe(200);
    expect((await call('DELETE', `/v1/subscriptions/${id}`, undefined, manager)).statusCode).toBe(204);
    const audit = (await call('GET', `/v1/audit?resourceId=${id}`)).json().data as { actor: string }[];
    expect(audit.map((e) => e.actor).every((a) => a.startsWith('api key k'))).toBe(true);
  });
});
