import { permanentError, toJsonPointer } from '../../model/index.js';
import { InboundEvent } from '../framework/index.js';
import { parseShopifyJson } from './json.js';
import {
  shopifyFulfillmentToEvent,
  shopifyInventoryLevelToEvent,
  shopifyOrderCancellation,
  shopifyOrderChannelStatus,
  shopifyOrderToCanonical,
  shopifyProductToEvent,
  shopifyRefundToEvent,
  shopifyTransactionToEvent,
  type ShopifyMoneyMode,
} from './mapping.js';
import { ShopifyNode } from './mapping-support.js';

/** Options of {@link interpretShopify}. */
export interface ShopifyInterpretOptions {
  /** Read amounts in the shop currency (default) or the buyer's presentment currency. */
  money?: ShopifyMoneyMode;
  /** Currency to assume for payloads that name none (older REST transactions and refunds). */
  currency?: string;
}

/** Order topics whose payload is a full order, mapped like orders/updated. */
const ORDER_TOPICS = new Set(['orders/create', 'orders/updated', 'orders/paid', 'orders/fulfilled', 'orders/partially_fulfilled', 'orders/cancelled']);

/** Every topic {@link interpretShopify} maps; any other topic yields no events. */
export const interpretedShopifyTopics: readonly string[] = [
  ...ORDER_TOPICS,
  'refunds/create',
  'fulfillments/create',
  'fulfillments/update',
  'products/create',
  'products/update',
  'inventory_levels/update',
  'order_transactions/create',
];

function orderEvents(connectionId: string, topic: string, body: unknown, options: ShopifyInterpretOptions): InboundEvent[] {
  const order = shopifyOrderToCanonical(connectionId, body, options.money === undefined ? {} : { money: options.money });
  const updatedAt = new ShopifyNode(body).at('updated_at').optionalTimestamp();
  const event: InboundEvent = {
    kind: 'order',
    order,
    ...(updatedAt === undefined ? {} : { channelUpdatedAt: updatedAt }),
    channelStatus: shopifyOrderChannelStatus(body),
  };
  return topic === 'orders/cancelled' ? [event, shopifyOrderCancellation(body)] : [event];
}

function eventsOf(connectionId: string, topic: string, body: unknown, options: ShopifyInterpretOptions): InboundEvent[] {
  if (ORDER_TOPICS.has(topic)) return orderEvents(connectionId, topic, body, options);
  switch (topic) {
    case 'refunds/create':
      return [shopifyRefundToEvent(body, options)];
    case 'fulfillments/create':
    case 'fulfillments/update':
      return [shopifyFulfillmentToEvent(body)];
    case 'products/create':
    case 'products/update':
      return [shopifyProductToEvent(body)];
    case 'inventory_levels/update':
      return [shopifyInventoryLevelToEvent(body)];
    case 'order_transactions/create': {
      const event = shopifyTransactionToEvent(body, options);
      return event === undefined ? [] : [event];
    }
    default:
      return [];
  }
}

/**
 * Maps a verified Shopify webhook body of `topic` to canonical events (pure): parses without
 * rounding, dispatches by topic, and checks every event against InboundEvent. Unknown topics
 * give []; a malformed payload is a permanent 'invalid_payload' error naming the JSON pointer.
 */
export function interpretShopify(connectionId: string, topic: string, payload: string, options: ShopifyInterpretOptions = {}): InboundEvent[] {
  if (!interpretedShopifyTopics.includes(topic)) return [];
  const events = eventsOf(connectionId, topic, parseShopifyJson(payload), options);
  for (const event of events) {
    const checked = InboundEvent.safeParse(event);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw permanentError(
        'invalid_payload',
        `${topic} maps to an invalid ${event.kind} event: ${toJsonPointer(issue.path)} ${issue.message}`,
        422,
        checked.error.issues.map((i) => ({ pointer: toJsonPointer(i.path), detail: i.message })),
      );
    }
  }
  return events;
}
