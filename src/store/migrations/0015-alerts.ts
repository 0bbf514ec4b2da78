import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Alerts (one open row per dedup key, kept unique by a partial index so concurrent evaluators raise
 * it once) and the indexes the business SLA queries range-scan over their window.
 */
export function alertsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('observer', 'text')
        .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('resolved_at', 'bigint')
        .execute();
      await db.schema.createIndex('alerts_open_key').on('alerts').column('key').unique().where(sql<boolean>`status = 'open'`).execute();
      await db.schema.createIndex('alerts_status_seen').on('alerts').columns(['status', 'first_seen_at']).execute();
      await db.schema.createIndex('alerts_seen').on('alerts').columns(['first_seen_at']).execute();

      await db.schema.createIndex('workflow_runs_workflow_started').on('workflow_runs').columns(['workflow', 'started_at']).execute();
      await db.schema.createIndex('products_updated').on('products').columns(['updated_at']).execute();
      await db.schema.createIndex('payouts_status_updated').on('payouts').columns(['status', 'updated_at']).execute();
    },
  };
}
