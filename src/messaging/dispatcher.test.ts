import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId, permanentError, systemClock, transientError } from '../model/index.js';
import { countMessagesByStatus, leaseMessages, testStores, type Store } from '../store/index.js';
import { waitFor } from '../testing/index.js';
import {
  createDispatcher,
  createMessage,
  defineMessageType,
  handlerFor,
  messageDetail,
  replayOne,
  writeToOutbox,
  type Dispatcher,
  type HandlerRegistration,
  type MessageType,
} from './index.js';

const stores = await testStores();

const fast = { baseDelayMs: 10, maxDelayMs: 40 };
const ping = defineMessageType({ type: 'test.ping', lane: 'critical', schemaVersion: 1, data: z.object({ n: z.number() }), retry: { ...fast, maxAttempts: 5 } });
const pong = defineMessageType({ type: 'test.pong', lane: 'standard', schemaVersion: 1, data: z.object({ n: z.number() }) });
const slow = defineMessageType({ type: 'test.slow', lane: 'bulk', schemaVersion: 1, data: z.object({ n: z.number() }) });

async function publish<S extends z.ZodType>(store: Store, type: MessageType<S>, data: z.input<S>, options: { orderingKey?: string; correlationId?: string } = {}) {
  const now = Date.now();
  const message = createMessage(type, data, { source: 'test', correlationId: options.correlationId ?? newId('cor') }, {
    id: newId('msg'),
    now,
    subject: 'subject-1',
    ...(options.orderingKey ? { orderingKey: options.orderingKey } : {}),
  });
  await writeToOutbox(store.db, [message], now);
  return message.envelope;
}

