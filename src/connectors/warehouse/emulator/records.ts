import type { Shipment, ShipmentOrder, ShipmentOrderCancellation, ShipmentOrderStatus, ShipTo } from '../wire.js';

/** An order line as the emulator keeps it. */
export interface LineRecord {
  lineId: string;
  sku: string;
  quantity: number;
  allocated: number;
  shipped: number;
  cancelled: number;
}

/** A shipment order as the emulator keeps it. */
export interface OrderRecord {
  id: string;
  reference: string;
  orderNumber: string | null;
  serviceLevel: string;
  requestedShipDate: string | null;
  shipTo: ShipTo;
  notes: string | null;
  lines: LineRecord[];
  shipments: Shipment[];
  /** Each cancellation as its webhook reported it, oldest first. */
  cancellations: ShipmentOrderCancellation[];
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  backordered: boolean;
  /** Cancels the shipment waiting for its delay, when one is. */
  cancelShipment: (() => void) | null;
  /** The normalised create body, to tell an identical repeat from a conflicting one. */
  fingerprint: string;
}

/** Stock of one SKU as the emulator keeps it. */
export interface StockRecord {
  sku: string;
  onHand: number;
  allocated: number;
  version: number;
}

/** Units of a line neither shipped nor cancelled. */
export const remaining = (line: LineRecord): number => line.quantity - line.shipped - line.cancelled;

/** The API status of an order record. */
export function statusOf(order: OrderRecord): ShipmentOrderStatus {
  if (order.cancelledAt) return 'cancelled';
  if (!order.lines.some((l) => remaining(l) > 0)) return 'shipped';
  if (order.lines.some((l) => l.shipped > 0)) return 'partially_shipped';
  return order.backordered ? 'backordered' : 'received';
}

/** An order record as the API shows it. */
export function viewOf(order: OrderRecord): ShipmentOrder {
  return {
    id: order.id,
    reference: order.reference,
    orderNumber: order.orderNumber,
    status: statusOf(order),
    serviceLevel: order.serviceLevel,
    requestedShipDate: order.requestedShipDate,
    shipTo: order.shipTo,
    lines: order.lines.map((l) => ({
      lineId: l.lineId,
      sku: l.sku,
      quantity: l.quantity,
      allocatedQuantity: l.allocated,
      shippedQuantity: l.shipped,
      cancelledQuantity: l.cancelled,
    })),
    shipments: order.shipments,
    cancellations: order.cancellations,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt,
  };
}
