import { permanentError, type Clock } from '../../model/index.js';
import { createCircuitBreaker, createHttpClient, createRateGovernor, type CircuitBreaker, type OutboundHealth } from '../framework/index.js';
import { defaultGraphqlRate, defaultRestRate, shopifyBaseUrl, type ShopifySecrets, type ShopifySettings } from './config.js';
import { derivedIdempotencyKey, idempotencyRules, inventoryRules, validated } from './client-support.js';
import { createGraphqlTransport, shopifyGid, userErrorsError, type GraphqlOperation } from './graphql.js';
import {
  FulfillmentInput,
  fulfillmentCreateMutation,
  fulfillmentOrderLinesQuery,
  fulfillmentOrdersPageSize,
  fulfillmentOrdersQuery,
  InventorySetQuantitiesInput,
  inventoryLevelQuery,
  inventorySetQuantitiesMutation,
  ProductSetIdentifier,
  ProductSetInput,
  productDeleteMutation,
  productSetMutation,
  RefundInput,
  refundCreateMutation,
  shopQuery,
  type FulfillmentCreateResult,
  type InventoryLevel,
  type InventorySetQuantitiesResult,
  type ProductDeleteResult,
  type ProductSetResult,
  type RefundCreateResult,
  type ShopifyFulfillmentOrder,
  type ShopInfo,
} from './operations.js';
import { createInventorySyncCalls, type InventorySyncCalls } from './inventory-sync.js';
import { createProductReadCalls, type ProductReadCalls } from './product-reads.js';
import {
  fetchAllPayoutTransactions,
  fetchPayout,
  fetchPayouts,
  fetchPayoutTransactionsPage,
  type PayoutsQuery,
  type PayoutTransactionsPage,
  type PayoutTransactionsQuery,
} from './rest-payouts.js';
import { fetchOrdersPage, rawTextCapture, restErrorMessage, type OrdersPage, type OrdersPageQuery } from './rest.js';
import { graphqlRateFeedback, restRateFeedback } from './throttle.js';

/** Options of the mutations Shopify 2026-04 requires an `@idempotent` key for. */
export interface IdempotentCallOptions {
  /**
   * The caller's stable key for this intent (e.g. the outbox message id). The key sent to Shopify
   * is derived from it and the input, so a repeat of the same call is one operation while a call
   * with other input (e.g. a re-read changeFromQuantity) is a new one.
   */
  idempotencyKey: string;
  signal?: AbortSignal;
}

/** Shopify's outbound operations (CatalogSink, InventorySink, FulfillmentSink, refunds) and the orders read the poller uses. */
export interface ShopifyClient extends InventorySyncCalls, ProductReadCalls {
  shop(signal?: AbortSignal): Promise<ShopInfo>;
  /** Creates or updates a product synchronously, found by `identifier` (default: the input's handle). */
  productSet(input: ProductSetInput, options?: { identifier?: ProductSetIdentifier; signal?: AbortSignal }): Promise<ProductSetResult>;
  /**
   * Deletes a product with its variants and inventory items (unpublish by `productSet` with status
   * ARCHIVED instead when it may come back). A product Shopify does not have answers `deleted: false`.
   */
  productDelete(productId: string, options?: { signal?: AbortSignal }): Promise<ProductDeleteResult>;
  /** Sets absolute quantities with compare-and-swap; a stale `changeFromQuantity` throws `inventory_compare_mismatch` (409). */
  inventorySetQuantities(input: InventorySetQuantitiesInput, options: IdempotentCallOptions): Promise<InventorySetQuantitiesResult>;
  /** Quantities of an inventory item at a location (default: the connection's `locationId`). */
  inventoryLevel(inventoryItemId: string, options?: { locationId?: string; signal?: AbortSignal }): Promise<InventoryLevel | null>;
  /** The fulfillment orders of an order (numeric id or gid), every line. */
  fulfillmentOrders(orderId: string, signal?: AbortSignal): Promise<ShopifyFulfillmentOrder[]>;
  /** Ships fulfillment order lines with tracking. Not resent after a lost answer: check `fulfillmentOrders` first. */
  fulfillmentCreate(input: FulfillmentInput, options?: { message?: string; signal?: AbortSignal }): Promise<FulfillmentCreateResult>;
  /** Refunds lines, shipping and money of an order, exactly once per idempotency key and input. */
  refundCreate(input: RefundInput, options: IdempotentCallOptions): Promise<RefundCreateResult>;
  /** One page of REST orders updated since `updatedAtMin` (ids exact, JSON text as Shopify sent it). */
  ordersPage(query: OrdersPageQuery, signal?: AbortSignal): Promise<OrdersPage>;
  /** Shopify Payments payouts, newest first (raw JSON, amounts exact; map with shopifyPayoutToCanonical). */
  payouts(query?: PayoutsQuery, signal?: AbortSignal): Promise<unknown[]>;
  /** One Shopify Payments payout by id. */
  payout(payoutId: string, signal?: AbortSignal): Promise<unknown>;
  /** One page of Shopify Payments balance transactions (of a payout when `payoutId` is given). */
  payoutTransactionsPage(query: PayoutTransactionsQuery, signal?: AbortSignal): Promise<PayoutTransactionsPage>;
  /** Every balance transaction of a payout, all pages. */
  payoutTransactions(payoutId: string, signal?: AbortSignal): Promise<unknown[]>;
  /** Outbound health: the shared circuit, the GraphQL cost governor, calls and failures of both APIs. */
  health(): OutboundHealth;
  /** Health of the REST side alone (its own leaky-bucket governor). */
  restHealth(): OutboundHealth;
}

