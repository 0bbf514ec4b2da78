import type { Logger } from 'pino';
import type { Connections, ErpnextClient } from '../connectors/index.js';
import type { Inventory } from '../flows/index.js';

/**
 * Reads the stock warehouses of every ERPNext connection (not groups, not disabled) into the
 * hub's locations, so GET /v1/locations shows them before they report stock. Runs in the
 * background at start; an ERP that cannot be reached is logged and read again at the next start
 * (its warehouses still appear as they report stock).
 */
export async function learnErpLocations(deps: { connections: Connections; inventory: Inventory; logger: Logger; signal?: AbortSignal }): Promise<void> {
  for (const connection of deps.connections.values()) {
    if (connection.system !== 'erpnext') continue;
    const client = connection.instance.client as ErpnextClient;
    try {
      const warehouses = await client.listAll('Warehouse', { filters: [['is_group', '=', 0], ['disabled', '=', 0]], fields: ['name', 'warehouse_name'], ...(deps.signal ? { signal: deps.signal } : {}) });
      const learned = await deps.inventory.learnLocations(connection, warehouses.map((w) => ({ id: String(w['name']), name: String(w['warehouse_name'] ?? w['name']) })));
      deps.logger.info({ connection: connection.id, warehouses: warehouses.length, learned }, 'ERP warehouses read as locations');
    } catch (error) {
      if (!deps.signal?.aborted) deps.logger.warn({ connection: connection.id, err: error }, 'could not read the ERP warehouses; they appear as they report stock');
    }
  }
}
