import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMessage, defineMessageType, writeToOutbox } from '../messaging/index.js';
import { newId } from '../model/index.js';
import { initLineQuantities, testStores } from '../store/index.js';
import { MessageDetail, MessageSummary } from './routes/messages.js';
import { pageOf } from './routes/responses.js';
import { auth, exampleOrder, startTestGateway, type TestGateway } from './testing/harness.js';

const stores = await testStores();

const routed = defineMessageType({ type: 'workflow.order-placement.route', lane: 'critical', schemaVersion: 1, data: z.object({ orderId: z.string() }) });
const stockChanged = defineMessageType({ type: 'inventory.level-changed', lane: 'standard', schemaVersion: 1, data: z.object({ sku: z.string(), available: z.int() }) });

interface Summary {
  id: string;
  type: string;
  flow: string;
  status: string;
  lane: string;
  subject: string | null;
  correlationId: string;
  causationId: string | null;
  attempts: number;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}
type Page = { data: Summary[]; nextCursor: string | null };

describe.each(stores)('GET /v1/messages on $name', (factory) => {
  let gw: TestGateway;
  const orders: { id: string; correlationId: string; acceptedId: string }[] = [];
  let routedId = '';
  let stockId = '';

  const get = (url: string, headers: Record<string, string> = auth) => gw.app.inject({ method: 'GET', url, headers });
  const search = async (query: string) => {
    const res = await get(`/v1/messages?${query}`);
    expect(res.statusCode).toBe(200);
    return pageOf(MessageSummary).parse(res.json()) as Page;
  };
  const idsOf = (page: Page) => page.data.map((m) => m.id);

  beforeAll(async () => {
    if (factory.skipReason !== null) return;
    gw = await startTestGateway(factory);
    for (const [externalId, number, sku] of [['1001', '#1001', 'TEE-RED-M'], ['1002', '#1002', 'TEE-BLUE-L']] as const) {
      const order = exampleOrder({ externalId, number, lines: [{ lineId: '1', sku, title: sku, quantity: 1, unitPrice: 5000, discount: 0, taxes: [] }], shipping: [], payments: [], totals: { subtotal: 5000, discount: 0, shipping: 0, tax: 0, total: 5000 } });
      const res = await gw.app.inject({ method: 'POST', url: '/v1/orders', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify(order) });
      expect(res.statusCode).toBe(201);
      const body = res.json() as { id: string; correlationId: string };
      await initLineQuantities(gw.store.db, body.id, [{ lineId: '1', sku, quantity: 1 }], Date.now());
      const accepted = await gw.store.db.selectFrom('messages').select('id').where('correlation_id', '=', body.correlationId).executeTakeFirstOrThrow();
      orders.push({ id: body.id, correlationId: body.correlationId, acceptedId: accepted.id });
    }
    const first = orders[0]!;
    const now = Date.now();
    const route = createMessage(routed, { orderId: first.id }, { source: 'test', correlationId: first.correlationId, causation: { id: first.acceptedId } }, { id: newId('msg'), now: now + 1, subject: first.id, orderingKey: first.id });
    const stock = createMessage(stockChanged, { sku: 'TEE-RED-M', available: 3 }, { source: 'test', correlationId: 'cor-stock' }, { id: newId('msg'), now: now + 2, subject: 'TEE-RED-M', orderingKey: 'sku:TEE-RED-M' });
    await writeToOutbox(gw.store.db, [route], now + 1);
    await writeToOutbox(gw.store.db, [stock], now + 2);
    routedId = route.envelope.id;
    stockId = stock.envelope.id;
  });
  afterAll(async () => gw?.close());

  describe.skipIf(factory.skipReason !== null)('search', () => {
    it('lists every message newest first as a summary', async () => {
      const page = await search('');
      expect(idsOf(page)).toEqual([stockId, routedId, orders[1]!.acceptedId, orders[0]!.acceptedId]);
      expect(page.nextCursor).toBeNull();
      expect(page.data[1]).toEqual({
        id: routedId,
        type: 'workflow.order-placement.route',
        flow: 'order-to-cash',
        status: 'pending',
        lane: 'critical',
        subject: orders[0]!.id,
        correlationId: orders[0]!.correlationId,
        causationId: orders[0]!.acceptedId,
        attempts: 0,
        reason: null,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    });

    it('finds an order by its number with or without #, by its id and by its correlation id', async () => {
      const expected = [routedId, orders[0]!.acceptedId];
      expect(idsOf(await search('q=%231001'))).toEqual(expected);
      expect(idsOf(await search('q=1001'))).toEqual(expected);
      expect(idsOf(await search(`q=${orders[0]!.id}`))).toEqual(expected);
      expect(idsOf(await search(`q=${orders[0]!.correlationId}`))).toEqual(expected);
      expect(idsOf(await search('q=%231002'))).toEqual([orders[1]!.acceptedId]);
    });

    it('finds a SKU: messages about it and the messages of orders that contain it', async () => {
      expect(idsOf(await search('q=TEE-RED-M'))).toEqual([stockId, routedId, orders[0]!.acceptedId]);
      expect(idsOf(await search('q=sku%3ATEE-RED-M'))).toEqual([stockId]);
    });

    it('finds a message by its id and nothing for an unknown text', async () => {
      expect(idsOf(await search(`q=${routedId}`))).toEqual([routedId]);
      expect(idsOf(await search('q=no-such-thing'))).toEqual([]);
    });

    it('filters by status, type and flow', async () => {
      expect(idsOf(await search('flow=inventory'))).toEqual([stockId]);
      expect(idsOf(await search('flow=order-to-cash&q=TEE-RED-M'))).toEqual([routedId, orders[0]!.acceptedId]);
      expect(idsOf(await search('type=order.accepted'))).toEqual([orders[1]!.acceptedId, orders[0]!.acceptedId]);
      expect(idsOf(await search('status=dead'))).toEqual([]);
      expect((await search('status=pending')).data).toHaveLength(4);
    });

    it('pages with limit and cursor, each message once', async () => {
      const seen: string[] = [];
      let url = '/v1/messages?limit=3';
      for (let i = 0; i < 5; i++) {
        const page = (await get(url)).json() as Page;
        seen.push(...idsOf(page));
        if (page.nextCursor === null) break;
        url = `/v1/messages?limit=3&cursor=${encodeURIComponent(page.nextCursor)}`;
      }
      expect(seen).toEqual([stockId, routedId, orders[1]!.acceptedId, orders[0]!.acceptedId]);
    });

    it.each(['limit=0', 'limit=501', 'cursor=garbage', 'status=lost', 'flow=nowhere'])('rejects %s with a 400 problem', async (query) => {
      const res = await get(`/v1/messages?${query}`);
      expect(res.statusCode).toBe(400);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
      expect((res.json() as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    });

    it('needs credentials', async () => {
      expect((await get('/v1/messages', {})).statusCode).toBe(401);
    });
  });

  describe.skipIf(factory.skipReason !== null)('one message', () => {
    it('shows the payload, history, what caused it, what it caused and its order', async () => {
      const res = await get(`/v1/messages/${routedId}`);
      expect(res.statusCode).toBe(200);
      const body = MessageDetail.parse(res.json()) as Record<string, unknown> & { causedBy: Summary; caused: Summary[] };
      expect(body).toMatchObject({
        id: routedId,
        flow: 'order-to-cash',
        status: 'pending',
        payload: { orderId: orders[0]!.id },
        history: [],
        replays: [],
        edits: [],
        caused: [],
        order: { id: orders[0]!.id, number: '#1001', status: 'accepted' },
      });
      expect(body.causedBy).toMatchObject({ id: orders[0]!.acceptedId, type: 'order.accepted' });

      const cause = (await get(`/v1/messages/${orders[0]!.acceptedId}`)).json() as { causedBy: unknown; caused: Summary[] };
      expect(cause.causedBy).toBeNull();
      expect(cause.caused.map((m) => m.id)).toEqual([routedId]);
    });

    it('has no order for a message outside one', async () => {
      expect(((await get(`/v1/messages/${stockId}`)).json() as { order: unknown }).order).toBeNull();
    });

    it('answers 404 for an unknown id', async () => {
      const res = await get('/v1/messages/msg_nope');
      expect(res.statusCode).toBe(404);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
    });
  });
});
