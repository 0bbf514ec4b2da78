import type { Kysely, Migration } from 'kysely';

/** Connector bookkeeping (poll cursors, latest channel versions) and the canonical events connectors received. */
export function connectorsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('connector_state')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('connector_state_pk', ['connection_id', 'key'])
        .execute();

      await db.schema.createTable('channel_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text')
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('inbox_id', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('channel_events_subject').on('channel_events').columns(['connection_id', 'kind', 'subject']).execute();
      await db.schema.createIndex('channel_events_received').on('channel_events').columns(['connection_id', 'received_at']).execute();
      await db.schema.createIndex('channel_events_order').on('channel_events').columns(['order_id']).execute();
    },
  };
}
