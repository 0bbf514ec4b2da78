import { describe, expect, it } from 'vitest';
import type { WarehouseEmulatorOptions } from './emulator/server.js';
import { sandboxesPerTest, shipmentOrder } from './test-support.js';
import type { NewReturn } from './wire.js';

const setup = sandboxesPerTest();

/** A sandbox with order `ord_r1` shipped in full: 3 × TEE-RED-M (line 1) and 2 × MUG-BLK (line 2). */
async function shipped(options: WarehouseEmulatorOptions = {}) {
  const sandbox = await setup({ stock: { 'TEE-RED-M': 10, 'MUG-BLK': 5 }, returnDelayMs: 60_000, ...options });
  const { order } = await sandbox.client.createShipmentOrder(
    shipmentOrder('ord_r1', [
      { lineId: '1', sku: 'TEE-RED-M', quantity: 3 },
      { lineId: '2', sku: 'MUG-BLK', quantity: 2 },
    ]),
  );
  await sandbox.emulator.idle();
  sandbox.receiver.received.length = 0;
  return { ...sandbox, order };
}

const rma = (reference: string, lines: NewReturn['lines'] = [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2, reason: 'too small' }]): NewReturn => ({
  reference,
  shipmentOrderReference: 'ord_r1',
  lines,
  notes: 'label emailed',
});

