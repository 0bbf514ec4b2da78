import { afterEach, describe, expect, it } from 'vitest';
import { startWarehouseEmulator, type RunningWarehouseEmulator, type WarehouseEmulatorOptions } from './emulator/server.js';
import { shipmentOrder } from './test-support.js';
import type { ShipmentOrder } from './wire.js';

const emulators: RunningWarehouseEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

const t0 = Date.parse('2026-11-27T10:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();

/** An emulator on a clock the test moves, without webhooks or rate limit. */
async function setup(options: WarehouseEmulatorOptions = {}) {
  let now = t0;
  const emulator = await startWarehouseEmulator({ now: () => now, shipDelayMs: 5, rateLimit: null, ...options });
  emulators.push(emulator);
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${emulator.credentials.apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const list = async (query: Record<string, string>) => {
    const response = await call('GET', `/v1/shipment-orders?${new URLSearchParams(query).toString()}`);
    return response as { status: number; body: { data: ShipmentOrder[]; nextCursor: string | null } & Record<string, unknown> };
  };
  const create = async (reference: string, sku: string, quantity = 2) => (await call('POST', '/v1/shipment-orders', shipmentOrder(reference, [{ lineId: '1', sku, quantity }]))).body as unknown as ShipmentOrder;
  return { emulator, call, list, create, setNow: (seconds: number) => (now = t0 + seconds * 1000) };
}

describe('warehouse emulator: GET /v1/shipment-orders?updatedSince', () => {
  it('moves updatedAt on every change: created, shipped, cancelled lines, cancelled', async () => {
    const { call, create, setNow } = await setup({ stock: { A: 5 }, shipDelayMs: 60_000 });
    const shipped = await create('ord_u1', 'A');
    const waiting = await create('ord_u2', 'NONE', 3);
    expect([shipped.updatedAt, waiting.updatedAt]).toEqual([at(0), at(0)]);

    setNow(10);
    expect((await call('POST', '/_sandbox/ship')).body).toEqual({ shipped: 2 });
    const get = async (id: string) => (await call('GET', `/v1/shipment-orders/${id}`)).body as unknown as ShipmentOrder;
    expect(await get(shipped.id)).toMatchObject({ status: 'shipped', updatedAt: at(10), cancellations: [] });
    expect(await get(waiting.id)).toMatchObject({ status: 'backordered', updatedAt: at(10) });

    setNow(20);
    const lines = await call('POST', `/v1/shipment-orders/${waiting.id}/cancellations`, { lines: [{ lineId: '1', quantity: 1 }], reason: 'short' });
    expect(lines.body).toMatchObject({ updatedAt: at(20), cancellations: [{ cancellationId: 'can_000001', cancelledAt: at(20), reason: 'short', partial: true, lines: [{ lineId: '1', sku: 'NONE', cancelledQuantity: 1 }] }] });

    setNow(30);
    const cancelled = await call('POST', `/v1/shipment-orders/${waiting.id}/cancel`, {});
    expect(cancelled.body).toMatchObject({ status: 'cancelled', updatedAt: at(30), cancelledAt: at(30) });
    expect((cancelled.body as unknown as ShipmentOrder).cancellations).toEqual([
      { cancellationId: 'can_000001', cancelledAt: at(20), reason: 'short', partial: true, lines: [{ lineId: '1', sku: 'NONE', cancelledQuantity: 1 }] },
      { cancelledAt: at(30), reason: null, partial: false, lines: [{ lineId: '1', sku: 'NONE', cancelledQuantity: 2 }] },
    ]);
  });

  it('filters inclusively and orders by updatedAt then id, unlike the plain list (creation order)', async () => {
    const { list, create, setNow, call } = await setup({ stock: { A: 10 }, shipDelayMs: 60_000 });
    const first = await create('ord_f1', 'A');
    setNow(5);
    const second = await create('ord_f2', 'A');
    const third = await create('ord_f3', 'A');
    setNow(9);
    await call('POST', `/v1/shipment-orders/${first.id}/cancellations`, { lines: [{ lineId: '1', quantity: 1 }] });

    const ids = (page: { data: ShipmentOrder[] }) => page.data.map((o) => o.id);
    expect(ids((await list({})).body)).toEqual([first.id, second.id, third.id]);
    expect(ids((await list({ updatedSince: at(0) })).body)).toEqual([second.id, third.id, first.id]);
    expect(ids((await list({ updatedSince: at(5) })).body)).toEqual([second.id, third.id, first.id]);
    expect(ids((await list({ updatedSince: new Date(t0 + 5001).toISOString() })).body)).toEqual([first.id]);
    expect(ids((await list({ updatedSince: '2026-11-27T11:00:09+01:00' })).body)).toEqual([first.id]);
    expect(ids((await list({ updatedSince: at(10) })).body)).toEqual([]);
    expect(ids((await list({ updatedSince: at(0), status: 'received', reference: 'ord_f3' })).body)).toEqual([third.id]);

    const bad = await list({ updatedSince: 'yesterday' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'validation_failed', errors: [{ pointer: '/updatedSince' }] });
  });

  it('pages by keyset: an order updated mid-run comes again at the end and no other order is skipped', async () => {
    const { list, create, setNow, call } = await setup({ shipDelayMs: 60_000 });
    const orders: ShipmentOrder[] = [];
    for (let i = 0; i < 7; i++) {
      setNow(i);
      orders.push(await create(`ord_k${i}`, 'NONE'));
    }
    const first = await list({ updatedSince: at(0), limit: '3' });
    expect(first.body.data.map((o) => o.reference)).toEqual(['ord_k0', 'ord_k1', 'ord_k2']);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    setNow(100);
    await call('POST', `/v1/shipment-orders/${orders[1]!.id}/cancellations`, { lines: [{ lineId: '1', quantity: 1 }] });
    const seen = [...first.body.data.map((o) => o.reference)];
    let cursor = first.body.nextCursor;
    let pages = 1;
    while (cursor) {
      const page = await list({ updatedSince: at(0), limit: '3', cursor });
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((o) => o.reference));
      cursor = page.body.nextCursor;
      pages += 1;
    }
    expect(seen).toEqual(['ord_k0', 'ord_k1', 'ord_k2', 'ord_k3', 'ord_k4', 'ord_k5', 'ord_k6', 'ord_k1']);
    expect(pages).toBe(3);

    const full = await list({ updatedSince: at(0), limit: '8' });
    expect(full.body.nextCursor).toBeNull();
    const invalid = await list({ updatedSince: at(0), cursor: 'bm90LWEtY3Vyc29y' });
    expect(invalid).toMatchObject({ status: 400, body: { code: 'invalid_cursor' } });
  });
});
