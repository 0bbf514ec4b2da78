import type { Kysely, Migration } from 'kysely';

/** Shared token buckets for rate limiting, so several hub processes on one PostgreSQL share a limit. */
export function rateLimitsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('rate_buckets')
        .addColumn('bucket', 'text', (c) => c.primaryKey())
        .addColumn('tokens', 'double precision', (c) => c.notNull())
        .addColumn('granted', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
