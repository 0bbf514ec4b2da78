import type { Connections, ErpnextClient, ErpnextSettings } from '../../connectors/index.js';
import {
  amendInErpCorrection,
  cancelInErpCorrection,
  channelOrdersCheck,
  erpOrdersCheck,
  providerRefundsCheck,
  recordRefundCorrection,
  importOrderCorrection,
  rebookOrderCorrection,
  resyncOrderCorrection,
  type Correction,
  type ErpPort,
  type OrderToCash,
  type ReconciliationCheck,
} from '../../flows/index.js';
import type { IdGenerator } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { erpnextOrderSide } from './erpnext-orders.js';
import { shopifyOrderSide } from './shopify-orders.js';
import type { ReconciliationPart } from './part.js';
import { stripeRefundSide } from './stripe-refunds.js';

/**
 * Orders against each ERPNext connection the hub books into and against each Shopify channel,
 * Stripe's refunds against the hub's, with their corrections.
 */
export function ordersReconciliation(deps: {
  store: Store;
  newId: IdGenerator;
  connections: Connections;
  erp: (connectionId: string) => ErpPort | undefined;
  orderToCash: Pick<OrderToCash, 'reflectChannelRefund'>;
}): ReconciliationPart {
  const { store } = deps;
  const checks: ReconciliationCheck[] = [];
  for (const connection of deps.connections.values()) {
    if (connection.system === 'erpnext') checks.push(erpOrdersCheck({ store, erp: erpnextOrderSide(connection.id, connection.instance.client as ErpnextClient, connection.settings as ErpnextSettings) }));
    if (connection.system === 'shopify') checks.push(channelOrdersCheck({ store, channel: shopifyOrderSide(connection) }));
    if (connection.system === 'stripe') checks.push(providerRefundsCheck({ store, provider: stripeRefundSide(connection) }));
  }
  const corrections: Correction[] = [
    importOrderCorrection({ newId: deps.newId }),
    resyncOrderCorrection({ store, erp: deps.erp }),
    cancelInErpCorrection({ erp: deps.erp }),
    amendInErpCorrection({ erp: deps.erp }),
    rebookOrderCorrection({ store, erp: deps.erp }),
    recordRefundCorrection({ reflectRefund: (tx, refund) => deps.orderToCash.reflectChannelRefund(tx, refund) }),
  ];
  return { checks, corrections };
}
