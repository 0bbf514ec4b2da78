import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listAlertViews } from '../../flows/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem } from '../problem.js';

/** One alert: its dedup key, kind, what it saw last and when it opened and resolved. */
export const AlertResponse = z.object({
  id: z.string(),
  key: z.string(),
  kind: z.enum(['sla_breach', 'dead_letter_growth', 'circuit_open', 'reconciliation_drift']),
  severity: z.enum(['warning', 'critical']),
  title: z.string(),
  detail: z.record(z.string(), z.unknown()),
  status: z.enum(['open', 'resolved']),
  count: z.int(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  resolvedAt: z.string().nullable(),
});

/** `GET /v1/alerts?status=open|resolved|all`. */
export const AlertList = z.object({ data: z.array(AlertResponse) });

const AlertQuery = z.object({ status: z.enum(['open', 'resolved', 'all']).default('open') });

/** `GET /v1/alerts`: SLA breaches, dead-letter growth, open circuits and reconciliation drift, newest first. */
export async function alertRoutes(app: FastifyInstance, deps: GatewayDeps & { alerts?: boolean | undefined }): Promise<void> {
  if (!deps.alerts) return;
  app.get('/v1/alerts', { config: { meta: { scope: 'admin', summary: 'Alerts (SLA breaches, dead-letter growth, open circuits, reconciliation drift), newest first; open by default', tags: ['operations'], schemas: { query: AlertQuery, responses: { 200: { description: 'Alerts, newest first (at most 500)', schema: AlertList }, 400: { description: 'Invalid status', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const query = AlertQuery.safeParse(request.query ?? {});
    if (!query.success) return sendProblem(reply, problem(400, 'invalid-filter', 'Invalid filter', 'status is open, resolved or all', { errors: [{ pointer: '/query/status', detail: 'open, resolved or all' }] }));
    return { data: await listAlertViews(deps.store.db, query.data.status) };
  });
}
