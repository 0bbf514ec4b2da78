import { describe, expect, it } from 'vitest';
import { latencyClassOf, messageStatsHistogram, testStores } from '../store/index.js';
import type { SettledDelivery } from './dispatcher.js';
import { createThroughputRecorder } from './throughput.js';

const stores = await testStores();

function delivery(type: string, outcome: SettledDelivery['outcome'], latencyMs: number): SettledDelivery {
  return { id: 'm', type, lane: 'critical', outcome, attempt: 1, durationMs: 1, latencyMs, correlationId: 'c' };
}

describe.each(stores)('throughput recorder on $name', (factory) => {
  it.skipIf(factory.skipReason !== null)('counts deliveries per minute, type, outcome and latency class, and adds them to the store in batches', async () => {
    const store = await factory.open();
    let now = Date.parse('2026-11-27T09:00:10Z');
    const recorder = createThroughputRecorder({ store, clock: { now: () => now }, flushMs: 60_000 });
    try {
      recorder.settled(delivery('order.accepted', 'done', 40));
      recorder.settled(delivery('order.accepted', 'done', 45));
      recorder.settled(delivery('order.accepted', 'retry', 10));
      recorder.settled(delivery('order.accepted', 'lease_lost', 10));
      const range = { from: Date.parse('2026-11-27T09:00:00Z'), to: Date.parse('2026-11-27T09:02:00Z'), stepMs: 60_000 };
      expect((await messageStatsHistogram(store.db, range)).settled).toEqual([]);
      await recorder.flush();
      now += 60_000;
      recorder.settled(delivery('ledger.post', 'dead', 3_000));
      recorder.settled(delivery('order.accepted', 'done', 40));
      await recorder.stop();
      const { settled, retried } = await messageStatsHistogram(store.db, range);
      expect(settled.sort((a, b) => a.bucket - b.bucket || a.type.localeCompare(b.type))).toEqual([
        { type: 'order.accepted', status: 'done', bucket: 0, latencyClass: latencyClassOf(40), n: 2 },
        { type: 'ledger.post', status: 'dead', bucket: 1, latencyClass: latencyClassOf(3_000), n: 1 },
        { type: 'order.accepted', status: 'done', bucket: 1, latencyClass: latencyClassOf(40), n: 1 },
      ]);
      expect(retried).toEqual([{ type: 'order.accepted', bucket: 0, n: 1 }]);
    } finally {
      await store.close();
    }
  });
});
