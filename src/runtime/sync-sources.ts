import { InboundEvent, type Connection, type Connections, type ErpnextClient, type WarehouseClient, type WarehouseSettings } from '../connectors/index.js';
import type { CatalogConfig, SyncItem, SyncPageRead, SyncSource } from '../flows/index.js';
import { describeError } from '../messaging/index.js';
import { mapLimited } from './map-limited.js';

/** A listed document interpreted as its webhook would be; a document that does not map is an item error. */
function interpreted(connection: Connection, ref: string, topic: string, payload: string): SyncItem {
  try {
    const events = (connection.instance.interpret?.(topic, payload) ?? []).map((event) => InboundEvent.parse(event));
    return { ref, events };
  } catch (error) {
    const { code, message } = describeError(error);
    return { ref, error: `${code}: ${message}` };
  }
}

/** Warehouse stock (GET /v1/stock) as absolute reports at the connection's location, as of the listing. */
function warehouseStock(connection: Connection, now: () => number): SyncSource {
  const client = connection.instance.client as WarehouseClient;
  const settings = connection.settings as WarehouseSettings;
  return {
    id: `${connection.id}:stock`,
    kind: 'inventory',
    connection,
    async read(cursor, limit, signal) {
      const items: SyncItem[] = [];
      let next: string | null = cursor;
      do {
        const page = await client.queryStockPage({ cursor: next, pageSize: Math.min(250, limit - items.length) }, signal);
        const occurredAt = new Date(now()).toISOString();
        for (const level of page.levels) {
          items.push({ ref: level.sku, events: [InboundEvent.parse({ kind: 'inventory-level', sku: level.sku, locationId: settings.locationId, onHand: level.onHand, occurredAt })] });
        }
        next = page.nextCursor;
      } while (next !== null && items.length < limit);
      return { items, next };
    },
  };
}

/** One doctype of an ERPNext connection, a page (offset) at a time, interpreted like its webhook. */
function erpnextDoctype(connection: Connection, kind: 'inventory' | 'catalog', doctype: 'Bin' | 'Item' | 'Item Price', suffix: string): SyncSource {
  const client = connection.instance.client as ErpnextClient;
  // An Item's child tables (barcodes, attributes) come with the document only, not in the list.
  const whole = doctype === 'Item';
  return {
    id: `${connection.id}:${suffix}`,
    kind,
    connection,
    async read(cursor, limit, signal): Promise<SyncPageRead> {
      const start = cursor === null ? 0 : Number(cursor);
      const rows = await client.listDocs(doctype, { fields: whole ? ['name'] : ['*'], limit, start, orderBy: 'name asc', signal });
      const docs = whole ? await mapLimited(rows, 8, (row) => client.getDoc(doctype, row.name, signal)) : rows;
      const items = docs.map((doc) => interpreted(connection, `${doctype} ${doc.name}`, `${doctype}:on_update`, JSON.stringify({ event: 'on_update', doc: { ...doc, doctype } })));
      return { items, next: rows.length === limit ? String(start + rows.length) : null };
    },
  };
}

/**
 * What backfills can list, from the connections: warehouse stock and ERPNext Bins (inventory);
 * ERPNext Items, then Item Prices, of the connections the catalog names as sources (catalog).
 */
export function syncSourcesFromConnections(connections: Connections, catalog: CatalogConfig, now: () => number): SyncSource[] {
  const catalogConnections = new Set(catalog.sources.map((s) => s.connection).filter((c): c is string => c !== undefined));
  const sources: SyncSource[] = [];
  for (const connection of connections.values()) {
    if (connection.system === 'warehouse') sources.push(warehouseStock(connection, now));
    if (connection.system === 'erpnext') sources.push(erpnextDoctype(connection, 'inventory', 'Bin', 'bins'));
  }
  for (const connection of connections.values()) {
    if (connection.system === 'erpnext' && catalogConnections.has(connection.id)) {
      sources.push(erpnextDoctype(connection, 'catalog', 'Item', 'items'), erpnextDoctype(connection, 'catalog', 'Item Price', 'prices'));
    }
  }
  return sources;
}
