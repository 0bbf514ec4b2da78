import type { Logger } from 'pino';
import type { Clock } from '../model/index.js';
import type { Connections, Poller } from '../connectors/framework/index.js';
import type { InboundRecorder } from '../flows/index.js';
import { getConnectorState, setConnectorState, type Store } from '../store/index.js';
import { sleep } from './sleep.js';

/**
 * Runs every connection's pollers (e.g. Shopify orders updated since a cursor) on their interval.
 * What a poll finds goes through the inbox like a webhook, so a payload seen both ways is processed
 * once; the cursor is saved after the page's payloads are kept, so a crash re-reads, never skips.
 */
export function startPollers(deps: {
  store: Store;
  connections: Connections;
  clock: Clock;
  logger: Logger;
  recorder: InboundRecorder;
  onReceived?: () => void;
}): { stop(): Promise<void> } {
  const shutdown = new AbortController();
  const loops: Promise<void>[] = [];

  const pollOnce = async (connectionId: string, system: string, poller: Poller): Promise<boolean> => {
    const key = `poll:${poller.name}`;
    const cursor = await getConnectorState(deps.store.db, connectionId, key);
    const page = await poller.poll(cursor, shutdown.signal);
    let fresh = 0;
    for (const item of page.items) {
      const recorded = await deps.recorder.record({ connectionId, system, ...item, via: 'poll' });
      if (!recorded.duplicate) fresh += 1;
    }
    if (page.cursor !== null && page.cursor !== cursor) await setConnectorState(deps.store.db, connectionId, key, page.cursor, deps.clock.now());
    if (fresh > 0) {
      deps.logger.info({ connection: connectionId, poller: poller.name, fresh, seen: page.items.length }, 'poll found changes');
      deps.onReceived?.();
    }
    return page.more;
  };

  for (const connection of deps.connections.values()) {
    for (const poller of connection.instance.pollers ?? []) {
      loops.push(
        (async () => {
          let failures = 0;
          while (!shutdown.signal.aborted) {
            let wait = poller.intervalMs;
            try {
              if (await pollOnce(connection.id, connection.system, poller)) wait = 0;
              failures = 0;
            } catch (error) {
              if (shutdown.signal.aborted) break;
              failures += 1;
              wait = Math.min(poller.intervalMs * 2 ** Math.min(failures, 5), 15 * 60_000);
              deps.logger.warn({ connection: connection.id, poller: poller.name, err: error, retryInMs: wait }, 'poll failed');
            }
            if (wait > 0) await sleep(wait, shutdown.signal);
          }
        })(),
      );
    }
  }
  return {
    async stop() {
      shutdown.abort();
      await Promise.allSettled(loops);
    },
  };
}
