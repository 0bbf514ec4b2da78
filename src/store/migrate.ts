import { Migrator, sql, type Migration, type MigrationResult } from 'kysely';
import type { Store } from './database.js';
import type { Dialect } from './dialect.js';
import { coreMigration } from './migrations/0001-core.js';
import { apiKeysAuditMigration } from './migrations/0002-api-keys-audit.js';
import { oauthMigration } from './migrations/0003-oauth.js';
import { rateLimitsMigration } from './migrations/0004-rate-limits.js';
import { subscriptionsMigration } from './migrations/0005-subscriptions.js';
import { connectorsMigration } from './migrations/0006-connectors.js';
import { workflowsMigration } from './migrations/0007-workflows.js';
import { inventoryMigration } from './migrations/0008-inventory.js';
import { catalogMigration } from './migrations/0009-catalog.js';
import { jobsMigration } from './migrations/0010-jobs.js';
import { ledgerMigration } from './migrations/0011-ledger.js';
import { reconciliationMigration } from './migrations/0012-reconciliation.js';
import { settlementMigration } from './migrations/0013-settlement.js';
import { journalPostingMigration } from './migrations/0014-journal-posting.js';
import { alertsMigration } from './migrations/0015-alerts.js';
import { consoleSessionsMigration } from './migrations/0016-console-sessions.js';
import { consoleSearchMigration } from './migrations/0018-console-search.js';

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-core': coreMigration(dialect),
    '0002-api-keys-audit': apiKeysAuditMigration(dialect),
    '0003-oauth': oauthMigration(),
    '0004-rate-limits': rateLimitsMigration(),
    '0005-subscriptions': subscriptionsMigration(dialect),
    '0006-connectors': connectorsMigration(),
    '0007-workflows': workflowsMigration(),
    '0008-inventory': inventoryMigration(),
    '0009-catalog': catalogMigration(),
    '0010-jobs': jobsMigration(),
    '0011-ledger': ledgerMigration(),
    '0012-reconciliation': reconciliationMigration(),
    '0013-settlement': settlementMigration(),
    '0014-journal-posting': journalPostingMigration(),
    '0015-alerts': alertsMigration(),
    '0016-console-sessions': consoleSessionsMigration(),
    '0018-console-search': consoleSearchMigration(dialect),
  };
}

/**
 * A migrator whose bookkeeping tables live in the store's own PostgreSQL schema (Kysely would
 * otherwise find another schema's tables in a shared database and skip creating its own).
 */
async function migratorFor(store: Store): Promise<Migrator> {
  const migrationTableSchema =
    store.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]?.schema
      : undefined;
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store.dialect) },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
}

/** Brings the store's schema up to date; safe to run from several processes at once on PostgreSQL. */
export async function migrateToLatest(store: Store): Promise<MigrationResult[]> {
  const migrator = await migratorFor(store);
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results ?? [];
}

/** True when every known migration has been applied. */
export async function isMigrated(store: Store): Promise<boolean> {
  const migrator = await migratorFor(store);
  const list = await migrator.getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
