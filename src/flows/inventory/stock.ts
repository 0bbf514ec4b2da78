import type { HandlerTransaction } from '../../messaging/index.js';
import {
  getInventoryLevel,
  getInventoryMark,
  listInventoryLevelsOf,
  listOrdersHeldForSku,
  reservedOf,
  lockInventory,
  markInventoryPending,
  noteLocation,
  setInventoryLevel,
  setInventoryMark,
  type Db,
} from '../../store/index.js';
import { safetyStockOf, type LocationStock } from './availability.js';
import type { InventoryConfig } from './config.js';
import { insufficientStock, inventoryRestocked } from './messages.js';
import { orderOfReport, type ReportOrder, type StockReport } from './versions.js';

/** What the stock functions need. */
export interface StockDeps {
  config: InventoryConfig;
  dialect: 'sqlite' | 'postgres';
}

/** Notes that a SKU's availability changed; the pusher sends it once the push interval has passed (nothing without channels). */
export async function stockChanged(tx: HandlerTransaction, deps: StockDeps, sku: string): Promise<void> {
  if (deps.config.channels.length > 0) await markInventoryPending(tx.db, sku, tx.now);
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
  if (!current) await noteLocation(tx.db, { id: report.locationId, name: report.locationId, source: report.source, connection_id: report.source.startsWith('api:') ? null : report.source, updated_at: tx.now });
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
  return (await stockOfMany(db, config, [sku])).get(sku)!;
}

/** The stock of several SKUs (as stockOf gives one), read with two queries. */
export async function stockOfMany(db: Db, config: InventoryConfig, skus: readonly string[]): Promise<Map<string, LocationStock[]>> {
  const [levels, reserved] = await Promise.all([listInventoryLevelsOf(db, skus), reservedOf(db, skus)]);
  const stock = new Map<string, LocationStock[]>(skus.map((sku) => [sku, []]));
  const reservedAt = new Map(reserved.map((r) => [`${r.sku}\n${r.location_id}`, r.reserved]));
  for (const level of levels) {
    stock.get(level.sku)!.push({ locationId: level.location_id, onHand: level.on_hand, reserved: reservedAt.get(`${level.sku}\n${level.location_id}`) ?? 0, safetyStock: safetyStockOf(config, level.location_id) });
  }
  for (const r of reserved) {
    const locations = stock.get(r.sku)!;
    if (!locations.some((l) => l.locationId === r.location_id)) locations.push({ locationId: r.location_id, onHand: 0, reserved: r.reserved, safetyStock: safetyStockOf(config, r.location_id) });
  }
  return stock;
}
