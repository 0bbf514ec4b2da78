import { describe, expect, it } from 'vitest';
import { purgeExpired } from './housekeeping.js';
import { testStores } from './testing.js';

const stores = await testStores();

function message(id: string, status: string, updatedAt: number) {
  return {
    id,
    type: 't',
    source: 's',
    subject: null,
    time: updatedAt,
    schema_version: 1,
    data: '{}',
    correlation_id: 'c',
    causation_id: null,
    traceparent: null,
    lane: 'critical',
    ordering_key: null,
    status,
    attempts: 1,
    available_at: updatedAt,
    lease_owner: null,
    lease_expires_at: null,
    last_error: null,
    dead_reason: null,
    created_at: updatedAt,
    updated_at: updatedAt,
  };
}

describe.each(stores)('housekeeping on $name', (factory) => {
  it.skipIf(factory.skipReason !== null)('purges old completed messages and idempotency keys, never pending or dead ones', async () => {
    const store = await factory.open();
    try {
      await store.db.insertInto('messages').values([
        message('old-done', 'done', 1000),
        message('new-done', 'done', 5000),
        message('old-dead', 'dead', 1000),
        message('old-pending', 'pending', 1000),
      ]).execute();
      await store.db.insertInto('message_attempts').values({ message_id: 'old-done', attempt: 1, at: 1000, outcome: 'retry_scheduled', error_code: 'x', error_message: 'x', worker: 'w' }).execute();
      await store.db.insertInto('message_edits').values({ message_id: 'old-done', at: 1000, actor: 'ops', note: 'fixed', before: '{}', after: '{}' }).execute();
      await store.db.insertInto('idempotency_keys').values([
        { principal: 'p', key: 'old', request_hash: 'h', status_code: 201, response: '{}', created_at: 1000 },
        { principal: 'p', key: 'new', request_hash: 'h', status_code: 201, response: '{}', created_at: 5000 },
      ]).execute();

      expect(await purgeExpired(store.db, 2000)).toEqual({ messages: 1, idempotencyKeys: 1 });
      const left = await store.db.selectFrom('messages').select('id').orderBy('id').execute();
      expect(left.map((m) => m.id)).toEqual(['new-done', 'old-dead', 'old-pending']);
      expect(await store.db.selectFrom('message_attempts').selectAll().execute()).toEqual([]);
      expect(await store.db.selectFrom('message_edits').selectAll().execute()).toEqual([]);
      expect((await store.db.selectFrom('idempotency_keys').select('key').execute()).map((k) => k.key)).toEqual(['new']);
    } finally {
      await store.close();
    }
  });
});
