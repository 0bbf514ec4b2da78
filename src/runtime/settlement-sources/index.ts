import type { Connections, ShopifyClient, StripeClient } from '../../connectors/index.js';
import type { SettlementSources } from '../../flows/index.js';
import { shopifySettlementSourceOf } from './shopify.js';
import { stripeSettlementSourceOf } from './stripe.js';

export { shopifySettlementSourceOf } from './shopify.js';
export { stripeSettlementSourceOf } from './stripe.js';

/** The settlement source of each configured connection that has one (Stripe, Shopify Payments). */
export function settlementSourcesFromConnections(connections: Connections): SettlementSources {
  return (connectionId) => {
    const connection = connections.get(connectionId);
    if (connection?.system === 'stripe') return stripeSettlementSourceOf(connection.id, connection.instance.client as StripeClient);
    if (connection?.system === 'shopify') return shopifySettlementSourceOf(connection.id, connection.instance.client as ShopifyClient);
    return undefined;
  };
}
