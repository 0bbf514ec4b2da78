import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { LiveFeed } from './live.js';

/** GET /v1/ops/stream: the live summary as server-sent events (`event: summary`), with a heartbeat. */
export async function streamRoutes(app: FastifyInstance, deps: { feed: LiveFeed; heartbeatMs?: number }): Promise<void> {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const response of open) response.end();
  });

  app.get('/v1/ops/stream', { config: { meta: { scope: 'public', summary: 'Live counts (backlog per lane, dead letters, stuck and held orders, open drift, unmatched settlement items, open alerts) as server-sent events; any signed-in caller', tags: ['operations'], schemas: { responses: { 200: { description: 'An event stream of `summary` events', contentType: 'text/event-stream' } } } } } }, async (request, reply) => {
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.write('retry: 3000\n\n');
    open.add(response);
    const unsubscribe = deps.feed.subscribe((summary) => response.write(`event: summary\ndata: ${JSON.stringify(summary)}\n\n`));
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), deps.heartbeatMs ?? 15_000);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(response);
    });
  });
}
