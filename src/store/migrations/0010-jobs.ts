import { sql, type Kysely, type Migration } from 'kysely';

/** Bulk sync jobs (catalog and inventory backfills) with their progress; one active job per kind. */
export function jobsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('sync_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('connections', 'text')
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('done', 'integer', (c) => c.notNull())
        .addColumn('failed', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('requested_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema.createIndex('sync_jobs_created').on('sync_jobs').columns(['created_at', 'id']).execute();
      // At most one queued or running job per kind, even when two requests race.
      await db.schema.createIndex('sync_jobs_active').on('sync_jobs').column('kind').unique().where(sql<boolean>`status in ('queued', 'running')`).execute();
    },
  };
}
