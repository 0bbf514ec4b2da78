import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../database.js';
import { testStores } from '../testing.js';
import { editDeadLetterPayload, listMessageEdits } from './edit-payload.js';
import { enqueueTestRows, type TestMessage } from './test-support.js';
import { addMessageStats, countOrdersOnHold, latencyClassOf, messageStatsHistogram } from './overview.js';
import { correlationIdsForQuery, findOrderByCorrelationId, listCausedMessages, searchMessages } from './search.js';

const stores = await testStores();

const T0 = 1_790_000_000_000;
const messages: TestMessage[] = [
  { id: 'msg_a', type: 'order.placed', correlationId: 'cor_1001', subject: 'ord_1', status: 'done', createdAt: T0, updatedAt: T0 + 40 },
  { id: 'msg_b', type: 'workflow.order-placement.route', correlationId: 'cor_1001', causationId: 'msg_a', subject: 'ord_1', orderingKey: 'ord_1', status: 'dead', createdAt: T0 + 1_000, updatedAt: T0 + 3_000 },
  { id: 'msg_c', type: 'inventory.adjusted', correlationId: 'cor_stock', subject: 'SKU-RED', orderingKey: 'sku:SKU-RED', status: 'done', createdAt: T0 + 60_000, updatedAt: T0 + 60_500 },
  { id: 'msg_d', type: 'order.placed', correlationId: 'cor_1002', subject: 'ord_2', status: 'pending', createdAt: T0 + 61_000, updatedAt: T0 + 61_000 },
  { id: 'msg_e', type: 'catalog.product-changed', correlationId: 'cor_cat', subject: 'SKU-BLUE', status: 'done', createdAt: T0 + 62_000, updatedAt: T0 + 125_000 },
];

