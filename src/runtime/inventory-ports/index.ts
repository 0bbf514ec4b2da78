import type { Connections, ShopifyClient } from '../../connectors/index.js';
import type { ChannelInventoryPort, SkuResolver } from '../../flows/index.js';
import type { Store } from '../../store/index.js';
import { shopifyInventoryPortOf, shopifySkuOfItem, type EchoFilter } from './shopify.js';

/** Channels that show availability, by connection id, and which of their webhooks only echo the hub's pushes. */
export interface ChannelStock {
  port(connectionId: string): ChannelInventoryPort | undefined;
  isEcho(connectionId: string, topic: string, payload: string): boolean;
}

/** The channels that can show availability, by connection id (ports built once each), and which webhooks only echo their pushes. */
export function inventoryPortsFromConnections(
  connections: Connections,
  store: Store,
  now: () => number,
): ChannelStock {
  const ports = new Map<string, (ChannelInventoryPort & EchoFilter) | undefined>();
  const port = (id: string) => {
    if (!ports.has(id)) {
      const connection = connections.get(id);
      ports.set(id, connection?.system === 'shopify' ? shopifyInventoryPortOf(id, connection.instance.client as ShopifyClient, store, now) : undefined);
    }
    return ports.get(id);
  };
  return { port, isEcho: (id, topic, payload) => ports.get(id)?.isEcho(topic, payload) ?? false };
}

/** Maps a system's inventory item id back to the SKU, for systems whose stock webhooks carry no SKU. */
export function skuResolverFor(connections: Connections): SkuResolver {
  return async (db, connectionId, itemId) => (connections.get(connectionId)?.system === 'shopify' ? shopifySkuOfItem(db, connectionId, itemId) : undefined);
}
