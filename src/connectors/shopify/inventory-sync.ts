import { z } from 'zod';
import { permanentError } from '../../model/index.js';
import { derivedIdempotencyKey, idempotencyRules, inventoryRules, validated } from './client-support.js';
import { shopifyGid, userErrorsError, type GraphqlOperation, type GraphqlResult } from './graphql.js';
import { inventoryLevelQuery, inventorySetQuantitiesMutation } from './operations.js';

/*
 * What the hub's inventory propagation calls: find a SKU's inventory item, learn the shop's
 * location, and set `available` with compare-and-swap, a stale compare being an answer, not an error.
 */

const Id = z.string().min(1);

/** Input of `setAvailable`: the quantity the channel should show and the one the hub believes it shows. */
export const SetAvailableInput = z.object({
  inventoryItemId: Id,
  /** Default: the connection's `locationId` setting, else the shop's primary location. */
  locationId: Id.optional(),
  quantity: z.int().nonnegative(),
  /** The quantity the hub believes Shopify has (compare-and-swap), or null to set without checking. */
  expected: z.int().nullable(),
  /** The caller's stable key for this intent; a repeat with the same input is one operation in Shopify. */
  idempotencyKey: z.string().min(1),
  reason: z.string().min(1).default('correction'),
  referenceDocumentUri: z.string().min(1).optional(),
});

/** Input of `setAvailable`. */
export type SetAvailableInput = z.input<typeof SetAvailableInput>;

/** What `setAvailable` did: set, or nothing because Shopify's quantity was not the expected one. */
export type SetAvailableResult = { kind: 'set' } | { kind: 'stale'; current: number };

/** The ids behind a SKU in Shopify (global ids). */
export interface InventoryItemRef {
  inventoryItemId: string;
  variantId: string;
  productId: string;
}

/** A shop location (global id). */
export interface ShopLocation {
  id: string;
  name: string;
}

/** Variants a search by SKU finds: Shopify's search ignores case and may match loosely, so the exact SKU is picked from a few. */
export const variantsBySkuQuery = {
  name: 'VariantsBySku',
  query: `query VariantsBySku($query: String!, $first: Int!) {
  productVariants(first: $first, query: $query) { nodes { id sku product { id } inventoryItem { id } } }
}`,
  cost: (first: number) => 2 + first * 2,
  data: z.object({
    productVariants: z.object({
      nodes: z.array(z.object({ id: z.string(), sku: z.string().nullable(), product: z.object({ id: z.string() }), inventoryItem: z.object({ id: z.string() }) })),
    }),
  }),
};

/** The shop's primary location (`location` without an id). */
export const primaryLocationQuery = {
  name: 'PrimaryLocation',
  query: 'query PrimaryLocation { location { id name } }',
  cost: 1,
  data: z.object({ location: z.object({ id: z.string(), name: z.string() }).nullable() }),
};

/** How many variants a SKU search reads to find the exact SKU among loose matches. */
const SKU_CANDIDATES = 10;

