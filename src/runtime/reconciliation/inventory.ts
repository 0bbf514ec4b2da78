import { InboundEvent, type Connection, type Connections, type ErpnextClient, type ShopifyClient, type ShopifySettings, type WarehouseClient } from '../../connectors/index.js';
import {
  channelStockCheck,
  pushStockCorrection,
  resyncStockCorrection,
  sourceStockCheck,
  type CatalogConfig,
  type ChannelStockSide,
  type InventoryConfig,
  type InventoryForCorrections,
  type ReconciliationCheck,
  type SourceStockLevel,
  type StockSourceSide,
  type SyncItem,
  type SyncSource,
} from '../../flows/index.js';
import type { Clock } from '../../model/index.js';
import { publishedInventoryItem, type Store } from '../../store/index.js';
import { syncSourcesFromConnections } from '../sync-sources.js';
import type { ReconciliationPart } from './part.js';
import { mapLimited } from '../map-limited.js';

/** Levels a page of a backfill source lists (its inventory-level events with a SKU and on-hand units). */
function levelsOfPage(items: readonly SyncItem[]): SourceStockLevel[] {
  return items.flatMap((item) => ('events' in item ? item.events : [])).flatMap((e) => (e.kind === 'inventory-level' && e.sku !== undefined && e.onHand !== undefined ? [{ sku: e.sku, locationId: e.locationId, onHand: e.onHand }] : []));
}

/** One Bin of an ERPNext connection read again, interpreted as its webhook would be. */
async function erpnextBin(connection: Connection, sku: string, warehouse: string, signal: AbortSignal): Promise<SourceStockLevel | undefined> {
  const client = connection.instance.client as ErpnextClient;
  const [doc] = await client.listDocs('Bin', { filters: [['item_code', '=', sku], ['warehouse', '=', warehouse]], fields: ['*'], limit: 1, signal });
  if (!doc) return undefined;
  const events = (connection.instance.interpret?.('Bin:on_update', JSON.stringify({ event: 'on_update', doc: { ...doc, doctype: 'Bin' } })) ?? []).map((e) => InboundEvent.parse(e));
  return levelsOfPage([{ ref: `Bin ${doc.name}`, events }])[0];
}

/** A warehouse's stock of one SKU read again (at the connection's own location). */
async function warehouseLevel(connection: Connection, sku: string, locationId: string, signal: AbortSignal): Promise<SourceStockLevel | undefined> {
  const client = connection.instance.client as WarehouseClient;
  const page = await client.queryStockPage({ sku, pageSize: 10 }, signal);
  const level = page.levels.find((l) => l.sku === sku);
  return level ? { sku, locationId, onHand: level.onHand } : undefined;
}

/** A stock source over the backfill's listing of a connection (warehouse stock, ERPNext Bins), a page at a time. */
function stockSourceOf(source: SyncSource): StockSourceSide | undefined {
  const { connection } = source;
  const levelOf = connection.system === 'warehouse' ? warehouseLevel : connection.system === 'erpnext' ? erpnextBin : undefined;
  if (!levelOf) return undefined;
  return {
    connection,
    async *levels(signal) {
      for (let cursor: string | null = null; ; ) {
        const page = await source.read(cursor, 250, signal);
        yield levelsOfPage(page.items);
        if (page.next === null) return;
        cursor = page.next;
      }
    },
    levelOf: (sku, locationId, signal) => levelOf(connection, sku, locationId, signal),
  };
}

/**
 * What Shopify shows as available per SKU at the location the hub pushes to (the connection's
 * `locationId`, else the shop's primary location): the SKU's inventory item (as published, else
 * found by SKU), then its level, a few SKUs at a time.
 */
export function shopifyChannelStockSide(connection: Connection, store: Store): ChannelStockSide {
  const client = connection.instance.client as ShopifyClient;
  const configured = (connection.settings as ShopifySettings).locationId;
  let primary: Promise<string> | undefined;
  const location = (signal: AbortSignal) => (configured !== undefined ? Promise.resolve(configured) : (primary ??= client.primaryLocation({ signal }).then((l) => l.id).catch((error: unknown) => ((primary = undefined), Promise.reject(error)))));
  return {
    connectionId: connection.id,
    async shown(skus, signal) {
      const locationId = await location(signal);
      const levels = await mapLimited(skus, 8, async (sku) => {
        const item = (await publishedInventoryItem(store.db, connection.id, sku)) ?? (await client.inventoryItemBySku(sku, { signal }))?.inventoryItemId;
        if (!item) return undefined;
        return (await client.inventoryLevel(item, { locationId, signal }))?.available;
      });
      const shown = new Map<string, number>();
      skus.forEach((sku, i) => {
        if (levels[i] !== undefined) shown.set(sku, levels[i]);
      });
      return shown;
    },
  };
}

/**
 * The inventory scope of reconciliation over the connections: the hub's stock against each warehouse
 * and ERPNext connection (the authoritative side of their locations, read as a backfill reads them),
 * and what each Shopify channel shows against what the hub computes for it, with their corrections.
 */
export function inventoryReconciliation(deps: { store: Store; clock: Clock; connections: Connections; config: InventoryConfig; catalog: CatalogConfig; inventory: InventoryForCorrections }): ReconciliationPart {
  const sources = new Map<string, StockSourceSide>();
  for (const source of syncSourcesFromConnections(deps.connections, deps.catalog, () => deps.clock.now())) {
    const side = source.kind === 'inventory' ? stockSourceOf(source) : undefined;
    if (side) sources.set(source.connection.id, side);
  }
  const channels = new Map<string, ChannelStockSide>();
  const checks: ReconciliationCheck[] = [...sources.values()].map((source) => sourceStockCheck({ store: deps.store, clock: deps.clock, config: deps.config, source }));
  for (const rule of deps.config.channels) {
    const connection = deps.connections.get(rule.connection);
    if (!rule.push || connection?.system !== 'shopify') continue;
    const channel = shopifyChannelStockSide(connection, deps.store);
    channels.set(rule.connection, channel);
    checks.push(channelStockCheck({ store: deps.store, config: deps.config, rule, channel }));
  }
  return {
    checks,
    corrections: [
      resyncStockCorrection({ clock: deps.clock, inventory: deps.inventory, source: (id) => sources.get(id) }),
      pushStockCorrection({ inventory: deps.inventory, channel: (id) => channels.get(id) }),
    ],
  };
}
