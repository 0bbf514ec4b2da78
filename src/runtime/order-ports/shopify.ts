import type { ShopifyClient } from '../../connectors/index.js';
import type { ChannelPort } from '../../flows/index.js';

function sameLine(lineItemId: string, lineId: string): boolean {
  return lineItemId === lineId || lineItemId.endsWith(`/${lineId}`);
}

/**
 * Shopify as a channel that takes fulfillments back: the shipped units of the order's fulfillment
 * orders with their tracking (fulfillmentCreate). Shopify has no idempotency key for it, so the
 * fulfillment orders are read first: when they already show the units as fulfilled, nothing is sent.
 */
export function shopifyChannelPortOf(connectionId: string, client: ShopifyClient): ChannelPort {
  return {
    connectionId,
    system: 'shopify',
    async pushFulfillment({ orderExternalId, lines, openAfter, tracking }, signal) {
      const orders = await client.fulfillmentOrders(orderExternalId, signal);
      const items = orders.flatMap((fo) => fo.lineItems.map((item) => ({ fo, item })));
      const matched = lines.map((line) => ({ line, found: items.find(({ item }) => sameLine(item.lineItemId, line.lineId)) ?? items.find(({ item }) => item.sku === line.sku) }));
      const landed = matched.every(({ line, found }) => found !== undefined && found.item.remainingQuantity <= (openAfter[line.lineId] ?? 0));
      if (landed) return { fulfillment: 'already-fulfilled' };
      const byOrder = new Map<string, { id: string; quantity: number }[]>();
      for (const { line, found } of matched) {
        if (!found || found.item.remainingQuantity <= (openAfter[line.lineId] ?? 0)) continue;
        const quantity = Math.min(line.quantity, found.item.remainingQuantity);
        byOrder.set(found.fo.id, [...(byOrder.get(found.fo.id) ?? []), { id: found.item.id, quantity }]);
      }
      if (byOrder.size === 0) return { fulfillment: 'nothing-open-in-shopify' };
      const first = tracking[0];
      const created = await client.fulfillmentCreate(
        {
          lineItemsByFulfillmentOrder: [...byOrder].map(([fulfillmentOrderId, fulfillmentOrderLineItems]) => ({ fulfillmentOrderId, fulfillmentOrderLineItems })),
          ...(first ? { trackingInfo: { company: first.carrier, numbers: tracking.map((t) => t.number), ...(first.url ? { url: first.url } : {}) } } : {}),
          notifyCustomer: true,
        },
        { signal },
      );
      return { fulfillment: created.fulfillmentId };
    },
  };
}
