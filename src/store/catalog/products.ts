import type { Selectable } from 'kysely';
import type { Db } from '../messages/types.js';
import type { Dialect } from '../dialect.js';
import type { ProductsTable, ProductSourcesTable } from '../schema.js';

/** A product master row (JSON columns as text). */
export type ProductRow = Selectable<ProductsTable>;

/** What one source last gave for a SKU. */
export type ProductSourceRow = Selectable<ProductSourcesTable>;

/** The product master of a SKU, if the hub has one. */
export async function getProductRow(db: Db, sku: string): Promise<ProductRow | undefined> {
  return db.selectFrom('products').selectAll().where('sku', '=', sku).executeTakeFirst();
}

/** Locks a SKU's master for the rest of the transaction (PostgreSQL; SQLite serialises writers). */
export async function lockProductRow(db: Db, sku: string, dialect: Dialect): Promise<ProductRow | undefined> {
  return db.selectFrom('products').selectAll().where('sku', '=', sku).$if(dialect === 'postgres', (qb) => qb.forUpdate()).executeTakeFirst();
}

/** Creates or replaces a SKU's master. */
export async function putProductRow(db: Db, row: ProductRow): Promise<void> {
  const { sku: _sku, created_at: _created, ...changes } = row;
  await db.insertInto('products').values(row).onConflict((oc) => oc.column('sku').doUpdateSet(changes)).execute();
}

/** A page of product masters in SKU order, after `afterSku`. */
export async function listProductRows(db: Db, options: { limit: number; afterSku?: string | undefined; status?: string | undefined }): Promise<ProductRow[]> {
  return db
    .selectFrom('products')
    .selectAll()
    .$if(options.afterSku !== undefined, (qb) => qb.where('sku', '>', options.afterSku!))
    .$if(options.status !== undefined, (qb) => qb.where('status', '=', options.status!))
    .orderBy('sku')
    .limit(options.limit)
    .execute();
}

/** Every source's last fields for a SKU, by source name. */
export async function listProductSources(db: Db, sku: string): Promise<ProductSourceRow[]> {
  return db.selectFrom('product_sources').selectAll().where('sku', '=', sku).orderBy('source').execute();
}

/** What every source last gave for each of these SKUs (for a page of masters). */
export async function listProductSourcesOf(db: Db, skus: readonly string[]): Promise<ProductSourceRow[]> {
  if (skus.length === 0) return [];
  return db.selectFrom('product_sources').selectAll().where('sku', 'in', [...skus]).orderBy('sku').orderBy('source').execute();
}

/** Records what a source now gives for a SKU (replacing what it gave before). */
export async function setProductSource(db: Db, row: ProductSourceRow): Promise<void> {
  await db
    .insertInto('product_sources')
    .values(row)
    .onConflict((oc) => oc.columns(['sku', 'source']).doUpdateSet({ fields: row.fields, updated_at: row.updated_at }))
    .execute();
}

/** Forgets what every source gave for a SKU (the master was deleted). */
export async function deleteProductSources(db: Db, sku: string): Promise<void> {
  await db.deleteFrom('product_sources').where('sku', '=', sku).execute();
}
