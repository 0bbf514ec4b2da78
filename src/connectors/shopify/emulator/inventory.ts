import type { Delivery, ShopContext } from './context.js';
import type { UserErrorBody } from './orders.js';
import { gid, graphqlTime, list, numericId, restId, restTime, type JsonObject } from './support.js';

/** Quantities of one inventory item at one location. */
export interface Level {
  available: number;
  onHand: number;
  committed: number;
  updatedAtMs: number;
}

/** An inventory item (one per variant) with its levels by location id. */
export interface InventoryItemRecord {
  id: string;
  variantId: string;
  sku: string | null;
  tracked: boolean;
  levels: Map<string, Level>;
  /** Inventory mutations the item accepted (the sandbox's `updates`); manual edits are not counted. */
  updates: number;
}

/** The reasons `inventorySetQuantities` accepts. */
const REASONS = new Set([
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_canceled',
  'movement_created',
  'movement_received',
  'movement_updated',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
]);

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Moves `available` and `on_hand` together by `delta` (the emulator keeps nothing committed or incoming). */
function shift(level: Level, delta: number, now: number): void {
  level.available += delta;
  level.onHand += delta;
  level.updatedAtMs = now;
}

/** Sends `inventory_levels/update` for one level in Shopify's REST webhook shape. */
export function emitLevelUpdate(context: ShopContext, item: InventoryItemRecord, locationId: string, level: Level, delivery?: Delivery): void {
  context.emit(
    'inventory_levels/update',
    {
      inventory_item_id: restId(item.id),
      location_id: restId(locationId),
      available: level.available,
      updated_at: restTime(level.updatedAtMs),
      admin_graphql_api_id: `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${item.id}`,
    },
    delivery,
  );
}

/**
 * A merchant's edit of `available` in the Shopify admin: the level takes the quantity (on_hand
 * moves with it) and `inventory_levels/update` is sent, but no API update is counted.
 */
export function editAvailable(context: ShopContext, item: InventoryItemRecord, available: number, delivery?: Delivery): Level {
  const locationId = context.shop.locationId;
  const level = item.levels.get(locationId) ?? { available: 0, onHand: 0, committed: 0, updatedAtMs: context.now() };
  item.levels.set(locationId, level);
  shift(level, available - level.available, context.now());
  emitLevelUpdate(context, item, locationId, level, delivery);
  return level;
}

/**
 * `inventorySetQuantities` with compare-and-swap: from 2026-04 every quantity must name
 * `changeFromQuantity` (null skips the check); before, `compareQuantity` unless
 * `ignoreCompareQuantity`. Any error changes nothing; every accepted quantity counts as an update
 * of its item, and each change sends inventory_levels/update.
 */
export function setQuantities(
  context: ShopContext,
  items: ReadonlyMap<string, InventoryItemRecord>,
  input: JsonObject,
  apiVersion: string,
): { inventoryAdjustmentGroup: JsonObject | null; userErrors: UserErrorBody[] } {
  const fail = (field: string[], message: string, code: string) => ({ inventoryAdjustmentGroup: null, userErrors: [{ field, message, code }] });
  const name = str(input['name']);
  if (name !== 'available' && name !== 'on_hand') return fail(['input', 'name'], "The quantity name must be either 'available' or 'on_hand'.", 'INVALID_NAME');
  if (!REASONS.has(str(input['reason']) ?? '')) return fail(['input', 'reason'], 'The specified reason is invalid.', 'INVALID_REASON');
  const casRequired = apiVersion >= '2026-04';
  const plan: { item: InventoryItemRecord; level: Level; locationId: string; quantity: number }[] = [];
  for (const [i, q] of list(input['quantities']).entries()) {
    const field = (f: string) => ['input', 'quantities', String(i), f];
    const item = items.get(numericId(q['inventoryItemId']) ?? '');
    if (!item) return fail(field('inventoryItemId'), 'The specified inventory item could not be found.', 'INVALID_INVENTORY_ITEM');
    const locationId = numericId(q['locationId']) ?? '';
    if (locationId !== context.shop.locationId) return fail(field('locationId'), 'The specified location could not be found.', 'INVALID_LOCATION');
    const level = item.levels.get(locationId);
    if (!level) return fail(field('locationId'), 'The specified inventory item is not stocked at the location.', 'ITEM_NOT_STOCKED_AT_LOCATION');
    const quantity = q['quantity'];
    if (typeof quantity !== 'number' || !Number.isInteger(quantity)) return fail(field('quantity'), 'The quantity must be an integer.', 'INVALID_QUANTITY_NEGATIVE');
    if (quantity < 0) return fail(field('quantity'), "The quantity can't be negative.", 'INVALID_QUANTITY_NEGATIVE');
    if (quantity > 1_000_000_000) return fail(field('quantity'), "The total quantity can't be higher than 1,000,000,000.", 'INVALID_QUANTITY_TOO_HIGH');
    const current = name === 'available' ? level.available : level.onHand;
    if ('changeFromQuantity' in q) {
      if (q['changeFromQuantity'] !== null && q['changeFromQuantity'] !== current) {
        return fail(field('changeFromQuantity'), 'The changeFromQuantity value does not match the persisted value.', 'CHANGE_FROM_QUANTITY_STALE');
      }
    } else if (casRequired) {
      return fail(field('changeFromQuantity'), 'changeFromQuantity must be given for each quantity (null skips the check).', 'COMPARE_QUANTITY_REQUIRED');
    } else if (input['ignoreCompareQuantity'] !== true) {
      if (q['compareQuantity'] === undefined) return fail(field('compareQuantity'), 'The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.', 'COMPARE_QUANTITY_REQUIRED');
      if (q['compareQuantity'] !== current) return fail(field('compareQuantity'), 'The compareQuantity value does not match persisted value.', 'COMPARE_QUANTITY_STALE');
    }
    plan.push({ item, level, locationId, quantity });
  }
  const now = context.now();
  const changes: JsonObject[] = [];
  for (const { item, level, locationId, quantity } of plan) {
    item.updates += 1;
    const delta = quantity - (name === 'available' ? level.available : level.onHand);
    if (delta === 0) continue;
    shift(level, delta, now);
    const itemNode = { __typename: 'InventoryItem', id: gid('InventoryItem', item.id) };
    const location = { __typename: 'Location', id: gid('Location', locationId), name: context.shop.locationName };
    changes.push({ name, delta, quantityAfterChange: name === 'available' ? level.available : level.onHand, item: itemNode, location });
    changes.push({ name: name === 'available' ? 'on_hand' : 'available', delta, quantityAfterChange: name === 'available' ? level.onHand : level.available, item: itemNode, location });
    emitLevelUpdate(context, item, locationId, level);
  }
  if (changes.length === 0) return { inventoryAdjustmentGroup: null, userErrors: [] };
  return {
    inventoryAdjustmentGroup: {
      __typename: 'InventoryAdjustmentGroup',
      id: gid('InventoryAdjustmentGroup', context.nextId()),
      createdAt: graphqlTime(now),
      reason: input['reason'],
      referenceDocumentUri: str(input['referenceDocumentUri']) ?? null,
      changes: (args: JsonObject) => changes.filter((c) => !Array.isArray(args['quantityNames']) || (args['quantityNames'] as unknown[]).includes(c['name'])),
    },
    userErrors: [],
  };
}
