import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore, quoteIdentifier, type Store } from './database.js';
import type { Dialect } from './dialect.js';
import { migrateToLatest } from './migrate.js';

/** Opens a fresh, migrated, isolated store of one engine for a test. */
export interface TestStoreFactory {
  name: Dialect;
  /** Why this engine is skipped here, or null when it is available. */
  skipReason: string | null;
  open(): Promise<Store>;
}

/** The PostgreSQL URL tests use: TILLBRIDGE_TEST_DATABASE_URL or the local server's `test` database. */
export const testDatabaseUrl = process.env.TILLBRIDGE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let counter = 0;
function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: testDatabaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL at ${testDatabaseUrl} is not reachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Both engines for store tests. A missing PostgreSQL skips its tests with a loud warning on a
 * laptop, and fails them in CI (CI=true), where it must be there.
 */
export async function testStores(): Promise<TestStoreFactory[]> {
  const pgProblem = await postgresReachable();
  if (pgProblem && process.env.CI !== 'true') {
    console.warn(`\n!!! SKIPPING PostgreSQL tests: ${pgProblem}\n`);
  }
  return [
    { name: 'sqlite', skipReason: null, open: () => openTestSqlite() },
    {
      name: 'postgres',
      skipReason: pgProblem && process.env.CI !== 'true' ? pgProblem : null,
      open: () => openTestPostgres(),
    },
  ];
}

/** A migrated SQLite store in a new temporary folder. */
export async function openTestSqlite(): Promise<Store> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillbridge-test-'));
  const store = await openStore({ dataDir });
  await migrateToLatest(store);
  return {
    ...store,
    close: async () => {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A migrated PostgreSQL store in a new schema of its own. */
export async function openTestPostgres(): Promise<Store> {
  const schema = uniqueName('t');
  const store = await openStore({ databaseUrl: testDatabaseUrl, pgSchema: schema, poolSize: 5 });
  const close = async () => {
    await store.close();
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    await client.query(`drop schema if exists ${quoteIdentifier(schema)} cascade`).finally(() => client.end());
  };
  try {
    await migrateToLatest(store);
  } catch (error) {
    await close();
    throw error;
  }
  return { ...store, close };
}

/** Creates a throwaway PostgreSQL database (for tests and benchmarks that run hub processes). */
export async function createScratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  quoteIdentifier(name);
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`).finally(() => admin.end());
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`).finally(() => client.end());
    },
  };
}

/** Whether PostgreSQL is reachable for tests and benchmarks; null when it is, else why not. */
export const postgresProblem = postgresReachable;
