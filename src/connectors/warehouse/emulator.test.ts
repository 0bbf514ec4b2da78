import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../model/index.js';
import { InboundEvent, type ConnectionInstance } from '../framework/index.js';
import type { WarehouseClient } from './client.js';
import { startWarehouseEmulator, warehouseConnector, type WarehouseEmulatorOptions } from './index.js';
import { startWebhookReceiver, type Received } from './test-support.js';
import type { NewShipmentOrder } from './wire.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function setup(options: WarehouseEmulatorOptions = {}) {
  const receiver = await startWebhookReceiver();
  const emulator = await startWarehouseEmulator({ shipDelayMs: 30, webhookUrl: receiver.url, ...options });
  cleanups.push(() => emulator.close(), receiver.close);
  const connection = warehouseConnector.create({
    connectionId: 'wh-main',
    settings: warehouseConnector.settings.parse({ baseUrl: emulator.url, locationId: 'wh-main' }),
    secrets: emulator.credentials,
    clock: systemClock,
  }) as ConnectionInstance<WarehouseClient>;
  /** Verifies, identifies and interprets a delivery as the hub would. */
  const accept = (delivery: Received) => {
    expect(connection.webhooks!.verify(delivery.raw, delivery.headers, Date.now())).toEqual({ ok: true });
    const identity = connection.webhooks!.identify(delivery.raw, delivery.headers);
    const events = connection.interpret!(identity.topic, delivery.raw.toString('utf8'));
    for (const event of events) expect(InboundEvent.safeParse(event).success).toBe(true);
    return { identity, events };
  };
  const sandbox = async (path: string, body: unknown) => {
    const response = await fetch(`${emulator.url}/_sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return response.json() as Promise<Record<string, unknown>>;
  };
  return { emulator, receiver, connection, client: connection.client, accept, sandbox };
}

const order = (reference: string, lines: NewShipmentOrder['lines']): NewShipmentOrder => ({
  reference,
  orderNumber: `#${reference}`,
  shipTo: { name: 'Ana Silva', line1: '1 Main St', city: 'Springfield', country: 'US' },
  serviceLevel: 'expedited',
  lines,
});

