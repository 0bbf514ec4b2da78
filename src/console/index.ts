import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ConsoleMount } from '../gateway/index.js';
import { createLiveFeed, type LiveSummary } from './live.js';
import { consoleRoutes, sessionResolver } from './routes.js';
import type { ConsoleSessions } from './sessions.js';
import { streamRoutes } from './stream.js';

export { createConsoleSessions, csrfMatches, type ConsoleCredentials, type ConsoleSession, type ConsoleSessions, type NewConsoleSession } from './sessions.js';
export { createLiveFeed, type LiveFeed, type LiveSummary } from './live.js';
export { sessionCookie } from './routes.js';

/** The console as the gateway mounts it: its pages and sign-in, the live stream, and cookie sessions for /v1. */
export function consoleMount(deps: { sessions: ConsoleSessions; summarize: () => Promise<LiveSummary>; logger?: Logger; liveEveryMs?: number }): ConsoleMount & { stop(): void } {
  const feed = createLiveFeed({ compute: deps.summarize, ...(deps.liveEveryMs !== undefined ? { everyMs: deps.liveEveryMs } : {}), ...(deps.logger ? { logger: deps.logger } : {}) });
  return {
    routes: (app: FastifyInstance) => consoleRoutes(app, { sessions: deps.sessions }),
    apiRoutes: (app: FastifyInstance) => streamRoutes(app, { feed }),
    authenticate: sessionResolver(deps.sessions),
    stop: () => feed.stop(),
  };
}
