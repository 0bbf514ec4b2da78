import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDispatcher, createMessage, defineMessageType, handlerFor, writeToOutbox, type MessageType } from '../messaging/index.js';
import { newId, permanentError, systemClock } from '../model/index.js';
import { testStores, type Store } from '../store/index.js';
import { waitFor } from '../testing/index.js';
import { EditedDeadLetter } from './routes/dead-letter-edit.js';
import { auth, startTestGateway, type TestGateway } from './testing/harness.js';

const stores = await testStores();

const shipment = defineMessageType({ type: 'test.shipment', lane: 'standard', schemaVersion: 1, data: z.object({ sku: z.string().min(1), quantity: z.int().positive() }) });
/** Handled by the dispatcher but not known to the gateway: its payload edits are not validated. */
const loose = defineMessageType({ type: 'test.loose', lane: 'bulk', schemaVersion: 1, data: z.object({ ok: z.boolean() }) });

async function statusOf(store: Store, id: string): Promise<string | undefined> {
  return (await store.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirst())?.status;
}

/** Runs a real dispatcher until the messages reach their statuses, then stops it: the warehouse refuses SKU "BAD", `test.loose` needs ok = true. */
async function dispatchUntil(store: Store, expected: Record<string, string>, what: string): Promise<void> {
  const dispatcher = createDispatcher({
    store,
    clock: systemClock,
    newId,
    pollMs: 20,
    handlers: [
      handlerFor(shipment, async (ctx) => {
        if (ctx.message.data.sku === 'BAD') throw permanentError('invalid_sku', `SKU ${ctx.message.data.sku} does not exist in the warehouse`);
      }),
      handlerFor(loose, async (ctx) => {
        if (!ctx.message.data.ok) throw permanentError('bad_data', 'not ok');
      }),
    ],
  });
  dispatcher.start();
  try {
    await waitFor(async () => {
      for (const [id, status] of Object.entries(expected)) if ((await statusOf(store, id)) !== status) return false;
      return true;
    }, { what });
  } finally {
    await dispatcher.stop(1000);
  }
}

async function publish<S extends z.ZodType>(store: Store, type: MessageType<S>, data: z.input<S>): Promise<string> {
  const now = Date.now();
  const message = createMessage(type, data, { source: 'test', correlationId: newId('cor') }, { id: newId('msg'), now });
  await writeToOutbox(store.db, [message], now);
  return message.envelope.id;
}

