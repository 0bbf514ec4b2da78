import type { Kysely, Migration } from 'kysely';

/** Reconciliation runs and the drift they found, with how each drift was resolved. */
export function reconciliationMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('reconciliation_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text')
        .addColumn('window_from', 'bigint', (c) => c.notNull())
        .addColumn('window_to', 'bigint', (c) => c.notNull())
        .addColumn('checks', 'text')
        .addColumn('drift_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema.createIndex('reconciliation_runs_created').on('reconciliation_runs').columns(['created_at', 'id']).execute();
      await db.schema.createTable('reconciliation_drift')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('systems', 'text', (c) => c.notNull())
        .addColumn('expected', 'text')
        .addColumn('actual', 'text')
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('correction', 'text')
        .addColumn('detail', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('resolution', 'text')
        .addColumn('resolved_by', 'text')
        .addColumn('resolved_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('reconciliation_drift_run').on('reconciliation_drift').columns(['run_id', 'id']).execute();
      await db.schema.createIndex('reconciliation_drift_status').on('reconciliation_drift').columns(['status', 'scope']).execute();
    },
  };
}
