import type { Logger } from 'pino';
import type { Reconciliation } from '../../flows/index.js';
import { sleep } from '../sleep.js';

/** Starts a reconciliation run every `everyMs` (skipped while one is still queued or running); stop() ends the loop. */
export function startReconciliationSchedule(reconciliation: Pick<Reconciliation, 'startScheduled'>, options: { everyMs: number; logger: Logger; onStarted?: () => void }): { stop(): Promise<void> } {
  const shutdown = new AbortController();
  const loop = (async () => {
    while (!shutdown.signal.aborted) {
      await sleep(options.everyMs, shutdown.signal);
      if (shutdown.signal.aborted) break;
      try {
        const run = await reconciliation.startScheduled();
        if (run) {
          options.logger.info({ run: run.id, scope: run.scope }, 'scheduled reconciliation run started');
          options.onStarted?.();
        }
      } catch (error) {
        options.logger.warn({ err: error }, 'scheduled reconciliation run could not start');
      }
    }
  })();
  return {
    async stop() {
      shutdown.abort();
      await loop;
    },
  };
}
