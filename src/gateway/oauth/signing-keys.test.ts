import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../model/index.js';
import { testStores } from '../../store/index.js';
import { auth, startTestGateway, type TestGateway } from '../testing/harness.js';
import { createOAuth } from './service.js';

const stores = await testStores();

describe.each(stores)('OAuth signing keys on $name', (factory) => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  let offsetMs = 0;
  const clock = { now: () => Date.now() + offsetMs };
  const start = async () => {
    offsetMs = 0;
    gw = await startTestGateway(factory, { oauthClock: clock });
    const res = await gw.app.inject({ method: 'POST', url: '/v1/oauth/clients', headers: auth, payload: { name: 'erp bridge', scopes: ['orders:read'] } });
    return res.json() as { clientId: string; clientSecret: string };
  };
  const tokenFor = async (client: { clientId: string; clientSecret: string }) => {
    const res = await gw!.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString(),
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { access_token: string }).access_token;
  };
  const jwks = async () => {
    const res = await gw!.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    return res.json() as { keys: JWK[] };
  };
  const listOrders = (token: string) => gw!.app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `Bearer ${token}` } });
  const kidOf = (token: string) => decodeProtectedHeader(token).kid;

  it.skipIf(factory.skipReason !== null)('publishes the public signing key, and tokens verify externally against the JWK Set', async () => {
    const client = await start();
    const token = await tokenFor(client);
    const set = await jwks();
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: kidOf(token) });
    expect(set.keys[0]).not.toHaveProperty('d');
    const { payload } = await jwtVerify(token, createLocalJWKSet(set), { issuer: 'tillbridge', audience: 'tillbridge', currentDate: new Date(clock.now()) });
    expect(payload.sub).toBe(client.clientId);
  });

  it.skipIf(factory.skipReason !== null)('rotates: new tokens carry the new kid, old tokens verify until they expire, the old key is then unpublished', async () => {
    const client = await start();
    const before = await tokenFor(client);
    const rotated = await gw!.app.inject({ method: 'POST', url: '/v1/oauth/keys/rotate', headers: auth });
    expect(rotated.statusCode).toBe(201);
    const { kid, retired } = rotated.json() as { kid: string; retired: string[] };
    expect(kid).not.toBe(kidOf(before));
    expect(retired).toEqual([kidOf(before)]);

    const after = await tokenFor(client);
    expect(kidOf(after)).toBe(kid);
    expect((await listOrders(before)).statusCode).toBe(200);
    expect((await listOrders(after)).statusCode).toBe(200);
    const set = await jwks();
    expect(set.keys.map((k) => k.kid).sort()).toEqual([kid, kidOf(before)].sort());
    for (const token of [before, after]) {
      await expect(jwtVerify(token, createLocalJWKSet(set), { issuer: 'tillbridge', audience: 'tillbridge', currentDate: new Date(clock.now()) })).resolves.toBeDefined();
    }

    offsetMs = (900 + 30) * 1000 + 60_000 + 1000;
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([kid]);
    expect((await listOrders(before)).statusCode).toBe(401);

    const audit = await gw!.app.inject({ method: 'GET', url: '/v1/audit?resourceType=signing_key', headers: auth });
    const entries = audit.json().data as { action: string; actor: string; resourceId: string }[];
    expect(entries.map((e) => e.action)).toEqual(['signing_key.rotate', 'signing_key.create']);
    expect(entries[0]).toMatchObject({ actor: 'bootstrap key', resourceId: kid });
    const stored = await gw!.store.db.selectFrom('signing_keys').select(['kid', 'private_jwk']).execute();
    for (const row of stored) expect(audit.body).not.toContain((JSON.parse(row.private_jwk) as { d: string }).d);
  });

  it.skipIf(factory.skipReason !== null)('another process sharing the store verifies tokens and learns a rotated key on an unknown kid', async () => {
    const client = await start();
    const other = createOAuth({ store: gw!.store, clock, newId });
    const first = await tokenFor(client);
    expect(await other.resolve(first)).toMatchObject({ id: client.clientId, kind: 'oauth_client', scopes: ['orders:read'], name: `oauth client erp bridge (${client.clientId})` });
    await gw!.app.inject({ method: 'POST', url: '/v1/oauth/keys/rotate', headers: auth });
    offsetMs = 2000;
    const second = await tokenFor(client);
    expect(await other.resolve(second)).toMatchObject({ id: client.clientId });
    expect(await other.resolve(first)).toMatchObject({ id: client.clientId });
  });
});