describe.each(stores)('console message queries on $name', (factory) => {
  let store: Store;
  beforeAll(async () => {
    if (factory.skipReason !== null) return;
    store = await factory.open();
    await enqueueTestRows(store.db, messages, [
      { id: 'ord_1', number: '#1001', correlationId: 'cor_1001', status: 'on_hold', skus: ['SKU-RED', 'SKU-GREEN'] },
      { id: 'ord_2', number: '1002', correlationId: 'cor_1002', status: 'open', skus: ['SKU-GREEN'] },
    ]);
    await store.db.insertInto('message_attempts').values([
      { message_id: 'msg_b', attempt: 1, at: T0 + 2_000, outcome: 'retry_scheduled', error_code: 'upstream_unavailable', error_message: '503', worker: 'w1' },
      { message_id: 'msg_b', attempt: 2, at: T0 + 3_000, outcome: 'dead_lettered', error_code: 'invalid_sku', error_message: 'no', worker: 'w1' },
    ]).execute();
  });
  afterAll(async () => store?.close());

  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

  describe.skipIf(factory.skipReason !== null)('search', () => {
    it('lists newest first and pages by cursor, each message once', async () => {
      const first = await searchMessages(store.db, {}, { limit: 2 });
      expect(ids(first.rows)).toEqual(['msg_e', 'msg_d']);
      const second = await searchMessages(store.db, {}, { limit: 2, before: first.next! });
      expect(ids(second.rows)).toEqual(['msg_c', 'msg_b']);
      const third = await searchMessages(store.db, {}, { limit: 2, before: second.next! });
      expect(ids(third.rows)).toEqual(['msg_a']);
      expect(third.next).toBeNull();
    });

    it.each([
      ['a message id', 'msg_c', ['msg_c']],
      ['a correlation id', 'cor_1001', ['msg_b', 'msg_a']],
      ['a subject', 'SKU-BLUE', ['msg_e']],
      ['an ordering key', 'sku:SKU-RED', ['msg_c']],
      ['an order number with #', '#1001', ['msg_b', 'msg_a']],
      ['an order number without #', '1001', ['msg_b', 'msg_a']],
      ['an order id', 'ord_2', ['msg_d']],
      ['a SKU: its own messages and its orders', 'SKU-RED', ['msg_c', 'msg_b', 'msg_a']],
      ['a SKU on two orders', 'SKU-GREEN', ['msg_d', 'msg_b', 'msg_a']],
      ['nothing known', 'nope', []],
    ])('finds by %s', async (_what, q, expected) => {
      expect(ids((await searchMessages(store.db, { q }, { limit: 50 })).rows)).toEqual(expected);
    });

    it('combines q with status and type', async () => {
      expect(ids((await searchMessages(store.db, { q: '#1001', status: 'dead' }, { limit: 50 })).rows)).toEqual(['msg_b']);
      expect(ids((await searchMessages(store.db, { q: 'SKU-GREEN', type: 'order.placed' }, { limit: 50 })).rows)).toEqual(['msg_d', 'msg_a']);
    });

    it('filters by a type predicate without skipping rows across pages', async () => {
      const orderToCash = (type: string) => type.startsWith('order.') || type.startsWith('workflow.order-');
      const seen: string[] = [];
      let before: number | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await searchMessages(store.db, { typeFilter: orderToCash }, { limit: 1, before, scanLimit: 2 });
        seen.push(...ids(page.rows));
        if (page.next === null) break;
        before = page.next;
      }
      expect(seen).toEqual(['msg_d', 'msg_b', 'msg_a']);
    });

    it('resolves order numbers and SKUs to correlation ids', async () => {
      expect((await correlationIdsForQuery(store.db, 'SKU-GREEN')).sort()).toEqual(['cor_1001', 'cor_1002']);
      expect(await correlationIdsForQuery(store.db, '#1002')).toEqual(['cor_1002']);
    });

    it('finds caused messages and the order of a correlation id', async () => {
      expect(ids(await listCausedMessages(store.db, { id: 'msg_a', correlationId: 'cor_1001' }, 10))).toEqual(['msg_b']);
      expect(await findOrderByCorrelationId(store.db, 'cor_1001')).toEqual({ id: 'ord_1', number: '#1001', status: 'on_hold' });
      expect(await findOrderByCorrelationId(store.db, 'cor_stock')).toBeUndefined();
    });
  });

  describe.skipIf(factory.skipReason !== null)('overview statistics', () => {
    it('adds what several processes counted per minute, and buckets it per type, outcome and latency class', async () => {
      const minute = (i: number) => T0 - (T0 % 60_000) + i * 60_000;
      const from = minute(0);
      await addMessageStats(store.db, [
        { minute: minute(0), type: 'order.placed', outcome: 'done', latencyClass: latencyClassOf(40), n: 3 },
        { minute: minute(0), type: 'workflow.order-placement.route', outcome: 'retried', latencyClass: 0, n: 1 },
        { minute: minute(1), type: 'inventory.adjusted', outcome: 'done', latencyClass: latencyClassOf(500), n: 2 },
      ]);
      await addMessageStats(store.db, [
        { minute: minute(0), type: 'order.placed', outcome: 'done', latencyClass: latencyClassOf(40), n: 2 },
        { minute: minute(1), type: 'workflow.order-placement.route', outcome: 'dead', latencyClass: latencyClassOf(2_000), n: 1 },
        { minute: minute(1), type: 'workflow.order-placement.route', outcome: 'retried', latencyClass: 0, n: 4 },
        { minute: minute(5), type: 'order.placed', outcome: 'done', latencyClass: 0, n: 9 },
      ]);
      const { settled, retried } = await messageStatsHistogram(store.db, { from, to: minute(2), stepMs: 60_000 });
      const byKey = (a: { bucket: number; type: string }, b: { bucket: number; type: string }) => a.bucket - b.bucket || a.type.localeCompare(b.type);
      expect(settled.sort(byKey)).toEqual([
        { type: 'order.placed', status: 'done', bucket: 0, latencyClass: latencyClassOf(40), n: 5 },
        { type: 'inventory.adjusted', status: 'done', bucket: 1, latencyClass: latencyClassOf(500), n: 2 },
        { type: 'workflow.order-placement.route', status: 'dead', bucket: 1, latencyClass: latencyClassOf(2_000), n: 1 },
      ]);
      expect(retried.sort(byKey)).toEqual([
        { type: 'workflow.order-placement.route', bucket: 0, n: 1 },
        { type: 'workflow.order-placement.route', bucket: 1, n: 4 },
      ]);
      const wide = await messageStatsHistogram(store.db, { from, to: minute(10), stepMs: 300_000 });
      expect(wide.settled.filter((c) => c.type === 'order.placed').sort(byKey)).toEqual([
        { type: 'order.placed', status: 'done', bucket: 0, latencyClass: latencyClassOf(40), n: 5 },
        { type: 'order.placed', status: 'done', bucket: 1, latencyClass: 0, n: 9 },
      ]);
      expect(await countOrdersOnHold(store.db)).toBe(1);
    });

    it('rejects a range that is not integral', async () => {
      await expect(messageStatsHistogram(store.db, { from: T0, to: T0 + 1, stepMs: 0.5 })).rejects.toThrow(RangeError);
    });
  });

  describe.skipIf(factory.skipReason !== null)('payload edits', () => {
    it('edits a dead letter only, recording before/after in its history and the audit log', async () => {
      expect(await editDeadLetterPayload(store.db, { id: 'msg_a', data: '{}', actor: 'ops', now: T0 + 999 })).toEqual({ outcome: 'not_dead' });
      expect(await editDeadLetterPayload(store.db, { id: 'msg_zz', data: '{}', actor: 'ops', now: T0 + 999 })).toEqual({ outcome: 'not_found' });
      const edited = await editDeadLetterPayload(store.db, { id: 'msg_b', data: '{"n":20}', actor: 'ops', now: T0 + 5_000, note: 'fixed SKU', audit: { requestId: 'req_1' } });
      expect(edited.outcome).toBe('edited');
      expect(edited.outcome === 'edited' && edited.message.data).toBe('{"n":20}');
      expect(await listMessageEdits(store.db, 'msg_b')).toEqual([{ at: T0 + 5_000, actor: 'ops', note: 'fixed SKU', before: '{"n":2}', after: '{"n":20}' }]);
      const audit = await store.db.selectFrom('audit_log').selectAll().where('action', '=', 'dead_letter.edit_payload').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'ops', resource_type: 'message', resource_id: 'msg_b', request_id: 'req_1' });
      expect(JSON.parse(audit[0]!.before!)).toEqual({ payload: { n: 2 } });
      expect(JSON.parse(audit[0]!.after!)).toEqual({ payload: { n: 20 }, note: 'fixed SKU' });
    });
  });
});
