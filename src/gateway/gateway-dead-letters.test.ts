import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDispatcher, createMessage, defineMessageType, handlerFor, writeToOutbox, type MessageType } from '../messaging/index.js';
import { newId, permanentError, systemClock } from '../model/index.js';
import { countMessagesByStatus, testStores, type Store } from '../store/index.js';
import { waitFor } from '../testing/index.js';
import { auth, exampleOrder, startTestGateway, type TestGateway } from './testing/harness.js';

const stores = await testStores();

const doomed = defineMessageType({ type: 'test.doomed', lane: 'standard', schemaVersion: 1, data: z.object({ n: z.number() }) });
const cursed = defineMessageType({ type: 'test.cursed', lane: 'bulk', schemaVersion: 1, data: z.object({ n: z.number() }) });

interface DeadLetter {
  id: string;
  type: string;
  subject: string | null;
  correlationId: string;
  status: string;
  reason: string | null;
  attempts: number;
  payload: unknown;
  history?: { attempt: number; outcome: string; errorCode: string | null; errorMessage: string | null }[];
  replays?: { at: string; actor: string; note: string | null }[];
}
type Page = { data: DeadLetter[]; nextCursor: string | null };

async function publish(store: Store, type: MessageType, n: number, correlationId: string): Promise<string> {
  const now = Date.now();
  const message = createMessage(type, { n }, { source: 'test', correlationId }, { id: newId('msg'), now, subject: `subject-${n}` });
  await writeToOutbox(store.db, [message], now);
  return message.envelope.id;
}

/** Runs a real dispatcher whose handlers fail permanently until every message is dead, then stops it. */
async function killAll(store: Store, expectedDead: number): Promise<void> {
  const dispatcher = createDispatcher({
    store,
    clock: systemClock,
    newId,
    pollMs: 20,
    handlers: [
      handlerFor(doomed, async (ctx) => {
        throw permanentError('invalid_sku', `SKU ${ctx.message.data.n} does not exist in the ERP`);
      }),
      handlerFor(cursed, async () => {
        throw permanentError('bad_data', 'the warehouse refused the payload');
      }),
    ],
  });
  dispatcher.start();
  try {
    await waitFor(async () => (await countMessagesByStatus(store.db)).dead === expectedDead, { what: `${expectedDead} dead letters` });
  } finally {
    await dispatcher.stop(1000);
  }
}

