import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isMigrated, migrateToLatest } from './migrate.js';
import { openTestPostgres, testDatabaseUrl, testStores } from './testing.js';

const stores = await testStores();

describe.each(stores)('migrations on $name', (factory) => {
  it.skipIf(factory.skipReason !== null)('are applied once and report the store as migrated', async () => {
    const store = await factory.open();
    try {
      expect(await isMigrated(store)).toBe(true);
      expect(await migrateToLatest(store)).toEqual([]);
      const tables = ['orders', 'order_timeline', 'idempotency_keys', 'rejected_payloads', 'messages', 'message_attempts', 'message_replays', 'inbox'];
      for (const table of tables) {
        await expect(store.db.selectFrom(table as 'orders').selectAll().limit(1).execute()).resolves.toEqual([]);
      }
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(stores[1]?.skipReason !== null)('migrations in a shared PostgreSQL database', () => {
  it('keep their bookkeeping in the store’s own schema, whatever other schemas hold', async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    const other = `other_app_${process.pid}`;
    try {
      await client.query(`create schema if not exists ${other}`);
      await client.query(`create table if not exists ${other}.kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null)`);
      await client.query(`create table if not exists ${other}.kysely_migration_lock (id varchar(255) primary key, is_locked integer not null default 0)`);
      const store = await openTestPostgres();
      expect(await isMigrated(store)).toBe(true);
      await store.close();
    } finally {
      await client.query(`drop schema if exists ${other} cascade`);
      await client.end();
    }
  });
});
