import { describe, expect, it } from 'vitest';
import { exampleOrder, Order, TillbridgeError } from '../../model/index.js';
import { InboundEvent } from '../framework/index.js';
import { interpretWarehouseEvent, shipmentOrderFromOrder } from './mapping.js';
import { NewShipmentOrder } from './wire.js';

const settings = { locationId: 'wh-main' };

const shipmentConfirmed = {
  type: 'shipment.confirmed',
  eventId: 'evt_000101',
  shipmentOrderId: 'so_000007',
  reference: 'ord_01JD7Q9C8V6T1Z2Y3X4W5V6U7T',
  orderNumber: '#1001',
  shipmentId: 'shp_000012',
  location: 'WH1',
  lines: [
    { lineId: '1', sku: 'TEE-RED-M', quantity: 2, substitutedSku: 'TEE-RED-M-V2' },
    { lineId: '2', sku: 'MUG-BLK', quantity: 1, substitutedSku: null },
    { lineId: '3', sku: 'CAP-GRN', quantity: 4, substitutedSku: 'CAP-GRN' },
  ],
  carrier: 'UPS',
  service: '2nd Day Air',
  trackingNumber: '1Z999AA10123456784',
  trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
  shippedAt: '2026-11-27T14:03:11Z',
  partial: true,
};

const stockAdjusted = {
  type: 'stock.adjusted',
  eventId: 'evt_000102',
  sku: 'TEE-RED-M',
  location: 'WH1',
  onHand: 41,
  delta: -2,
  reason: 'shipment',
  occurredAt: '2026-11-27T14:03:11Z',
  version: 10,
};

