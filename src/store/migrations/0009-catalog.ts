import type { Kysely, Migration } from 'kysely';

/** The product master (merged per SKU), what each source last gave for it, and its publication per channel. */
export function catalogMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('products')
        .addColumn('sku', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('images', 'text', (c) => c.notNull())
        .addColumn('prices', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('approved_at', 'bigint')
        .addColumn('approved_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema.createTable('product_sources')
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('product_sources_pk', ['sku', 'source'])
        .execute();

      await db.schema.createTable('product_publications')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text')
        .addColumn('external_ids', 'text')
        .addColumn('inventory_item_id', 'text')
        .addColumn('published_hash', 'text')
        .addColumn('published_version', 'integer')
        .addColumn('published_at', 'bigint')
        .addColumn('error', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('product_publications_pk', ['connection_id', 'sku'])
        .execute();
      await db.schema.createIndex('product_publications_sku').on('product_publications').columns(['sku']).execute();
      await db.schema.createIndex('product_publications_item').on('product_publications').columns(['connection_id', 'inventory_item_id']).execute();
    },
  };
}
