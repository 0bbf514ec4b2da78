import { Writable } from 'node:stream';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { testStores } from '../../store/index.js';
import { auth, startTestGateway, type TestGateway } from '../testing/harness.js';

const stores = await testStores();
const form = { 'content-type': 'application/x-www-form-urlencoded' } as const;

describe.each(stores)('OAuth2 client credentials on $name', (factory) => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  let offsetMs = 0;
  const clock = { now: () => Date.now() + offsetMs };
  const start = async (options: Parameters<typeof startTestGateway>[1] = {}) => {
    offsetMs = 0;
    return (gw = await startTestGateway(factory, { oauthClock: clock, ...options }));
  };
  const createClient = async (scopes: string[], name = 'warehouse sync') => {
    const res = await gw!.app.inject({ method: 'POST', url: '/v1/oauth/clients', headers: auth, payload: { name, scopes } });
    expect(res.statusCode).toBe(201);
    return res.json() as { clientId: string; clientSecret: string; scopes: string[] };
  };
  const requestToken = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    gw!.app.inject({ method: 'POST', url: '/oauth/token', headers: { ...form, ...headers }, payload: new URLSearchParams(params).toString() });
  const tokenFor = async (client: { clientId: string; clientSecret: string }, scope?: string) => {
    const res = await requestToken({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, ...(scope ? { scope } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { access_token: string; token_type: string; expires_in: number; scope: string };
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const listOrders = (token: string) => gw!.app.inject({ method: 'GET', url: '/v1/orders', headers: bearer(token) });
  const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` });

  it.skipIf(factory.skipReason !== null)('registers a client with a secret shown once and lists clients without secrets', async () => {
    await start();
    const client = await createClient(['orders:read']);
    expect(client.clientId).toMatch(/^cli_/);
    expect(client.clientSecret).toMatch(/^tbcs_[A-Za-z0-9_-]{43}$/);
    const list = await gw!.app.inject({ method: 'GET', url: '/v1/oauth/clients', headers: auth });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(client.clientSecret);
    expect(list.body).not.toContain('hash');
    expect(list.json().data).toEqual([expect.objectContaining({ clientId: client.clientId, name: 'warehouse sync', scopes: ['orders:read'], deletedAt: null })]);
    const invalid = await gw!.app.inject({ method: 'POST', url: '/v1/oauth/clients', headers: auth, payload: { name: 'x', scopes: ['root'] } });
    expect(invalid.statusCode).toBe(422);
  });

  it.skipIf(factory.skipReason !== null)('issues a JWT for body credentials that works within its scopes only', async () => {
    await start();
    const client = await createClient(['orders:read']);
    const res = await requestToken({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const token = res.json() as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'orders:read' });
    const header = decodeProtectedHeader(token.access_token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(header.kid).toEqual(expect.any(String));
    const claims = decodeJwt(token.access_token);
    expect(claims).toMatchObject({ iss: 'tillbridge', sub: client.clientId, aud: 'tillbridge', scope: 'orders:read' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
    expect(claims.jti).toEqual(expect.any(String));

    expect((await listOrders(token.access_token)).statusCode).toBe(200);
    const denied = await gw!.app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(token.access_token) });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ requiredScope: 'admin' });
  });

  it.skipIf(factory.skipReason !== null)('accepts HTTP Basic client authentication, but not both methods at once', async () => {
    await start();
    const client = await createClient(['orders:read']);
    const res = await requestToken({ grant_type: 'client_credentials' }, basic(client.clientId, client.clientSecret));
    expect(res.statusCode, res.body).toBe(200);
    expect((await listOrders((res.json() as { access_token: string }).access_token)).statusCode).toBe(200);
    const both = await requestToken({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }, basic(client.clientId, client.clientSecret));
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({ error: 'invalid_request' });
  });

  it.skipIf(factory.skipReason !== null)('refuses wrong secrets, unknown clients and bad requests in the RFC 6749 error shape', async () => {
    await start();
    const client = await createClient(['orders:read']);
    const refusals = [
      await requestToken({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'tbcs_wrong' }),
      await requestToken({ grant_type: 'client_credentials' }, basic(client.clientId, `${client.clientSecret}x`)),
      await requestToken({ grant_type: 'client_credentials', client_id: 'cli_unknown', client_secret: client.clientSecret }),
      await requestToken({ grant_type: 'client_credentials' }),
    ];
    for (const res of refusals) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="tillbridge"');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    }
    const unsupported = await requestToken({ grant_type: 'password', client_id: client.clientId, client_secret: client.clientSecret });
    expect(unsupported.statusCode).toBe(400);
    expect(unsupported.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const missing = await requestToken({ client_id: client.clientId, client_secret: client.clientSecret });
    expect(missing.json()).toMatchObject({ error: 'invalid_request' });
    const repeated = await gw!.app.inject({ method: 'POST', url: '/oauth/token', headers: form, payload: 'grant_type=client_credentials&grant_type=client_credentials' });
    expect(repeated.json()).toMatchObject({ error: 'invalid_request' });
    const json = await gw!.app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ error: 'invalid_request' });
    const text = await gw!.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'text/plain' }, payload: 'grant_type=client_credentials' });
    expect(text.statusCode).toBe(400);
    expect(text.json()).toMatchObject({ error: 'invalid_request' });
  });

  it.skipIf(factory.skipReason !== null)('narrows scopes on request and refuses widening with invalid_scope', async () => {
    await start();
    const client = await createClient(['orders:read', 'orders:write']);
    const narrow = await tokenFor(client, 'orders:read');
    expect(narrow.scope).toBe('orders:read');
    expect((await listOrders(narrow.access_token)).statusCode).toBe(200);
    const write = await gw!.app.inject({ method: 'POST', url: '/v1/orders', headers: bearer(narrow.access_token), payload: {} });
    expect(write.statusCode).toBe(403);
    for (const scope of ['admin', 'orders:read catalog:read', 'no-such-scope']) {
      const wide = await requestToken({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope });
      expect(wide.statusCode).toBe(400);
      expect(wide.json()).toMatchObject({ error: 'invalid_scope' });
    }
    const wildcard = await createClient(['orders:*'], 'wildcard');
    expect((await tokenFor(wildcard, 'orders:read')).scope).toBe('orders:read');
  });

  it.skipIf(factory.skipReason !== null)('rejects expired and tampered tokens', async () => {
    await start();
    const client = await createClient(['orders:read']);
    const { access_token: token } = await tokenFor(client);
    expect((await listOrders(token)).statusCode).toBe(200);

    const [head, body, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'admin' })).toString('base64url');
    const tampered = await gw!.app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(`${head}.${forged}.${signature}`) });
    expect(tampered.statusCode).toBe(401);
    const flipped = `${head}.${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect((await listOrders(flipped)).statusCode).toBe(401);

    offsetMs = 16 * 60_000;
    const expired = await listOrders(token);
    expect(expired.statusCode).toBe(401);
    expect(expired.headers['www-authenticate']).toContain('invalid_token');
  });

  it.skipIf(factory.skipReason !== null)('stops accepting the tokens of a deleted client and audits create and delete', async () => {
    await start();
    const client = await createClient(['orders:read']);
    const { access_token: token } = await tokenFor(client);
    expect((await listOrders(token)).statusCode).toBe(200);
    const removed = await gw!.app.inject({ method: 'DELETE', url: `/v1/oauth/clients/${client.clientId}`, headers: auth });
    expect(removed.statusCode).toBe(204);
    expect((await listOrders(token)).statusCode).toBe(401);
    const again = await requestToken({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
    expect(again.statusCode).toBe(401);
    expect((await gw!.app.inject({ method: 'DELETE', url: '/v1/oauth/clients/cli_nope', headers: auth })).statusCode).toBe(404);
    const listed = await gw!.app.inject({ method: 'GET', url: '/v1/oauth/clients?includeDeleted=true', headers: auth });
    expect(listed.json().data[0]).toMatchObject({ clientId: client.clientId, deletedAt: expect.any(String) });

    const audit = await gw!.app.inject({ method: 'GET', url: `/v1/audit?resourceType=oauth_client&resourceId=${client.clientId}`, headers: auth });
    expect(audit.statusCode).toBe(200);
    expect(audit.body).not.toContain(client.clientSecret);
    const entries = audit.json().data as { action: string; actor: string }[];
    expect(entries.map((e) => e.action)).toEqual(['oauth_client.delete', 'oauth_client.create']);
    expect(entries[0]).toMatchObject({ actor: 'bootstrap key' });
  });

  it.skipIf(factory.skipReason !== null)('never logs or returns the client secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    await start({ logger: pino({ level: 'trace' }, sink) });
    const client = await createClient(['orders:read']);
    const ok = await tokenFor(client);
    expect(JSON.stringify(ok)).not.toContain(client.clientSecret);
    await requestToken({ grant_type: 'client_credentials' }, basic(client.clientId, client.clientSecret));
    const wrong = await requestToken({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: `${client.clientSecret}-wrong` });
    expect(wrong.body).not.toContain(client.clientSecret);
    await listOrders(ok.access_token);
    const log = lines.join('');
    expect(log).toContain('access token issued');
    expect(log).toContain('token request refused');
    expect(log).not.toContain(client.clientSecret);
    expect(log).not.toContain(ok.access_token);
  });
});
