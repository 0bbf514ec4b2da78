import { describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../model/index.js';
import { InboundEvent, type Poller, type PollResult } from '../framework/index.js';
import { warehouseConnector } from './index.js';
import { createWarehouseShipmentsPoller } from './poller.js';
import { sandboxesPerTest, shipmentOrder } from './test-support.js';

const setup = sandboxesPerTest();

const signal = new AbortController().signal;
const dayMs = 24 * 60 * 60 * 1000;
const t0 = Date.parse('2026-11-27T10:00:00.000Z');

/** A clock the test moves, shared by the emulator (its `updatedAt`s) and the poller. */
function movableClock() {
  let now = t0;
  return { clock: { now: () => now } satisfies Clock, set: (seconds: number) => (now = t0 + seconds * 1000) };
}

type Sandbox = Awaited<ReturnType<typeof setup>>;

function pollerFor(sandbox: Sandbox, options: { clock?: Clock; pageSize?: number; overlapMs?: number } = {}): Poller {
  return createWarehouseShipmentsPoller({ client: sandbox.client, intervalMs: 1000, clock: options.clock ?? systemClock, initialLookbackMs: dayMs, ...options });
}

/** What the hub makes of polled items: each interpreted by the connection, as the inbox would. */
function interpretAll(sandbox: Sandbox, items: PollResult['items']): InboundEvent[] {
  return items.flatMap((item) => {
    const events = sandbox.connection.interpret!(item.topic, item.payload);
    for (const event of events) expect(InboundEvent.safeParse(event).success).toBe(true);
    return events;
  });
}

const referenceOf = (event: InboundEvent) => (event.kind === 'fulfillment' ? event.fulfillment.reference : `${event.kind}?`);
const byReference = (a: InboundEvent, b: InboundEvent) => (referenceOf(a) < referenceOf(b) ? -1 : 1);

/** Polls until the poller says there is no more now; answers every page. */
async function pollRun(poller: Poller, cursor: string | null): Promise<PollResult[]> {
  const pages: PollResult[] = [];
  let at = cursor;
  for (;;) {
    const page = await poller.poll(at, signal);
    pages.push(page);
    at = page.cursor ?? at;
    if (!page.more) return pages;
    if (pages.length > 20) throw new Error('the poller did not finish its run');
  }
}

describe('warehouse shipments poller', () => {
  it('hands over each shipment and cancellation so that interpret() gives the fulfillments the webhooks gave', async () => {
    const sandbox = await setup({
      partialRate: 1,
      substitutionRate: 1,
      substitutes: { 'TEE-RED-M': 'TEE-RED-M-V2' },
      stock: { 'TEE-RED-M': 5, 'TEE-RED-M-V2': 9, 'MUG-BLK': 4 },
    });
    const { client, emulator, receiver, accept } = sandbox;
    const { order: parcels } = await client.createShipmentOrder(
      shipmentOrder('ord_p1', [
        { lineId: '1', sku: 'TEE-RED-M', quantity: 2 },
        { lineId: '2', sku: 'MUG-BLK', quantity: 2 },
      ]),
    );
    const { order: waiting } = await client.createShipmentOrder(shipmentOrder('ord_p2', [{ lineId: '1', sku: 'CAP-NONE', quantity: 3 }]));
    await emulator.idle();
    await client.cancelLines(waiting.id, [{ lineId: '1', quantity: 1 }], { reason: 'short', idempotencyKey: 'c-p2-1' });
    await client.cancelShipmentOrder(waiting.id, { reason: 'customer request' });
    await emulator.idle();

    const webhooks = receiver.received.filter((r) => r.type === 'shipment.confirmed' || r.type === 'shipment-order.cancelled');
    const fromWebhooks = webhooks.flatMap((delivery) => accept(delivery).events).sort(byReference);
    expect(fromWebhooks.map(referenceOf)).toEqual(['shp_000001', 'shp_000002', `${waiting.id}:can_000001`, `${waiting.id}:cancelled`]);

    const [page, ...rest] = await pollRun(pollerFor(sandbox), null);
    expect(rest).toEqual([]);
    expect(page!.more).toBe(false);
    expect(page!.items.map((i) => [i.dedupKey, i.topic])).toEqual([
      ['shipment:shp_000001', 'shipment.confirmed'],
      ['shipment:shp_000002', 'shipment.confirmed'],
      [`cancellation:${waiting.id}:can_000001`, 'shipment-order.cancelled'],
      [`cancellation:${waiting.id}:cancelled`, 'shipment-order.cancelled'],
    ]);
    expect(interpretAll(sandbox, page!.items).sort(byReference)).toEqual(fromWebhooks);
    expect(fromWebhooks[0]).toMatchObject({ orderExternalId: 'ord_p1', fulfillment: { lines: [{ lineId: '1', substitutedSku: 'TEE-RED-M-V2' }] } });
    expect(JSON.parse(page!.items[0]!.payload)).toMatchObject({ shipmentOrderId: parcels.id, partial: true });
    expect(JSON.parse(page!.items[1]!.payload)).toMatchObject({ partial: false });
    const updatedAts = (await Promise.all([parcels.id, waiting.id].map((id) => client.getShipmentOrder(id)))).map((o) => o.updatedAt).sort();
    expect(JSON.parse(page!.cursor!)).toEqual({ updatedAt: updatedAts.at(-1) });
  });

  it('recovers a shipment whose webhook the warehouse gave up on while the hub was down', { timeout: 20_000 }, async () => {
    const sandbox = await setup({ stock: { 'TEE-RED-M': 3 } });
    await sandbox.receiver.close();
    await sandbox.client.createShipmentOrder(shipmentOrder('ord_down', [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2 }]));
    await sandbox.emulator.idle();
    const state = await sandbox.state();
    expect(state['deliveries']).toEqual([
      expect.objectContaining({ topic: 'shipment.confirmed', status: null, attempts: 5 }),
      expect.objectContaining({ topic: 'stock.adjusted', status: null, attempts: 5 }),
    ]);

    const [page] = await pollRun(pollerFor(sandbox), null);
    expect(interpretAll(sandbox, page!.items)).toEqual([
      {
        kind: 'fulfillment',
        orderExternalId: 'ord_down',
        fulfillment: {
          reference: 'shp_000001',
          status: 'shipped',
          locationId: 'wh-main',
          lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2 }],
          tracking: [{ carrier: 'USPS', number: '9400100000000000000001', url: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000001' }],
          shippedAt: expect.any(String),
        },
      },
    ]);
  });

  it('re-polls as duplicates within the overlap, reads only what changed since, and never moves its cursor back', async () => {
    const time = movableClock();
    const sandbox = await setup({ now: time.clock.now, stock: { A: 10 }, shipDelayMs: 60_000, rateLimit: null });
    const poller = pollerFor(sandbox, { clock: time.clock });
    const shipAt = async (reference: string, created: number, shipped: number) => {
      time.set(created);
      await sandbox.client.createShipmentOrder(shipmentOrder(reference, [{ lineId: '1', sku: 'A', quantity: 1 }]));
      time.set(shipped);
      expect(await (await sandbox.sandbox('ship')).json()).toEqual({ shipped: 1 });
    };
    const keys = (page: PollResult | undefined) => page!.items.map((i) => i.dedupKey);

    await shipAt('ord_r1', 0, 10);
    const [first] = await pollRun(poller, null);
    expect(keys(first)).toEqual(['shipment:shp_000001']);
    expect(JSON.parse(first!.cursor!)).toEqual({ updatedAt: '2026-11-27T10:00:10.000Z' });

    time.set(40);
    const [again] = await pollRun(poller, first!.cursor);
    expect(again).toEqual(first);

    await shipAt('ord_r2', 40, 100);
    const [second] = await pollRun(poller, first!.cursor);
    expect(keys(second)).toEqual(['shipment:shp_000001', 'shipment:shp_000002']);
    expect(JSON.parse(second!.cursor!)).toEqual({ updatedAt: '2026-11-27T10:01:40.000Z' });

    // A change the warehouse stamps before the cursor (a late commit, a skewed server) is read within the overlap.
    await shipAt('ord_skewed', 60, 70);
    const [skewed] = await pollRun(poller, second!.cursor);
    expect(keys(skewed)).toEqual(['shipment:shp_000003', 'shipment:shp_000002']);
    expect(skewed!.cursor).toBe(second!.cursor);

    await shipAt('ord_r3', 100, 300);
    const [third] = await pollRun(poller, second!.cursor);
    expect(keys(third)).toEqual(['shipment:shp_000003', 'shipment:shp_000002', 'shipment:shp_000004']);
    const [fourth] = await pollRun(poller, third!.cursor);
    expect(keys(fourth)).toEqual(['shipment:shp_000004']);
    expect(fourth!.cursor).toBe(third!.cursor);

    const ahead = JSON.stringify({ updatedAt: '2026-11-27T12:00:00.000Z' });
    expect(await pollRun(poller, ahead)).toEqual([{ items: [], cursor: ahead, more: false }]);
    const [fresh] = await pollRun(poller, 'not json');
    expect(keys(fresh)).toEqual(['shipment:shp_000001', 'shipment:shp_000003', 'shipment:shp_000002', 'shipment:shp_000004']);
  });

  it('pages through many orders with `more`, each shipment once, even when an order changes mid-run', async () => {
    const time = movableClock();
    const sandbox = await setup({ now: time.clock.now, stock: { A: 100 }, shipDelayMs: 60_000, rateLimit: null });
    const poller = pollerFor(sandbox, { clock: time.clock, pageSize: 10 });
    let waiting = '';
    for (let i = 0; i < 25; i++) {
      time.set(i);
      if (i === 3) {
        // Nothing in stock: it waits, and loses units line by line.
        waiting = (await sandbox.client.createShipmentOrder(shipmentOrder(`ord_m${i}`, [{ lineId: '1', sku: 'NONE', quantity: 2 }]))).order.id;
        await sandbox.client.cancelLines(waiting, [{ lineId: '1', quantity: 1 }], { idempotencyKey: 'm3-1' });
      } else {
        await sandbox.client.createShipmentOrder(shipmentOrder(`ord_m${i}`, [{ lineId: '1', sku: 'A', quantity: 2 }]));
      }
      await sandbox.sandbox('ship');
    }
    const shipments = ((await sandbox.state()) as unknown as { shipments: { id: string }[] }).shipments.map((s) => `shipment:${s.id}`);
    expect(shipments).toHaveLength(24);

    time.set(30);
    const first = await poller.poll(null, signal);
    expect(first.more).toBe(true);
    expect(first.items.map((i) => i.dedupKey)).toContain(`cancellation:${waiting}:can_000001`);
    expect(JSON.parse(first.cursor!)).toEqual({ updatedAt: '2026-11-27T10:00:09.000Z', run: { since: new Date(t0 + 30_000 - dayMs).toISOString(), page: expect.any(String) } });

    time.set(500);
    await sandbox.client.cancelLines(waiting, [{ lineId: '1', quantity: 1 }], { idempotencyKey: 'm3-2' });
    const pages = [first, ...(await pollRun(poller, first.cursor))];
    expect(pages.map((p) => [p.items.length, p.more])).toEqual([
      [10, true],
      [10, true],
      [7, false],
    ]);
    const keys = pages.flatMap((p) => p.items.map((i) => i.dedupKey));
    expect(keys.filter((k) => k.startsWith('shipment:')).sort()).toEqual(shipments.sort());
    expect(keys.filter((k) => k.startsWith('cancellation:'))).toEqual([`cancellation:${waiting}:can_000001`, `cancellation:${waiting}:can_000001`, `cancellation:${waiting}:can_000002`]);
    expect(JSON.parse(pages.at(-1)!.cursor!)).toEqual({ updatedAt: '2026-11-27T10:08:20.000Z' });
  });

  it('restarts its run from the same updatedSince when the warehouse no longer knows the page cursor', async () => {
    const sandbox = await setup({ stock: { A: 2 } });
    await sandbox.client.createShipmentOrder(shipmentOrder('ord_s1', [{ lineId: '1', sku: 'A', quantity: 1 }]));
    await sandbox.emulator.idle();
    const since = new Date(Date.now() - 60_000).toISOString();
    const page = await pollerFor(sandbox).poll(JSON.stringify({ updatedAt: since, run: { since, page: 'c3RhbGU' } }), signal);
    expect(page.items.map((i) => i.dedupKey)).toEqual(['shipment:shp_000001']);
    expect(page.more).toBe(false);
  });
});

describe('warehouse connector pollers', () => {
  const create = (settings: Record<string, unknown>) =>
    warehouseConnector.create({
      connectionId: 'wh-main',
      settings: warehouseConnector.settings.parse({ baseUrl: 'http://127.0.0.1:9', locationId: 'wh-main', ...settings }),
      secrets: { apiKey: 'k', webhookSecret: 's' },
      clock: systemClock,
    });

  it('runs the shipments poller every 30 s by default, at pollIntervalMs when set, and none at 0', () => {
    expect(create({}).pollers?.map((p) => [p.name, p.intervalMs])).toEqual([['shipments', 30_000]]);
    expect(create({ pollIntervalMs: 5_000 }).pollers?.map((p) => p.intervalMs)).toEqual([5_000]);
    expect(create({ pollIntervalMs: 0 }).pollers).toBeUndefined();
    expect(warehouseConnector.settings.safeParse({ baseUrl: 'http://127.0.0.1:9', locationId: 'wh-main', pollIntervalMs: 50 }).success).toBe(false);
  });
});