/** What the client needs to run. */
export interface ShopifyClientOptions {
  connectionId: string;
  settings: ShopifySettings;
  secrets: Pick<ShopifySecrets, 'accessToken'>;
  clock?: Clock;
  fetch?: typeof fetch;
  random?: () => number;
  /** Attempts of each retryable call (default 3). */
  maxAttempts?: number;
  /** Base delay of the in-call backoff (default 200 ms). */
  baseDelayMs?: number;
  /** The circuit breaker both APIs share (default: opens after 5 failures for 30 s). */
  breaker?: CircuitBreaker;
  /** THROTTLED answers one GraphQL call waits out before giving up (default 10). */
  maxThrottleRetries?: number;
}

function mergedHealth(a: OutboundHealth, b: OutboundHealth): OutboundHealth {
  const lastSuccessAt = Math.max(a.lastSuccessAt ?? -1, b.lastSuccessAt ?? -1);
  const failures = [a.lastFailure, b.lastFailure].filter((f) => f !== null).sort((x, y) => y.at - x.at);
  return {
    circuit: a.circuit,
    rate: a.rate,
    lastSuccessAt: lastSuccessAt < 0 ? null : lastSuccessAt,
    lastFailure: failures[0] ?? null,
    calls: a.calls + b.calls,
    failures: a.failures + b.failures,
  };
}

/**
 * Creates the Shopify client: GraphQL Admin API calls under a cost-based governor that follows
 * `extensions.cost.throttleStatus`, REST order reads under the 40/2 s leaky bucket read from
 * `X-Shopify-Shop-Api-Call-Limit`, one circuit breaker for both, all through the shared outbound client.
 */
