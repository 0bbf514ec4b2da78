import type { Db } from '../messages/types.js';

/**
 * Notes that a SKU's availability changed. Returns true when it was not pending yet (the caller
 * then schedules one push); further changes only bump the version, so a burst coalesces.
 */
export async function markInventoryPending(db: Db, sku: string, now: number): Promise<boolean> {
  const row = await db
    .insertInto('inventory_pending')
    .values({ sku, version: 1, since: now })
    .onConflict((oc) => oc.column('sku').doUpdateSet((eb) => ({ version: eb('inventory_pending.version', '+', 1) })))
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version === 1;
}

/** The pending change of a SKU, if any. */
export async function getInventoryPending(db: Db, sku: string): Promise<{ version: number; since: number } | undefined> {
  return db.selectFrom('inventory_pending').select(['version', 'since']).where('sku', '=', sku).executeTakeFirst();
}

/** Clears a SKU's pending change when nothing changed since `version` was read; false when it did. */
export async function clearInventoryPending(db: Db, sku: string, version: number): Promise<boolean> {
  const result = await db.deleteFrom('inventory_pending').where('sku', '=', sku).where('version', '=', version).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** How many SKUs wait to be pushed, and since when the oldest. */
export async function inventoryPendingSummary(db: Db): Promise<{ skus: number; oldest: number | null }> {
  const row = await db.selectFrom('inventory_pending').select([(eb) => eb.fn.countAll<number | string>().as('n'), (eb) => eb.fn.min<number | null>('since').as('oldest')]).executeTakeFirst();
  return { skus: Number(row?.n ?? 0), oldest: row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest) };
}
