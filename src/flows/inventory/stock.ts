import type { HandlerTransaction } from '../../messaging/index.js';
import {
  getInventoryLevel,
  getInventoryMark,
  listInventoryLevels,
  listOrdersHeldForSku,
  lockInventory,
  markInventoryPending,
  noteLocation,
  reservedByLocation,
  setInventoryLevel,
  setInventoryMark,
  type Db,
} from '../../store/index.js';
import { safetyStockOf, type LocationStock } from './availability.js';
import type { InventoryConfig } from './config.js';
import { insufficientStock, inventoryPush, inventoryRestocked } from './messages.js';
import { orderOfReport, type ReportOrder, type StockReport } from './versions.js';

/** What the stock functions need. */
export interface StockDeps {
  config: InventoryConfig;
  dialect: 'sqlite' | 'postgres';
}

/** Notes that a SKU's availability changed; the first change of a burst schedules one push after the interval (none without channels). */
export async function stockChanged(tx: HandlerTransaction, deps: StockDeps, sku: string): Promise<void> {
  if (deps.config.channels.length === 0) return;
  if (await markInventoryPending(tx.db, sku, tx.now)) {
    tx.emit(inventoryPush, { sku }, { subject: sku, orderingKey: `inventory:${sku}`, availableAt: tx.now + deps.config.pushInterval });
  }
}

/**
 * Applies one source's stock report: a stale or repeated report (by the source's version, or its
 * time) changes nothing; a newer one sets on hand at the location unless another source reported
 * a later time there already.
 */
export async function applyStockReport(tx: HandlerTransaction, deps: StockDeps, report: StockReport): Promise<ReportOrder> {
  await lockInventory(tx.db, deps.dialect, report.sku);
  const order = orderOfReport(report, await getInventoryMark(tx.db, report.sku, report.locationId, report.source));
  if (order !== 'newer') return order;
  await setInventoryMark(tx.db, { sku: report.sku, location_id: report.locationId, source: report.source, version: report.sourceVersion, occurred_at: report.occurredAt });
  const current = await getInventoryLevel(tx.db, report.sku, report.locationId);
  if (current && current.source !== report.source && current.occurred_at > report.occurredAt) return 'stale';
  await setInventoryLevel(tx.db, {
    sku: report.sku,
    location_id: report.locationId,
    on_hand: report.onHand,
    source: report.source,
    source_version: report.sourceVersion,
    occurred_at: report.occurredAt,
    updated_at: tx.now,
  });
  await noteLocation(tx.db, { id: report.locationId, name: report.locationId, source: report.source, connection_id: report.source.startsWith('api:') ? null : report.source, updated_at: tx.now });
  if (!current || current.on_hand !== report.onHand) await stockChanged(tx, deps, report.sku);
  if (!current || report.onHand > current.on_hand) await unitsFreed(tx, report.sku);
  return 'newer';
}

/** Tells orders waiting on hold for a SKU's stock that units became free, so they try again. */
export async function unitsFreed(tx: HandlerTransaction, sku: string): Promise<void> {
  if ((await listOrdersHeldForSku(tx.db, insufficientStock, sku)).length > 0) tx.emit(inventoryRestocked, { sku }, { subject: sku });
}

/** A SKU's stock per location with reservations and safety stock. */
export async function stockOf(db: Db, config: InventoryConfig, sku: string): Promise<LocationStock[]> {
  const [levels, reserved] = await Promise.all([listInventoryLevels(db, sku), reservedByLocation(db, sku)]);
  const stock = levels.map((l) => ({ locationId: l.location_id, onHand: l.on_hand, reserved: reserved.get(l.location_id) ?? 0, safetyStock: safetyStockOf(config, l.location_id) }));
  for (const [locationId, units] of reserved) {
    if (!stock.some((s) => s.locationId === locationId)) stock.push({ locationId, onHand: 0, reserved: units, safetyStock: safetyStockOf(config, locationId) });
  }
  return stock;
}
