import type { Selectable } from 'kysely';
import type { Db } from '../messages/types.js';
import type { ProductPublicationsTable } from '../schema.js';

/** A SKU's publication in one channel. */
export type ProductPublicationRow = Selectable<ProductPublicationsTable>;

/** A SKU's publications in every channel it was queued for, by connection id. */
export async function listPublications(db: Db, sku: string): Promise<ProductPublicationRow[]> {
  return db.selectFrom('product_publications').selectAll().where('sku', '=', sku).orderBy('connection_id').execute();
}

/** The publications of each of these SKUs (for a page of masters). */
export async function listPublicationsOf(db: Db, skus: readonly string[]): Promise<ProductPublicationRow[]> {
  if (skus.length === 0) return [];
  return db.selectFrom('product_publications').selectAll().where('sku', 'in', [...skus]).orderBy('sku').orderBy('connection_id').execute();
}

/** A SKU's publication in one channel, if any. */
export async function getPublication(db: Db, connectionId: string, sku: string): Promise<ProductPublicationRow | undefined> {
  return db.selectFrom('product_publications').selectAll().where('connection_id', '=', connectionId).where('sku', '=', sku).executeTakeFirst();
}

/** Creates or replaces a SKU's publication in a channel. */
export async function setPublication(db: Db, row: ProductPublicationRow): Promise<void> {
  const { connection_id: _connection, sku: _sku, ...changes } = row;
  await db.insertInto('product_publications').values(row).onConflict((oc) => oc.columns(['connection_id', 'sku']).doUpdateSet(changes)).execute();
}

/** Marks a SKU's publication in a channel as waiting for a change to go out (created when new), keeping what the channel shows. */
export async function markPublicationPending(db: Db, connectionId: string, sku: string, now: number): Promise<void> {
  await db
    .insertInto('product_publications')
    .values({ connection_id: connectionId, sku, status: 'pending', external_id: null, external_ids: null, inventory_item_id: null, published_hash: null, published_version: null, published_at: null, error: null, updated_at: now })
    .onConflict((oc) => oc.columns(['connection_id', 'sku']).doUpdateSet({ status: 'pending', updated_at: now }))
    .execute();
}

/** Records a failed attempt to bring a channel up to date: the error, and `failed` when no retry follows. */
export async function notePublicationError(db: Db, connectionId: string, sku: string, error: string, final: boolean, now: number): Promise<void> {
  await db
    .updateTable('product_publications')
    .set({ error, updated_at: now, ...(final ? { status: 'failed' } : {}) })
    .where('connection_id', '=', connectionId)
    .where('sku', '=', sku)
    .execute();
}

/** The channel's inventory item of a SKU the hub published there (for availability pushes), if known. */
export async function publishedInventoryItem(db: Db, connectionId: string, sku: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('product_publications')
    .select('inventory_item_id')
    .where('connection_id', '=', connectionId)
    .where('sku', '=', sku)
    .executeTakeFirst();
  return row?.inventory_item_id ?? undefined;
}

/** The SKU the hub published as this inventory item of a channel (stock webhooks name items, not SKUs), if any. */
export async function skuOfPublishedItem(db: Db, connectionId: string, inventoryItemId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('product_publications')
    .select('sku')
    .where('connection_id', '=', connectionId)
    .where('inventory_item_id', '=', inventoryItemId)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  return row?.sku;
}
