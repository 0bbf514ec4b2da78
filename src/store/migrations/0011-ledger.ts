import type { Kysely, Migration } from 'kysely';

/** Journal entries the hub computed, with the events behind them and the ERP documents they were posted as. */
export function ledgerMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('journal_entries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('lines', 'text', (c) => c.notNull())
        .addColumn('source_events', 'text', (c) => c.notNull())
        .addColumn('correlation_id', 'text', (c) => c.notNull())
        .addColumn('causation_id', 'text')
        .addColumn('order_id', 'text')
        .addColumn('memo', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('erp_connection', 'text')
        .addColumn('erp_documents', 'text')
        .addColumn('error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('posted_at', 'bigint')
        .execute();
      await db.schema.createIndex('journal_entries_order').on('journal_entries').columns(['order_id']).execute();
      await db.schema.createIndex('journal_entries_correlation').on('journal_entries').columns(['correlation_id']).execute();
      await db.schema.createIndex('journal_entries_date').on('journal_entries').columns(['date', 'id']).execute();
    },
  };
}
