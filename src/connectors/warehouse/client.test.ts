import { afterEach, describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../model/index.js';
import { createWarehouseClient, type WarehouseClientOptions } from './client.js';
import { WarehouseSettings, type WarehouseSettingsInput } from './config.js';
import { startWarehouseEmulator, type RunningWarehouseEmulator, type WarehouseEmulatorOptions } from './emulator/server.js';
import type { NewShipmentOrder, ShipmentOrder } from './wire.js';

/** A small seeded PRNG (mulberry32), so fault sequences repeat exactly. */
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

const emulators: RunningWarehouseEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function setup(options: WarehouseEmulatorOptions = {}, settings: Partial<WarehouseSettingsInput> = {}, client: Partial<WarehouseClientOptions> = {}) {
  const emulator = await startWarehouseEmulator({ shipDelayMs: 60_000, ...options });
  emulators.push(emulator);
  const warehouse = createWarehouseClient({
    connectionId: 'wh-test',
    settings: WarehouseSettings.parse({ baseUrl: emulator.url, locationId: 'wh-main', timeoutMs: 2000, ...settings }),
    secrets: { apiKey: emulator.credentials.apiKey },
    baseDelayMs: 1,
    ...client,
  });
  const state = async () => (await (await fetch(`${emulator.url}/_sandbox/state`)).json()) as {
    counts: { orders: number };
    ordersByStatus: Record<string, ShipmentOrder[]>;
    stock: { sku: string; onHand: number; allocated: number; available: number }[];
    rateLimited: number;
  };
  const sandbox = (path: string, body: unknown) =>
    fetch(`${emulator.url}/_sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { emulator, warehouse, state, sandbox };
}

const order = (reference: string, lines: NewShipmentOrder['lines'] = [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2 }]): NewShipmentOrder => ({
  reference,
  orderNumber: `#${reference}`,
  shipTo: { name: 'Ana Silva', line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
  serviceLevel: 'standard',
  lines,
});

describe('warehouse client', () => {
  it('creates a shipment order that allocates stock, and finds it by reference and id', async () => {
    const { warehouse, state } = await setup({ stock: { 'TEE-RED-M': 5 } });
    const result = await warehouse.createShipmentOrder(order('ord_1'));
    expect(result.outcome).toBe('created');
    expect(result.order).toMatchObject({ id: expect.stringMatching(/^so_/), reference: 'ord_1', status: 'received', lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2, allocatedQuantity: 2 }] });
    expect(await warehouse.findByReference('ord_1')).toMatchObject({ id: result.order.id });
    expect(await warehouse.findByReference('ord_unknown')).toBeNull();
    expect((await warehouse.getShipmentOrder(result.order.id)).reference).toBe('ord_1');
    await expect(warehouse.getShipmentOrder('so_999999')).rejects.toMatchObject({ code: 'warehouse_not_found', retryable: false });
    expect((await state()).stock).toEqual([{ sku: 'TEE-RED-M', location: 'WH1', onHand: 5, allocated: 2, available: 3 }]);
  });

  it('is idempotent by reference: a repeat finds the same order, a different body is a permanent conflict', async () => {
    const { warehouse, state } = await setup({ stock: { 'TEE-RED-M': 5 } });
    const first = await warehouse.createShipmentOrder(order('ord_2'));
    const again = await warehouse.createShipmentOrder(order('ord_2'));
    expect(again).toEqual({ outcome: 'existing', order: first.order });
    const changed = warehouse.createShipmentOrder(order('ord_2', [{ lineId: '1', sku: 'TEE-RED-M', quantity: 3 }]));
    await expect(changed).rejects.toMatchObject({ code: 'warehouse_reference_conflict', retryable: false, httpStatus: 409 });
    expect((await state()).counts.orders).toBe(1);
  });

  it('looks the reference up when the answer to a create is lost (502), instead of creating twice', async () => {
    const { warehouse, state } = await setup({ stock: { 'TEE-RED-M': 5 }, lostResponseRate: 1 });
    const result = await warehouse.createShipmentOrder(order('ord_3'));
    expect(result).toMatchObject({ outcome: 'existing', order: { reference: 'ord_3', status: 'received' } });
    expect((await state()).counts.orders).toBe(1);
    expect(warehouse.health().lastFailure).toMatchObject({ code: 'outbound_server_error' });
  });

  it('creates exactly one shipment order per reference under 5xx faults and lost answers', async () => {
    const { emulator, warehouse, state } = await setup(
      { stock: { 'TEE-RED-M': 100 }, random: seeded(7), lostResponseRate: 0.4 },
      {},
      { maxAttempts: 6 },
    );
    emulator.faults.update({ errorRate: 0.3 });
    const references = Array.from({ length: 12 }, (_, i) => `ord_fault_${i}`);
    const results = [];
    for (const reference of references) results.push(await warehouse.createShipmentOrder(order(reference)));
    emulator.faults.update({ errorRate: 0 });
    expect(results.map((r) => r.order.reference)).toEqual(references);
    expect(results.some((r) => r.outcome === 'existing')).toBe(true);
    expect(warehouse.health().failures).toBeGreaterThan(0);
    const received = (await state()).ordersByStatus['received'] ?? [];
    expect(received.map((o) => o.reference).sort()).toEqual([...references].sort());
    expect((await state()).stock[0]).toMatchObject({ onHand: 100, allocated: 24 });
  });

  it('retries a create after a timeout by looking it up first', async () => {
    // Seed 18: the first POST hangs, the lookup finds nothing, the second POST creates.
    const { emulator, warehouse, state } = await setup({ stock: { 'TEE-RED-M': 5 }, random: seeded(18) }, { timeoutMs: 150 });
    emulator.faults.update({ timeoutRate: 0.5 });
    const result = await warehouse.createShipmentOrder(order('ord_timeout'));
    emulator.faults.update({ timeoutRate: 0 });
    expect(result).toMatchObject({ outcome: 'created', order: { reference: 'ord_timeout' } });
    expect(warehouse.health()).toMatchObject({ calls: 3, lastFailure: { code: 'outbound_timeout' } });
    expect((await state()).counts.orders).toBe(1);
  });

  it('cancels an unshipped order, releasing its stock; a repeat is harmless', async () => {
    const { warehouse, state } = await setup({ stock: { 'TEE-RED-M': 5 } });
    const { order: created } = await warehouse.createShipmentOrder(order('ord_4'));
    const cancelled = await warehouse.cancelShipmentOrder(created.id, { reason: 'customer request' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String), lines: [{ quantity: 2, shippedQuantity: 0, cancelledQuantity: 2, allocatedQuantity: 0 }] });
    expect((await warehouse.cancelShipmentOrder(created.id)).status).toBe('cancelled');
    expect((await state()).stock[0]).toMatchObject({ onHand: 5, allocated: 0, available: 5 });
    await expect(warehouse.cancelShipmentOrder('so_404404')).rejects.toMatchObject({ code: 'warehouse_not_found' });
  });

  it('cancels the rest of a partially shipped order, and refuses to cancel a shipped one (409)', async () => {
    const { emulator, warehouse, sandbox } = await setup({ stock: { 'TEE-RED-M': 10 }, shipDelayMs: 300, partialRate: 1 });
    const { order: partial } = await warehouse.createShipmentOrder(order('ord_5', [{ lineId: '1', sku: 'TEE-RED-M', quantity: 4 }]));
    await expect.poll(async () => (await warehouse.getShipmentOrder(partial.id)).status, { interval: 10 }).toBe('partially_shipped');
    const rest = await warehouse.cancelShipmentOrder(partial.id);
    expect(rest).toMatchObject({ status: 'cancelled', lines: [{ quantity: 4, shippedQuantity: 2, cancelledQuantity: 2 }] });
    expect(rest.shipments).toHaveLength(1);

    await sandbox('behaviour', { partialRate: 0 });
    const { order: whole } = await warehouse.createShipmentOrder(order('ord_6'));
    await emulator.idle();
    expect((await warehouse.getShipmentOrder(whole.id)).status).toBe('shipped');
    const refused = await warehouse.cancelShipmentOrder(whole.id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TillbridgeError);
    expect(refused).toMatchObject({ code: 'warehouse_already_shipped', retryable: false, httpStatus: 409 });
    expect(await warehouse.queryStock({ sku: 'TEE-RED-M' })).toEqual([{ sku: 'TEE-RED-M', location: 'WH1', onHand: 6, allocated: 0, available: 6 }]);
  });

  it('queries stock across pages, by SKU and by location', async () => {
    const stock = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`SKU-${i}`, i * 10]));
    const { warehouse } = await setup({ stock });
    await warehouse.createShipmentOrder(order('ord_7', [{ lineId: 'a', sku: 'SKU-3', quantity: 4 }]));
    const levels = await warehouse.queryStock({ pageSize: 3 });
    expect(levels.map((l) => l.sku)).toEqual(['SKU-0', 'SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5', 'SKU-6']);
    expect(levels[3]).toEqual({ sku: 'SKU-3', location: 'WH1', onHand: 30, allocated: 4, available: 26 });
    expect(await warehouse.queryStock({ sku: 'SKU-6' })).toEqual([{ sku: 'SKU-6', location: 'WH1', onHand: 60, allocated: 0, available: 60 }]);
    expect(await warehouse.queryStock({ location: 'WH2' })).toEqual([]);
    expect(warehouse.health().calls).toBe(6);
  });

  it('reads only its own site when warehouseLocation is set', async () => {
    const { warehouse } = await setup({ stock: { A: 1 }, location: 'EAST' }, { warehouseLocation: 'WEST' });
    expect(await warehouse.queryStock()).toEqual([]);
  });

  it('reports a refused API key as a permanent unauthorized error, and field errors with their pointers', async () => {
    const { emulator, warehouse } = await setup();
    const bad = createWarehouseClient({ connectionId: 'wh-bad', settings: WarehouseSettings.parse({ baseUrl: emulator.url, locationId: 'wh-main' }), secrets: { apiKey: 'whk_wrong' } });
    await expect(bad.queryStock()).rejects.toMatchObject({ code: 'outbound_unauthorized', retryable: false, httpStatus: 401 });
    const invalid = warehouse.createShipmentOrder({ ...order('ord_8'), lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 0 }] });
    await expect(invalid).rejects.toMatchObject({ code: 'outbound_rejected', retryable: false, message: expect.stringContaining('/lines/0/quantity') });
  });

  it('keeps within the API rate limit: 429 Retry-After pauses calls, and they all succeed', async () => {
    const { warehouse, state } = await setup({ stock: { A: 1 }, rateLimit: { capacity: 3, refillPerSecond: 20 } }, { rateLimit: { capacity: 10, refillPerSecond: 100 } });
    const results = await Promise.all(Array.from({ length: 5 }, () => warehouse.queryStock({ sku: 'A' })));
    expect(results.every((r) => r[0]?.onHand === 1)).toBe(true);
    expect((await state()).rateLimited).toBeGreaterThan(0);
  });
});