describe('warehouse mapping', () => {
  it('maps shipment.confirmed to a shipped fulfillment at the hub location, with substitutes and tracking', () => {
    const events = interpretWarehouseEvent('shipment.confirmed', JSON.stringify(shipmentConfirmed), settings);
    expect(events).toEqual([
      {
        kind: 'fulfillment',
        orderExternalId: 'ord_01JD7Q9C8V6T1Z2Y3X4W5V6U7T',
        fulfillment: {
          reference: 'shp_000012',
          status: 'shipped',
          locationId: 'wh-main',
          lines: [
            { lineId: '1', sku: 'TEE-RED-M', quantity: 2, substitutedSku: 'TEE-RED-M-V2' },
            { lineId: '2', sku: 'MUG-BLK', quantity: 1 },
            { lineId: '3', sku: 'CAP-GRN', quantity: 4 },
          ],
          tracking: [{ carrier: 'UPS', number: '1Z999AA10123456784', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' }],
          shippedAt: '2026-11-27T14:03:11Z',
        },
      },
    ]);
    for (const event of events) expect(InboundEvent.safeParse(event).success).toBe(true);
  });

  it('keeps a shipment without tracking number, and drops a tracking URL that is not http(s)', () => {
    const noTracking = interpretWarehouseEvent('shipment.confirmed', JSON.stringify({ ...shipmentConfirmed, carrier: 'LTL freight', trackingNumber: null, trackingUrl: null }), settings);
    expect(noTracking[0]).toMatchObject({ fulfillment: { tracking: [] } });
    const badUrl = interpretWarehouseEvent('shipment.confirmed', JSON.stringify({ ...shipmentConfirmed, trackingUrl: 'javascript:alert(1)' }), settings);
    expect(badUrl[0]).toMatchObject({ fulfillment: { tracking: [{ carrier: 'UPS', number: '1Z999AA10123456784' }] } });
    expect(JSON.stringify(badUrl)).not.toContain('javascript');
  });

  it('maps stock.adjusted to an absolute inventory level versioned by the warehouse', () => {
    const events = interpretWarehouseEvent('stock.adjusted', JSON.stringify(stockAdjusted), settings);
    expect(events).toEqual([{ kind: 'inventory-level', sku: 'TEE-RED-M', locationId: 'wh-main', onHand: 41, occurredAt: '2026-11-27T14:03:11Z', sourceVersion: '10' }]);
    expect(InboundEvent.safeParse(events[0]).success).toBe(true);
  });

  it('ignores stock at another warehouse location when the connection names one', () => {
    expect(interpretWarehouseEvent('stock.adjusted', JSON.stringify({ ...stockAdjusted, location: 'WH2' }), { ...settings, warehouseLocation: 'WH1' })).toEqual([]);
    expect(interpretWarehouseEvent('stock.adjusted', JSON.stringify(stockAdjusted), { ...settings, warehouseLocation: 'WH1' })).toHaveLength(1);
  });

  it('maps shipment-order.cancelled to a cancelled fulfillment of the units that will not ship', () => {
    const cancelled = {
      type: 'shipment-order.cancelled',
      eventId: 'evt_000103',
      shipmentOrderId: 'so_000007',
      reference: 'ord_01JD7Q9C8V6T1Z2Y3X4W5V6U7T',
      cancelledAt: '2026-11-27T15:00:00Z',
      reason: 'customer request',
      lines: [
        { lineId: '1', sku: 'TEE-RED-M', cancelledQuantity: 0 },
        { lineId: '2', sku: 'MUG-BLK', cancelledQuantity: 3 },
      ],
      partial: true,
    };
    const events = interpretWarehouseEvent('shipment-order.cancelled', JSON.stringify(cancelled), settings);
    expect(events).toEqual([
      {
        kind: 'fulfillment',
        orderExternalId: 'ord_01JD7Q9C8V6T1Z2Y3X4W5V6U7T',
        fulfillment: { reference: 'so_000007:cancelled', status: 'cancelled', locationId: 'wh-main', lines: [{ lineId: '2', sku: 'MUG-BLK', quantity: 3 }], tracking: [] },
      },
    ]);
    expect(InboundEvent.safeParse(events[0]).success).toBe(true);
    expect(interpretWarehouseEvent('shipment-order.cancelled', JSON.stringify({ ...cancelled, lines: [] }), settings)).toEqual([]);
  });

  it('keys the cancelled fulfillment of one line cancellation by its cancellationId', () => {
    const cancellation = {
      type: 'shipment-order.cancelled',
      eventId: 'evt_000104',
      shipmentOrderId: 'so_000007',
      reference: 'ord_01JD7Q9C8V6T1Z2Y3X4W5V6U7T',
      cancellationId: 'can_000002',
      cancelledAt: '2026-11-27T15:00:00Z',
      reason: null,
      lines: [{ lineId: '1', sku: 'TEE-RED-M', cancelledQuantity: 1 }],
      partial: true,
    };
    expect(interpretWarehouseEvent('shipment-order.cancelled', JSON.stringify(cancellation), settings)).toEqual([
      {
        kind: 'fulfillment',
        orderExternalId: 'ord_01JD7Q9C8V6T1Z2Y3X4W5V6U7T',
        fulfillment: { reference: 'so_000007:can_000002', status: 'cancelled', locationId: 'wh-main', lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 1 }], tracking: [] },
      },
    ]);
  });

  it('maps return.received to return-received for the hub order, keyed by the hub return id, with conditions', () => {
    const received = {
      type: 'return.received',
      eventId: 'evt_000105',
      return: {
        id: 'rma_000003',
        reference: 'ret_01JD7QA0000000000000000000',
        shipmentOrderReference: 'ord_01JD7Q9C8V6T1Z2Y3X4W5V6U7T',
        location: 'WH2',
        receivedAt: '2026-12-02T09:30:00Z',
        lines: [
          { lineId: '1', sku: 'TEE-RED-M', quantity: 1, condition: 'sellable' },
          { lineId: '1', sku: 'TEE-RED-M', quantity: 1, condition: 'damaged' },
        ],
      },
    };
    const events = interpretWarehouseEvent('return.received', JSON.stringify(received), { ...settings, warehouseLocation: 'WH1' });
    expect(events).toEqual([
      {
        kind: 'return-received',
        orderExternalId: 'ord_01JD7Q9C8V6T1Z2Y3X4W5V6U7T',
        return: {
          reference: 'ret_01JD7QA0000000000000000000',
          externalId: 'rma_000003',
          receivedAt: '2026-12-02T09:30:00Z',
          locationId: 'wh-main',
          lines: [
            { lineId: '1', sku: 'TEE-RED-M', quantity: 1, condition: 'sellable' },
            { lineId: '1', sku: 'TEE-RED-M', quantity: 1, condition: 'damaged' },
          ],
        },
      },
    ]);
    expect(InboundEvent.safeParse(events[0]).success).toBe(true);
    const unknownCondition = { ...received, return: { ...received.return, lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 1, condition: 'lost' }] } };
    expect(() => interpretWarehouseEvent('return.received', JSON.stringify(unknownCondition), settings)).toThrow(
      expect.objectContaining({ code: 'invalid_payload', retryable: false, message: expect.stringContaining('/return/lines/0/condition') }),
    );
  });

  it('maps unknown event types to nothing and refuses malformed bodies with a permanent error', () => {
    expect(interpretWarehouseEvent('inbound-receipt.completed', '{"eventId":"evt_1"}', settings)).toEqual([]);
    const malformed = () => interpretWarehouseEvent('stock.adjusted', JSON.stringify({ ...stockAdjusted, version: '10' }), settings);
    expect(malformed).toThrow(TillbridgeError);
    expect(malformed).toThrow(/\/version/);
    try {
      interpretWarehouseEvent('shipment.confirmed', 'not json', settings);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_payload', retryable: false });
    }
  });

  it('builds a shipment order from the canonical example order', () => {
    const order = Order.parse(exampleOrder({ shipping: [{ method: 'express', price: 500, discount: 0, taxes: [] }], note: 'leave at door' }));
    const request = shipmentOrderFromOrder(order, 'ord_01JD7Q9C8V6T1Z2Y3X4W5V6U7T', { serviceLevels: { express: 'expedited' }, defaultServiceLevel: 'standard' });
    expect(request).toEqual({
      reference: 'ord_01JD7Q9C8V6T1Z2Y3X4W5V6U7T',
      orderNumber: '#1001',
      shipTo: { name: 'Ana Silva', line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US', email: 'ana@example.com' },
      serviceLevel: 'expedited',
      lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2 }],
      notes: 'leave at door',
    });
    expect(NewShipmentOrder.safeParse(request).success).toBe(true);
    const standard = shipmentOrderFromOrder(Order.parse(exampleOrder()), 'ord_1', { serviceLevels: {}, defaultServiceLevel: 'ground' });
    expect(standard.serviceLevel).toBe('ground');
  });

  it('refuses an order with no address or no recipient, permanently', () => {
    const levels = { serviceLevels: {}, defaultServiceLevel: 'standard' };
    const noAddress = Order.parse(exampleOrder({ shippingAddress: undefined }));
    expect(() => shipmentOrderFromOrder(noAddress, 'ord_1', levels)).toThrow(expect.objectContaining({ code: 'warehouse_no_ship_to', retryable: false }));
    const noName = Order.parse(exampleOrder({ customer: undefined, shippingAddress: { line1: '1 Main St', city: 'Springfield', country: 'US' } }));
    expect(() => shipmentOrderFromOrder(noName, 'ord_1', levels)).toThrow(expect.objectContaining({ code: 'warehouse_no_recipient' }));
  });
});
