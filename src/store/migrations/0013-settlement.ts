import type { Kysely, Migration } from 'kysely';

/** Payouts from payment providers, their settlement lines, and how each line matched the hub's orders. */
export function settlementMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('payouts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('arrival_date', 'text')
        .addColumn('lines_state', 'text', (c) => c.notNull())
        .addColumn('violations', 'text')
        .addColumn('correlation_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('payouts_connection_reference', ['connection_id', 'reference'])
        .execute();
      await db.schema.createIndex('payouts_created').on('payouts').columns(['created_at', 'id']).execute();
      await db.schema.createTable('settlement_lines')
        .addColumn('payout_id', 'text', (c) => c.notNull())
        .addColumn('line_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('order_reference', 'text')
        .addColumn('related', 'text', (c) => c.notNull())
        .addColumn('gross', 'bigint', (c) => c.notNull())
        .addColumn('fee', 'bigint', (c) => c.notNull())
        .addColumn('net', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('settlement_lines_pk', ['payout_id', 'line_id'])
        .execute();
      await db.schema.createTable('settlement_matches')
        .addColumn('payout_id', 'text', (c) => c.notNull())
        .addColumn('line_id', 'text', (c) => c.notNull())
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('order_id', 'text')
        .addColumn('target_kind', 'text')
        .addColumn('target_reference', 'text')
        .addColumn('expected', 'bigint')
        .addColumn('actual', 'bigint')
        .addColumn('tolerance', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('settlement_matches_pk', ['payout_id', 'line_id'])
        .execute();
      await db.schema.createIndex('settlement_matches_status').on('settlement_matches').columns(['status', 'connection_id']).execute();
      await db.schema.createIndex('settlement_matches_order').on('settlement_matches').columns(['order_id']).execute();
    },
  };
}