describe.each(stores)('gateway dead letters on $name', (factory) => {
  let gw: TestGateway;
  /** Dead letters in publication order: three test.doomed (two share a correlation id) and one test.cursed. */
  let ids: string[];

  beforeEach(async () => {
    if (factory.skipReason !== null) return;
    gw = await startTestGateway(factory);
    ids = [
      await publish(gw.store, doomed, 1, 'cor-shared'),
      await publish(gw.store, doomed, 2, 'cor-shared'),
      await publish(gw.store, doomed, 3, 'cor-alone'),
      await publish(gw.store, cursed, 4, 'cor-cursed'),
    ];
    await killAll(gw.store, 4);
  });
  afterEach(async () => {
    await gw?.close();
    gw = undefined as unknown as TestGateway;
  });

  const get = (url: string) => gw.app.inject({ method: 'GET', url, headers: auth });
  const replay = (url: string, body?: unknown) =>
    gw.app.inject({
      method: 'POST',
      url,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  };

  describe.skipIf(factory.skipReason !== null)('listing and inspecting', () => {
    it('lists every dead letter, oldest first, with what an operator needs', async () => {
      const res = await get('/v1/dead-letters');
      expect(res.statusCode).toBe(200);
      const page = res.json() as Page;
      expect(page.nextCursor).toBeNull();
      expect(page.data.map((d) => d.id)).toEqual(ids);
      expect(page.data[0]).toMatchObject({
        id: ids[0],
        type: 'test.doomed',
        subject: 'subject-1',
        correlationId: 'cor-shared',
        status: 'dead',
        reason: expect.stringContaining('invalid_sku'),
        attempts: 1,
        payload: { n: 1 },
      });
      expect(page.data[3]).toMatchObject({ type: 'test.cursed', correlationId: 'cor-cursed', reason: expect.stringContaining('bad_data') });
      expect(page.data[0]!.history).toBeUndefined();
    });

    it('filters by type and by correlation id', async () => {
      const byType = (await get('/v1/dead-letters?type=test.cursed')).json() as Page;
      expect(byType.data.map((d) => d.id)).toEqual([ids[3]]);
      const byCorrelation = (await get('/v1/dead-letters?correlationId=cor-shared')).json() as Page;
      expect(byCorrelation.data.map((d) => d.id)).toEqual([ids[0], ids[1]]);
      const both = (await get('/v1/dead-letters?type=test.doomed&correlationId=cor-alone')).json() as Page;
      expect(both.data.map((d) => d.id)).toEqual([ids[2]]);
      expect(((await get('/v1/dead-letters?reason=warehouse%20refused')).json() as Page).data.map((d) => d.id)).toEqual([ids[3]]);
      expect(((await get('/v1/dead-letters?type=test.nothing')).json() as Page).data).toEqual([]);
    });

    it('filters by error codes and reasons that contain an underscore', async () => {
      // error codes are snake_case (invalid_sku, no_handler, upstream_unavailable): "_" must match itself
      expect(((await get('/v1/dead-letters?errorCode=bad_data')).json() as Page).data.map((d) => d.id)).toEqual([ids[3]]);
      expect(((await get('/v1/dead-letters?reason=invalid_sku')).json() as Page).data.map((d) => d.id)).toEqual(ids.slice(0, 3));
      const res = await replay('/v1/dead-letters/replay', { filter: { errorCode: 'invalid_sku' } });
      expect(res.json()).toMatchObject({ count: 3 });
    });

    it('pages with limit and cursor, each dead letter exactly once', async () => {
      const seen: string[] = [];
      let url = '/v1/dead-letters?limit=3';
      for (let pages = 0; pages < 10; pages++) {
        const page = (await get(url)).json() as Page;
        expect(page.data.length).toBeLessThanOrEqual(3);
        seen.push(...page.data.map((d) => d.id));
        if (page.nextCursor === null) break;
        url = `/v1/dead-letters?limit=3&cursor=${encodeURIComponent(page.nextCursor)}`;
      }
      expect(seen).toEqual(ids);
    });

    it.each(['limit=0', 'limit=501', 'limit=abc', 'cursor=garbage', 'since=yesterday'])('rejects %s with 400', async (query) => {
      expectProblem(await get(`/v1/dead-letters?${query}`), 400);
    });

    it('shows one dead letter with its attempt history', async () => {
      const res = await get(`/v1/dead-letters/${ids[0]}`);
      expect(res.statusCode).toBe(200);
      const detail = res.json() as DeadLetter;
      expect(detail).toMatchObject({ id: ids[0], type: 'test.doomed', status: 'dead', correlationId: 'cor-shared', replays: [] });
      expect(detail.history).toEqual([
        expect.objectContaining({ attempt: 1, outcome: 'dead_lettered', errorCode: 'invalid_sku', errorMessage: 'SKU 1 does not exist in the ERP' }),
      ]);
    });

    it('answers 404 problem for an unknown message', async () => {
      expectProblem(await get('/v1/dead-letters/msg_unknown'), 404);
    });

    it('demands the API key', async () => {
      for (const [method, url] of [['GET', '/v1/dead-letters'], ['GET', `/v1/dead-letters/${ids[0]}`], ['POST', `/v1/dead-letters/${ids[0]}/replay`], ['POST', '/v1/dead-letters/replay']] as const) {
        expectProblem(await gw.app.inject({ method, url }), 401);
      }
      expect((await countMessagesByStatus(gw.store.db)).dead).toBe(4);
    });
  });

  describe.skipIf(factory.skipReason !== null)('replaying', () => {
    it('replays one dead letter: 202, pending again, history kept, replay recorded with the actor', async () => {
      const res = await replay(`/v1/dead-letters/${ids[0]}/replay`);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ replayed: [ids[0]] });
      expect(gw.replayNotifications).toBe(1);

      const detail = (await get(`/v1/dead-letters/${ids[0]}`)).json() as DeadLetter;
      expect(detail).toMatchObject({ id: ids[0], status: 'pending', attempts: 0, correlationId: 'cor-shared', reason: null });
      expect(detail.history).toHaveLength(1);
      expect(detail.replays).toEqual([{ at: expect.any(String), actor: 'bootstrap key', note: null }]);
      expect(((await get('/v1/dead-letters')).json() as Page).data.map((d) => d.id)).toEqual(ids.slice(1));
    });

    it('answers 409 for a message that is not dead and 404 for an unknown one', async () => {
      expect((await replay(`/v1/dead-letters/${ids[0]}/replay`)).statusCode).toBe(202);
      expectProblem(await replay(`/v1/dead-letters/${ids[0]}/replay`), 409);

      const order = await gw.app.inject({ method: 'POST', url: '/v1/orders', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify(exampleOrder()) });
      const { correlationId } = order.json() as { correlationId: string };
      const [pending] = await gw.store.db.selectFrom('messages').select('id').where('correlation_id', '=', correlationId).execute();
      expectProblem(await replay(`/v1/dead-letters/${pending!.id}/replay`), 409);

      expectProblem(await replay('/v1/dead-letters/msg_unknown/replay'), 404);
      expect(gw.replayNotifications).toBe(1);
    });

    it('replays every dead letter matching a filter', async () => {
      const res = await replay('/v1/dead-letters/replay', { filter: { type: 'test.doomed' }, note: 'SKUs fixed' });
      expect(res.statusCode).toBe(202);
      const body = res.json() as { replayed: string[]; count: number };
      expect(body.count).toBe(3);
      expect([...body.replayed].sort()).toEqual(ids.slice(0, 3).sort());
      expect(gw.replayNotifications).toBe(1);
      expect(((await get('/v1/dead-letters')).json() as Page).data.map((d) => d.id)).toEqual([ids[3]]);
      const detail = (await get(`/v1/dead-letters/${ids[1]}`)).json() as DeadLetter;
      expect(detail).toMatchObject({ status: 'pending', replays: [{ actor: 'bootstrap key', note: 'SKUs fixed' }] });

      const again = await replay('/v1/dead-letters/replay', { filter: { type: 'test.doomed' } });
      expect(again.statusCode).toBe(202);
      expect(again.json()).toEqual({ replayed: [], count: 0 });
    });

    it('replays by correlation id, and rejects an invalid replay request with 422', async () => {
      const res = await replay('/v1/dead-letters/replay', { filter: { correlationId: 'cor-shared' } });
      expect(res.json()).toMatchObject({ count: 2 });
      expectProblem(await replay('/v1/dead-letters/replay', { filter: { since: 'yesterday' }, max: 0 }), 422);
      expect((await countMessagesByStatus(gw.store.db)).dead).toBe(2);
    });
  });
});
