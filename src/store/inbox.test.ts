import { describe, expect, it } from 'vitest';
import { getInboxEntry, receiveIntoInbox } from './inbox.js';
import { testStores } from './testing.js';

const stores = await testStores();

describe.each(stores)('inbox on $name', (factory) => {
  it.skipIf(factory.skipReason !== null)('keeps the first payload per (source, dedup key) and reports repeats as duplicates', async () => {
    const store = await factory.open();
    try {
      const first = await receiveIntoInbox(store.db, {
        id: 'inb_1',
        source: 'shop-main',
        dedupKey: 'webhook-123',
        payload: '{"id":1}',
        headers: { 'x-shopify-topic': 'orders/create' },
        receivedAt: 1,
      });
      expect(first).toEqual({ id: 'inb_1', duplicate: false });
      const again = await receiveIntoInbox(store.db, { id: 'inb_2', source: 'shop-main', dedupKey: 'webhook-123', payload: '{"id":1,"retry":true}', receivedAt: 2 });
      expect(again).toEqual({ id: 'inb_1', duplicate: true });
      const otherSource = await receiveIntoInbox(store.db, { id: 'inb_3', source: 'shop-eu', dedupKey: 'webhook-123', payload: '{}', receivedAt: 3 });
      expect(otherSource.duplicate).toBe(false);
      const kept = await getInboxEntry(store.db, 'inb_1');
      expect(kept).toMatchObject({ payload: '{"id":1}', status: 'received', headers: JSON.stringify({ 'x-shopify-topic': 'orders/create' }) });
      expect(await getInboxEntry(store.db, 'inb_2')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it.skipIf(factory.skipReason !== null)('deduplicates concurrent deliveries of the same payload', async () => {
    const store = await factory.open();
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          receiveIntoInbox(store.db, { id: `inb_${i}`, source: 'stripe-main', dedupKey: 'evt_1', payload: '{}', receivedAt: i }),
        ),
      );
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
    } finally {
      await store.close();
    }
  });
});
