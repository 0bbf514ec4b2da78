import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../connectors/framework/index.js';
import { newId, permanentError, systemClock, transientError } from '../../model/index.js';
import { createDispatcher, type Dispatcher } from '../../messaging/index.js';
import { testStores, type Store } from '../../store/index.js';
import { waitFor } from '../../testing/index.js';
import { createInventory, InventoryConfig } from '../inventory/index.js';
import { createSync, type Sync } from './sync.js';
import type { SyncItem, SyncSource } from './ports.js';
import type { SyncJobView } from './view.js';

const stores = await testStores();

const connection = (id: string) => ({ id, system: 'warehouse', settings: {} }) as unknown as Connection;

/** A source of `count` SKUs read by offset, with the problems a test asks for. */
function listing(id: string, count: number, options: { badItem?: number; failOnce?: string; failAlways?: boolean } = {}) {
  const reads: (string | null)[] = [];
  let failed = false;
  const source: SyncSource = {
    id: `${id}:stock`,
    kind: 'inventory',
    connection: connection(id),
    async read(cursor, limit) {
      reads.push(cursor);
      if (options.failAlways) throw permanentError('outbound_unauthorized', `${id} refused the credentials`, 401);
      if (cursor === options.failOnce && !failed) {
        failed = true;
        throw transientError('outbound_timeout', `${id} timed out`);
      }
      const start = cursor === null ? 0 : Number(cursor);
      const end = Math.min(count, start + limit);
      const items: SyncItem[] = [];
      for (let i = start; i < end; i++) {
        const sku = `SKU-${String(i).padStart(5, '0')}`;
        items.push(i === options.badItem ? { ref: sku, error: 'no such unit' } : { ref: sku, events: [{ kind: 'inventory-level', sku, locationId: 'wh', onHand: i % 7, occurredAt: '2026-01-01T00:00:00Z', sourceVersion: '3' }] });
      }
      return { items, next: end < count ? String(end) : null };
    },
  };
  return { source, reads };
}

describe.each(stores)('sync on $name', (factory) => {
  let store: Store;
  let dispatcher: Dispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.stop(1000);
    dispatcher = undefined;
    await store?.close();
  });

  const setup = async (sources: SyncSource[]): Promise<Sync> => {
    store = await factory.open();
    const inventory = createInventory({ store, clock: systemClock, newId, config: InventoryConfig.parse({ channels: [{ connection: 'shop', locations: ['wh'] }], pushInterval: '1h' }), port: () => undefined });
    const sync = createSync({ store, clock: systemClock, newId, sources: () => sources, inventory, catalogChannels: [], pageSize: 500 });
    dispatcher = createDispatcher({ store, handlers: [...sync.handlers], clock: systemClock, newId, pollMs: 10 });
    dispatcher.start();
    return sync;
  };
  const ended = async (sync: Sync, id: string) =>
    (await waitFor(async () => {
      const job = await sync.view(id);
      return job && !['queued', 'running'].includes(job.status) ? job : undefined;
    }, { timeoutMs: 20_000, what: `job ${id} to end` }))!;

  it.skipIf(factory.skipReason !== null)('lists in pages, applies each item once (a failed page is retried alone), counts a bad item, and schedules a push per SKU', async () => {
    const wms = listing('wms', 1_100, { badItem: 42, failOnce: '500' });
    const sync = await setup([wms.source]);
    const { outcome, job } = await sync.start('inventory', { requestedBy: 'test' });
    expect(outcome).toBe('started');
    expect(await sync.start('inventory', { requestedBy: 'test' })).toMatchObject({ outcome: 'conflict', job: { id: job.id } });
    const done = await ended(sync, job.id);
    expect(done).toMatchObject<Partial<SyncJobView>>({ status: 'succeeded', total: 1_100, done: 1_099, failed: 1, error: 'SKU-00042: no such unit', requestedBy: 'test' });
    // The first page was read once; the page that timed out was read again; no page was applied twice.
    expect(wms.reads).toEqual([null, '500', '500', '1000']);
    const level = await store.db.selectFrom('inventory_levels').selectAll().where('sku', '=', 'SKU-00600').executeTakeFirst();
    expect(level).toMatchObject({ location_id: 'wh', on_hand: 600 % 7, source: 'wms', source_version: '3' });
    expect(await store.db.selectFrom('inventory_pending').select('sku').where('sku', '=', 'SKU-01099').executeTakeFirst()).toEqual({ sku: 'SKU-01099' });
    expect((await sync.list({ limit: 10 })).map((j) => j.id)).toEqual([job.id]);
  });

  it.skipIf(factory.skipReason !== null)('fails the job with the reason when a source refuses, and refuses unknown connections', async () => {
    const sync = await setup([listing('wms', 10, { failAlways: true }).source]);
    await expect(sync.start('inventory', { connections: ['nope'], requestedBy: null })).rejects.toMatchObject({ code: 'unknown_sync_source', httpStatus: 422 });
    const { job } = await sync.start('inventory', { requestedBy: null });
    const failed = await ended(sync, job.id);
    expect(failed).toMatchObject({ status: 'failed', error: 'outbound_unauthorized: wms refused the credentials' });
    expect(failed.finishedAt).not.toBeNull();
    // A failed job no longer blocks the next one.
    expect((await sync.start('inventory', { requestedBy: null })).outcome).toBe('started');
  });

  it.skipIf(factory.skipReason !== null)('stops a cancelled job: its queued page reads nothing', async () => {
    const wms = listing('wms', 10);
    const sync = await setup([wms.source]);
    await dispatcher!.stop(1000);
    const { job } = await sync.start('inventory', { requestedBy: null });
    expect(await sync.cancel(job.id)).toMatchObject({ status: 'cancelled' });
    expect(await sync.cancel('job_unknown')).toBeUndefined();
    dispatcher = createDispatcher({ store, handlers: [...sync.handlers], clock: systemClock, newId, pollMs: 10 });
    dispatcher.start();
    await waitFor(async () => (await store.db.selectFrom('messages').select('id').where('type', '=', 'sync.page').where('status', '=', 'done').executeTakeFirst()) !== undefined, { what: 'the page message to be handled' });
    expect(wms.reads).toEqual([]);
    expect(await sync.view(job.id)).toMatchObject({ status: 'cancelled', total: 0 });
  });
});
