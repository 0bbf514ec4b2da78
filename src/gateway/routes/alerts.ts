import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AlertEvent, listAlertViews } from '../../flows/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem } from '../problem.js';

/** One alert: its dedup key, kind, what it saw last, how often, and when it opened and resolved. */
export const AlertResponse = AlertEvent.omit({ alertId: true }).extend({ id: z.string(), count: z.int() });

/** `GET /v1/alerts?status=open|resolved|all`. */
export const AlertList = z.object({ data: z.array(AlertResponse) });

const AlertQuery = z.object({ status: z.enum(['open', 'resolved', 'all']).default('open') });

/** `GET /v1/alerts`: SLA breaches, dead-letter growth, open circuits and reconciliation drift, newest first. */
export async function alertRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  if (!deps.alerts) return;
  app.get('/v1/alerts', { config: { meta: { scope: 'admin', summary: 'Alerts (SLA breaches, dead-letter growth, open circuits, reconciliation drift), newest first; open by default', tags: ['operations'], schemas: { query: AlertQuery, responses: { 200: { description: 'Alerts, newest first (at most 500)', schema: AlertList }, 400: { description: 'Invalid status', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const query = AlertQuery.safeParse(request.query ?? {});
    if (!query.success) return sendProblem(reply, problem(400, 'invalid-filter', 'Invalid filter', 'status is open, resolved or all', { errors: [{ pointer: '/query/status', detail: 'open, resolved or all' }] }));
    return { data: await listAlertViews(deps.store.db, query.data.status) };
  });
}
