import type { ShopifyClient } from '../../connectors/index.js';
import type { ChannelInventoryPort, SetAvailableOutcome, SetAvailableRequest, SkuResolver } from '../../flows/index.js';
import { getConnectorState, setConnectorState, type Store } from '../../store/index.js';

/** Webhooks name items by number, GraphQL by global id: both map to the same key. */
const itemKey = (inventoryItemId: string) => `sku-of-inventory-item:${inventoryItemId.replace(/^gid:\/\/shopify\/InventoryItem\//, '')}`;

/** How long a SKU Shopify does not list is taken as unlisted before it is looked up again. */
const unlistedRecheckMs = 60_000;

/**
 * Shopify as a channel that shows availability: the SKU's inventory item is found once (and
 * remembered, so its inventory_levels/update webhooks map back to the SKU), then pushes go out as
 * inventorySetQuantities (up to 250 SKUs a call) at the connection's location, each compared
 * against what the hub last published.
 */
export function shopifyInventoryPortOf(connectionId: string, client: ShopifyClient, store: Store, now: () => number): ChannelInventoryPort {
  const items = new Map<string, string>();
  const unlistedUntil = new Map<string, number>();
  const itemOf = async (sku: string, signal: AbortSignal): Promise<string | null> => {
    const known = items.get(sku);
    if (known) return known;
    if ((unlistedUntil.get(sku) ?? 0) > now()) return null;
    const found = await client.inventoryItemBySku(sku, { signal });
    if (!found) {
      unlistedUntil.set(sku, now() + unlistedRecheckMs);
      return null;
    }
    unlistedUntil.delete(sku);
    items.set(sku, found.inventoryItemId);
    await setConnectorState(store.db, connectionId, itemKey(found.inventoryItemId), sku, now());
    return found.inventoryItemId;
  };
  const setAvailableMany = async (requests: readonly SetAvailableRequest[], signal: AbortSignal): Promise<SetAvailableOutcome[]> => {
    const items: (string | null)[] = [];
    for (const request of requests) items.push(await itemOf(request.sku, signal));
    const listed = requests.flatMap((r, i) => (items[i] ? [{ inventoryItemId: items[i], quantity: r.available, expected: r.expected, idempotencyKey: r.idempotencyKey, reason: 'correction' }] : []));
    const results = listed.length > 0 ? await client.setAvailableMany(listed, { signal }) : [];
    let next = 0;
    return items.map((item): SetAvailableOutcome => (item ? results[next++]! : { kind: 'not-listed' }));
  };
  return {
    connectionId,
    setAvailable: async (request, signal) => (await setAvailableMany([request], signal))[0]!,
    setAvailableMany,
  };
}

/** The SKU of a Shopify inventory item the hub has pushed availability for. */
export const shopifySkuOfItem: SkuResolver = async (db, connectionId, itemId) => (await getConnectorState(db, connectionId, itemKey(itemId))) ?? undefined;
