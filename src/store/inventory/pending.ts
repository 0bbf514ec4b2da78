import type { Db } from '../messages/types.js';

/**
 * Notes that a SKU's availability changed: a new pending row, or a bumped version on the one that
 * waits (so a burst coalesces into one push, and a push in flight knows it missed a change).
 */
export async function markInventoryPending(db: Db, sku: string, now: number): Promise<void> {
  await db
    .insertInto('inventory_pending')
    .values({ sku, version: 1, since: now, claimed_until: null })
    .onConflict((oc) => oc.column('sku').doUpdateSet((eb) => ({ version: eb('inventory_pending.version', '+', 1) })))
    .execute();
}

/** A pending SKU a pusher claimed. */
export interface ClaimedSku {
  sku: string;
  version: number;
}

/**
 * Claims up to `limit` pending SKUs whose first change is at or before `dueBy` and that nobody
 * holds, oldest first, until `until` (several hub processes never push the same SKU at once).
 */
export async function claimDuePending(db: Db, dialect: 'sqlite' | 'postgres', options: { now: number; dueBy: number; until: number; limit: number }): Promise<ClaimedSku[]> {
  const free = db
    .selectFrom('inventory_pending')
    .select('sku')
    .where('since', '<=', options.dueBy)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', options.now)]))
    .orderBy('since')
    .limit(options.limit)
    .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());
  return db.updateTable('inventory_pending').set({ claimed_until: options.until }).where('sku', 'in', free).returning(['sku', 'version']).execute();
}

/**
 * Settles a claimed SKU: cleared when nothing changed since `version` was claimed; otherwise it
 * waits again from now (or is held until `retryAt` after a failure).
 */
export async function settleInventoryPending(db: Db, claim: ClaimedSku, now: number, retryAt: number | null): Promise<void> {
  if (retryAt === null) {
    const cleared = await db.deleteFrom('inventory_pending').where('sku', '=', claim.sku).where('version', '=', claim.version).executeTakeFirst();
    if (Number(cleared.numDeletedRows) > 0) return;
  }
  await db.updateTable('inventory_pending').set({ since: now, claimed_until: retryAt }).where('sku', '=', claim.sku).execute();
}

/** Which of these SKUs have a push pending (changed, not yet sent to the channels). */
export async function pendingSkusOf(db: Db, skus: readonly string[]): Promise<Set<string>> {
  if (skus.length === 0) return new Set();
  const rows = await db.selectFrom('inventory_pending').select('sku').where('sku', 'in', [...skus]).execute();
  return new Set(rows.map((r) => r.sku));
}
