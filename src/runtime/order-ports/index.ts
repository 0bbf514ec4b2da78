import type { Connection, Connections, ErpnextClient, ShopifyClient, StripeClient, WarehouseClient, WarehouseSettings } from '../../connectors/index.js';
import type { ChannelPort, ErpPort, OrderPorts, OrderToCashConfig, PaymentPort, WarehousePort } from '../../flows/index.js';
import { erpnextPortOf } from './erpnext.js';
import { shopifyChannelPortOf } from './shopify.js';
import { stripePaymentPortOf } from './stripe.js';
import { warehousePortOf } from './warehouse.js';

function adapt<P>(connections: Connections, build: (connection: Connection) => P | undefined): (id: string) => P | undefined {
  const cache = new Map<string, P | undefined>();
  return (id) => {
    if (!cache.has(id)) {
      const connection = connections.get(id);
      cache.set(id, connection ? build(connection) : undefined);
    }
    return cache.get(id);
  };
}

/** Adapts the configured connections to the ports order-to-cash asks for, by system. */
export function orderPortsFromConnections(connections: Connections, config: OrderToCashConfig): OrderPorts {
  return {
    erp: adapt<ErpPort>(connections, (c) =>
      c.system === 'erpnext' ? erpnextPortOf(c.id, c.instance.client as ErpnextClient, config.accounts) : undefined,
    ),
    warehouse: adapt<WarehousePort>(connections, (c) =>
      c.system === 'warehouse' ? warehousePortOf(c.id, c.instance.client as WarehouseClient, c.settings as WarehouseSettings) : undefined,
    ),
    channel: adapt<ChannelPort>(connections, (c) => (c.system === 'shopify' ? shopifyChannelPortOf(c.id, c.instance.client as ShopifyClient) : undefined)),
    payment: adapt<PaymentPort>(connections, (c) => (c.system === 'stripe' ? stripePaymentPortOf(c.id, c.instance.client as StripeClient) : undefined)),
  };
}

export type { ErpAccounts } from './erpnext.js';
