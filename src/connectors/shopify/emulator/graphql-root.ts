import type { Catalog } from './catalog.js';
import { connection, type ShopContext } from './context.js';
import { FieldError, type ResolveInfo } from './graphql-executor.js';
import type { OrderBook } from './orders.js';
import { refundOrder } from './refunds.js';
import { gid, numericId, type JsonObject } from './support.js';

/** Mutations that 2026-04 runs only with an `@idempotent(key:)` directive, replaying the first result for a repeated key. */
const IDEMPOTENT = new Set(['inventorySetQuantities', 'refundCreate']);

interface Remembered {
  fingerprint: string;
  payload: JsonObject;
}

function fingerprint(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${fingerprint((value as JsonObject)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The query and mutation roots of the emulated GraphQL Admin API, for one API version. */
export function graphqlRoots(deps: { context: ShopContext; orders: OrderBook; catalog: Catalog; idempotency: Map<string, Remembered> }, apiVersion: string) {
  const { context, orders, catalog, idempotency } = deps;
  const shop = context.shop;
  const location = () => ({ __typename: 'Location', id: gid('Location', shop.locationId), legacyResourceId: shop.locationId, name: shop.locationName, isActive: true });

  /** Runs a mutation once per idempotency key: the same key and arguments replay the first payload, other arguments are refused. */
  const idempotent = (name: string, run: (args: JsonObject) => JsonObject) => (args: JsonObject, info: ResolveInfo) => {
    const directive = info.directive('idempotent');
    const key = typeof directive?.['key'] === 'string' ? directive['key'] : undefined;
    if (key === undefined) {
      if (IDEMPOTENT.has(name) && apiVersion >= '2026-04') {
        throw new FieldError(`The @idempotent directive is required for ${name} as of API version 2026-04.`, { code: 'BAD_REQUEST' });
      }
      return run(args);
    }
    const print = fingerprint(args);
    const remembered = idempotency.get(`${name}:${key}`);
    if (remembered) {
      if (remembered.fingerprint === print) return remembered.payload;
      const code = name === 'inventorySetQuantities' ? { code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' } : {};
      return { userErrors: [{ field: null, message: 'The same idempotency key cannot be used with different operation parameters.', ...code }] };
    }
    const payload = run(args);
    idempotency.set(`${name}:${key}`, { fingerprint: print, payload });
    return payload;
  };

  const query: JsonObject = {
    shop: {
      __typename: 'Shop',
      id: gid('Shop', shop.id),
      name: shop.name,
      currencyCode: shop.currency,
      myshopifyDomain: shop.domain,
      primaryDomain: { host: shop.domain, url: `https://${shop.domain}` },
      ianaTimezone: 'Etc/UTC',
    },
    order: (args: JsonObject) => {
      const order = orders.find(args['id']);
      return order ? orders.node(order) : null;
    },
    fulfillmentOrder: (args: JsonObject) => {
      const found = orders.findFulfillmentOrder(args['id']);
      return found ? orders.fulfillmentOrderNode(found.order, found.fulfillmentOrder) : null;
    },
    product: (args: JsonObject) => catalog.product(args['id']),
    productByIdentifier: (args: JsonObject) => {
      const identifier = (args['identifier'] ?? {}) as JsonObject;
      return identifier['id'] !== undefined ? catalog.product(identifier['id']) : catalog.productByHandle(identifier['handle']);
    },
    productVariant: (args: JsonObject) => catalog.variant(args['id']),
    productVariants: (args: JsonObject) => catalog.productVariants(args),
    inventoryItem: (args: JsonObject) => catalog.inventoryItem(args['id']),
    location: (args: JsonObject) => (args['id'] === undefined || numericId(args['id']) === shop.locationId ? location() : null),
    locations: (args: JsonObject) => connection([location()], args),
  };

  const mutation: JsonObject = {
    productSet: (args: JsonObject) => {
      const result = catalog.productSet((args['input'] ?? {}) as JsonObject, args['identifier'] as JsonObject | undefined);
      const operation = args['synchronous'] === false && result.product ? { __typename: 'ProductSetOperation', id: gid('ProductSetOperation', context.nextId()), status: 'COMPLETE', product: result.product, userErrors: [] } : null;
      return { ...result, product: args['synchronous'] === false ? null : result.product, productSetOperation: operation };
    },
    productDelete: (args: JsonObject) => catalog.productDelete((args['input'] ?? {}) as JsonObject),
    inventorySetQuantities: idempotent('inventorySetQuantities', (args) => catalog.setQuantities((args['input'] ?? {}) as JsonObject, apiVersion)),
    fulfillmentCreate: (args: JsonObject) => orders.fulfill((args['fulfillment'] ?? {}) as JsonObject),
    refundCreate: idempotent('refundCreate', (args) => refundOrder(orders, context, (args['input'] ?? {}) as JsonObject)),
  };

  return { query, mutation };
}
