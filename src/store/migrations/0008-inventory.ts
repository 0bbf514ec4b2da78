import type { Kysely, Migration } from 'kysely';

/** Stock per SKU and location, the last version each source reported, locations, channel publication and pending pushes. */
export function inventoryMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('inventory_levels')
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('location_id', 'text', (c) => c.notNull())
        .addColumn('on_hand', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('source_version', 'text')
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('inventory_levels_pk', ['sku', 'location_id'])
        .execute();

      await db.schema.createTable('inventory_marks')
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('location_id', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('version', 'text')
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('inventory_marks_pk', ['sku', 'location_id', 'source'])
        .execute();

      await db.schema.createTable('locations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('connection_id', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema.createTable('inventory_channel_levels')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('computed', 'integer')
        .addColumn('published_available', 'integer')
        .addColumn('published_at', 'bigint')
        .addColumn('error', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('inventory_channel_levels_pk', ['connection_id', 'sku'])
        .execute();

      await db.schema.createTable('inventory_pending')
        .addColumn('sku', 'text', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('since', 'bigint', (c) => c.notNull())
        .addColumn('claimed_until', 'bigint')
        .execute();
      await db.schema.createIndex('inventory_pending_since').on('inventory_pending').columns(['since']).execute();
    },
  };
}