/** Mulberry32, so partial and substitution draws repeat exactly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('warehouse emulator', () => {
  it('ships after the delay, sends signed shipment.confirmed then stock.adjusted, which the connector verifies and maps', async () => {
    const { emulator, receiver, client, accept } = await setup({ stock: { 'TEE-RED-M': 12 }, shipDelayMs: 80 });
    const { order: created } = await client.createShipmentOrder(order('ord_100', [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2 }]));
    expect(created.status).toBe('received');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(receiver.received).toHaveLength(0);
    await emulator.idle();

    expect(receiver.received.map((r) => r.type)).toEqual(['shipment.confirmed', 'stock.adjusted']);
    const [shipped, adjusted] = receiver.received.map(accept);
    expect(shipped!.identity).toEqual({ topic: 'shipment.confirmed', dedupKey: receiver.received[0]!.body['eventId'], apiVersion: 'v1' });
    expect(shipped!.events).toEqual([
      {
        kind: 'fulfillment',
        orderExternalId: 'ord_100',
        fulfillment: {
          reference: 'shp_000001',
          status: 'shipped',
          locationId: 'wh-main',
          lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2 }],
          tracking: [{ carrier: 'UPS', number: '1Z999AA10000000001', url: 'https://www.ups.com/track?tracknum=1Z999AA10000000001' }],
          shippedAt: expect.any(String),
        },
      },
    ]);
    expect(adjusted!.events).toEqual([{ kind: 'inventory-level', sku: 'TEE-RED-M', locationId: 'wh-main', onHand: 10, occurredAt: expect.any(String), sourceVersion: '1' }]);
    expect(receiver.received[1]!.body).toMatchObject({ delta: -2, reason: 'shipment', location: 'WH1', version: 1 });

    const after = await client.getShipmentOrder(created.id);
    expect(after).toMatchObject({ status: 'shipped', lines: [{ shippedQuantity: 2, allocatedQuantity: 0 }], shipments: [{ id: 'shp_000001', carrier: 'UPS' }] });
    const state = (await (await fetch(`${emulator.url}/_sandbox/state`)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({
      ordersByStatus: { shipped: [{ id: created.id }] },
      shipments: [{ id: 'shp_000001', reference: 'ord_100' }],
      stock: [{ sku: 'TEE-RED-M', onHand: 10, allocated: 0, available: 10 }],
      deliveries: [
        { topic: 'shipment.confirmed', status: 200, attempts: 1 },
        { topic: 'stock.adjusted', status: 200, attempts: 1 },
      ],
    });
  });

  it('ships in two parcels with a substitute SKU when partialRate and substitutionRate are 1', async () => {
    const { emulator, receiver, client, accept } = await setup({
      random: seeded(11),
      partialRate: 1,
      substitutionRate: 1,
      substitutes: { 'TEE-RED-M': 'TEE-RED-M-V2' },
      stock: { 'TEE-RED-M': 5, 'TEE-RED-M-V2': 9, 'MUG-BLK': 4 },
    });
    const { order: created } = await client.createShipmentOrder(
      order('ord_200', [
        { lineId: '1', sku: 'TEE-RED-M', quantity: 2 },
        { lineId: '2', sku: 'MUG-BLK', quantity: 2 },
      ]),
    );
    await emulator.idle();

    const confirmed = receiver.received.filter((r) => r.type === 'shipment.confirmed');
    expect(confirmed.map((r) => r.body['partial'])).toEqual([true, false]);
    const fulfillments = confirmed.map((r) => accept(r).events[0]);
    expect(fulfillments.map((e) => (e?.kind === 'fulfillment' ? e.fulfillment.lines : null))).toEqual([
      [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2, substitutedSku: 'TEE-RED-M-V2' }],
      [{ lineId: '2', sku: 'MUG-BLK', quantity: 2 }],
    ]);
    const levels = receiver.received.filter((r) => r.type === 'stock.adjusted').map((r) => accept(r).events[0]);
    expect(levels).toEqual([
      expect.objectContaining({ sku: 'TEE-RED-M-V2', onHand: 7, sourceVersion: '1' }),
      expect.objectContaining({ sku: 'MUG-BLK', onHand: 2, sourceVersion: '1' }),
    ]);
    expect(await client.queryStock()).toEqual([
      { sku: 'MUG-BLK', location: 'WH1', onHand: 2, allocated: 0, available: 2 },
      { sku: 'TEE-RED-M', location: 'WH1', onHand: 5, allocated: 0, available: 5 },
      { sku: 'TEE-RED-M-V2', location: 'WH1', onHand: 7, allocated: 0, available: 7 },
    ]);
    expect((await client.getShipmentOrder(created.id)).shipments).toHaveLength(2);
  });

  it('backorders what is not in stock and ships it when /_sandbox/stock receives it', async () => {
    const { emulator, receiver, client, accept, sandbox } = await setup({ stock: { 'CAP-GRN': 1 } });
    const { order: created } = await client.createShipmentOrder(order('ord_300', [{ lineId: '1', sku: 'CAP-GRN', quantity: 3 }]));
    await emulator.idle();
    expect((await client.getShipmentOrder(created.id)).status).toBe('partially_shipped');
    const { order: none } = await client.createShipmentOrder(order('ord_301', [{ lineId: '1', sku: 'HAT-NONE', quantity: 1 }]));
    await emulator.idle();
    expect((await client.getShipmentOrder(none.id)).status).toBe('backordered');

    expect(await sandbox('stock', { sku: 'CAP-GRN', onHand: 10 })).toEqual({ sku: 'CAP-GRN', location: 'WH1', onHand: 10, allocated: 2, available: 8 });
    await emulator.idle();
    expect((await client.getShipmentOrder(created.id)).status).toBe('shipped');
    const stockEvents = receiver.received.filter((r) => r.type === 'stock.adjusted').map((r) => r.body);
    expect(stockEvents.map((b) => [b['reason'], b['delta'], b['onHand'], b['version']])).toEqual([
      ['shipment', -1, 0, 1],
      ['receipt', 10, 10, 2],
      ['shipment', -2, 8, 3],
    ]);
    expect(accept(receiver.received.at(-1)!).events).toEqual([expect.objectContaining({ kind: 'inventory-level', sku: 'CAP-GRN', onHand: 8, sourceVersion: '3' })]);
  });

  it('sends shipment-order.cancelled with the units that will not ship', async () => {
    const { emulator, receiver, client, accept } = await setup({ stock: { 'MUG-BLK': 5 }, shipDelayMs: 10_000 });
    const { order: created } = await client.createShipmentOrder(order('ord_400', [{ lineId: '7', sku: 'MUG-BLK', quantity: 3 }]));
    await client.cancelShipmentOrder(created.id, { reason: 'customer request' });
    await emulator.idle();
    expect(receiver.received.map((r) => r.type)).toEqual(['shipment-order.cancelled']);
    expect(receiver.received[0]!.body).toMatchObject({ shipmentOrderId: created.id, reference: 'ord_400', reason: 'customer request', partial: false, lines: [{ lineId: '7', sku: 'MUG-BLK', cancelledQuantity: 3 }] });
    expect(accept(receiver.received[0]!).events).toEqual([
      {
        kind: 'fulfillment',
        orderExternalId: 'ord_400',
        fulfillment: { reference: `${created.id}:cancelled`, status: 'cancelled', locationId: 'wh-main', lines: [{ lineId: '7', sku: 'MUG-BLK', quantity: 3 }], tracking: [] },
      },
    ]);
  });

  it('delivers twice with the same event id at duplicateRate 1, and out of order at reorderRate', async () => {
    const { emulator, receiver, accept, sandbox } = await setup();
    await sandbox('behaviour', { duplicateRate: 1 });
    await sandbox('stock', { sku: 'A', onHand: 3 });
    await emulator.idle();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.raw.equals(receiver.received[1]!.raw)).toBe(true);
    expect(accept(receiver.received[0]!).identity.dedupKey).toBe(accept(receiver.received[1]!).identity.dedupKey);

    receiver.received.length = 0;
    await sandbox('behaviour', { duplicateRate: 0, reorderRate: 1, reorderDelayMs: 100 });
    await sandbox('stock', { sku: 'A', onHand: 4 });
    await sandbox('behaviour', { reorderRate: 0 });
    await sandbox('stock', { sku: 'A', onHand: 5 });
    await emulator.idle();
    expect(receiver.received.map((r) => r.body['version'])).toEqual([3, 2]);
  });

  it('speaks problem+json: 401 without the key, 409 for a conflicting reference, 422 for a reused idempotency key', async () => {
    const { emulator } = await setup();
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${emulator.url}/v1/shipment-orders`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const unauthorized = await post({}, {});
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await unauthorized.json()).toMatchObject({ status: 401, code: 'unauthorized', title: 'Unauthorized', type: expect.any(String), detail: expect.any(String) });

    const auth = { authorization: `Bearer ${emulator.credentials.apiKey}` };
    const body = order('ord_500', [{ lineId: '1', sku: 'A', quantity: 1 }]);
    const first = await post(auth, body);
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    expect((await post(auth, body)).status).toBe(200);
    const conflict = await post(auth, { ...body, lines: [{ lineId: '1', sku: 'A', quantity: 2 }] });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ code: 'reference_conflict', existingId: id });

    const keyed = await post({ ...auth, 'idempotency-key': 'k-1' }, order('ord_501', [{ lineId: '1', sku: 'A', quantity: 1 }]));
    expect(keyed.status).toBe(201);
    const replay = await post({ ...auth, 'idempotency-key': 'k-1' }, order('ord_501', [{ lineId: '1', sku: 'A', quantity: 1 }]));
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const reused = await post({ ...auth, 'idempotency-key': 'k-1' }, order('ord_502', [{ lineId: '1', sku: 'A', quantity: 1 }]));
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('check() names the account, and fails when warehouseLocation is not one of its sites', async () => {
    const { emulator, connection } = await setup({ location: 'EAST' });
    expect(await connection.check()).toMatchObject({ ok: true, apiVersion: 'v1', detail: expect.stringContaining('EAST') });
    const elsewhere = warehouseConnector.create({
      connectionId: 'wh-west',
      settings: warehouseConnector.settings.parse({ baseUrl: emulator.url, locationId: 'wh-west', warehouseLocation: 'WEST' }),
      secrets: emulator.credentials,
      clock: systemClock,
    });
    expect(await elsewhere.check()).toMatchObject({ ok: false, detail: expect.stringMatching(/WEST is not on account/) });
  });

  it('clears its timers on close: pending shipments never run', async () => {
    const { emulator, receiver, client } = await setup({ stock: { A: 2 }, shipDelayMs: 60_000 });
    await client.createShipmentOrder(order('ord_600', [{ lineId: '1', sku: 'A', quantity: 1 }]));
    const state = (await (await fetch(`${emulator.url}/_sandbox/state`)).json()) as { pendingShipments: number };
    expect(state.pendingShipments).toBe(1);
    await emulator.close();
    const settled = await Promise.race([emulator.idle().then(() => 'idle'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 200))]);
    expect(settled).toBe('idle');
    expect(receiver.received).toHaveLength(0);
  });
});
