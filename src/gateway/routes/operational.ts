import type { FastifyInstance } from 'fastify';
import type { GatewayDeps } from '../deps.js';
import { HealthStatus } from './responses.js';

/** Unauthenticated routes for orchestrators and scrapers: liveness, readiness, metrics. */
export async function operationalRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  app.get('/health', { config: { meta: { scope: 'public', summary: 'Liveness: 200 while the process serves', tags: ['operations'], schemas: { responses: { 200: { description: 'Serving', schema: HealthStatus } } } } } }, async () => ({ status: 'ok' }));

  app.get('/ready', { config: { meta: { scope: 'public', summary: 'Readiness: 200 once the store is reachable and migrated, else 503', tags: ['operations'], schemas: { responses: { 200: { description: 'Ready', schema: HealthStatus }, 503: { description: 'Not ready', schema: HealthStatus } } } } } }, async (_request, reply) => {
    const ready = await deps.isReady().catch(() => false);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable' });
  });

  app.get('/metrics', { config: { meta: { scope: 'public', summary: 'Prometheus metrics', tags: ['operations'], schemas: { responses: { 200: { description: 'Metrics in the Prometheus text format', contentType: 'text/plain' } } } } } }, async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
}
