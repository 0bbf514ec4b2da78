import { z } from 'zod';
import { CountryCode, Identifier, IsoDate, Quantity, Timestamp } from '../../model/index.js';

/**
 * The Tillbridge generic warehouse API, v1: the wire shapes a 3PL adapter implements (see
 * docs/connectors/warehouse.md). Objects are parsed loosely: unknown fields a 3PL adds are dropped.
 */

const Count = z.int().min(0);

/** Where a shipment order goes. */
export const ShipTo = z.object({
  name: z.string().min(1, { error: 'name must not be empty' }),
  company: z.string().optional(),
  line1: z.string().min(1, { error: 'line1 must not be empty' }),
  line2: z.string().optional(),
  city: z.string().min(1, { error: 'city must not be empty' }),
  region: z.string().optional(),
  postalCode: z.string().optional(),
  country: CountryCode,
  phone: z.string().optional(),
  email: z.string().optional(),
});

/** Where a shipment order goes. */
export type ShipTo = z.infer<typeof ShipTo>;

/** `POST /v1/shipment-orders` body. */
export const NewShipmentOrder = z.object({
  /** The hub's order id: unique per account, the key of every retry. */
  reference: Identifier,
  orderNumber: z.string().max(255).optional(),
  shipTo: ShipTo,
  serviceLevel: Identifier.default('standard'),
  requestedShipDate: IsoDate.optional(),
  lines: z
    .array(z.object({ lineId: Identifier, sku: Identifier, quantity: Quantity }))
    .min(1, { error: 'a shipment order has at least one line' })
    .refine((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, { error: 'lineId must be unique within an order' }),
  notes: z.string().max(2000).optional(),
});

/** `POST /v1/shipment-orders` body, as sent. */
export type NewShipmentOrder = z.input<typeof NewShipmentOrder>;

/** States of a shipment order. */
export const ShipmentOrderStatus = z.enum(['received', 'backordered', 'partially_shipped', 'shipped', 'cancelled']);

/** States of a shipment order. */
export type ShipmentOrderStatus = z.infer<typeof ShipmentOrderStatus>;

/** One line of a shipment: units of an order line, and the SKU actually sent when the 3PL substituted. */
export const ShippedLine = z.object({
  lineId: Identifier,
  sku: Identifier,
  quantity: Quantity,
  substitutedSku: Identifier.nullish(),
});

/** One line of a shipment. */
export type ShippedLine = z.infer<typeof ShippedLine>;

/** A parcel (or pallet) that left the warehouse. */
export const Shipment = z.object({
  id: Identifier,
  carrier: z.string().min(1),
  service: z.string().nullish(),
  trackingNumber: z.string().nullish(),
  trackingUrl: z.string().nullish(),
  shippedAt: Timestamp,
  lines: z.array(ShippedLine).min(1),
});

/** A parcel (or pallet) that left the warehouse. */
export type Shipment = z.infer<typeof Shipment>;

/**
 * One cancellation of units of a shipment order, as its `shipment-order.cancelled` webhook reported
 * it: `cancellationId` for a line cancellation, none for the cancel of the whole rest.
 */
export const ShipmentOrderCancellation = z.object({
  cancellationId: Identifier.nullish(),
  cancelledAt: Timestamp,
  reason: z.string().nullish(),
  lines: z.array(z.object({ lineId: Identifier, sku: Identifier, cancelledQuantity: Count })),
  partial: z.boolean().default(false),
});

/** One cancellation of units of a shipment order. */
export type ShipmentOrderCancellation = z.output<typeof ShipmentOrderCancellation>;

/** A shipment order as the warehouse reports it. */
export const ShipmentOrder = z.object({
  id: Identifier,
  reference: Identifier,
  orderNumber: z.string().nullish(),
  status: ShipmentOrderStatus,
  serviceLevel: z.string(),
  requestedShipDate: IsoDate.nullish(),
  shipTo: ShipTo,
  lines: z.array(
    z.object({
      lineId: Identifier,
      sku: Identifier,
      quantity: Quantity,
      allocatedQuantity: Count.default(0),
      shippedQuantity: Count.default(0),
      cancelledQuantity: Count.default(0),
    }),
  ),
  shipments: z.array(Shipment).default([]),
  /** Every cancellation, oldest first (what lets a poll recover a lost `shipment-order.cancelled`). */
  cancellations: z.array(ShipmentOrderCancellation).default([]),
  createdAt: Timestamp,
  /** Changes with every change of the order: created, allocated, shipped, cancelled (whole or lines). */
  updatedAt: Timestamp,
  cancelledAt: Timestamp.nullish(),
});

/** A shipment order as the warehouse reports it. */
export type ShipmentOrder = z.output<typeof ShipmentOrder>;

/** A page of a list endpoint. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().min(1).nullish() });
}

/** Stock of one SKU at one warehouse location; available = onHand − allocated. */
export const StockLevel = z.object({
  sku: Identifier,
  location: Identifier,
  onHand: z.int(),
  allocated: Count,
  available: z.int(),
});

/** Stock of one SKU at one warehouse location. */
export type StockLevel = z.infer<typeof StockLevel>;

/** `GET /v1/account`: who the API key belongs to. */
export const Account = z.object({
  id: Identifier,
  name: z.string(),
  apiVersion: z.string().default('v1'),
  locations: z.array(Identifier).default([]),
});

/** `GET /v1/account`. */
export type Account = z.output<typeof Account>;

/** Why stock changed. */
export const StockReason = z.enum(['receipt', 'adjustment', 'damage', 'shipment', 'cycle_count']);

/** Webhook `shipment.confirmed`: a shipment left the warehouse. */
export const ShipmentConfirmedEvent = z.object({
  type: z.literal('shipment.confirmed').optional(),
  eventId: Identifier,
  shipmentOrderId: Identifier,
  reference: Identifier,
  orderNumber: z.string().nullish(),
  shipmentId: Identifier,
  location: Identifier.nullish(),
  lines: z.array(ShippedLine).min(1, { error: 'a shipment has at least one line' }),
  carrier: z.string().min(1),
  service: z.string().nullish(),
  trackingNumber: z.string().nullish(),
  trackingUrl: z.string().nullish(),
  shippedAt: Timestamp,
  /** True while units of the order are still to ship after this shipment. */
  partial: z.boolean(),
});

/** Webhook `shipment.confirmed`. */
export type ShipmentConfirmedEvent = z.infer<typeof ShipmentConfirmedEvent>;

/** Webhook `stock.adjusted`: the on-hand count of a SKU at a location changed (or was confirmed by a count). */
export const StockAdjustedEvent = z.object({
  type: z.literal('stock.adjusted').optional(),
  eventId: Identifier,
  sku: Identifier,
  location: Identifier,
  onHand: z.int(),
  delta: z.int(),
  reason: StockReason,
  occurredAt: Timestamp,
  /** Increases with every change of this SKU at this location: a lower version is older news. */
  version: z.int().min(0),
});

/** Webhook `stock.adjusted`. */
export type StockAdjustedEvent = z.infer<typeof StockAdjustedEvent>;

/** Webhook `shipment-order.cancelled`: units of an order that will not ship. */
export const ShipmentOrderCancelledEvent = z.object({
  type: z.literal('shipment-order.cancelled').optional(),
  eventId: Identifier,
  shipmentOrderId: Identifier,
  reference: Identifier,
  cancelledAt: Timestamp,
  reason: z.string().nullish(),
  /** Set when the event is one cancellation of some lines (`POST …/cancellations`), not the cancel of the whole rest. */
  cancellationId: Identifier.nullish(),
  lines: z.array(z.object({ lineId: Identifier, sku: Identifier, cancelledQuantity: Count })),
  /** True when the cancelled units are not the whole order: some had shipped before, or (line cancellation) some remain open. */
  partial: z.boolean(),
});

/** Webhook `shipment-order.cancelled`. */
export type ShipmentOrderCancelledEvent = z.infer<typeof ShipmentOrderCancelledEvent>;

/** `POST /v1/shipment-orders/{id}/cancellations` body: units to take off the open quantity of each line. */
export const NewLineCancellation = z.object({
  lines: z
    .array(z.object({ lineId: Identifier, quantity: Quantity }))
    .min(1, { error: 'a cancellation has at least one line' })
    .refine((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, { error: 'lineId must be unique within a cancellation' }),
  reason: z.string().max(500).optional(),
});

/** `POST /v1/shipment-orders/{id}/cancellations` body, as sent. */
export type NewLineCancellation = z.input<typeof NewLineCancellation>;

/** `POST /v1/returns` body: an RMA for units of a shipped order that the customer sends back. */
export const NewReturn = z.object({
  /** The hub's return id: unique per account, the key of every retry. */
  reference: Identifier,
  /** The `reference` of the shipment order the units shipped with (the hub's order id). */
  shipmentOrderReference: Identifier,
  lines: z
    .array(z.object({ lineId: Identifier, sku: Identifier, quantity: Quantity, reason: z.string().max(500).optional() }))
    .min(1, { error: 'a return has at least one line' })
    .refine((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, { error: 'lineId must be unique within a return' }),
  notes: z.string().max(2000).optional(),
});

/** `POST /v1/returns` body, as sent. */
export type NewReturn = z.input<typeof NewReturn>;

/** States of a return: authorised and awaited, received at the dock, or closed without (further) receipt. */
export const ReturnStatus = z.enum(['authorized', 'received', 'closed']);

/** States of a return. */
export type ReturnStatus = z.infer<typeof ReturnStatus>;

/** The state a returned unit arrived in: `sellable` units go back to stock, `damaged` ones do not. */
export const ReturnCondition = z.enum(['sellable', 'damaged']);

/** The state a returned unit arrived in. */
export type ReturnCondition = z.infer<typeof ReturnCondition>;

/** Units of a return line received in one condition. */
export const ReceivedLine = z.object({ lineId: Identifier, sku: Identifier, quantity: Quantity, condition: ReturnCondition });

/** Units of a return line received in one condition. */
export type ReceivedLine = z.infer<typeof ReceivedLine>;

/** A return (RMA) as the warehouse reports it. */
export const WarehouseReturn = z.object({
  id: Identifier,
  reference: Identifier,
  shipmentOrderId: Identifier.nullish(),
  shipmentOrderReference: Identifier,
  status: ReturnStatus,
  lines: z.array(z.object({ lineId: Identifier, sku: Identifier, quantity: Quantity, reason: z.string().nullish() })),
  notes: z.string().nullish(),
  receivedAt: Timestamp.nullish(),
  /** What arrived, by line and condition (empty until received). */
  receivedLines: z.array(ReceivedLine).default([]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** A return (RMA) as the warehouse reports it. */
export type WarehouseReturn = z.output<typeof WarehouseReturn>;

/** Webhook `return.received`: a return's parcel arrived and was inspected. */
export const ReturnReceivedEvent = z.object({
  type: z.literal('return.received').optional(),
  eventId: Identifier,
  return: z.object({
    id: Identifier,
    reference: Identifier,
    shipmentOrderReference: Identifier,
    location: Identifier.nullish(),
    receivedAt: Timestamp,
    lines: z.array(ReceivedLine).min(1, { error: 'a receipt has at least one line' }),
  }),
});

/** Webhook `return.received`. */
export type ReturnReceivedEvent = z.infer<typeof ReturnReceivedEvent>;

/** The webhook event types of the warehouse API. */
export const warehouseTopics = ['shipment.confirmed', 'stock.adjusted', 'shipment-order.cancelled', 'return.received'] as const;

/** A webhook event type of the warehouse API. */
export type WarehouseTopic = (typeof warehouseTopics)[number];

/** An error body (RFC 9457 problem details) with the API's stable `code`. */
export const Problem = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.int().optional(),
  detail: z.string().optional(),
  code: z.string().optional(),
  existingId: z.string().optional(),
  errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
});

/** An error body of the warehouse API. */
export type Problem = z.infer<typeof Problem>;
