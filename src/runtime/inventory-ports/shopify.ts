import type { ShopifyClient } from '../../connectors/index.js';
import type { ChannelInventoryPort, SkuResolver } from '../../flows/index.js';
import { getConnectorState, setConnectorState, type Store } from '../../store/index.js';

/** Webhooks name items by number, GraphQL by global id: both map to the same key. */
const itemKey = (inventoryItemId: string) => `sku-of-inventory-item:${inventoryItemId.replace(/^gid:\/\/shopify\/InventoryItem\//, '')}`;

/**
 * Shopify as a channel that shows availability: the SKU's inventory item is found once (and
 * remembered, so its inventory_levels/update webhooks map back to the SKU), then each push is one
 * inventorySetQuantities at the connection's location, compared against what the hub last published.
 */
export function shopifyInventoryPortOf(connectionId: string, client: ShopifyClient, store: Store, now: () => number): ChannelInventoryPort {
  const items = new Map<string, string>();
  const itemOf = async (sku: string, signal: AbortSignal): Promise<string | null> => {
    const known = items.get(sku);
    if (known) return known;
    const found = await client.inventoryItemBySku(sku, { signal });
    if (!found) return null;
    items.set(sku, found.inventoryItemId);
    await setConnectorState(store.db, connectionId, itemKey(found.inventoryItemId), sku, now());
    return found.inventoryItemId;
  };
  return {
    connectionId,
    async setAvailable({ sku, available, expected, idempotencyKey }, signal) {
      const inventoryItemId = await itemOf(sku, signal);
      if (!inventoryItemId) return { kind: 'not-listed' };
      return client.setAvailable({ inventoryItemId, quantity: available, expected, idempotencyKey, reason: 'correction' }, { signal });
    },
  };
}

/** The SKU of a Shopify inventory item the hub has pushed availability for. */
export const shopifySkuOfItem: SkuResolver = async (db, connectionId, itemId) => (await getConnectorState(db, connectionId, itemKey(itemId))) ?? undefined;
