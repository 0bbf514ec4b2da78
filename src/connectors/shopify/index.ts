import { TillbridgeError } from '../../model/index.js';
import { defineConnector, errorText, timedCheck, type ConnectionInstance } from '../framework/index.js';
import { createShopifyClient, type ShopifyClient } from './client.js';
import { ShopifySecrets, ShopifySettings } from './config.js';
import { interpretShopify } from './interpret.js';
import { shopifyApiEndOfLife } from './api-version.js';
import { createShopifyOrdersPoller } from './poller.js';
import { identifyShopifyWebhook, verifyShopifyWebhook } from './webhooks.js';

export { createShopifyClient, type IdempotentCallOptions, type ShopifyClient, type ShopifyClientOptions } from './client.js';
export { derivedIdempotencyKey } from './client-support.js';
export { SetAvailableInput, type InventoryItemRef, type SetAvailableResult, type ShopLocation } from './inventory-sync.js';
export type { ShopifyVariantListing } from './product-reads.js';
export { defaultGraphqlRate, defaultRestRate, shopifyApiVersion, shopifyBaseUrl, ShopifySecrets, ShopifySettings, type ShopifySettingsInput } from './config.js';
export { gidNumber, shopifyGid, type UserError } from './graphql.js';
export {
  FulfillmentInput,
  InventorySetQuantitiesInput,
  ProductSetIdentifier,
  ProductSetInput,
  RefundInput,
  type FulfillmentCreateResult,
  type InventoryLevel,
  type InventorySetQuantitiesResult,
  type ProductDeleteResult,
  type ProductSetResult,
  type RefundCreateResult,
  type ShopifyFulfillmentOrder,
  type ShopInfo,
} from './operations.js';
export { createShopifyOrdersPoller, type ShopifyOrdersPollerOptions } from './poller.js';
export type { OrdersPage, OrdersPageQuery, RestOrder } from './rest.js';
export { graphqlRateFeedback, QueryCost, restRateFeedback, throttledRetryAfterMs } from './throttle.js';
export { interpretShopify, interpretedShopifyTopics, type ShopifyInterpretOptions } from './interpret.js';
export { parseShopifyJson } from './json.js';
export { shopifyApiEndOfLife } from './api-version.js';
export { identifyShopifyWebhook, shopifyWebhookHeaders, signShopifyWebhook, verifyShopifyWebhook } from './webhooks.js';
export { startShopifyEmulator, type RunningShopifyEmulator, type ShopifyCredentials, type ShopifyEmulatorOptions } from './emulator/server.js';

function checkFailure(error: unknown): string {
  if (error instanceof TillbridgeError && error.code === 'outbound_unauthorized') {
    return error.httpStatus === 403
      ? 'access denied (403): the access token lacks a scope the connector needs'
      : `invalid credentials (${error.httpStatus}): Shopify refused the access token`;
  }
  return `Shopify unreachable: ${errorText(error)}`;
}

/**
 * Shopify over the GraphQL Admin API 2026-04 (products, inventory, fulfillments, refunds) and the
 * REST orders endpoint (the poller), with signed webhooks in: orders, refunds, fulfillments,
 * products, inventory levels and transactions.
 */
export const shopifyConnector = defineConnector<ShopifySettings, ShopifySecrets, ShopifyClient>({
  system: 'shopify',
  title: 'Shopify (Admin API 2026-04)',
  capabilities: ['OrderSource', 'CatalogSink', 'InventorySource', 'InventorySink', 'FulfillmentSource', 'FulfillmentSink', 'PaymentSource'],
  settings: ShopifySettings,
  secrets: ShopifySecrets,
  apiVersion: (settings) => settings.apiVersion,
  apiEndOfLife: shopifyApiEndOfLife,
  create(context): ConnectionInstance<ShopifyClient> {
    const { connectionId, settings, secrets, clock } = context;
    const client = createShopifyClient({ connectionId, settings, secrets, clock, ...(context.fetch ? { fetch: context.fetch } : {}) });
    return {
      client,
      check: (signal) =>
        timedCheck(
          clock,
          async () => {
            const shop = await client.shop(signal);
            const served = shop.apiVersion === settings.apiVersion ? '' : ` (asked for ${settings.apiVersion})`;
            return { ok: true, detail: `shop ${shop.name} (${shop.myshopifyDomain ?? settings.shopDomain}, ${shop.currencyCode}) on Admin API ${shop.apiVersion}${served}`, apiVersion: shop.apiVersion };
          },
          checkFailure,
        ),
      webhooks: {
        verify: (raw, headers) => verifyShopifyWebhook(raw, headers, secrets.webhookSecret),
        identify: identifyShopifyWebhook,
      },
      interpret: (topic, payload) => interpretShopify(connectionId, topic, payload, { money: settings.money }),
      pollers: [createShopifyOrdersPoller({ client, intervalMs: settings.pollIntervalMs, clock, initialLookbackMs: settings.initialLookbackMs })],
      health: () => client.health(),
    };
  },
});
export { shopifyPayoutToCanonical, shopifyPayoutTransactionsToLines, shopifyPayoutSummary, shopifyBalanceTransactionKind, type ShopifyPayoutOptions, type ShopifyFeeLines, type ShopifyPayoutSummary } from './mapping-payout.js';
export type { PayoutsQuery, PayoutTransactionsQuery, PayoutTransactionsPage } from './rest-payouts.js';
