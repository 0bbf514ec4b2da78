import { z } from 'zod';
import { Identifier, Quantity, Timestamp } from './primitives.js';

/** States of a shipment. */
export const FulfillmentStatus = z.enum(['pending', 'shipped', 'delivered', 'cancelled']);

/** Units of one order line in a shipment; `substitutedSku` is the SKU actually sent when it differs. */
export const FulfillmentLine = z.object({
  lineId: Identifier,
  sku: Identifier,
  quantity: Quantity,
  substitutedSku: Identifier.optional(),
});

/** A carrier tracking number. */
export const Tracking = z.object({
  carrier: z.string().min(1, { error: 'carrier must not be empty' }),
  number: z.string().min(1, { error: 'tracking number must not be empty' }),
  url: z.url({ error: 'must be an absolute URL' }).optional(),
});

/** A carrier tracking number. */
export type Tracking = z.infer<typeof Tracking>;

/** A shipment of some (or all) units of an order's lines; an order may have many. */
export const Fulfillment = z.object({
  id: Identifier.optional(),
  orderId: Identifier,
  locationId: Identifier.optional(),
  status: FulfillmentStatus,
  lines: z.array(FulfillmentLine).min(1, { error: 'a shipment has at least one line' }),
  tracking: z.array(Tracking).default([]),
  shippedAt: Timestamp.optional(),
});

/** A shipment of some (or all) units of an order's lines. */
export type Fulfillment = z.infer<typeof Fulfillment>;
