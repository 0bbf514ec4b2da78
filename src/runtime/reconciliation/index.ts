import type { Connections, ErpnextClient, ErpnextSettings } from '../../connectors/index.js';
import {
  cancelInErpCorrection,
  channelOrdersCheck,
  createReconciliation,
  erpOrdersCheck,
  providerRefundsCheck,
  recordRefundCorrection,
  importOrderCorrection,
  rebookOrderCorrection,
  resyncOrderCorrection,
  type Correction,
  type ErpPort,
  type OrderToCash,
  type Reconciliation,
  type ReconciliationCheck,
  type ReconciliationConfig,
} from '../../flows/index.js';
import type { Clock, IdGenerator } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { erpnextOrderSide } from './erpnext-orders.js';
import { shopifyOrderSide } from './shopify-orders.js';
import { stripeRefundSide } from './stripe-refunds.js';

/** Checks and corrections another area contributes (inventory, catalog, payments, journal). */
export interface ReconciliationPart {
  checks: readonly ReconciliationCheck[];
  corrections: readonly Correction[];
}

/**
 * Reconciliation over the configured connections: orders against each ERPNext connection the hub
 * books into and against each Shopify channel, Stripe's refunds against the hub's, with their corrections,
 * plus what other areas add.
 */
export function reconciliationFor(deps: {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  connections: Connections;
  config: ReconciliationConfig;
  erp: (connectionId: string) => ErpPort | undefined;
  orderToCash: Pick<OrderToCash, 'reflectChannelRefund'>;
  parts?: readonly ReconciliationPart[];
}): Reconciliation {
  const { store, connections } = deps;
  const checks: ReconciliationCheck[] = [];
  for (const connection of connections.values()) {
    if (connection.system === 'erpnext') checks.push(erpOrdersCheck({ store, erp: erpnextOrderSide(connection.id, connection.instance.client as ErpnextClient, connection.settings as ErpnextSettings) }));
    if (connection.system === 'shopify') checks.push(channelOrdersCheck({ store, channel: shopifyOrderSide(connection) }));
    if (connection.system === 'stripe') checks.push(providerRefundsCheck({ store, provider: stripeRefundSide(connection) }));
  }
  const corrections: Correction[] = [
    importOrderCorrection({ newId: deps.newId }),
    resyncOrderCorrection({ store, erp: deps.erp }),
    cancelInErpCorrection({ erp: deps.erp }),
    rebookOrderCorrection({ store, erp: deps.erp }),
    recordRefundCorrection({ reflectRefund: (tx, refund) => deps.orderToCash.reflectChannelRefund(tx, refund) }),
  ];
  for (const part of deps.parts ?? []) {
    checks.push(...part.checks);
    corrections.push(...part.corrections);
  }
  return createReconciliation({ store, clock: deps.clock, newId: deps.newId, checks, corrections, autoCorrect: deps.config.autoCorrect, windowMs: deps.config.window });
}
export { startReconciliationSchedule } from './schedule.js';
