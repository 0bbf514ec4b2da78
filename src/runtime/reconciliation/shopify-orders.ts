import type { Connection, ShopifyClient } from '../../connectors/index.js';
import type { ChannelOrderRecord, ChannelOrderSide } from '../../flows/index.js';

/** A listed order as its orders/updated webhook would be interpreted; an order that does not map still counts, by its id. */
function recordOf(connection: Connection, order: { id: string; updatedAt: string; json: string }): ChannelOrderRecord {
  const base = { externalId: order.id, updatedAt: order.updatedAt, cancelled: false, total: 0, currency: '', payload: order.json, topic: 'orders/updated', dedupKey: `orders/updated:${order.id}:${order.updatedAt}` };
  try {
    const events = connection.instance.interpret?.('orders/updated', order.json) ?? [];
    const placed = events.find((e) => e.kind === 'order');
    if (!placed || placed.kind !== 'order') return base;
    return {
      ...base,
      externalId: placed.order.externalId,
      number: placed.order.number,
      cancelled: events.some((e) => e.kind === 'order-cancelled'),
      total: placed.order.totals.total,
      currency: placed.order.currency,
    };
  } catch {
    return base;
  }
}

/** Shopify's orders changed in a window, read like the orders poller reads them (REST, oldest change first, Link paging). */
export function shopifyOrderSide(connection: Connection): ChannelOrderSide {
  const client = connection.instance.client as ShopifyClient;
  return {
    connectionId: connection.id,
    system: connection.system,
    async *ordersChanged(window, signal) {
      const to = new Date(window.to).toISOString();
      let page = await client.ordersPage({ updatedAtMin: new Date(window.from).toISOString(), limit: 250 }, signal);
      for (;;) {
        const inWindow = page.orders.filter((o) => o.updatedAt <= to || Date.parse(o.updatedAt) <= window.to);
        if (inWindow.length > 0) yield inWindow.map((o) => recordOf(connection, o));
        if (page.nextPageInfo === null || inWindow.length < page.orders.length) return;
        page = await client.ordersPage({ pageInfo: page.nextPageInfo, limit: 250 }, signal);
      }
    },
  };
}