export function createShopifyClient(options: ShopifyClientOptions): ShopifyClient {
  const { connectionId, settings } = options;
  const baseUrl = shopifyBaseUrl(settings);
  const clockOption = options.clock ? { clock: options.clock } : {};
  const breaker = options.breaker ?? createCircuitBreaker(clockOption);
  const graphqlGovernor = createRateGovernor({ ...defaultGraphqlRate }, clockOption);
  const common = {
    connectionId,
    baseUrl,
    breaker,
    headers: { 'x-shopify-access-token': options.secrets.accessToken },
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...clockOption,
  };
  const graphqlHttp = createHttpClient({
    ...common,
    governor: graphqlGovernor,
    vendor: { rate: { ...defaultGraphqlRate }, rateFeedback: graphqlRateFeedback, errorMessage: restErrorMessage },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const capture = rawTextCapture(options.fetch ?? ((input, init) => fetch(input, init)));
  const restHttp = createHttpClient({
    ...common,
    governor: createRateGovernor({ ...defaultRestRate }, clockOption),
    vendor: { rate: { ...defaultRestRate }, rateFeedback: restRateFeedback, errorMessage: restErrorMessage },
    fetch: capture.fetch,
  });
  const restDeps = { connectionId, http: restHttp, apiVersion: settings.apiVersion, textOf: capture.textOf };
  const graphql = createGraphqlTransport({
    connectionId,
    http: graphqlHttp,
    governor: graphqlGovernor,
    apiVersion: settings.apiVersion,
    ...(options.maxThrottleRetries !== undefined ? { maxThrottleRetries: options.maxThrottleRetries } : {}),
  });
  const run = <T>(operation: GraphqlOperation<T>, signal?: AbortSignal) => graphql.execute(operation, signal);

  const locationGid = (locationId: string | undefined, what: string) => {
    const id = locationId ?? settings.locationId;
    if (id === undefined) throw permanentError('invalid_shopify_input', `${connectionId}: ${what} names no location and the connection has no locationId setting`, 422);
    return shopifyGid('Location', id);
  };

  const moreLines = async (fulfillmentOrderId: string, after: string | null, signal?: AbortSignal) => {
    const lines = [];
    let cursor = after;
    while (cursor !== null) {
      const size = fulfillmentOrdersPageSize.moreLines;
      const { data } = await run(
        { ...fulfillmentOrderLinesQuery, cost: fulfillmentOrderLinesQuery.cost(size), retry: true, variables: { id: fulfillmentOrderId, lines: size, after: cursor } },
        signal,
      );
      if (!data.fulfillmentOrder) break;
      lines.push(...data.fulfillmentOrder.lineItems.nodes);
      cursor = data.fulfillmentOrder.lineItems.pageInfo.hasNextPage ? data.fulfillmentOrder.lineItems.pageInfo.endCursor : null;
    }
    return lines;
  };

  return {
    ...createInventorySyncCalls({ connectionId, apiVersion: settings.apiVersion, locationId: settings.locationId, run }),
    ...createProductReadCalls({ run }),

    async shop(signal) {
      const { data, apiVersion } = await run({ ...shopQuery, retry: true }, signal);
      if (!data.location) throw permanentError('shopify_not_found', `${connectionId}: the shop has no primary location`, 404);
      return {
        name: data.shop.name,
        currencyCode: data.shop.currencyCode,
        myshopifyDomain: data.shop.myshopifyDomain ?? undefined,
        apiVersion: apiVersion ?? settings.apiVersion,
        locationId: data.location.id,
      };
    },

    async productSet(input, callOptions = {}) {
      const product = validated(connectionId, ProductSetInput, input, 'productSet input');
      const given = callOptions.identifier ?? (product.handle ? { handle: product.handle } : undefined);
      const identifier = given === undefined ? undefined : validated(connectionId, ProductSetIdentifier, given, 'productSet identifier');
      const variantCount = Math.max(1, product.variants?.length ?? 1);
      const { data } = await run(
        {
          ...productSetMutation,
          cost: productSetMutation.cost(variantCount),
          // With an identifier productSet is an upsert to the same state, so a resend is harmless.
          retry: identifier !== undefined,
          variables: { input: product, identifier: identifier && 'id' in identifier ? { id: shopifyGid('Product', identifier.id) } : identifier, variantCount },
        },
        callOptions.signal,
      );
      const payload = data.productSet;
      if (payload.userErrors.length > 0) throw userErrorsError(connectionId, 'productSet', payload.userErrors);
      if (!payload.product) throw permanentError('outbound_unexpected_response', `${connectionId}: productSet returned no product`, 502);
      return {
        productId: payload.product.id,
        handle: payload.product.handle,
        variants: payload.product.variants.nodes.map((v) => ({ id: v.id, sku: v.sku, title: v.title, inventoryItemId: v.inventoryItem.id })),
      };
    },

    async productDelete(productId, callOptions = {}) {
      const id = shopifyGid('Product', productId);
      // A resend after a lost answer finds no product, which is the state asked for.
      const { data } = await run({ ...productDeleteMutation, retry: true, variables: { input: { id } } }, callOptions.signal);
      const { deletedProductId, userErrors } = data.productDelete;
      if (userErrors.length > 0 && userErrors.every((e) => e.field?.join('.') === 'id' && /does not exist/i.test(e.message))) return { productId: id, deleted: false };
      if (userErrors.length > 0) throw userErrorsError(connectionId, 'productDelete', userErrors);
      return { productId: deletedProductId ?? id, deleted: true };
    },

    async inventorySetQuantities(input, callOptions) {
      const parsed = validated(connectionId, InventorySetQuantitiesInput, input, 'inventorySetQuantities input');
      const body = {
        ...parsed,
        quantities: parsed.quantities.map((q) => ({
          inventoryItemId: shopifyGid('InventoryItem', q.inventoryItemId),
          locationId: locationGid(q.locationId, 'inventorySetQuantities'),
          quantity: q.quantity,
          changeFromQuantity: q.changeFromQuantity,
        })),
      };
      if (!callOptions.idempotencyKey) throw permanentError('invalid_shopify_input', `${connectionId}: inventorySetQuantities needs an idempotencyKey (Shopify 2026-04 requires @idempotent)`, 422);
      const idempotencyKey = derivedIdempotencyKey(callOptions.idempotencyKey, 'inventorySetQuantities', body);
      const { data } = await run({ ...inventorySetQuantitiesMutation, retry: true, variables: { input: body, idempotencyKey } }, callOptions.signal);
      const payload = data.inventorySetQuantities;
      if (payload.userErrors.length > 0) throw userErrorsError(connectionId, 'inventorySetQuantities', payload.userErrors, { ...inventoryRules, ...idempotencyRules });
      const group = payload.inventoryAdjustmentGroup;
      return {
        adjustmentGroupId: group?.id ?? null,
        changes: (group?.changes ?? []).map((c) => ({ name: c.name, delta: c.delta, quantityAfterChange: c.quantityAfterChange, inventoryItemId: c.item.id, locationId: c.location.id })),
      };
    },

    async inventoryLevel(inventoryItemId, callOptions = {}) {
      const variables = { itemId: shopifyGid('InventoryItem', inventoryItemId), locationId: locationGid(callOptions.locationId, 'inventoryLevel') };
      const { data } = await run({ ...inventoryLevelQuery, retry: true, variables }, callOptions.signal);
      const level = data.inventoryItem?.inventoryLevel;
      if (!data.inventoryItem || !level) return null;
      const quantity = (name: string) => level.quantities.find((q) => q.name === name)?.quantity ?? 0;
      return { inventoryItemId: data.inventoryItem.id, sku: data.inventoryItem.sku, available: quantity('available'), onHand: quantity('on_hand'), committed: quantity('committed') };
    },

    async fulfillmentOrders(orderId, signal) {
      const { orders, lines } = fulfillmentOrdersPageSize;
      const { data } = await run(
        { ...fulfillmentOrdersQuery, cost: fulfillmentOrdersQuery.cost(orders, lines), retry: true, variables: { id: shopifyGid('Order', orderId), first: orders, lines } },
        signal,
      );
      if (!data.order) throw permanentError('shopify_not_found', `${connectionId}: order ${orderId} does not exist in Shopify`, 404);
      if (data.order.fulfillmentOrders.pageInfo.hasNextPage) {
        throw permanentError('shopify_too_many_fulfillment_orders', `${connectionId}: order ${data.order.name} has more than ${orders} fulfillment orders`, 422);
      }
      const result: ShopifyFulfillmentOrder[] = [];
      for (const node of data.order.fulfillmentOrders.nodes) {
        const page = node.lineItems;
        const all = [...page.nodes, ...(page.pageInfo.hasNextPage ? await moreLines(node.id, page.pageInfo.endCursor, signal) : [])];
        result.push({
          id: node.id,
          status: node.status,
          locationId: node.assignedLocation.location?.id ?? null,
          locationName: node.assignedLocation.name,
          lineItems: all.map((l) => ({ id: l.id, lineItemId: l.lineItem.id, sku: l.sku ?? l.lineItem.sku, name: l.lineItem.name, totalQuantity: l.totalQuantity, remainingQuantity: l.remainingQuantity })),
        });
      }
      return result;
    },

    async fulfillmentCreate(input, callOptions = {}) {
      const parsed = validated(connectionId, FulfillmentInput, input, 'fulfillmentCreate input');
      const fulfillment = {
        ...parsed,
        lineItemsByFulfillmentOrder: parsed.lineItemsByFulfillmentOrder.map((group) => ({
          fulfillmentOrderId: shopifyGid('FulfillmentOrder', group.fulfillmentOrderId),
          ...(group.fulfillmentOrderLineItems
            ? { fulfillmentOrderLineItems: group.fulfillmentOrderLineItems.map((l) => ({ id: shopifyGid('FulfillmentOrderLineItem', l.id), quantity: l.quantity })) }
            : {}),
        })),
      };
      const { data } = await run(
        { ...fulfillmentCreateMutation, retry: false, variables: { fulfillment, ...(callOptions.message !== undefined ? { message: callOptions.message } : {}) } },
        callOptions.signal,
      );
      const payload = data.fulfillmentCreate;
      if (payload.userErrors.length > 0) throw userErrorsError(connectionId, 'fulfillmentCreate', payload.userErrors);
      if (!payload.fulfillment) throw permanentError('outbound_unexpected_response', `${connectionId}: fulfillmentCreate returned no fulfillment`, 502);
      const f = payload.fulfillment;
      return { fulfillmentId: f.id, name: f.name, status: f.status, createdAt: f.createdAt, trackingInfo: f.trackingInfo };
    },

    async refundCreate(input, callOptions) {
      const parsed = validated(connectionId, RefundInput, input, 'refundCreate input');
      const orderId = shopifyGid('Order', parsed.orderId);
      const body = {
        ...parsed,
        orderId,
        ...(parsed.refundLineItems
          ? {
              refundLineItems: parsed.refundLineItems.map((l) => ({
                ...l,
                lineItemId: shopifyGid('LineItem', l.lineItemId),
                ...(l.locationId !== undefined ? { locationId: shopifyGid('Location', l.locationId) } : {}),
              })),
            }
          : {}),
        ...(parsed.transactions
          ? {
              transactions: parsed.transactions.map((t) => ({
                ...t,
                orderId: t.orderId === undefined ? orderId : shopifyGid('Order', t.orderId),
                ...(t.parentId !== undefined ? { parentId: shopifyGid('OrderTransaction', t.parentId) } : {}),
              })),
            }
          : {}),
      };
      if (!callOptions.idempotencyKey) throw permanentError('invalid_shopify_input', `${connectionId}: refundCreate needs an idempotencyKey (Shopify 2026-04 requires @idempotent)`, 422);
      const idempotencyKey = derivedIdempotencyKey(callOptions.idempotencyKey, 'refundCreate', body);
      const { data } = await run({ ...refundCreateMutation, retry: true, variables: { input: body, idempotencyKey } }, callOptions.signal);
      const payload = data.refundCreate;
      if (payload.userErrors.length > 0) throw userErrorsError(connectionId, 'refundCreate', payload.userErrors, idempotencyRules);
      if (!payload.refund) throw permanentError('outbound_unexpected_response', `${connectionId}: refundCreate returned no refund`, 502);
      const refund = payload.refund;
      return {
        refundId: refund.id,
        createdAt: refund.createdAt,
        totalRefunded: refund.totalRefundedSet.presentmentMoney,
        transactions: refund.transactions.nodes.map((t) => ({ id: t.id, kind: t.kind, status: t.status, gateway: t.gateway, amount: t.amountSet.shopMoney.amount, currencyCode: t.amountSet.shopMoney.currencyCode })),
        orderFinancialStatus: payload.order?.displayFinancialStatus ?? null,
      };
    },

    ordersPage: (query, signal) => fetchOrdersPage({ connectionId, http: restHttp, apiVersion: settings.apiVersion, textOf: capture.textOf }, query, signal),

    payouts: (query, signal) => fetchPayouts(restDeps, query, signal),
    payout: (payoutId, signal) => fetchPayout(restDeps, payoutId, signal),
    payoutTransactionsPage: (query, signal) => fetchPayoutTransactionsPage(restDeps, query, signal),
    payoutTransactions: (payoutId, signal) => fetchAllPayoutTransactions(restDeps, payoutId, signal),

    health: () => mergedHealth(graphqlHttp.health(), restHttp.health()),
    restHealth: () => restHttp.health(),
  };
}
