import type { Logger } from 'pino';
import type { Clock } from '../model/index.js';
import { purgeExpired, purgeExpiredConsoleSessions, purgeMessageStats, type Store } from '../store/index.js';

/** How long per-minute message statistics are kept: the overview's longest window (7 days) and a day. */
const statsRetentionMs = 8 * 86_400_000;

/** Every 10 minutes, purges completed messages and idempotency keys older than the retention, expired console sessions and old message statistics. Returns a stop function. */
export function startHousekeeping(store: Store, clock: Clock, retentionMs: number, logger: Logger, everyMs = 600_000): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      for (;;) {
        const purged = await purgeExpired(store.db, clock.now() - retentionMs);
        if (purged.messages > 0 || purged.idempotencyKeys > 0) logger.info(purged, 'housekeeping purged expired records');
        if (purged.messages < 5000) break;
      }
      await purgeExpiredConsoleSessions(store.db, clock.now());
      await purgeMessageStats(store.db, clock.now() - statsRetentionMs);
    } catch (err) {
      logger.warn({ err }, 'housekeeping failed; will try again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
