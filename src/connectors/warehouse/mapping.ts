import type { z } from 'zod';
import { permanentError, type Address, type Order } from '../../model/index.js';
import type { InboundEvent } from '../framework/index.js';
import type { WarehouseSettings } from './config.js';
import {
  ReturnReceivedEvent,
  ShipmentConfirmedEvent,
  ShipmentOrderCancelledEvent,
  StockAdjustedEvent,
  type NewShipmentOrder,
  type ShipTo,
} from './wire.js';

/** What interpretation needs from the connection's settings. */
export type InterpretSettings = Pick<WarehouseSettings, 'locationId'> & { warehouseLocation?: string | undefined };

/** What building a shipment order needs from the connection's settings. */
export type ServiceLevelSettings = Pick<WarehouseSettings, 'serviceLevels' | 'defaultServiceLevel'>;

function shipToOf(order: Order): ShipTo {
  const address: Address | undefined = order.shippingAddress;
  if (!address) throw permanentError('warehouse_no_ship_to', `order ${order.externalId} has no shipping address to send to the warehouse`);
  const name = address.name ?? order.customer?.name ?? address.company;
  if (!name) throw permanentError('warehouse_no_recipient', `order ${order.externalId}: the shipping address has no recipient name`);
  const email = order.customer?.email;
  return {
    name,
    ...(address.company !== undefined ? { company: address.company } : {}),
    line1: address.line1,
    ...(address.line2 !== undefined ? { line2: address.line2 } : {}),
    city: address.city,
    ...(address.region !== undefined ? { region: address.region } : {}),
    ...(address.postalCode !== undefined ? { postalCode: address.postalCode } : {}),
    country: address.country,
    ...(address.phone !== undefined ? { phone: address.phone } : {}),
    ...(email !== undefined ? { email } : {}),
  };
}

/**
 * The shipment order for a canonical order: `reference` is the hub's order id (the key of every
 * retry), lines keep their line ids, and the first shipping method picks the service level.
 */
export function shipmentOrderFromOrder(order: Order, reference: string, settings: ServiceLevelSettings): NewShipmentOrder {
  const method = order.shipping[0]?.method;
  return {
    reference,
    ...(order.number !== undefined ? { orderNumber: order.number } : {}),
    shipTo: shipToOf(order),
    serviceLevel: (method !== undefined ? settings.serviceLevels[method] : undefined) ?? settings.defaultServiceLevel,
    lines: order.lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity })),
    ...(order.note !== undefined ? { notes: order.note } : {}),
  };
}

function parsePayload<T extends z.ZodType>(schema: T, topic: string, payload: string): z.output<T> {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (error) {
    throw permanentError('invalid_payload', `warehouse ${topic}: body is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ');
    throw permanentError('invalid_payload', `warehouse ${topic}: ${issues}`);
  }
  return parsed.data;
}

function httpUrl(value: string | null | undefined): string | undefined {
  if (!value || !URL.canParse(value)) return undefined;
  return /^https?:$/.test(new URL(value).protocol) ? value : undefined;
}

/** A confirmed shipment as a canonical `fulfillment` (reference = the warehouse's shipment id). */
export function fulfillmentFromShipment(event: ShipmentConfirmedEvent, settings: InterpretSettings): InboundEvent {
  const url = httpUrl(event.trackingUrl);
  return {
    kind: 'fulfillment',
    orderExternalId: event.reference,
    fulfillment: {
      reference: event.shipmentId,
      status: 'shipped',
      locationId: settings.locationId,
      lines: event.lines.map((line) => ({
        lineId: line.lineId,
        sku: line.sku,
        quantity: line.quantity,
        ...(line.substitutedSku && line.substitutedSku !== line.sku ? { substitutedSku: line.substitutedSku } : {}),
      })),
      tracking: event.trackingNumber ? [{ carrier: event.carrier, number: event.trackingNumber, ...(url ? { url } : {}) }] : [],
      shippedAt: event.shippedAt,
    },
  };
}

/** A stock adjustment as a canonical absolute `inventory-level` at the hub's location, versioned by the warehouse. */
export function inventoryLevelFromAdjustment(event: StockAdjustedEvent, settings: InterpretSettings): InboundEvent {
  return {
    kind: 'inventory-level',
    sku: event.sku,
    locationId: settings.locationId,
    onHand: event.onHand,
    occurredAt: event.occurredAt,
    sourceVersion: String(event.version),
  };
}

/**
 * A cancellation as a `fulfillment` with status `cancelled` holding the units that will not ship
 * (reference `<shipmentOrderId>:cancelled`, or `<shipmentOrderId>:<cancellationId>` for one line
 * cancellation); nothing when no unit was left to cancel.
 */
export function fulfillmentFromCancellation(event: ShipmentOrderCancelledEvent, settings: InterpretSettings): InboundEvent[] {
  const lines = event.lines
    .filter((line) => line.cancelledQuantity > 0)
    .map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.cancelledQuantity }));
  if (lines.length === 0) return [];
  const reference = event.cancellationId ? `${event.shipmentOrderId}:${event.cancellationId}` : `${event.shipmentOrderId}:cancelled`;
  return [
    {
      kind: 'fulfillment',
      orderExternalId: event.reference,
      fulfillment: { reference, status: 'cancelled', locationId: settings.locationId, lines, tracking: [] },
    },
  ];
}

/**
 * A received return as a canonical `return-received` for the hub order (the shipment order's
 * reference), keyed by the hub's return id, at the hub's location, with each line's condition.
 */
export function returnReceivedFromEvent(event: ReturnReceivedEvent, settings: InterpretSettings): InboundEvent {
  const received = event.return;
  return {
    kind: 'return-received',
    orderExternalId: received.shipmentOrderReference,
    return: {
      reference: received.reference,
      externalId: received.id,
      receivedAt: received.receivedAt,
      locationId: settings.locationId,
      lines: received.lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity, condition: line.condition })),
    },
  };
}

/**
 * Maps a verified warehouse webhook to canonical events (pure). Stock at a location other than
 * `warehouseLocation` (when set) and unknown event types map to nothing; a malformed body is a
 * permanent error.
 */
export function interpretWarehouseEvent(topic: string, payload: string, settings: InterpretSettings): InboundEvent[] {
  switch (topic) {
    case 'shipment.confirmed':
      return [fulfillmentFromShipment(parsePayload(ShipmentConfirmedEvent, topic, payload), settings)];
    case 'stock.adjusted': {
      const event = parsePayload(StockAdjustedEvent, topic, payload);
      if (settings.warehouseLocation !== undefined && event.location !== settings.warehouseLocation) return [];
      return [inventoryLevelFromAdjustment(event, settings)];
    }
    case 'shipment-order.cancelled':
      return fulfillmentFromCancellation(parsePayload(ShipmentOrderCancelledEvent, topic, payload), settings);
    case 'return.received':
      return [returnReceivedFromEvent(parsePayload(ReturnReceivedEvent, topic, payload), settings)];
    default:
      return [];
  }
}