/** A Shopify search term matching one value exactly as a phrase (quotes and backslashes escaped). */
export function searchTerm(field: string, value: string): string {
  return `${field}:"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Runs one GraphQL operation through the connection's transport. */
type Run = <T>(operation: GraphqlOperation<T>, signal?: AbortSignal) => Promise<GraphqlResult<T>>;

/** The inventory-propagation calls of a Shopify client. */
export interface InventorySyncCalls {
  /** The shop's primary location (looked up once per client). */
  primaryLocation(options?: { signal?: AbortSignal }): Promise<ShopLocation>;
  /** The inventory item, variant and product of the variant whose SKU is exactly `sku`, or null when Shopify has none. */
  inventoryItemBySku(sku: string, options?: { signal?: AbortSignal }): Promise<InventoryItemRef | null>;
  /**
   * Sets `available` with one compare-and-swap `inventorySetQuantities` (changeFromQuantity from
   * 2026-04, compareQuantity before). A stale compare answers `stale` with the quantity read back;
   * other userErrors throw like the client's other calls.
   */
  setAvailable(input: SetAvailableInput, options?: { signal?: AbortSignal }): Promise<SetAvailableResult>;
  /**
   * Sets `available` of many items in as few calls as Shopify allows (250 quantities each). A call
   * is all or nothing in Shopify, so a chunk with a stale compare is retried item by item; the
   * outcomes come back in input order.
   */
  setAvailableMany(inputs: readonly SetAvailableInput[], options?: { signal?: AbortSignal }): Promise<SetAvailableResult[]>;
}

/** Quantities Shopify takes in one inventorySetQuantities call. */
export const SET_QUANTITIES_LIMIT = 250;

const isStale = (code: string | null | undefined) => code === 'CHANGE_FROM_QUANTITY_STALE' || code === 'COMPARE_QUANTITY_STALE';

/** The inventory-propagation calls over a client's transport. */
export function createInventorySyncCalls(deps: { connectionId: string; apiVersion: string; locationId: string | undefined; run: Run }): InventorySyncCalls {
  const { connectionId, apiVersion, run } = deps;
  let primary: Promise<ShopLocation> | undefined;

  const primaryLocation = (signal?: AbortSignal): Promise<ShopLocation> => {
    primary ??= run({ ...primaryLocationQuery, retry: true }, signal).then(({ data }) => {
      if (!data.location) throw permanentError('shopify_not_found', `${connectionId}: the shop has no primary location`, 404);
      return data.location;
    });
    primary.catch(() => {
      primary = undefined;
    });
    return primary;
  };

  const locationOf = async (locationId: string | undefined, signal?: AbortSignal): Promise<string> => {
    const id = locationId ?? deps.locationId;
    return id === undefined ? (await primaryLocation(signal)).id : shopifyGid('Location', id);
  };

  /** One inventorySetQuantities of several items (same compare mode); 'stale' when any compare failed (nothing was set). */
  const setQuantities = async (inputs: readonly z.output<typeof SetAvailableInput>[], signal?: AbortSignal): Promise<'set' | 'stale'> => {
    const casByChangeFrom = apiVersion >= '2026-04';
    const quantities = [];
    for (const parsed of inputs) {
      const quantity = { inventoryItemId: shopifyGid('InventoryItem', parsed.inventoryItemId), locationId: await locationOf(parsed.locationId, signal), quantity: parsed.quantity };
      quantities.push(casByChangeFrom ? { ...quantity, changeFromQuantity: parsed.expected } : parsed.expected === null ? quantity : { ...quantity, compareQuantity: parsed.expected });
    }
    const first = inputs[0]!;
    const body = {
      name: 'available',
      reason: first.reason,
      ...(first.referenceDocumentUri !== undefined ? { referenceDocumentUri: first.referenceDocumentUri } : {}),
      ...(!casByChangeFrom && first.expected === null ? { ignoreCompareQuantity: true } : {}),
      quantities,
    };
    const idempotencyKey = derivedIdempotencyKey(inputs.map((i) => i.idempotencyKey).join('\n'), 'inventorySetQuantities', body);
    const { data } = await run({ ...inventorySetQuantitiesMutation, retry: true, variables: { input: body, idempotencyKey } }, signal);
    const errors = data.inventorySetQuantities.userErrors;
    if (errors.length === 0) return 'set';
    if (!errors.some((e) => isStale(e.code))) throw userErrorsError(connectionId, 'inventorySetQuantities', errors, { ...inventoryRules, ...idempotencyRules });
    return 'stale';
  };

  const calls: InventorySyncCalls = {
    primaryLocation: (options = {}) => primaryLocation(options.signal),

    async inventoryItemBySku(sku, options = {}) {
      if (sku.trim() === '') throw permanentError('invalid_shopify_input', `${connectionId}: inventoryItemBySku needs a SKU`, 422);
      const variables = { query: searchTerm('sku', sku), first: SKU_CANDIDATES };
      const { data } = await run({ ...variantsBySkuQuery, cost: variantsBySkuQuery.cost(SKU_CANDIDATES), retry: true, variables }, options.signal);
      const variant = data.productVariants.nodes.find((v) => v.sku === sku);
      return variant ? { inventoryItemId: variant.inventoryItem.id, variantId: variant.id, productId: variant.product.id } : null;
    },

    async setAvailable(input, options = {}) {
      const parsed = validated(connectionId, SetAvailableInput, input, 'setAvailable input');
      if ((await setQuantities([parsed], options.signal)) === 'set') return { kind: 'set' };
      const inventoryItemId = shopifyGid('InventoryItem', parsed.inventoryItemId);
      const locationId = await locationOf(parsed.locationId, options.signal);
      const level = await run({ ...inventoryLevelQuery, retry: true, variables: { itemId: inventoryItemId, locationId } }, options.signal);
      const available = level.data.inventoryItem?.inventoryLevel?.quantities.find((q) => q.name === 'available')?.quantity;
      if (available === undefined) {
        throw permanentError('inventory_not_stocked', `${connectionId}: ${inventoryItemId} is not stocked at ${locationId}`, 422);
      }
      return { kind: 'stale', current: available };
    },

    async setAvailableMany(inputs, options = {}) {
      const parsed = inputs.map((input) => validated(connectionId, SetAvailableInput, input, 'setAvailable input'));
      const outcomes: SetAvailableResult[] = [];
      // Before 2026-04 a call either compares every quantity or none, so unchecked ones go on their own.
      const groups = apiVersion >= '2026-04' ? [parsed] : [parsed.filter((p) => p.expected === null), parsed.filter((p) => p.expected !== null)];
      const results = new Map<(typeof parsed)[number], SetAvailableResult>();
      for (const group of groups) {
        for (let start = 0; start < group.length; start += SET_QUANTITIES_LIMIT) {
          const chunk = group.slice(start, start + SET_QUANTITIES_LIMIT);
          if ((await setQuantities(chunk, options.signal)) === 'set') {
            for (const item of chunk) results.set(item, { kind: 'set' });
            continue;
          }
          for (const item of chunk) results.set(item, await calls.setAvailable(item, options));
        }
      }
      for (const item of parsed) outcomes.push(results.get(item)!);
      return outcomes;
    },
  };
  return calls;
}
