import type { Selectable } from 'kysely';
import type { InventoryChannelLevelsTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** What the hub computed and published as available for a SKU in a channel. */
export type InventoryChannelLevelRow = Selectable<InventoryChannelLevelsTable>;

/** Records what was computed and, when pushed, published for a SKU in a channel. */
export async function setChannelLevel(db: Db, row: InventoryChannelLevelRow): Promise<void> {
  const { connection_id: _connection, sku: _sku, ...changes } = row;
  await db.insertInto('inventory_channel_levels').values(row).onConflict((oc) => oc.columns(['connection_id', 'sku']).doUpdateSet(changes)).execute();
}

/** The publication state of several SKUs in every channel. */
export async function listChannelLevelsOf(db: Db, skus: readonly string[]): Promise<InventoryChannelLevelRow[]> {
  if (skus.length === 0) return [];
  return db.selectFrom('inventory_channel_levels').selectAll().where('sku', 'in', skus).execute();
}
