import { z } from 'zod';
import {
  FulfillmentStatus,
  Identifier,
  Order,
  PaymentTransaction,
  Payout,
  Price,
  Product,
  Quantity,
  RefundLine,
  Timestamp,
  Tracking,
  CurrencyCode,
  NonNegativeMinorUnits,
} from '../../model/index.js';

/** A channel created or changed an order; `channelUpdatedAt` orders versions of the same order. */
const OrderEvent = z.object({
  kind: z.literal('order'),
  order: Order,
  channelUpdatedAt: Timestamp.optional(),
  /** The channel's own statuses, e.g. Shopify financial_status / fulfillment_status. */
  channelStatus: z.record(z.string(), z.string()).optional(),
});

/** A channel cancelled an order. */
const OrderCancelledEvent = z.object({
  kind: z.literal('order-cancelled'),
  orderExternalId: Identifier,
  cancelledAt: Timestamp,
  reason: z.string().optional(),
});

/** Money given back for an order, as the channel or payment provider reported it. */
const RefundEvent = z.object({
  kind: z.literal('refund'),
  orderExternalId: Identifier,
  refund: z.object({
    reference: Identifier,
    currency: CurrencyCode,
    amount: NonNegativeMinorUnits,
    lines: z.array(RefundLine).optional(),
    shipping: NonNegativeMinorUnits.optional(),
    reason: z.string().optional(),
    restock: z.boolean().optional(),
    createdAt: Timestamp,
  }),
});

/** A shipment of an order reported by a channel or a warehouse. */
const FulfillmentEvent = z.object({
  kind: z.literal('fulfillment'),
  orderExternalId: Identifier,
  fulfillment: z.object({
    reference: Identifier,
    status: FulfillmentStatus,
    locationId: Identifier.optional(),
    lines: z.array(
      z.object({
        lineId: Identifier.optional(),
        sku: Identifier,
        quantity: Quantity,
        substitutedSku: Identifier.optional(),
      }),
    ),
    tracking: z.array(Tracking).default([]),
    shippedAt: Timestamp.optional(),
  }),
});

/** A product as a channel or the ERP now has it. */
const ProductEvent = z.object({
  kind: z.literal('product'),
  product: Product,
  deleted: z.boolean().optional(),
  /** The source's own version of the product (e.g. ERPNext `modified`): an older one than already applied is stale. */
  sourceVersion: z.string().optional(),
});

/** A selling price of a SKU as the ERP (or a pricing system) now has it, from a named price list; `deleted` when withdrawn. */
const PriceEvent = z.object({
  kind: z.literal('price'),
  price: Price,
  /** The system's price list the price belongs to (e.g. ERPNext "Standard Selling"). */
  priceList: z.string().min(1).optional(),
  deleted: z.boolean().optional(),
});

/** Stock of an item at a location as a system reports it (absolute, not a delta). */
const InventoryLevelEvent = z.object({
  kind: z.literal('inventory-level'),
  sku: Identifier.optional(),
  /** The system's own item id (e.g. Shopify inventory_item_id), when the SKU is not in the payload. */
  itemId: Identifier.optional(),
  locationId: Identifier,
  available: z.int().optional(),
  onHand: z.int().optional(),
  occurredAt: Timestamp,
  sourceVersion: z.string().optional(),
});

/** A movement at a payment provider: authorization, capture, refund, failure, dispute. */
const PaymentEvent = z.object({
  kind: z.literal('payment'),
  orderExternalId: Identifier.optional(),
  transaction: PaymentTransaction,
});

/** A payout to the retailer's bank, with its settlement lines when known. */
const PayoutEvent = z.object({
  kind: z.literal('payout'),
  payout: Payout,
});

/** A warehouse received units a customer sent back (an RMA the hub created), by line and condition. */
const ReturnReceivedEvent = z.object({
  kind: z.literal('return-received'),
  /** The hub order id, which the warehouse knows as the shipment order's reference. */
  orderExternalId: Identifier,
  return: z.object({
    /** The hub's return id. */
    reference: Identifier,
    /** The warehouse's id of the return. */
    externalId: Identifier,
    receivedAt: Timestamp,
    locationId: Identifier.optional(),
    lines: z.array(
      z.object({
        lineId: Identifier.optional(),
        sku: Identifier,
        quantity: Quantity,
        condition: z.enum(['sellable', 'damaged']),
      }),
    ),
  }),
});

/** What a connector reads out of one inbound payload, in canonical terms (pure mapping output). */
export const InboundEvent = z.discriminatedUnion('kind', [
  OrderEvent,
  OrderCancelledEvent,
  RefundEvent,
  FulfillmentEvent,
  ProductEvent,
  PriceEvent,
  InventoryLevelEvent,
  PaymentEvent,
  PayoutEvent,
  ReturnReceivedEvent,
]);

/** What a connector reads out of one inbound payload. */
export type InboundEvent = z.input<typeof InboundEvent>;

/** An inbound event after parsing (defaults applied). */
export type ParsedInboundEvent = z.output<typeof InboundEvent>;
