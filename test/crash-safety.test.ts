import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrderIntake } from '../src/flows/index.js';
import { newId, parseOrder, systemClock } from '../src/model/index.js';
import { countMessagesByStatus, createScratchDatabase, openStore, testStores, type Store } from '../src/store/index.js';
import { waitFor } from '../src/testing/index.js';
import { apiClient } from './support/http.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';

import { sampleOrder } from './support/sample-order.js';

const key = 'crash-test-bootstrap-key-0123456789';
/** With nothing configured downstream, each order's placement runs these steps (outside ones skipped), each recorded once. */
const placementSteps = ['route', 'reserve-stock', 'payment', 'book-sales-order', 'release-to-warehouse'];
const messagesPerOrder = 1 + placementSteps.length;
const engines = await testStores();

/** Submits unique orders from `clients` concurrent loops until stopped; returns the acknowledged external ids. */
function burst(url: string, clients: number) {
  const call = apiClient(url, key);
  const acknowledged: string[] = [];
  let stopped = false;
  let n = 0;
  const loops = Array.from({ length: clients }, async () => {
    while (!stopped) {
      const externalId = `crash-${(n += 1)}`;
      try {
        const response = await call('POST', '/v1/orders', sampleOrder(externalId, 'crash-store'));
        if (response.status === 201) acknowledged.push(externalId);
      } catch {
        return;
      }
    }
  });
  return {
    acknowledged,
    sent: () => n,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

describe.each(engines)('crash safety on $name', (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it.skipIf(engine.skipReason !== null)('kill -9 during a burst of orders, and again during message handling, loses nothing acknowledged and duplicates nothing', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'tillbridge-crash-'));
    cleanups.push(async () => fs.rmSync(data, { recursive: true, force: true }));
    let databaseUrl: string | undefined;
    if (engine.name === 'postgres') {
      const database = await createScratchDatabase('tb_crash');
      cleanups.push(() => database.drop());
      databaseUrl = database.url;
    }
    const location = { data, ...(databaseUrl ? { databaseUrl } : {}) };
    const env = { TILLBRIDGE_LEASE_MS: '500' };

    let hub: HubProcess = await startHubProcess({ ...location, key, env });
    const load = burst(hub.url, 32);
    await waitFor(() => load.acknowledged.length >= 1500, { timeoutMs: 60_000, what: 'orders to be acknowledged' });
    await hub.kill('SIGKILL');
    await load.stop();
    expect(load.acknowledged.length).toBeGreaterThanOrEqual(1500);

    const store: Store = await openStore({ databaseUrl, dataDir: data });
    cleanups.push(() => store.close());

    // A backlog of accepted orders, so the next kill lands while messages are being handled.
    const intake = createOrderIntake({ store, clock: systemClock, newId });
    const backlog = engine.name === 'postgres' ? 2000 : 10_000;
    for (let chunk = 0; chunk < backlog / 1000; chunk++) {
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) => {
          const parsed = parseOrder(sampleOrder(`backlog-${chunk * 1000 + i}`, 'crash-store'));
          if (!parsed.ok) throw new Error('sample order is invalid');
          return intake.submit({ order: parsed.order, principal: 'test', via: 'test' });
        }),
      );
    }
    hub = await startHubProcess({ ...location, key, env });
    // Kill it once it is into the backlog (a few dozen orders in), however busy the machine is.
    await waitFor(async () => ((await countMessagesByStatus(store.db)).done ?? 0) >= (load.acknowledged.length + backlog / 50) * messagesPerOrder, {
      intervalMs: 5,
      timeoutMs: 120_000,
      what: 'the dispatcher to be busy with the backlog',
    });
    await hub.kill('SIGKILL');
    const atKill = await countMessagesByStatus(store.db);
    expect((atKill.pending ?? 0) + (atKill.leased ?? 0)).toBeGreaterThan(0);

    hub = await startHubProcess({ ...location, key, env });
    cleanups.push(async () => void (await hub.kill('SIGKILL')));
    await waitFor(async () => {
      const counts = await countMessagesByStatus(store.db);
      return (counts.pending ?? 0) + (counts.leased ?? 0) === 0;
    }, { timeoutMs: 120_000, what: 'the backlog to drain after restart' });

    const orders = await store.db.selectFrom('orders').select(['id', 'external_id']).where('source', '=', 'crash-store').execute();
    const stored = new Set(orders.map((o) => o.external_id));
    const missing = load.acknowledged.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect(orders.length).toBeLessThanOrEqual(load.sent() + backlog);
    expect(orders.filter((o) => o.external_id.startsWith('backlog-'))).toHaveLength(backlog);

    const accepted = new Map(
      (await store.db.selectFrom('messages').select(['subject as id', (eb) => eb.fn.countAll<number>().as('n')]).where('type', '=', 'order.accepted').groupBy('subject').execute()).map((r) => [r.id, Number(r.n)]),
    );
    const steps = await store.db.selectFrom('order_timeline').select(['order_id', 'event', (eb) => eb.fn.countAll<number>().as('n')]).where('event', 'like', 'order-placement.%').groupBy(['order_id', 'event']).execute();
    const stepCounts = new Map<string, Map<string, number>>();
    for (const row of steps) stepCounts.set(row.order_id, (stepCounts.get(row.order_id) ?? new Map()).set(row.event, Number(row.n)));
    for (const order of orders) {
      expect(accepted.get(order.id), `order.accepted messages of ${order.id}`).toBe(1);
      const counts = Object.fromEntries(stepCounts.get(order.id) ?? []);
      expect(counts, `placement steps of ${order.id}`).toEqual(Object.fromEntries(placementSteps.map((step) => [`order-placement.${step}`, 1])));
    }
    // Alerts the hub raised meanwhile (the sample orders were placed a day ago: an order-acceptance SLA breach) are not order messages.
    const orderMessages = await store.db.selectFrom('messages').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('type', 'not like', 'alert.%').groupBy('status').execute();
    expect(Object.fromEntries(orderMessages.map((r) => [r.status, Number(r.n)]))).toEqual({ done: orders.length * messagesPerOrder });

    const call = apiClient(hub.url, key);
    const again = await call('POST', '/v1/orders', sampleOrder(load.acknowledged[0]!, 'crash-store'));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(orders.find((o) => o.external_id === load.acknowledged[0])?.id);

    expect(await hub.kill('SIGTERM')).toBe(0);
  }, 360_000);
});
