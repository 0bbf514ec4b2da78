import type { Logger } from 'pino';
import { addMessageStats, latencyClassOf, type MessageStatsRow, type Store } from '../store/index.js';
import type { Clock } from '../model/index.js';
import type { DispatcherObserver, SettledDelivery } from './dispatcher.js';

const outcomes = { done: 'done', dead: 'dead', retry: 'retried' } as const;

/** Counts settled deliveries per minute, type, outcome and latency class in memory, and adds them to the store in batches. */
export interface ThroughputRecorder extends DispatcherObserver {
  /** Adds what was counted so far to the store. */
  flush(): Promise<void>;
  /** Stops the periodic flush and flushes what is left. */
  stop(): Promise<void>;
}

/** Creates the recorder; it flushes every `flushMs` (default 5 s), so the store sees one upsert per cell per flush, not a write per message. */
export function createThroughputRecorder(deps: { store: Store; clock: Clock; flushMs?: number; logger?: Logger }): ThroughputRecorder {
  let cells = new Map<string, MessageStatsRow>();
  let flushing: Promise<void> = Promise.resolve();

  function count(row: MessageStatsRow): void {
    const key = `${row.minute} ${row.type} ${row.outcome} ${row.latencyClass}`;
    const cell = cells.get(key);
    if (cell) cell.n += row.n;
    else cells.set(key, { ...row });
  }

  function settled(event: SettledDelivery): void {
    if (event.outcome === 'lease_lost') return;
    const outcome = outcomes[event.outcome];
    count({ minute: Math.floor(deps.clock.now() / 60_000) * 60_000, type: event.type, outcome, latencyClass: outcome === 'retried' ? 0 : latencyClassOf(event.latencyMs), n: 1 });
  }

  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      if (cells.size === 0) return;
      const rows = [...cells.values()];
      cells = new Map();
      try {
        await addMessageStats(deps.store.db, rows);
      } catch (error) {
        rows.forEach(count);
        deps.logger?.warn({ err: error, cells: rows.length }, 'message statistics could not be stored; they are kept for the next flush');
      }
    });
    return flushing;
  }

  const timer = setInterval(() => void flush(), deps.flushMs ?? 5000);
  timer.unref();
  return {
    settled,
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
