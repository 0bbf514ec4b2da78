import type { Clock, IdGenerator } from '../../model/index.js';
import { inOutboxTransaction, type HandlerTransaction } from '../../messaging/index.js';
import { listLocations, upsertLocations, type LocationRow, type Store } from '../../store/index.js';
import type { InboundSink } from '../inbound/index.js';
import { placeOfReport } from './locations.js';
import type { InventoryConfig } from './config.js';
import type { ChannelInventoryPort } from './ports.js';
import { createInventoryPusher, type InventoryPusher } from './push.js';
import { reserveOrderStock, type ReservationOutcome, type ReservationRequest } from './reserve.js';
import { inventorySink, type SkuResolver } from './sink.js';
import { applyStockReport, stockChanged, unitsFreed, type StockDeps } from './stock.js';
import type { ReportOrder, StockReport } from './versions.js';
import { inventoryView, type InventoryView } from './view.js';

/** What the inventory flow needs. */
export interface InventoryDeps {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  config: InventoryConfig;
  port(connectionId: string): ChannelInventoryPort | undefined;
  skuOf?: SkuResolver | undefined;
}

/** Stock per location, reservations, availability per channel and its propagation. */
export interface Inventory {
  /** Sends changed availability to the channels (start it with the hub). */
  pusher: InventoryPusher;
  sink: InboundSink;
  /** Applies reports (API, backfills) in one transaction; the outcome of each, in order. */
  report(reports: readonly StockReport[]): Promise<ReportOrder[]>;
  /** Reserves an order's lines all or nothing inside the caller's transaction. */
  reserve(tx: HandlerTransaction, order: { orderId: string; source: string }, lines: readonly ReservationRequest[]): Promise<ReservationOutcome>;
  /** Notes that reservations of these SKUs were given back, so channels are updated and orders waiting for stock try again. */
  changed(tx: HandlerTransaction, skus: readonly string[]): Promise<void>;
  view(sku: string): Promise<InventoryView | undefined>;
  /** Records the configured locations (at start). */
  registerLocations(extra?: readonly Omit<LocationRow, 'updated_at'>[]): Promise<void>;
  locations(): Promise<LocationRow[]>;
  /** Records locations a connection lists (e.g. the ERP's warehouses), unless configured under another name. */
  learnLocations(connection: { id: string; system: string }, found: readonly { id: string; name: string }[]): Promise<number>;
}

/** The inventory flow over a store. */
export function createInventory(deps: InventoryDeps): Inventory {
  const stock: StockDeps = { config: deps.config, dialect: deps.store.dialect };
  return {
    pusher: createInventoryPusher(deps),
    sink: inventorySink({ ...stock, skuOf: deps.skuOf }),
    report: (reports) =>
      inOutboxTransaction(deps.store, { origin: { source: 'tillbridge/inventory', correlationId: deps.newId('cor') }, now: deps.clock.now(), newId: deps.newId }, async (tx) => {
        const outcomes: ReportOrder[] = [];
        for (const report of reports) outcomes.push(await applyStockReport(tx, stock, report));
        return outcomes;
      }),
    reserve: (tx, order, lines) => reserveOrderStock(tx, stock, order, lines),
    async changed(tx, skus) {
      for (const sku of new Set(skus)) {
        await stockChanged(tx, stock, sku);
        await unitsFreed(tx, sku);
      }
    },
    view: (sku) => inventoryView(deps.store.db, deps.config, sku),
    async registerLocations(extra = []) {
      const now = deps.clock.now();
      const configured = deps.config.locations.map((l) => ({ id: l.id, name: l.name ?? l.id, source: 'config', connection_id: null, updated_at: now }));
      await upsertLocations(deps.store.db, [...extra.map((l) => ({ ...l, updated_at: now })), ...configured]);
    },
    locations: () => listLocations(deps.store.db),
    async learnLocations(connection, found) {
      const now = deps.clock.now();
      const own = found.filter((l) => {
        const place = placeOfReport(deps.config, connection.id, l.id);
        return place.kind === 'location' ? place.locationId === l.id && !deps.config.locations.some((c) => c.id === l.id) : true;
      });
      await upsertLocations(deps.store.db, own.map((l) => ({ id: l.id, name: l.name, source: connection.system, connection_id: connection.id, updated_at: now })));
      return own.length;
    },
  };
}