describe.each(stores)('PUT /v1/dead-letters/:id/payload on $name', (factory) => {
  let gw: TestGateway;
  let badShipment: string;
  let badLoose: string;

  beforeAll(async () => {
    if (factory.skipReason !== null) return;
    gw = await startTestGateway(factory, { with: () => ({ messageTypes: new Map<string, MessageType>([[shipment.type, shipment]]) }) });
  });
  beforeEach(async () => {
    if (factory.skipReason !== null) return;
    badShipment = await publish(gw.store, shipment, { sku: 'BAD', quantity: 2 });
    badLoose = await publish(gw.store, loose, { ok: false });
    await dispatchUntil(gw.store, { [badShipment]: 'dead', [badLoose]: 'dead' }, '2 dead letters');
  });
  afterAll(async () => gw?.close());

  const put = (id: string, body: unknown) =>
    gw.app.inject({ method: 'PUT', url: `/v1/dead-letters/${id}/payload`, headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    return res.json() as { errors?: { pointer: string; detail: string }[] };
  };

  describe.skipIf(factory.skipReason !== null)('editing', () => {
    it('fixes a dead letter so its replay succeeds, with the edit audited and in its history', async () => {
      const res = await put(badShipment, { payload: { sku: 'TEE-RED-M', quantity: 2 }, note: 'SKU was renamed in the warehouse' });
      expect(res.statusCode).toBe(200);
      expect(EditedDeadLetter.safeParse(res.json()).error).toBeUndefined();
      const edited = res.json() as { status: string; payload: unknown; edits: { actor: string; note: string; before: unknown; after: unknown }[] };
      expect(edited.status).toBe('dead');
      expect(edited.payload).toEqual({ sku: 'TEE-RED-M', quantity: 2 });
      expect(edited.edits).toEqual([
        { at: expect.any(String), actor: 'bootstrap key', note: 'SKU was renamed in the warehouse', before: { sku: 'BAD', quantity: 2 }, after: { sku: 'TEE-RED-M', quantity: 2 } },
      ]);

      const audit = (await gw.app.inject({ method: 'GET', url: `/v1/audit?action=dead_letter.edit_payload&resourceId=${encodeURIComponent(badShipment)}`, headers: auth })).json() as { data: { before: unknown; after: unknown; requestId: string | null }[] };
      expect(audit.data).toHaveLength(1);
      expect(audit.data[0]).toMatchObject({ before: { payload: { sku: 'BAD', quantity: 2 } }, after: { payload: { sku: 'TEE-RED-M', quantity: 2 }, note: 'SKU was renamed in the warehouse', validated: true } });
      expect(audit.data[0]!.requestId).toEqual(expect.any(String));

      const detail = (await gw.app.inject({ method: 'GET', url: `/v1/messages/${badShipment}`, headers: auth })).json() as { edits: unknown[] };
      expect(detail.edits).toHaveLength(1);

      expect((await gw.app.inject({ method: 'POST', url: `/v1/dead-letters/${badShipment}/replay`, headers: auth })).statusCode).toBe(202);
      await dispatchUntil(gw.store, { [badShipment]: 'done', [badLoose]: 'dead' }, 'the edited shipment done');
      const after = (await gw.app.inject({ method: 'GET', url: `/v1/messages/${badShipment}`, headers: auth })).json() as { status: string; replays: unknown[] };
      expect(after.status).toBe('done');
      expect(after.replays).toHaveLength(1);
      expectProblem(await put(badShipment, { payload: { sku: 'X', quantity: 1 }, note: 'again' }), 409);
    });

    it("rejects a payload that does not match the message type's schema with pointers, and keeps the old one", async () => {
      const body = expectProblem(await put(badShipment, { payload: { sku: '', quantity: 'two' }, note: 'typo' }), 422);
      expect(body.errors!.map((e) => e.pointer).sort()).toEqual(['/payload/quantity', '/payload/sku']);
      const detail = (await gw.app.inject({ method: 'GET', url: `/v1/messages/${badShipment}`, headers: auth })).json() as { payload: unknown; edits: unknown[] };
      expect(detail.payload).toEqual({ sku: 'BAD', quantity: 2 });
      expect(detail.edits).toEqual([]);
    });

    it('rejects a request without a note or without an object payload with 422', async () => {
      for (const [request, pointer] of [
        [{ payload: { sku: 'A', quantity: 1 } }, '/note'],
        [{ payload: [1, 2], note: 'x' }, '/payload'],
        [{ note: 'x' }, '/payload'],
      ] as const) {
        const body = expectProblem(await put(badShipment, request), 422);
        expect(body.errors!.map((e) => e.pointer)).toContain(pointer);
      }
    });

    it('accepts any JSON object for a type the gateway does not know; 404 for an unknown message, 401 without credentials', async () => {
      const res = await put(badLoose, { payload: { ok: true, extra: [1] }, note: 'flip it' });
      expect(res.statusCode).toBe(200);
      expect((res.json() as { payload: unknown }).payload).toEqual({ ok: true, extra: [1] });
      expectProblem(await put('msg_nope', { payload: {}, note: 'x' }), 404);
      const anonymous = await gw.app.inject({ method: 'PUT', url: `/v1/dead-letters/${badShipment}/payload`, headers: { 'content-type': 'application/json' }, payload: '{"payload":{},"note":"x"}' });
      expect(anonymous.statusCode).toBe(401);
    });
  });
});