describe('warehouse returns', () => {
  it('authorises a return once per reference: a repeat finds it, other content is a permanent conflict', async () => {
    const { client, order, state } = await shipped();
    const first = await client.createReturn(rma('ret_1'));
    expect(first).toMatchObject({ id: 'rma_000001', reference: 'ret_1', status: 'authorized', created: true });
    expect(first.return).toMatchObject({ shipmentOrderId: order.id, shipmentOrderReference: 'ord_r1', lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2, reason: 'too small' }], receivedLines: [] });
    const again = await client.createReturn(rma('ret_1'));
    expect(again).toEqual({ ...first, created: false });
    const changed = client.createReturn(rma('ret_1', [{ lineId: '1', sku: 'TEE-RED-M', quantity: 1 }]));
    await expect(changed).rejects.toMatchObject({ code: 'warehouse_return_conflict', retryable: false, httpStatus: 409, details: { existingId: 'rma_000001' } });

    expect(await client.getReturn('rma_000001')).toEqual(first.return);
    expect(await client.findReturnByReference('ret_1')).toEqual(first.return);
    expect(await client.findReturnByReference('ret_unknown')).toBeNull();
    await expect(client.getReturn('rma_404404')).rejects.toMatchObject({ code: 'warehouse_not_found', retryable: false });
    expect((await state())['returnsByStatus']).toMatchObject({ authorized: [{ id: 'rma_000001' }] });
  });

  it('refuses a return of units that did not ship, or are already on another return', async () => {
    const { client } = await shipped();
    await client.createReturn(rma('ret_2'));
    const tooMany = client.createReturn(rma('ret_3'));
    await expect(tooMany).rejects.toMatchObject({ code: 'outbound_rejected', retryable: false, message: expect.stringContaining('/lines/0/quantity: line 1 has 1 returnable unit (3 shipped, 2 on other returns)') });
    const wrongSku = client.createReturn(rma('ret_4', [{ lineId: '2', sku: 'TEE-RED-M', quantity: 1 }]));
    await expect(wrongSku).rejects.toMatchObject({ message: expect.stringContaining('/lines/0/sku') });
    const noOrder = client.createReturn({ ...rma('ret_5'), shipmentOrderReference: 'ord_unknown' });
    await expect(noOrder).rejects.toMatchObject({ message: expect.stringContaining('/shipmentOrderReference: no shipment order has reference ord_unknown') });
    expect((await client.createReturn(rma('ret_6', [{ lineId: '1', sku: 'TEE-RED-M', quantity: 1 }]))).created).toBe(true);
  });

  it('looks the reference up when the answer to a create is lost (502), instead of creating twice', async () => {
    const { client, sandbox, state } = await shipped();
    await sandbox('behaviour', { lostResponseRate: 1 });
    const result = await client.createReturn(rma('ret_lost'));
    expect(result).toMatchObject({ reference: 'ret_lost', status: 'authorized', created: false });
    expect((await state())['returnsByStatus']).toMatchObject({ authorized: [{ reference: 'ret_lost' }] });
    expect(((await state())['returnsByStatus'] as { authorized: unknown[] }).authorized).toHaveLength(1);
  });

  it('receives the return after returnDelayMs: a signed return.received the connector maps to return-received, and sellable units back on hand', async () => {
    const { emulator, receiver, client, accept, sandbox, state } = await shipped();
    await sandbox('behaviour', { returnDelayMs: 50 });
    const created = await client.createReturn(rma('ret_7', [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2 }, { lineId: '2', sku: 'MUG-BLK', quantity: 1 }]));
    expect((await state())['pendingReturns']).toBe(1);
    await emulator.idle();

    expect(receiver.received.map((r) => r.type)).toEqual(['return.received', 'stock.adjusted', 'stock.adjusted']);
    const { identity, events } = accept(receiver.received[0]!);
    expect(identity).toEqual({ topic: 'return.received', dedupKey: receiver.received[0]!.body['eventId'], apiVersion: 'v1' });
    expect(events).toEqual([
      {
        kind: 'return-received',
        orderExternalId: 'ord_r1',
        return: {
          reference: 'ret_7',
          externalId: created.id,
          receivedAt: expect.any(String),
          locationId: 'wh-main',
          lines: [
            { lineId: '1', sku: 'TEE-RED-M', quantity: 2, condition: 'sellable' },
            { lineId: '2', sku: 'MUG-BLK', quantity: 1, condition: 'sellable' },
          ],
        },
      },
    ]);
    expect(receiver.received.slice(1).map((r) => [r.body['sku'], r.body['reason'], r.body['delta'], r.body['onHand']])).toEqual([
      ['TEE-RED-M', 'receipt', 2, 9],
      ['MUG-BLK', 'receipt', 1, 4],
    ]);
    expect(await client.getReturn(created.id)).toMatchObject({ status: 'received', receivedAt: expect.any(String), receivedLines: [{ condition: 'sellable' }, { condition: 'sellable' }] });
  });

  it('receives at once through /_sandbox/returns/{id}/receive, with conditions: damaged units stay off stock', async () => {
    const { emulator, receiver, client, accept, sandbox, state } = await shipped();
    const created = await client.createReturn(rma('ret_8', [{ lineId: '1', sku: 'TEE-RED-M', quantity: 3 }]));
    const forced = await sandbox(`returns/${created.id}/receive`, {
      lines: [
        { lineId: '1', quantity: 2, condition: 'sellable' },
        { lineId: '1', quantity: 1, condition: 'damaged' },
      ],
    });
    expect(forced.status).toBe(200);
    expect(await forced.json()).toMatchObject({ status: 'received', receivedLines: [{ quantity: 2, condition: 'sellable' }, { quantity: 1, condition: 'damaged' }] });
    await emulator.idle();
    expect((await state())['pendingReturns']).toBe(0);
    expect(receiver.received.map((r) => r.type)).toEqual(['return.received', 'stock.adjusted']);
    expect(accept(receiver.received[0]!).events[0]).toMatchObject({
      kind: 'return-received',
      return: {
        lines: [
          { lineId: '1', sku: 'TEE-RED-M', quantity: 2, condition: 'sellable' },
          { lineId: '1', sku: 'TEE-RED-M', quantity: 1, condition: 'damaged' },
        ],
      },
    });
    expect(await client.queryStock({ sku: 'TEE-RED-M' })).toEqual([{ sku: 'TEE-RED-M', location: 'WH1', onHand: 9, allocated: 0, available: 9 }]);

    const twice = await sandbox(`returns/${created.id}/receive`);
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ code: 'already_received' });
    expect((await sandbox('returns/rma_404404/receive')).status).toBe(404);
    const other = await client.createReturn(rma('ret_9', [{ lineId: '2', sku: 'MUG-BLK', quantity: 1 }]));
    const over = await sandbox(`returns/${other.id}/receive`, { lines: [{ lineId: '2', quantity: 2 }] });
    expect(over.status).toBe(422);
    expect(await over.json()).toMatchObject({ code: 'validation_failed', errors: [{ pointer: '/lines/0/quantity' }] });
  });

  it('lets received stock feed a backorder', async () => {
    const { emulator, client, sandbox } = await shipped({ stock: { 'TEE-RED-M': 3, 'MUG-BLK': 2 } });
    const { order: waiting } = await client.createShipmentOrder(shipmentOrder('ord_r2', [{ lineId: '1', sku: 'TEE-RED-M', quantity: 1 }]));
    await emulator.idle();
    expect((await client.getShipmentOrder(waiting.id)).status).toBe('backordered');
    const created = await client.createReturn(rma('ret_10', [{ lineId: '1', sku: 'TEE-RED-M', quantity: 1 }]));
    expect((await sandbox(`returns/${created.id}/receive`, { condition: 'sellable' })).status).toBe(200);
    await emulator.idle();
    expect((await client.getShipmentOrder(waiting.id)).status).toBe('shipped');
  });
});
