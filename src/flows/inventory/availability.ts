import type { ChannelStockRule, InventoryConfig } from './config.js';

/** Stock of a SKU at one location with what is promised and kept back. */
export interface LocationStock {
  locationId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
}

/** Units of a location that can be promised: on hand − reserved − safety stock (may be negative when oversold). */
export function availableAt(stock: LocationStock): number {
  return stock.onHand - stock.reserved - stock.safetyStock;
}

/** A channel's availability of a SKU and how it was reached, location by location. */
export interface ChannelAvailability {
  connectionId: string;
  available: number;
  explain: string;
}

/** The safety stock a location keeps back. */
export function safetyStockOf(config: InventoryConfig, locationId: string): number {
  return config.locations.find((l) => l.id === locationId)?.safetyStock ?? config.safetyStock;
}

/**
 * What a channel may sell: for each location it sells from, its share (allocation %) of that
 * location's available units, rounded down and never below zero; minus the channel's own safety
 * stock. Reads as a sum, so someone from finance can follow it.
 */
export function channelAvailability(rule: ChannelStockRule, stock: readonly LocationStock[]): ChannelAvailability {
  const parts: string[] = [];
  let total = 0;
  for (const location of stock) {
    if (rule.locations && !rule.locations.includes(location.locationId)) continue;
    const available = availableAt(location);
    const share = Math.max(0, Math.floor((available * rule.allocation) / 100));
    total += share;
    const pct = rule.allocation === 100 ? '' : ` × ${rule.allocation}%`;
    parts.push(`${location.locationId}: (${location.onHand} on hand − ${location.reserved} reserved − ${location.safetyStock} safety)${pct} = ${share}`);
  }
  const available = Math.max(0, total - rule.safetyStock);
  const safety = rule.safetyStock > 0 ? ` − ${rule.safetyStock} channel safety` : '';
  const explain = parts.length === 0 ? 'no stock reported at the locations this channel sells from = 0' : `${parts.join('; ')}${safety} → ${available}`;
  return { connectionId: rule.connection, available, explain };
}

/** The channel rule that governs orders from a source (its connection, or one of its named sources). */
export function channelOfSource(config: InventoryConfig, source: string): ChannelStockRule | undefined {
  return config.channels.find((c) => (c.sources ?? [c.connection]).includes(source));
}
