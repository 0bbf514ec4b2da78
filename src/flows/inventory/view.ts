import { listChannelLevelsOf, type Db } from '../../store/index.js';
import { availableAt, channelAvailability } from './availability.js';
import type { InventoryConfig } from './config.js';
import { stockOf } from './stock.js';

/** A SKU's stock and availability as GET /v1/inventory/{sku} shows it. */
export interface InventoryView {
  sku: string;
  locations: { locationId: string; onHand: number; reserved: number; safetyStock: number; available: number }[];
  channels: { connectionId: string; available: number; publishedAvailable: number | null; publishedAt: string | null; error: string | null }[];
  explain: { formula: string; channels: Record<string, string> };
}

/** A SKU's stock per location, what each channel may sell now, what it was last shown, and why. */
export async function inventoryView(db: Db, config: InventoryConfig, sku: string): Promise<InventoryView | undefined> {
  const stock = await stockOf(db, config, sku);
  const published = new Map((await listChannelLevelsOf(db, [sku])).map((row) => [row.connection_id, row]));
  if (stock.length === 0 && published.size === 0) return undefined;
  const channels = config.channels.map((rule) => {
    const computed = channelAvailability(rule, stock);
    const row = published.get(rule.connection);
    return {
      view: {
        connectionId: rule.connection,
        available: computed.available,
        publishedAvailable: row?.published_available ?? null,
        publishedAt: row?.published_at ? new Date(row.published_at).toISOString() : null,
        error: row?.error ?? null,
      },
      explain: computed.explain,
    };
  });
  return {
    sku,
    locations: stock.map((s) => ({ ...s, available: availableAt(s) })),
    channels: channels.map((c) => c.view),
    explain: {
      formula: 'available = on hand − reserved − safety stock per location; a channel gets its allocation % of each location it sells from, rounded down, minus its own safety stock',
      channels: Object.fromEntries(channels.map((c) => [c.view.connectionId, c.explain])),
    },
  };
}
