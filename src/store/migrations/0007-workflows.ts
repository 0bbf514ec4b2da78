import type { Kysely, Migration } from 'kysely';

/** Durable workflow runs and their steps, per-line order progress and stock reservations. */
export function workflowsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('workflow_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workflow', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('order_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('step', 'text')
        .addColumn('input', 'text', (c) => c.notNull())
        .addColumn('outputs', 'text', (c) => c.notNull())
        .addColumn('correlation_id', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('step_started_at', 'bigint', (c) => c.notNull())
        .addColumn('step_deadline', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('workflow_runs_order').on('workflow_runs').columns(['order_id']).execute();
      await db.schema.createIndex('workflow_runs_deadline').on('workflow_runs').columns(['status', 'step_deadline']).execute();

      await db.schema.createTable('workflow_steps')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('system', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('output', 'text')
        .addColumn('error', 'text')
        .addColumn('message_id', 'text')
        .addPrimaryKeyConstraint('workflow_steps_pk', ['run_id', 'phase', 'step'])
        .execute();

      await db.schema.createTable('stock_reservations')
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('line_id', 'text', (c) => c.notNull())
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('location_id', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('stock_reservations_pk', ['order_id', 'line_id', 'location_id'])
        .execute();
      await db.schema.createTable('order_line_quantities')
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('line_id', 'text', (c) => c.notNull())
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('ordered', 'integer', (c) => c.notNull())
        .addColumn('shipped', 'integer', (c) => c.notNull())
        .addColumn('cancelled', 'integer', (c) => c.notNull())
        .addColumn('returned', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('order_line_quantities_pk', ['order_id', 'line_id'])
        .execute();

      await db.schema.createIndex('stock_reservations_sku').on('stock_reservations').columns(['sku', 'location_id']).execute();
    },
  };
}
