import type { ShopifyClient } from '../../connectors/index.js';
import type { ChannelInventoryPort, SetAvailableOutcome, SetAvailableRequest, SkuResolver } from '../../flows/index.js';
import { z } from 'zod';
import { getConnectorState, setConnectorState, type Store } from '../../store/index.js';

/** Tells a channel's webhook that only echoes the hub's own push (it carries nothing new). */
export interface EchoFilter {
  isEcho(topic: string, payload: string): boolean;
}

/** Webhooks name items by number, GraphQL by global id: both map to the same key. */
const itemKey = (inventoryItemId: string) => `sku-of-inventory-item:${inventoryItemId.replace(/^gid:\/\/shopify\/InventoryItem\//, '')}`;

/** How long after a push its inventory_levels/update echo is expected, and how many pushes are remembered. */
const echoWindowMs = 120_000;
const echoCapacity = 100_000;

/** How long a SKU Shopify does not list is taken as unlisted before it is looked up again. */
const unlistedRecheckMs = 60_000;

/**
 * Shopify as a channel that shows availability: the SKU's inventory item is found once (and
 * remembered, so its inventory_levels/update webhooks map back to the SKU), then pushes go out as
 * inventorySetQuantities (up to 250 SKUs a call) at the connection's location, each compared
 * against what the hub last published. Shopify answers each push with an inventory_levels/update
 * webhook; one that reports exactly the quantity just set is that push's echo, and can be dropped.
 */
export function shopifyInventoryPortOf(connectionId: string, client: ShopifyClient, store: Store, now: () => number): ChannelInventoryPort & EchoFilter {
  const items = new Map<string, string>();
  const echoes = expectedEchoes(now);
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
    results.forEach((result, i) => {
      if (result.kind === 'set') echoes.expect(itemNumber(listed[i]!.inventoryItemId), listed[i]!.quantity);
    });
    let next = 0;
    return items.map((item): SetAvailableOutcome => (item ? results[next++]! : { kind: 'not-listed' }));
  };
  return {
    connectionId,
    setAvailable: async (request, signal) => (await setAvailableMany([request], signal))[0]!,
    setAvailableMany,
    isEcho(topic, payload) {
      if (topic !== 'inventory_levels/update') return false;
      const level = echoShape.safeParse(safeJson(payload));
      return level.success && level.data.available !== null && echoes.take(String(level.data.inventory_item_id), level.data.available);
    },
  };
}

/** An inventory_levels/update body as far as echo detection reads it (ids may be numbers or strings). */
const echoShape = z.object({ inventory_item_id: z.union([z.number(), z.string()]), available: z.int().nullable() });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const itemNumber = (inventoryItemId: string) => inventoryItemId.replace(/^gid:\/\/shopify\/InventoryItem\//, '');

/** Quantities the hub just set per inventory item, each matched by at most one webhook, forgotten after a while. */
function expectedEchoes(now: () => number) {
  const pending = new Map<string, { quantity: number; until: number }>();
  return {
    expect(item: string, quantity: number) {
      if (pending.size >= echoCapacity) pending.delete(pending.keys().next().value!);
      pending.delete(item);
      pending.set(item, { quantity, until: now() + echoWindowMs });
    },
    take(item: string, quantity: number): boolean {
      const entry = pending.get(item);
      if (!entry || entry.quantity !== quantity || entry.until < now()) return false;
      pending.delete(item);
      return true;
    },
  };
}

/** The SKU of a Shopify inventory item the hub has pushed availability for. */
export const shopifySkuOfItem: SkuResolver = async (db, connectionId, itemId) => (await getConnectorState(db, connectionId, itemKey(itemId))) ?? undefined;
