import type { FastifyInstance } from 'fastify';
import type { GatewayDeps } from '../deps.js';
import { ApiRouteList } from './responses.js';

/** GET /v1/meta/api: every route with its method, status, scope and version. */
export async function metaRoutes(app: FastifyInstance, deps: GatewayDeps & { registry: import('../route-meta.js').RouteRegistry }): Promise<void> {
  app.get('/v1/meta/api', { config: { meta: { scope: 'public', summary: 'List every API route with its lifecycle status, scope and version', tags: ['meta'], schemas: { responses: { 200: { description: 'Every route', schema: ApiRouteList } } } } } }, async () => ({
    data: deps.registry.routes.map((r) => ({
      method: r.method,
      path: r.url,
      summary: r.summary,
      scope: r.scope,
      version: r.version,
      ...r.lifecycle,
    })),
  }));
}
