import { Migrator, type Migration, type MigrationResult } from 'kysely';
import type { Store } from './database.js';
import type { Dialect } from './dialect.js';
import { coreMigration } from './migrations/0001-core.js';

function migrations(dialect: Dialect): Record<string, Migration> {
  return { '0001-core': coreMigration(dialect) };
}

/** Brings the store's schema up to date; safe to run from several processes at once on PostgreSQL. */
export async function migrateToLatest(store: Store): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store.dialect) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results ?? [];
}

/** True when every known migration has been applied. */
export async function isMigrated(store: Store): Promise<boolean> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store.dialect) },
  });
  const list = await migrator.getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
