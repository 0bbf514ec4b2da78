import { afterEach, describe, expect, it } from 'vitest';
import { newId, systemClock, type Clock } from '../model/index.js';
import { testStores } from '../store/index.js';
import { createApiKeys, createOAuth } from '../gateway/index.js';
import { auth, startTestGateway, type TestGateway } from '../gateway/testing/harness.js';
import { consoleMount, createConsoleSessions, sessionCookie } from './index.js';

const stores = await testStores();

describe.each(stores)('operations console sign-in and sessions on %s', (factory) => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  let deadLetters = 0;
  async function start(clock: Clock = systemClock, trustProxy = false) {
    gateway = await startTestGateway(factory, {
      with: (store) => {
        const apiKeys = createApiKeys({ store, clock, newId, cacheMs: 0 });
        const sessions = createConsoleSessions({ store, clock, apiKeys, oauth: createOAuth({ store, clock, newId, clientCacheMs: 0 }), recheckMs: 0, idleMs: 60_000 });
        return { trustProxy, console: consoleMount({ sessions, summarize: async () => ({ deadLetters }), liveEveryMs: 50 }) };
      },
    });
    return gateway;
  }

  async function signIn(g: TestGateway, body: unknown) {
    const response = await g.app.inject({ method: 'POST', url: '/console/session', payload: body as object });
    const cookie = response.cookies.find((c) => c.name === sessionCookie);
    return { response, cookie, csrf: (response.json() as { csrfToken?: string }).csrfToken };
  }

  it.skipIf(factory.skipReason !== null)('serves the page under a strict CSP, signs in with an API key into an HttpOnly SameSite=Strict cookie, and refuses a wrong key', async () => {
    const g = await start();
    const page = await g.app.inject({ method: 'GET', url: '/console/orders/ord_1' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/console/assets/main.js');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');

    const wrong = await signIn(g, { apiKey: 'tb_not-a-key' });
    expect(wrong.response.statusCode).toBe(401);
    expect(wrong.cookie).toBeUndefined();

    const { key } = await g.apiKeys.create({ name: 'ops person', scopes: ['admin'] }, { name: 'test' });
    const { response, cookie, csrf } = await signIn(g, { apiKey: key });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ principal: { name: expect.stringContaining('ops person'), kind: 'api_key' } });
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(response.json())).not.toContain(cookie?.value ?? '-');

    const cookies = { [sessionCookie]: cookie?.value ?? '' };
    expect((await g.app.inject({ method: 'GET', url: '/v1/orders', cookies })).statusCode).toBe(200);
    expect((await g.app.inject({ method: 'GET', url: '/console/session', cookies })).json()).toMatchObject({ csrfToken: csrf });
  });

  it.skipIf(factory.skipReason !== null)('refuses a change without the session CSRF token, and ends the session on sign-out and on key revocation', async () => {
    const g = await start();
    const { key, view } = await g.apiKeys.create({ name: 'ops', scopes: ['admin'] }, { name: 'test' });
    const { cookie, csrf } = await signIn(g, { apiKey: key });
    const cookies = { [sessionCookie]: cookie?.value ?? '' };

    const forged = await g.app.inject({ method: 'POST', url: '/v1/dead-letters/replay', cookies, payload: { all: true } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ type: expect.stringContaining('csrf') });
    const wrongToken = await g.app.inject({ method: 'POST', url: '/v1/dead-letters/replay', cookies, headers: { 'x-csrf-token': 'x'.repeat(32) }, payload: { all: true } });
    expect(wrongToken.statusCode).toBe(403);
    const allowed = await g.app.inject({ method: 'POST', url: '/v1/dead-letters/replay', cookies, headers: { 'x-csrf-token': csrf ?? '' }, payload: { all: true } });
    expect(allowed.statusCode).toBe(202);

    expect((await g.app.inject({ method: 'DELETE', url: '/console/session', cookies })).statusCode).toBe(403);
    const out = await g.app.inject({ method: 'DELETE', url: '/console/session', cookies, headers: { 'x-csrf-token': csrf ?? '' } });
    expect(out.statusCode).toBe(204);
    expect((await g.app.inject({ method: 'GET', url: '/v1/orders', cookies })).statusCode).toBe(401);

    const again = await signIn(g, { apiKey: key });
    const againCookies = { [sessionCookie]: again.cookie?.value ?? '' };
    expect((await g.app.inject({ method: 'GET', url: '/v1/orders', cookies: againCookies })).statusCode).toBe(200);
    await g.app.inject({ method: 'DELETE', url: `/v1/keys/${view.id}`, headers: auth });
    expect((await g.app.inject({ method: 'GET', url: '/v1/orders', cookies: againCookies })).statusCode).toBe(401);
    expect((await g.app.inject({ method: 'GET', url: '/console/session', cookies: againCookies })).statusCode).toBe(401);
  });

  it.skipIf(factory.skipReason !== null)('signs in with an OAuth client, keeps its scopes, and a bearer credential still wins over a cookie', async () => {
    const g = await start();
    const client = await g.app.inject({ method: 'POST', url: '/v1/oauth/clients', headers: auth, payload: { name: 'order desk', scopes: ['orders:read'] } });
    const { clientId: id, clientSecret } = client.json() as { clientId: string; clientSecret: string };
    expect((await signIn(g, { clientId: id, clientSecret: 'wrong' })).response.statusCode).toBe(401);
    const { response, cookie } = await signIn(g, { clientId: id, clientSecret });
    expect(response.json()).toMatchObject({ principal: { kind: 'oauth_client', scopes: ['orders:read'] } });
    const cookies = { [sessionCookie]: cookie?.value ?? '' };
    expect((await g.app.inject({ method: 'GET', url: '/v1/orders', cookies })).statusCode).toBe(200);
    expect((await g.app.inject({ method: 'GET', url: '/v1/dead-letters', cookies })).statusCode).toBe(403);
    expect((await g.app.inject({ method: 'GET', url: '/v1/dead-letters', cookies, headers: auth })).statusCode).toBe(200);
  });

  it.skipIf(factory.skipReason !== null)('marks the cookie Secure when the client came over TLS through a trusted proxy', async () => {
    const g = await start(systemClock, true);
    const { key } = await g.apiKeys.create({ name: 'ops', scopes: ['admin'] }, { name: 'test' });
    const overTls = await g.app.inject({ method: 'POST', url: '/console/session', headers: { 'x-forwarded-proto': 'https' }, payload: { apiKey: key } });
    expect(overTls.cookies.find((c) => c.name === sessionCookie)).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
    const plain = await g.app.inject({ method: 'POST', url: '/console/session', payload: { apiKey: key } });
    expect(plain.cookies.find((c) => c.name === sessionCookie)?.secure).toBeFalsy();
  });

  it.skipIf(factory.skipReason !== null)('ends a session after its idle time', async () => {
    let now = Date.now();
    const g = await start({ now: () => now });
    const { key } = await g.apiKeys.create({ name: 'ops', scopes: ['admin'] }, { name: 'test' });
    const { cookie } = await signIn(g, { apiKey: key });
    const cookies = { [sessionCookie]: cookie?.value ?? '' };
    now += 59_000;
    expect((await g.app.inject({ method: 'GET', url: '/console/session', cookies })).statusCode).toBe(200);
    now += 59_000;
    expect((await g.app.inject({ method: 'GET', url: '/console/session', cookies })).statusCode).toBe(200);
    now += 61_000;
    expect((await g.app.inject({ method: 'GET', url: '/console/session', cookies })).statusCode).toBe(401);
  });

  it.skipIf(factory.skipReason !== null)('streams the live counts to a signed-in browser as server-sent events, again when they change', async () => {
    const g = await start();
    const { key } = await g.apiKeys.create({ name: 'ops', scopes: ['admin'] }, { name: 'test' });
    const { cookie } = await signIn(g, { apiKey: key });
    const url = await g.app.listen({ host: '127.0.0.1', port: 0 });
    expect((await fetch(`${url}/v1/ops/stream`)).status).toBe(401);
    deadLetters = 3;
    const response = await fetch(`${url}/v1/ops/stream`, { headers: { cookie: `${sessionCookie}=${cookie?.value ?? ''}` } });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (fragment: string) => {
      while (!text.includes(fragment)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${fragment}`);
        text += decoder.decode(value);
      }
    };
    await until('"deadLetters":3');
    expect(text).toContain('event: summary');
    deadLetters = 4;
    await until('"deadLetters":4');
    await reader.cancel();
  });
});
