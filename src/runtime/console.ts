import type { Logger } from 'pino';
import type { Clock } from '../model/index.js';
import { consoleMount, createConsoleSessions } from '../console/index.js';
import type { ApiKeys, OAuth } from '../gateway/index.js';
import { consoleCounts, countOverdueRuns, messageBacklog, type Store } from '../store/index.js';

/** The operations console over the hub's store: cookie sessions from API keys or OAuth clients, and the live counts. */
export function consoleFor(deps: { store: Store; clock: Clock; logger: Logger; apiKeys: ApiKeys; oauth: OAuth }) {
  const { store, clock } = deps;
  return consoleMount({
    sessions: createConsoleSessions({ store, clock, apiKeys: deps.apiKeys, oauth: deps.oauth }),
    logger: deps.logger,
    async summarize() {
      const [backlog, stuckOrders, counts] = await Promise.all([messageBacklog(store.db), countOverdueRuns(store.db, clock.now()), consoleCounts(store.db)]);
      return {
        critical: backlog.lanes.critical ?? 0,
        standard: backlog.lanes.standard ?? 0,
        bulk: backlog.lanes.bulk ?? 0,
        deadLetters: backlog.dead,
        stuckOrders,
        ...counts,
      };
    },
  });
}