describe.each(stores)('dispatcher on $name', (factory) => {
  let store: Store;
  let dispatcher: Dispatcher | undefined;

  async function start(handlers: HandlerRegistration[], options: { leaseMs?: number; lanes?: Parameters<typeof createDispatcher>[0]['lanes'] } = {}) {
    store ??= await factory.open();
    dispatcher = createDispatcher({ store, handlers, clock: systemClock, newId, pollMs: 20, leaseMs: options.leaseMs ?? 5000, lanes: options.lanes });
    dispatcher.start();
    return dispatcher;
  }

  afterEach(async () => {
    await dispatcher?.stop(1000);
    dispatcher = undefined;
    await store?.close();
    store = undefined as unknown as Store;
  });

  it.skipIf(factory.skipReason !== null)('commits a handler’s writes and emitted messages with the completion', async () => {
    store = await factory.open();
    const seen: unknown[] = [];
    const sent = await publish(store, ping, { n: 1 });
    await start([
      handlerFor(ping, async (ctx) => {
        await ctx.commit(async (tx) => tx.emit(pong, { n: ctx.message.data.n + 1 }, { subject: 'answer' }));
      }),
      handlerFor(pong, async (ctx) => {
        seen.push(ctx.message);
      }),
    ]);
    await waitFor(() => seen.length === 1, { what: 'the pong' });
    const received = seen[0] as { data: { n: number }; correlationid: string; causationid: string; source: string };
    expect(received.data.n).toBe(2);
    expect(received.correlationid).toBe(sent.correlationid);
    expect(received.causationid).toBe(sent.id);
    await waitFor(async () => (await countMessagesByStatus(store.db)).done === 2);
  });

  it.skipIf(factory.skipReason !== null)('isolates a failing commit from the others committed in the same batch', async () => {
    store = await factory.open();
    for (let n = 0; n < 40; n++) await publish(store, ping, { n });
    const committedOn = new Map<number, number>();
    await start([
      handlerFor(ping, async (ctx) => {
        await ctx.commit(async (tx) => {
          await tx.db.selectFrom('messages').select('id').limit(1).execute();
          if (ctx.message.data.n % 5 === 0 && ctx.attempt === 1) throw transientError('flaky_write', 'constraint hiccup');
          tx.emit(pong, { n: ctx.message.data.n });
          committedOn.set(ctx.message.data.n, ctx.attempt);
        });
      }),
      handlerFor(pong, async () => undefined),
    ]);
    await waitFor(async () => (await countMessagesByStatus(store.db)).done === 80, { what: '40 pings and 40 pongs done' });
    const pongs = await store.db.selectFrom('messages').select('data').where('type', '=', 'test.pong').execute();
    expect(pongs.map((p) => JSON.parse(p.data).n).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 40 }, (_, n) => n));
    for (let n = 0; n < 40; n += 5) expect(committedOn.get(n)).toBe(2);
  });

  it.skipIf(factory.skipReason !== null)('retries transient failures with backoff, then succeeds, keeping the history', async () => {
    store = await factory.open();
    const sent = await publish(store, ping, { n: 1 });
    const attempts: number[] = [];
    await start([
      handlerFor(ping, async (ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt < 3) throw transientError('upstream_unavailable', 'the ERP answered 503');
      }),
    ]);
    await waitFor(async () => (await messageDetail(store.db, sent.id))?.status === 'done', { what: 'completion' });
    expect(attempts).toEqual([1, 2, 3]);
    const detail = await messageDetail(store.db, sent.id);
    expect(detail?.history?.map((h) => [h.attempt, h.outcome, h.errorCode])).toEqual([
      [1, 'retry_scheduled', 'upstream_unavailable'],
      [2, 'retry_scheduled', 'upstream_unavailable'],
    ]);
  });

  it.skipIf(factory.skipReason !== null)('honours Retry-After', async () => {
    store = await factory.open();
    await publish(store, ping, { n: 1 });
    const times: number[] = [];
    await start([
      handlerFor(ping, async (ctx) => {
        times.push(Date.now());
        if (ctx.attempt === 1) throw transientError('rate_limited', '429', { retryAfterMs: 400 });
      }),
    ]);
    await waitFor(() => times.length === 2, { what: 'the second attempt' });
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(390);
  });

  it.skipIf(factory.skipReason !== null)('dead-letters permanent errors at once, and after the last attempt', async () => {
    store = await factory.open();
    const permanent = await publish(store, ping, { n: 1 });
    const exhausted = await publish(store, ping, { n: 2 });
    await start([
      handlerFor(ping, async (ctx) => {
        if (ctx.message.data.n === 1) throw permanentError('invalid_sku', 'SKU X does not exist in the ERP');
        throw new Error('socket hang up');
      }),
    ]);
    await waitFor(async () => (await countMessagesByStatus(store.db)).dead === 2, { what: 'two dead letters' });
    const first = await messageDetail(store.db, permanent.id);
    expect(first?.reason).toContain('invalid_sku');
    expect(first?.history).toHaveLength(1);
    const second = await messageDetail(store.db, exhausted.id);
    expect(second?.reason).toContain('gave up after 5 attempts');
    expect(second?.history?.map((h) => h.outcome)).toEqual(['retry_scheduled', 'retry_scheduled', 'retry_scheduled', 'retry_scheduled', 'dead_lettered']);
  });

  it.skipIf(factory.skipReason !== null)('dead-letters unknown types and invalid payloads with the reason', async () => {
    store = await factory.open();
    const unknown = await publish(store, defineMessageType({ type: 'test.nobody', lane: 'critical', schemaVersion: 1, data: z.object({}) }), {});
    const invalid = await publish(store, defineMessageType({ ...ping, data: z.object({ n: z.string() }) }), { n: 'one' });
    await start([handlerFor(ping, async () => undefined)]);
    await waitFor(async () => (await countMessagesByStatus(store.db)).dead === 2);
    expect((await messageDetail(store.db, unknown.id))?.reason).toContain('no_handler');
    expect((await messageDetail(store.db, invalid.id))?.reason).toContain('invalid_message');
  });

  it.skipIf(factory.skipReason !== null)('handles messages with the same ordering key one at a time, in order', async () => {
    store = await factory.open();
    for (let i = 0; i < 60; i++) await publish(store, ping, { n: i }, { orderingKey: `order-${i % 4}` });
    const handled = new Map<string, number[]>();
    const active = new Set<string>();
    let overlap = false;
    await start(
      [
        handlerFor(ping, async (ctx) => {
          const key = `order-${ctx.message.data.n % 4}`;
          if (active.has(key)) overlap = true;
          active.add(key);
          await new Promise((r) => setTimeout(r, Math.random() * 5));
          handled.set(key, [...(handled.get(key) ?? []), ctx.message.data.n]);
          active.delete(key);
        }),
      ],
      { lanes: { critical: { concurrency: 16, batchSize: 16 } } },
    );
    await waitFor(async () => (await countMessagesByStatus(store.db)).done === 60, { what: 'all 60 handled' });
    expect(overlap).toBe(false);
    for (const [, ns] of handled) expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });

  it.skipIf(factory.skipReason !== null)('keeps critical work flowing while the bulk lane is backed up', async () => {
    store = await factory.open();
    for (let i = 0; i < 100; i++) await publish(store, slow, { n: i });
    let bulkDone = 0;
    let criticalAt: number | undefined;
    await start(
      [
        handlerFor(slow, async () => {
          await new Promise((r) => setTimeout(r, 50));
          bulkDone += 1;
        }),
        handlerFor(ping, async () => {
          criticalAt = bulkDone;
        }),
      ],
      { lanes: { bulk: { concurrency: 2, batchSize: 2 } } },
    );
    await new Promise((r) => setTimeout(r, 100));
    await publish(store, ping, { n: 1 });
    dispatcher?.notify('critical');
    await waitFor(() => criticalAt !== undefined, { what: 'the critical message' });
    expect(criticalAt).toBeLessThan(30);
  });

  it.skipIf(factory.skipReason !== null)('redelivers a message whose worker died holding the lease', async () => {
    store = await factory.open();
    const sent = await publish(store, ping, { n: 1 });
    const leased = await leaseMessages(store.db, store.dialect, { lane: 'critical', owner: 'crashed-worker', limit: 10, now: Date.now(), leaseMs: 200 });
    expect(leased.map((m) => m.id)).toEqual([sent.id]);
    let handledOn = 0;
    await start([handlerFor(ping, async (ctx) => void (handledOn = ctx.attempt))], { leaseMs: 300 });
    await waitFor(() => handledOn > 0, { what: 'redelivery' });
    expect(handledOn).toBe(2);
    const detail = await messageDetail(store.db, sent.id);
    expect(detail?.history?.[0]).toMatchObject({ outcome: 'lease_expired', worker: 'crashed-worker' });
  });

  it.skipIf(factory.skipReason !== null)('replays a dead letter with its correlation id and records who did it', async () => {
    store = await factory.open();
    const sent = await publish(store, ping, { n: 1 });
    let fixed = false;
    const correlations: string[] = [];
    await start([
      handlerFor(ping, async (ctx) => {
        correlations.push(ctx.message.correlationid);
        if (!fixed) throw permanentError('mapping_missing', 'no mapping for SKU');
      }),
    ]);
    await waitFor(async () => (await messageDetail(store.db, sent.id))?.status === 'dead');
    fixed = true;
    expect(await replayOne(store.db, { id: sent.id, actor: 'ops@example.com', now: Date.now(), note: 'mapping added' })).toBe('replayed');
    dispatcher?.notify('critical');
    await waitFor(async () => (await messageDetail(store.db, sent.id))?.status === 'done');
    expect(correlations).toEqual([sent.correlationid, sent.correlationid]);
    const detail = await messageDetail(store.db, sent.id);
    expect(detail?.replays).toEqual([expect.objectContaining({ actor: 'ops@example.com', note: 'mapping added' })]);
    expect(await replayOne(store.db, { id: sent.id, actor: 'x', now: Date.now() })).toBe('not_dead');
  });

  it.skipIf(factory.skipReason !== null)('gives back its leases on a graceful stop', async () => {
    store = await factory.open();
    const sent = await publish(store, ping, { n: 1 });
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      release = resolve;
    });
    const d = await start([
      handlerFor(ping, async (ctx) => {
        release();
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        throw new Error('interrupted');
      }),
    ]);
    await started;
    await d.stop(50);
    dispatcher = undefined;
    const detail = await messageDetail(store.db, sent.id);
    expect(detail?.status).toBe('pending');
  });
});
