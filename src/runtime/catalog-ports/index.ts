import type { Connections, ShopifyClient } from '../../connectors/index.js';
import type { CatalogPort } from '../../flows/index.js';
import { shopifyCatalogPortOf } from './shopify.js';

export { shopifyCatalogPortOf } from './shopify.js';

/** The channels products can be published to, by connection id (ports built once each). */
export function catalogPortsFromConnections(connections: Connections): (connectionId: string) => CatalogPort | undefined {
  const ports = new Map<string, CatalogPort | undefined>();
  return (id) => {
    if (!ports.has(id)) {
      const connection = connections.get(id);
      ports.set(id, connection?.system === 'shopify' ? shopifyCatalogPortOf(id, connection.instance.client as ShopifyClient) : undefined);
    }
    return ports.get(id);
  };
}
