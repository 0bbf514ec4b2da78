import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/** Orders, timeline, idempotency, rejected payloads, the message store and the inbox. */
export function coreMigration(dialect: Dialect): Migration {
  const seq = dialect === 'postgres' ? ('bigserial' as const) : ('integer' as const);
  const seqColumn = dialect === 'postgres'
    ? (c: import('kysely').ColumnDefinitionBuilder) => c.primaryKey()
    : (c: import('kysely').ColumnDefinitionBuilder) => c.primaryKey().autoIncrement();
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('number', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('hold_reason', 'text')
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('total', 'bigint', (c) => c.notNull())
        .addColumn('placed_at', 'text', (c) => c.notNull())
        .addColumn('body_hash', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('correlation_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('orders_source_external_id', ['source', 'external_id'])
        .execute();
      await db.schema.createIndex('orders_status_id').on('orders').columns(['status', 'id']).execute();
      await db.schema.createIndex('orders_source_id').on('orders').columns(['source', 'id']).execute();

      await db.schema.createTable('order_timeline')
        .addColumn('seq', seq, seqColumn)
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('system', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('correlation_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .execute();
      await db.schema.createIndex('order_timeline_order').on('order_timeline').columns(['order_id', 'seq']).execute();

      await db.schema.createTable('idempotency_keys')
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer', (c) => c.notNull())
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['principal', 'key'])
        .execute();

      await db.schema.createTable('rejected_payloads')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('messages')
        .addColumn('seq', seq, seqColumn)
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('schema_version', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('correlation_id', 'text', (c) => c.notNull())
        .addColumn('causation_id', 'text')
        .addColumn('traceparent', 'text')
        .addColumn('lane', 'text', (c) => c.notNull())
        .addColumn('ordering_key', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('available_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('dead_reason', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('messages_ready').on('messages')
        .columns(['lane', 'seq']).where(sql.ref('status'), '=', 'pending').execute();
      await db.schema.createIndex('messages_ordering').on('messages')
        .columns(['ordering_key', 'seq']).where(sql.ref('ordering_key'), 'is not', null).execute();
      await db.schema.createIndex('messages_status_seq').on('messages').columns(['status', 'seq']).execute();
      await db.schema.createIndex('messages_correlation').on('messages').column('correlation_id').execute();

      await db.schema.createTable('message_attempts')
        .addColumn('seq', seq, seqColumn)
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('worker', 'text')
        .execute();
      await db.schema.createIndex('message_attempts_message').on('message_attempts').columns(['message_id', 'seq']).execute();

      await db.schema.createTable('message_replays')
        .addColumn('seq', seq, seqColumn)
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('message_replays_message').on('message_replays').columns(['message_id', 'seq']).execute();

      await db.schema.createTable('inbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('headers', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .addUniqueConstraint('inbox_source_dedup', ['source', 'dedup_key'])
        .execute();
    },
  };
}
