import { z } from 'zod';
import type { FulfillmentStatus } from '../../model/index.js';
import type { InboundEvent } from '../framework/index.js';
import { shopifyLineSku } from './mapping-order.js';
import { definedOnly, exactId, ShopifyNode } from './mapping-support.js';

/** A canonical fulfillment event. */
export type FulfillmentEvent = Extract<InboundEvent, { kind: 'fulfillment' }>;

type Status = z.infer<typeof FulfillmentStatus>;

const statuses: Readonly<Record<string, Status>> = {
  pending: 'pending',
  open: 'pending',
  success: 'shipped',
  cancelled: 'cancelled',
  error: 'cancelled',
  failure: 'cancelled',
};

const Url = z.url();

/** Carrier tracking of a fulfillment: one entry per tracking number, with the URL at the same position when it is a valid URL. */
function tracking(root: ShopifyNode): FulfillmentEvent['fulfillment']['tracking'] {
  const carrier = root.at('tracking_company').optionalText() ?? 'Other';
  const numbers = root.at('tracking_numbers').optionalList().map((n) => n.optionalText());
  const urls = root.at('tracking_urls').optionalList().map((n) => n.optionalText());
  const single = root.at('tracking_number').optionalText();
  const list = numbers.some((n) => n !== undefined) ? numbers : [single];
  const fallbackUrl = root.at('tracking_url').optionalText();
  return list.flatMap((number, index) => {
    if (number === undefined) return [];
    const url = urls[index] ?? (list.length === 1 ? fallbackUrl : undefined);
    return [{ carrier, number, ...(url !== undefined && Url.safeParse(url).success ? { url } : {}) }];
  });
}

/**
 * fulfillments/create|update as a canonical fulfillment: status pending/open → pending,
 * success → shipped (delivered once shipment_status is delivered), cancelled/error/failure → cancelled.
 */
export function shopifyFulfillmentToEvent(fulfillment: unknown): FulfillmentEvent {
  const root = new ShopifyNode(fulfillment).object();
  const statusNode = root.at('status');
  const shopifyStatus = statusNode.text();
  let status = statuses[shopifyStatus] ?? statusNode.fail(`is ${JSON.stringify(shopifyStatus)}, not a known Shopify fulfillment status`);
  if (status === 'shipped' && root.at('shipment_status').optionalText() === 'delivered') status = 'delivered';
  const lines = root
    .at('line_items')
    .list()
    .map((line) => {
      line.object();
      const lineId = exactId(line);
      return { lineId, sku: shopifyLineSku(line, lineId), quantity: line.at('quantity').integer() };
    })
    .filter((line) => line.quantity > 0);
  const shipped = status === 'shipped' || status === 'delivered';
  return {
    kind: 'fulfillment',
    orderExternalId: root.at('order_id').id(),
    fulfillment: {
      reference: exactId(root),
      status,
      ...definedOnly({
        locationId: root.at('location_id').optionalId(),
        shippedAt: shipped ? (root.at('created_at').optionalTimestamp() ?? root.at('updated_at').optionalTimestamp()) : undefined,
      }),
      lines,
      tracking: tracking(root),
    },
  };
}
