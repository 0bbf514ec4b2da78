import { permanentError } from '../../model/index.js';
import { shipmentOrderFromOrder, type WarehouseClient, type WarehouseSettings } from '../../connectors/index.js';
import type { WarehousePort } from '../../flows/index.js';

/** The warehouse API connector as order-to-cash's WarehousePort (references are hub order ids). */
export function warehousePortOf(connectionId: string, client: WarehouseClient, settings: WarehouseSettings): WarehousePort {
  const byReference = async (reference: string, signal: AbortSignal) => {
    const found = await client.findByReference(reference, signal);
    if (!found) throw permanentError('warehouse_order_missing', `warehouse ${connectionId} has no shipment order ${reference}`);
    return found;
  };
  return {
    connectionId,
    locationId: settings.locationId,
    async release({ reference, order, lines }, signal) {
      const request = { ...shipmentOrderFromOrder(order, reference, settings), lines: lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity })) };
      const result = await client.createShipmentOrder(request, signal);
      return { shipmentOrder: result.order.id };
    },
    async cancel(reference, signal) {
      const found = await client.findByReference(reference, signal);
      if (!found) return { shipmentOrder: null };
      const cancelled = await client.cancelShipmentOrder(found.id, { reason: 'order cancelled', signal });
      return { shipmentOrder: cancelled.id };
    },
    async cancelLines(reference, lines, idempotencyKey, signal) {
      const found = await byReference(reference, signal);
      await client.cancelLines(found.id, lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })), { reason: 'order lines cancelled', idempotencyKey, signal });
    },
    async authorizeReturn({ reference, orderReference, lines }, signal) {
      const created = await client.createReturn({ reference, shipmentOrderReference: orderReference, lines: lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, ...(l.reason ? { reason: l.reason } : {}) })) }, signal);
      return { returnAuthorization: created.id };
    },
  };
}
