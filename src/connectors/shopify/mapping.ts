export {
  shopifyLineSku,
  shopifyOrderCancellation,
  shopifyOrderChannelStatus,
  shopifyOrderToCanonical,
  type ShopifyMoneyMode,
  type ShopifyOrderOptions,
} from './mapping-order.js';
export { shopifyRefundToEvent, type RefundEvent, type ShopifyMoneyOptions } from './mapping-refund.js';
export { shopifyFulfillmentToEvent, type FulfillmentEvent } from './mapping-fulfillment.js';
export {
  shopifyInventoryLevelToEvent,
  shopifyProductPrices,
  shopifyProductToEvent,
  shopifyVariantSku,
  type InventoryLevelEvent,
  type ProductEvent,
} from './mapping-catalog.js';
export { shopifyTransactionToEvent, type PaymentEvent } from './mapping-payment.js';
export { normalizeShopifyTimestamp } from './mapping-support.js';
