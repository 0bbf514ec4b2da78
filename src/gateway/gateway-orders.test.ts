import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testStores } from '../store/index.js';
import { auth, exampleOrder, startTestGateway, testKey, type TestGateway } from './testing/harness.js';

const stores = await testStores();
const problemType = 'application/problem+json';

/** Asserts an RFC 9457 problem answer and returns its body. */
function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain(problemType);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  return body as { type: string; title: string; status: number; detail: string; errors?: { pointer: string; detail: string }[] } & Record<string, unknown>;
}

describe.each(stores)('gateway orders on $name', (factory) => {
  let gw: TestGateway;
  beforeEach(async () => {
    if (factory.skipReason === null) gw = await startTestGateway(factory);
  });
  afterEach(async () => {
    await gw?.close();
    gw = undefined as unknown as TestGateway;
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    gw.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...auth, 'content-type': 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const get = (url: string) => gw.app.inject({ method: 'GET', url, headers: auth });
  const listAll = async (query = '') => (await get(`/v1/orders?limit=500${query}`)).json() as { data: { id: string }[] };

  describe.skipIf(factory.skipReason !== null)('operational routes', () => {
    it('answers /health, /ready and /metrics without a key', async () => {
      const health = await gw.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: 'ok' });
      const ready = await gw.app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(200);
    });

    it('exposes Prometheus metrics with request counts and the message backlog', async () => {
      expect((await post(exampleOrder())).statusCode).toBe(201);
      const res = await gw.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.body).toContain('# TYPE tillbridge_http_requests_total counter');
      expect(res.body).toMatch(/tillbridge_http_requests_total\{method="POST",route="\/v1\/orders",status_code="201"\} 1/);
      expect(res.body).toContain('# TYPE tillbridge_message_backlog gauge');
    });

    it('reports the current message backlog on every scrape (not the previous scrape\'s)', async () => {
      const scrape = async () => (await gw.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect((await post(exampleOrder())).statusCode).toBe(201);
      // the order.accepted message waits in the critical lane (no dispatcher runs here)
      expect(await scrape()).toMatch(/^tillbridge_message_backlog\{lane="critical"\} 1$/m);
      expect((await post(exampleOrder({ externalId: '1002' }))).statusCode).toBe(201);
      expect(await scrape()).toMatch(/^tillbridge_message_backlog\{lane="critical"\} 2$/m);
    });
  });

  describe.skipIf(factory.skipReason !== null)('authentication', () => {
    it.each([
      ['no Authorization header', {}],
      ['a wrong key', { authorization: 'Bearer not-the-key' }],
      ['a non-bearer scheme', { authorization: `Basic ${testKey}` }],
    ])('rejects %s with 401 on every /v1 route', async (_what, headers: Record<string, string>) => {
      for (const [method, url] of [['GET', '/v1/orders'], ['POST', '/v1/orders'], ['GET', '/v1/orders/ord_x'], ['GET', '/v1/dead-letters']] as const) {
        const res = await gw.app.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: method === 'POST' ? JSON.stringify(exampleOrder()) : undefined });
        const body = expectProblem(res, 401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(body.title).toBe('Unauthorized');
      }
      expect((await listAll()).data).toEqual([]);
    });
  });

  describe.skipIf(factory.skipReason !== null)('submitting and reading an order', () => {
    it('accepts the contract example with 201 and Location, and shows it with its timeline', async () => {
      const res = await post(exampleOrder());
      expect(res.statusCode).toBe(201);
      const created = res.json() as { id: string; status: string };
      expect(created).toMatchObject({ id: expect.stringMatching(/^ord_/), status: 'accepted' });
      expect(res.headers.location).toBe(`/v1/orders/${created.id}`);
      expect(res.headers['idempotent-replayed']).toBeUndefined();

      const read = await get(`/v1/orders/${created.id}`);
      expect(read.statusCode).toBe(200);
      const order = read.json() as Record<string, unknown> & { timeline: Record<string, unknown>[] };
      expect(order).toMatchObject({ ...exampleOrder(), id: created.id, status: 'accepted', taxesIncluded: false });
      expect(order.timeline[0]).toMatchObject({ event: 'order.accepted', system: 'api', correlationId: expect.stringMatching(/^cor_/) });
      expect(order.timeline[0]!.correlationId).toBe(order.correlationId);
      expect(Number.isNaN(Date.parse(String(order.timeline[0]!.at)))).toBe(false);
    });

    it('answers 404 problem for an unknown order', async () => {
      const body = expectProblem(await get('/v1/orders/unknown'), 404);
      expect(body.detail).toContain('unknown');
    });
  });

  describe.skipIf(factory.skipReason !== null)('Idempotency-Key', () => {
    it('replays the first response byte for byte for the same key and body', async () => {
      const first = await post(exampleOrder(), { 'idempotency-key': 'key-1' });
      const again = await post(exampleOrder(), { 'idempotency-key': 'key-1' });
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(201);
      expect(again.body).toBe(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.location).toBe(first.headers.location);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect((await listAll('&source=web-store')).data.map((o) => o.id)).toEqual([(first.json() as { id: string }).id]);
    });

    it('rejects the same key with a different body with 422, storing nothing', async () => {
      expect((await post(exampleOrder(), { 'idempotency-key': 'key-2' })).statusCode).toBe(201);
      const res = await post(exampleOrder({ externalId: '1002' }), { 'idempotency-key': 'key-2' });
      expectProblem(res, 422);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect((await listAll()).data).toHaveLength(1);
    });

    it('rejects a key longer than 255 characters with 400', async () => {
      expect((await post(exampleOrder(), { 'idempotency-key': 'k'.repeat(255) })).statusCode).toBe(201);
      expectProblem(await post(exampleOrder({ externalId: '2' }), { 'idempotency-key': 'k'.repeat(256) }), 400);
      expect((await listAll()).data).toHaveLength(1);
    });

    it('creates one order for 20 concurrent requests with the same key', async () => {
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(exampleOrder(), { 'idempotency-key': 'burst' })));
      const ids = new Set(answers.map((a) => (a.json() as { id: string }).id));
      expect(ids.size).toBe(1);
      expect(answers.every((a) => a.statusCode === 201)).toBe(true);
      expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      expect((await listAll()).data.map((o) => o.id)).toEqual([...ids]);
    });
  });

  describe.skipIf(factory.skipReason !== null)('(source, externalId) uniqueness without a key', () => {
    it('answers 200 with the same id for a resubmission and 409 naming it for different content', async () => {
      const { id } = (await post(exampleOrder())).json() as { id: string };
      const same = await post(exampleOrder());
      expect(same.statusCode).toBe(200);
      expect(same.json()).toMatchObject({ id, status: 'accepted' });
      expect(same.headers['idempotent-replayed']).toBeUndefined();

      const changed = await post(exampleOrder({ number: '#1001-b' }));
      const body = expectProblem(changed, 409);
      expect(body.detail).toContain(id);
      expect(body.orderId).toBe(id);
      expect((await listAll()).data).toHaveLength(1);
    });

    it('creates exactly one order from 30 concurrent submissions', async () => {
      const answers = await Promise.all(Array.from({ length: 30 }, () => post(exampleOrder({ externalId: 'race' }))));
      expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(29);
      const ids = new Set(answers.map((a) => (a.json() as { id: string }).id));
      expect(ids.size).toBe(1);
      expect((await listAll()).data.map((o) => o.id)).toEqual([...ids]);
    });
  });

  describe.skipIf(factory.skipReason !== null)('validation', () => {
    const pointersOf = (body: { errors?: { pointer: string }[] }) => (body.errors ?? []).map((e) => e.pointer).sort();

    it('rejects malformed JSON with 400 and keeps the raw payload', async () => {
      const raw = '{"source": "web-store", ';
      expectProblem(await post(raw), 400);
      const rejected = await gw.store.db.selectFrom('rejected_payloads').selectAll().execute();
      expect(rejected.map((r) => r.raw)).toEqual([raw]);
    });

    it('lists every arithmetic violation with JSON pointers', async () => {
      const order = exampleOrder({
        lines: [{ lineId: '1', sku: 'A', quantity: 1, unitPrice: 100, discount: 200, taxes: [{ name: 'vat', amount: 10 }] }],
        shipping: [],
        payments: [],
        totals: { subtotal: 999, discount: 200, shipping: 0, tax: 5, total: 1 },
      });
      const body = expectProblem(await post(order), 422);
      expect(pointersOf(body)).toEqual(['/lines/0/discount', '/totals/subtotal', '/totals/tax', '/totals/total']);
      expect(body.errors!.every((e) => e.detail.length > 0)).toBe(true);
    });

    it.each([
      ['an unknown currency', { currency: 'XXQ' }, '/currency'],
      ['a fractional quantity', { lines: [{ lineId: '1', sku: 'A', quantity: 1.5, unitPrice: 100 }] }, '/lines/0/quantity'],
      ['a fractional amount', { lines: [{ lineId: '1', sku: 'A', quantity: 1, unitPrice: 25.5 }] }, '/lines/0/unitPrice'],
      ['a bad source', { source: 'Web Store' }, '/source'],
    ])('rejects %s with 422 pointing at it', async (_what, overrides, pointer) => {
      const body = expectProblem(await post(exampleOrder(overrides)), 422);
      expect(pointersOf(body)).toContain(pointer);
    });

    it('stores no order after invalid submissions, but keeps each rejected payload', async () => {
      const bodies = [JSON.stringify(exampleOrder({ currency: 'XXQ' })), JSON.stringify(exampleOrder({ source: 'Web Store' })), 'not json'];
      for (const b of bodies) expect([400, 422]).toContain((await post(b)).statusCode);
      expect((await listAll()).data).toEqual([]);
      const rejected = await gw.store.db.selectFrom('rejected_payloads').selectAll().execute();
      expect(rejected.map((r) => r.raw).sort()).toEqual([...bodies].sort());
      expect(rejected.every((r) => r.kind === 'order')).toBe(true);
    });

    it('accepts taxesIncluded orders whose total leaves tax out', async () => {
      const order = exampleOrder({
        taxesIncluded: true,
        lines: [{ lineId: '1', sku: 'A', quantity: 2, unitPrice: 2500, discount: 500, taxes: [{ name: 'VAT', rate: '0.2', amount: 750 }] }],
        payments: [],
        totals: { subtotal: 5000, discount: 500, shipping: 500, tax: 750, total: 5000 },
      });
      expect((await post(order)).statusCode).toBe(201);
    });

    it('accepts a JPY order in 0-decimal minor units', async () => {
      const order = exampleOrder({
        currency: 'JPY',
        lines: [{ lineId: '1', sku: 'A', quantity: 3, unitPrice: 1200, taxes: [{ name: 'JCT', amount: 360 }] }],
        shipping: [],
        payments: [],
        totals: { subtotal: 3600, discount: 0, shipping: 0, tax: 360, total: 3960 },
      });
      const res = await post(order);
      expect(res.statusCode).toBe(201);
      expect((await get(`/v1/orders/${(res.json() as { id: string }).id}`)).json()).toMatchObject({ currency: 'JPY', totals: { total: 3960 } });
    });

    it('rejects a body over 1 MiB with 413', async () => {
      const huge = JSON.stringify(exampleOrder({ note: 'x'.repeat(1024 * 1024) }));
      expectProblem(await post(huge), 413);
      expect((await listAll()).data).toEqual([]);
    });
  });

  describe.skipIf(factory.skipReason !== null)('listing', () => {
    it('pages newest first with limit and cursor until nextCursor is null', async () => {
      const created: string[] = [];
      for (let i = 1; i <= 5; i++) created.push(((await post(exampleOrder({ externalId: `p-${i}` }))).json() as { id: string }).id);
      const seen: string[] = [];
      let url = '/v1/orders?limit=2';
      for (let pages = 0; pages < 10; pages++) {
        const res = await get(url);
        expect(res.statusCode).toBe(200);
        const page = res.json() as { data: { id: string; status: string }[]; nextCursor: string | null };
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data.map((o) => o.id));
        if (page.nextCursor === null) break;
        url = `/v1/orders?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`;
      }
      expect(seen).toEqual([...created].reverse());
    });

    it('filters by source and status', async () => {
      const a = ((await post(exampleOrder({ source: 'shop-a' }))).json() as { id: string }).id;
      const b = ((await post(exampleOrder({ source: 'shop-b' }))).json() as { id: string }).id;
      expect((await listAll('&source=shop-a')).data.map((o) => o.id)).toEqual([a]);
      expect((await listAll('&source=shop-b')).data.map((o) => o.id)).toEqual([b]);
      expect((await listAll('&status=accepted')).data.map((o) => o.id)).toEqual([b, a]);
      expect((await listAll('&status=shipped')).data).toEqual([]);
    });

    it.each(['limit=0', 'limit=501', 'limit=abc', 'cursor=garbage', 'status=nope', 'source=Bad%20Source'])(
      'rejects %s with 400',
      async (query) => {
        const body = expectProblem(await get(`/v1/orders?${query}`), 400);
        expect(body.errors?.[0]?.pointer).toBe(`/query/${query.split('=')[0]}`);
      },
    );
  });
});
