import type { Connections, ShopifyClient } from '../../connectors/index.js';
import type { ChannelInventoryPort, SkuResolver } from '../../flows/index.js';
import type { Store } from '../../store/index.js';
import { shopifyInventoryPortOf, shopifySkuOfItem } from './shopify.js';

/** The channels that can show availability, by connection id (ports built once each). */
export function inventoryPortsFromConnections(connections: Connections, store: Store, now: () => number): (connectionId: string) => ChannelInventoryPort | undefined {
  const ports = new Map<string, ChannelInventoryPort | undefined>();
  return (id) => {
    if (!ports.has(id)) {
      const connection = connections.get(id);
      ports.set(id, connection?.system === 'shopify' ? shopifyInventoryPortOf(id, connection.instance.client as ShopifyClient, store, now) : undefined);
    }
    return ports.get(id);
  };
}

/** Maps a system's inventory item id back to the SKU, for systems whose stock webhooks carry no SKU. */
export function skuResolverFor(connections: Connections): SkuResolver {
  return async (db, connectionId, itemId) => (connections.get(connectionId)?.system === 'shopify' ? shopifySkuOfItem(db, connectionId, itemId) : undefined);
}
