import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/** API keys (stored hashed) and the audit log of admin actions. */
export function apiKeysAuditMigration(dialect: Dialect): Migration {
  const seq = dialect === 'postgres' ? ('bigserial' as const) : ('integer' as const);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('rate_limit', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();

      await db.schema.createTable('audit_log')
        .addColumn('seq', seq, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text')
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('request_id', 'text')
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'seq']).execute();
      await db.schema.createIndex('audit_log_resource').on('audit_log').columns(['resource_type', 'resource_id']).execute();
    },
  };
}
