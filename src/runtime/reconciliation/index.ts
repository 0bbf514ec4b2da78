import type { Connections } from '../../connectors/index.js';
import { createReconciliation, type CatalogConfig, type ErpPort, type InventoryConfig, type InventoryForCorrections, type OrderToCash, type Reconciliation, type ReconciliationConfig, type Settlement, type SettlementConfig } from '../../flows/index.js';
import type { Clock, IdGenerator } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { catalogReconciliation } from './catalog.js';
import { inventoryReconciliation } from './inventory.js';
import { journalReconciliation } from './journal.js';
import { ordersReconciliation } from './orders.js';
import { settlementReconciliation } from './settlement.js';

export type { ReconciliationPart } from './part.js';
export { startReconciliationSchedule } from './schedule.js';

/** Reconciliation over the configured connections: orders and payments, inventory and catalog, each with its corrections. */
export function reconciliationFor(deps: {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  connections: Connections;
  config: { reconciliation: ReconciliationConfig; inventory: InventoryConfig; catalog: CatalogConfig; settlement?: SettlementConfig | undefined };
  erp: (connectionId: string) => ErpPort | undefined;
  orderToCash: Pick<OrderToCash, 'reflectChannelRefund'>;
  inventory: InventoryForCorrections;
  /** The settlement flow, to read back payouts the hub lacks. */
  settlement?: Pick<Settlement, 'recordFetched'> | undefined;
}): Reconciliation {
  const { store, clock, connections, config } = deps;
  const parts = [
    ordersReconciliation(deps),
    inventoryReconciliation({ store, clock, connections, config: config.inventory, catalog: config.catalog, inventory: deps.inventory }),
    catalogReconciliation({ store, connections, config: config.catalog }),
    settlementReconciliation({ store, clock, connections, config: config.settlement, settlement: deps.settlement }),
    journalReconciliation({ store, clock, connections }),
  ];
  return createReconciliation({
    store,
    clock,
    newId: deps.newId,
    checks: parts.flatMap((p) => p.checks),
    corrections: parts.flatMap((p) => p.corrections),
    autoCorrect: config.reconciliation.autoCorrect,
    windowMs: config.reconciliation.window,
  });
}
