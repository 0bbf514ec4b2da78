import type { Connections, StripeClient } from '../../connectors/index.js';
import type { PayoutLinesSources } from '../../flows/index.js';

/** Where finance reads a payout's settlement lines (its fees): Stripe's balance transactions of the payout. */
export function payoutLinesFromConnections(connections: Connections): PayoutLinesSources {
  return (connectionId) => {
    const connection = connections.get(connectionId);
    if (connection?.system !== 'stripe') return undefined;
    const client = connection.instance.client as StripeClient;
    return { fetch: async (reference, signal) => (await client.payoutSettlement(reference, signal)).payout };
  };
}
