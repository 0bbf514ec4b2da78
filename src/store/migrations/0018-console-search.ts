import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * What the operations console reads fast: messages by subject, orders by number, correlation id and
 * SKU; `message_edits`, the audited payload edits of dead letters; and `message_stats`, messages
 * settled per minute, type, outcome and latency class (counted by each hub process and added in
 * batches, so the overview never scans the messages table and the hot path gains no index).
 */
export function consoleSearchMigration(dialect: Dialect): Migration {
  const seq = dialect === 'postgres' ? ('bigserial' as const) : ('integer' as const);
  const seqColumn = dialect === 'postgres'
    ? (c: import('kysely').ColumnDefinitionBuilder) => c.primaryKey()
    : (c: import('kysely').ColumnDefinitionBuilder) => c.primaryKey().autoIncrement();
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('messages_subject').on('messages').columns(['subject', 'seq']).execute();
      await db.schema.createIndex('orders_number').on('orders').column('number').execute();
      await db.schema.createIndex('orders_correlation').on('orders').column('correlation_id').execute();
      await db.schema.createIndex('order_line_quantities_sku').on('order_line_quantities').columns(['sku', 'order_id']).execute();

      await db.schema.createTable('message_edits')
        .addColumn('seq', seq, seqColumn)
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('before', 'text', (c) => c.notNull())
        .addColumn('after', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('message_edits_message').on('message_edits').columns(['message_id', 'seq']).execute();

      await db.schema.createTable('message_stats')
        .addColumn('minute', 'bigint', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('latency_class', 'integer', (c) => c.notNull())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('message_stats_pk', ['minute', 'type', 'outcome', 'latency_class'])
        .execute();
    },
  };
}
