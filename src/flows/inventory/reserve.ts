import type { HandlerTransaction } from '../../messaging/index.js';
import { getInventoryLevel, lockInventory, reservedOf, setReservations } from '../../store/index.js';
import { availableAt, channelOfSource, safetyStockOf } from './availability.js';
import { stockChanged, type StockDeps } from './stock.js';

/** Units of an order line to reserve at a location. */
export interface ReservationRequest {
  lineId: string;
  sku: string;
  locationId: string;
  quantity: number;
}

/** A line the stock at its location cannot cover. */
export interface Shortfall {
  lineId: string;
  sku: string;
  locationId: string;
  wanted: number;
  available: number;
}

/** Whether an order's reservations were taken, or which lines are short (nothing is reserved then). */
export type ReservationOutcome = { reserved: true; backordered: Shortfall[] } | { reserved: false; short: Shortfall[] };

/**
 * Reserves an order's lines all or nothing, inside the caller's transaction: each SKU is locked
 * while its available units (on hand − reserved − safety stock) are checked, so two orders for the
 * last unit — from any channels — never both get it. A channel allowed to backorder reserves anyway.
 * A SKU with no stock report at the location is untracked: reserved, or short when so configured.
 */
export async function reserveOrderStock(tx: HandlerTransaction, deps: StockDeps, order: { orderId: string; source: string }, lines: readonly ReservationRequest[]): Promise<ReservationOutcome> {
  const skus = [...new Set(lines.map((l) => l.sku))].sort();
  for (const sku of skus) await lockInventory(tx.db, deps.dialect, sku);
  const short: Shortfall[] = [];
  for (const sku of skus) {
    const reservedByOthers = new Map((await reservedOf(tx.db, [sku], order.orderId)).map((r) => [r.location_id, r.reserved]));
    for (const [locationId, wanted] of wantedByLocation(lines, sku)) {
      const level = await getInventoryLevel(tx.db, sku, locationId);
      const others = reservedByOthers.get(locationId) ?? 0;
      if (!level) {
        if (deps.config.untracked === 'hold') short.push(...shortLines(lines, sku, locationId, 0));
        continue;
      }
      const available = availableAt({ locationId, onHand: level.on_hand, reserved: others, safetyStock: safetyStockOf(deps.config, locationId) });
      if (available < wanted) short.push(...shortLines(lines, sku, locationId, Math.max(0, available)));
    }
  }
  const backorder = channelOfSource(deps.config, order.source)?.backorder ?? false;
  if (short.length > 0 && !backorder) return { reserved: false, short };
  await setReservations(tx.db, lines.map((r) => ({ order_id: order.orderId, line_id: r.lineId, sku: r.sku, location_id: r.locationId, quantity: r.quantity, updated_at: tx.now })));
  for (const sku of skus) await stockChanged(tx, deps, sku);
  return { reserved: true, backordered: short };
}

function wantedByLocation(lines: readonly ReservationRequest[], sku: string): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const line of lines) if (line.sku === sku) wanted.set(line.locationId, (wanted.get(line.locationId) ?? 0) + line.quantity);
  return wanted;
}

function shortLines(lines: readonly ReservationRequest[], sku: string, locationId: string, available: number): Shortfall[] {
  return lines.filter((l) => l.sku === sku && l.locationId === locationId).map((l) => ({ lineId: l.lineId, sku, locationId, wanted: l.quantity, available }));
}
