import { describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../model/index.js';
import { createWarehouseClient } from './client.js';
import { WarehouseSettings } from './config.js';
import { planLineCancellation } from './emulator/line-cancellation.js';
import { sandboxesPerTest, shipmentOrder } from './test-support.js';

const setup = sandboxesPerTest();

const twoLines = [
  { lineId: '1', sku: 'TEE-RED-M', quantity: 3 },
  { lineId: '2', sku: 'MUG-BLK', quantity: 2 },
];

describe('warehouse line cancellations', () => {
  it('cancels part of a line before shipment, then ships only the rest', async () => {
    const { emulator, receiver, client, accept, state } = await setup({ stock: { 'TEE-RED-M': 10, 'MUG-BLK': 5 }, shipDelayMs: 150 });
    const { order: created } = await client.createShipmentOrder(shipmentOrder('ord_c1', twoLines));
    const cancelled = await client.cancelLines(created.id, [{ lineId: '1', quantity: 2 }], { reason: 'customer changed mind', idempotencyKey: 'cancel-c1-1' });
    expect(cancelled).toMatchObject({
      status: 'received',
      lines: [
        { lineId: '1', quantity: 3, allocatedQuantity: 1, shippedQuantity: 0, cancelledQuantity: 2 },
        { lineId: '2', quantity: 2, allocatedQuantity: 2, shippedQuantity: 0, cancelledQuantity: 0 },
      ],
    });
    expect((await state()).stock).toEqual([
      { sku: 'MUG-BLK', location: 'WH1', onHand: 5, allocated: 2, available: 3 },
      { sku: 'TEE-RED-M', location: 'WH1', onHand: 10, allocated: 1, available: 9 },
    ]);
    await emulator.idle();

    const after = await client.getShipmentOrder(created.id);
    expect(after.status).toBe('shipped');
    expect(after.shipments.map((s) => s.lines)).toEqual([
      [
        { lineId: '1', sku: 'TEE-RED-M', quantity: 1 },
        { lineId: '2', sku: 'MUG-BLK', quantity: 2 },
      ],
    ]);
    expect(receiver.received.map((r) => r.type)).toEqual(['shipment-order.cancelled', 'shipment.confirmed', 'stock.adjusted', 'stock.adjusted']);
    expect(receiver.received[0]!.body).toMatchObject({ cancellationId: 'can_000001', reason: 'customer changed mind', partial: true, lines: [{ lineId: '1', cancelledQuantity: 2 }] });
    expect(accept(receiver.received[0]!).events).toEqual([
      {
        kind: 'fulfillment',
        orderExternalId: 'ord_c1',
        fulfillment: { reference: `${created.id}:can_000001`, status: 'cancelled', locationId: 'wh-main', lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2 }], tracking: [] },
      },
    ]);
    expect(receiver.received[1]!.body).toMatchObject({ partial: false });
    expect((await state()).stock).toEqual([
      { sku: 'MUG-BLK', location: 'WH1', onHand: 3, allocated: 0, available: 3 },
      { sku: 'TEE-RED-M', location: 'WH1', onHand: 9, allocated: 0, available: 9 },
    ]);
  });

  it('cancels once per idempotency key, also when the answer is lost and the call retried', async () => {
    const { client, sandbox } = await setup({ stock: { 'TEE-RED-M': 10, 'MUG-BLK': 5 }, shipDelayMs: 60_000 });
    const { order: created } = await client.createShipmentOrder(shipmentOrder('ord_c2', twoLines));
    const first = await client.cancelLines(created.id, [{ lineId: '1', quantity: 1 }], { idempotencyKey: 'k-c2-1' });
    const again = await client.cancelLines(created.id, [{ lineId: '1', quantity: 1 }], { idempotencyKey: 'k-c2-1' });
    expect(again).toEqual(first);
    expect(again.lines[0]).toMatchObject({ cancelledQuantity: 1 });

    // Every fresh answer is lost (stored, then 502): the client's retry with the same key replays it.
    await sandbox('behaviour', { lostResponseRate: 1 });
    const lost = await client.cancelLines(created.id, [{ lineId: '1', quantity: 1 }]);
    expect(lost.lines[0]).toMatchObject({ cancelledQuantity: 2 });
    expect(client.health().lastFailure).toMatchObject({ code: 'outbound_server_error' });
    await sandbox('behaviour', { lostResponseRate: 0 });
    expect((await client.getShipmentOrder(created.id)).lines[0]).toMatchObject({ cancelledQuantity: 2, allocatedQuantity: 1 });

    const reused = client.cancelLines(created.id, [{ lineId: '2', quantity: 1 }], { idempotencyKey: 'k-c2-1' });
    await expect(reused).rejects.toMatchObject({ code: 'warehouse_idempotency_conflict', retryable: false });
  });

  it('refuses to cancel more than is open, permanently and all or nothing', async () => {
    const { emulator, client } = await setup({ stock: { 'TEE-RED-M': 1, 'MUG-BLK': 5 } });
    const { order: created } = await client.createShipmentOrder(shipmentOrder('ord_c3', twoLines));
    await emulator.idle();
    expect((await client.getShipmentOrder(created.id)).status).toBe('partially_shipped');

    const refused = await client.cancelLines(created.id, [{ lineId: '1', quantity: 3 }]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TillbridgeError);
    expect(refused).toMatchObject({ code: 'warehouse_already_shipped', retryable: false, httpStatus: 409 });
    expect((refused as Error).message).toContain('line 1 has 2 open units (3 ordered, 1 shipped, 0 cancelled), so 3 cannot be cancelled');

    const unknown = client.cancelLines(created.id, [{ lineId: '1', quantity: 1 }, { lineId: '9', quantity: 1 }]);
    await expect(unknown).rejects.toMatchObject({ code: 'outbound_rejected', retryable: false, message: expect.stringContaining('/lines/1/lineId') });
    await expect(client.cancelLines('so_404404', [{ lineId: '1', quantity: 1 }])).rejects.toMatchObject({ code: 'warehouse_not_found' });
    expect((await client.getShipmentOrder(created.id)).lines.map((l) => l.cancelledQuantity)).toEqual([0, 0]);

    const rest = await client.cancelLines(created.id, [{ lineId: '1', quantity: 2 }]);
    expect(rest).toMatchObject({ status: 'shipped', cancelledAt: null, lines: [{ shippedQuantity: 1, cancelledQuantity: 2 }, { shippedQuantity: 2 }] });
    await expect(client.cancelLines(created.id, [{ lineId: '1', quantity: 1 }])).rejects.toMatchObject({ code: 'warehouse_already_shipped' });
  });

  it('makes an order with nothing shipped cancelled when its last open unit is cancelled', async () => {
    const { emulator, client, receiver } = await setup({ stock: { 'TEE-RED-M': 10, 'MUG-BLK': 5 }, shipDelayMs: 60_000 });
    const { order: created } = await client.createShipmentOrder(shipmentOrder('ord_c4', twoLines));
    await client.cancelLines(created.id, [{ lineId: '2', quantity: 2 }]);
    const none = await client.cancelLines(created.id, [{ lineId: '1', quantity: 3 }]);
    expect(none).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String), lines: [{ allocatedQuantity: 0, cancelledQuantity: 3 }, { cancelledQuantity: 2 }] });
    const again = client.cancelLines(created.id, [{ lineId: '1', quantity: 1 }]);
    await expect(again).rejects.toMatchObject({ code: 'warehouse_quantity_not_open', retryable: false, message: expect.stringContaining('0 open units') });
    expect((await client.cancelShipmentOrder(created.id)).status).toBe('cancelled');
    await emulator.idle();
    expect(receiver.received.map((r) => [r.type, r.body['partial']])).toEqual([
      ['shipment-order.cancelled', true],
      ['shipment-order.cancelled', false],
    ]);
    expect(await client.queryStock()).toEqual([
      { sku: 'MUG-BLK', location: 'WH1', onHand: 5, allocated: 0, available: 5 },
      { sku: 'TEE-RED-M', location: 'WH1', onHand: 10, allocated: 0, available: 10 },
    ]);
  });

  it('makes a key per call when none is given, so only the call’s own retries are deduplicated', async () => {
    const { emulator } = await setup({ stock: { 'TEE-RED-M': 10 }, shipDelayMs: 60_000 });
    const keys = ['key-a', 'key-b'];
    const client = createWarehouseClient({
      connectionId: 'wh-keys',
      settings: WarehouseSettings.parse({ baseUrl: emulator.url, locationId: 'wh-main' }),
      secrets: { apiKey: emulator.credentials.apiKey },
      newIdempotencyKey: () => keys.shift() ?? 'key-z',
    });
    const { order: created } = await client.createShipmentOrder(shipmentOrder('ord_c5', [{ lineId: '1', sku: 'TEE-RED-M', quantity: 3 }]));
    await client.cancelLines(created.id, [{ lineId: '1', quantity: 1 }]);
    const second = await client.cancelLines(created.id, [{ lineId: '1', quantity: 1 }]);
    expect(second.lines[0]).toMatchObject({ cancelledQuantity: 2 });
    expect(keys).toEqual([]);
  });
});

describe('planLineCancellation', () => {
  const lines = [
    { lineId: '1', sku: 'A', quantity: 3, shipped: 1, cancelled: 0 },
    { lineId: '2', sku: 'B', quantity: 2, shipped: 0, cancelled: 2 },
  ];

  it('plans what is open, and names why the rest cannot be cancelled', () => {
    expect(planLineCancellation(lines, [{ lineId: '1', quantity: 2 }])).toEqual({ kind: 'ok', lines: [{ lineId: '1', sku: 'A', quantity: 2 }] });
    expect(planLineCancellation(lines, [{ lineId: '2', quantity: 1 }])).toMatchObject({ kind: 'not_open', code: 'already_cancelled' });
    expect(planLineCancellation(lines, [{ lineId: '2', quantity: 1 }, { lineId: '1', quantity: 3 }])).toMatchObject({ kind: 'not_open', code: 'already_shipped' });
    expect(planLineCancellation(lines, [{ lineId: '1', quantity: 4 }])).toEqual({
      kind: 'invalid',
      errors: [{ pointer: '/lines/0/quantity', detail: 'quantity 4 exceeds the 3 units ordered on line 1' }],
    });
  });
});
