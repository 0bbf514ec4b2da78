import { sql, type Selectable } from 'kysely';
import type { InventoryLevelsTable, InventoryMarksTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** Stock of a SKU at a location as stored. */
export type InventoryLevelRow = Selectable<InventoryLevelsTable>;
/** A source's newest report for a SKU at a location. */
export type InventoryMarkRow = Selectable<InventoryMarksTable>;

/** The newest report one source gave for a SKU at a location. */
export async function getInventoryMark(db: Db, sku: string, locationId: string, source: string): Promise<InventoryMarkRow | undefined> {
  return db.selectFrom('inventory_marks').selectAll().where('sku', '=', sku).where('location_id', '=', locationId).where('source', '=', source).executeTakeFirst();
}

/** Records a source's newest report for a SKU at a location. */
export async function setInventoryMark(db: Db, mark: InventoryMarkRow): Promise<void> {
  await db
    .insertInto('inventory_marks')
    .values(mark)
    .onConflict((oc) => oc.columns(['sku', 'location_id', 'source']).doUpdateSet({ version: mark.version, occurred_at: mark.occurred_at }))
    .execute();
}

/** Stock of one SKU at one location. */
export async function getInventoryLevel(db: Db, sku: string, locationId: string): Promise<InventoryLevelRow | undefined> {
  return db.selectFrom('inventory_levels').selectAll().where('sku', '=', sku).where('location_id', '=', locationId).executeTakeFirst();
}

/** Sets the stock of a SKU at a location. */
export async function setInventoryLevel(db: Db, level: InventoryLevelRow): Promise<void> {
  const { sku: _sku, location_id: _location, ...changes } = level;
  await db.insertInto('inventory_levels').values(level).onConflict((oc) => oc.columns(['sku', 'location_id']).doUpdateSet(changes)).execute();
}

/**
 * Locks a SKU's level rows until the transaction ends, so reservations of its last units are taken
 * one at a time (PostgreSQL; SQLite runs one writing transaction at a time anyway).
 */
export async function lockInventory(db: Db, dialect: 'sqlite' | 'postgres', sku: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${`inventory:${sku}`}))`.execute(db);
}

/** SKUs with stock on record, in order, a page at a time (for backfills). */
export async function listTrackedSkus(db: Db, after: string | null, limit: number): Promise<string[]> {
  let query = db.selectFrom('inventory_levels').select('sku').distinct().orderBy('sku').limit(limit);
  if (after !== null) query = query.where('sku', '>', after);
  return (await query.execute()).map((r) => r.sku);
}

/** Stock of several SKUs at every location that reported them. */
export async function listInventoryLevelsOf(db: Db, skus: readonly string[]): Promise<InventoryLevelRow[]> {
  if (skus.length === 0) return [];
  return db.selectFrom('inventory_levels').selectAll().where('sku', 'in', skus).orderBy('sku').orderBy('location_id').execute();
}

/** Units reserved for open orders (but `exceptOrder`) of several SKUs, per SKU and location. */
export async function reservedOf(db: Db, skus: readonly string[], exceptOrder?: string): Promise<{ sku: string; location_id: string; reserved: number }[]> {
  if (skus.length === 0) return [];
  let query = db
    .selectFrom('stock_reservations')
    .select(['sku', 'location_id', (eb) => eb.fn.sum<number | string>('quantity').as('reserved')])
    .where('sku', 'in', skus);
  if (exceptOrder !== undefined) query = query.where('order_id', '!=', exceptOrder);
  const rows = await query.groupBy(['sku', 'location_id']).execute();
  return rows.map((r) => ({ sku: r.sku, location_id: r.location_id, reserved: Number(r.reserved) }));
}
