import type { Logger } from 'pino';
import type { InventoryPusher } from '../flows/index.js';
import { sleep } from './sleep.js';

/**
 * Keeps the inventory pusher going until stopped: batch after batch while a backlog lasts, else a
 * look every fifth of the push interval (10–250 ms). A failed batch is logged and tried again later
 * (its SKUs stay pending).
 */
export function startInventoryPusher(pusher: InventoryPusher, deps: { pushIntervalMs: number; logger: Logger }): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const idleMs = Math.min(250, Math.max(10, Math.floor(deps.pushIntervalMs / 5)));
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      let full = false;
      try {
        full = (await pusher.pushDue(stopping.signal)) >= pusher.batchSize;
      } catch (error) {
        if (!stopping.signal.aborted) deps.logger.warn({ err: error }, 'inventory push failed; the SKUs stay pending');
      }
      if (!full) await sleep(idleMs, stopping.signal);
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
