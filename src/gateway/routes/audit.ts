import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../flows/index.js';
import { listAudit } from '../../store/index.js';
import type { GatewayDeps } from '../deps.js';
import { problem, sendProblem, type ProblemViolation } from '../problem.js';
import { parseLimit } from './paging.js';
import { zodViolations } from './request.js';
import { AuditPage } from './responses.js';

const AuditQuery = z.object({
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  resourceType: z.string().min(1).optional(),
  resourceId: z.string().min(1).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.string().optional(),
  cursor: z.string().optional(),
});

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

/** GET /v1/audit: who did what to which resource, when, with before and after. */
export async function auditRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  app.get('/v1/audit', { config: { meta: { scope: 'admin', summary: 'Read the audit log of admin actions, newest first', tags: ['access'], schemas: { query: AuditQuery, responses: { 200: { description: 'A page of audit entries', schema: AuditPage } } } } } }, async (request, reply) => {
    const query = AuditQuery.safeParse(request.query);
    const errors: ProblemViolation[] = query.success ? [] : zodViolations(query.error, '/query');
    const limit = parseLimit(query.data?.limit, errors);
    const cursor = query.data?.cursor;
    const before = cursor === undefined ? undefined : decodeCursor<number>(cursor, 'number');
    if (cursor !== undefined && before === undefined) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0 || !query.success) {
      return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are not valid', { errors }));
    }
    const q = query.data;
    const rows = await listAudit(
      deps.store.db,
      {
        actor: q.actor,
        action: q.action,
        resourceType: q.resourceType,
        resourceId: q.resourceId,
        since: q.since ? Date.parse(q.since) : undefined,
        until: q.until ? Date.parse(q.until) : undefined,
      },
      { limit: limit + 1, before },
    );
    const page = rows.slice(0, limit);
    return {
      data: page.map((r) => ({
        at: new Date(r.at).toISOString(),
        actor: r.actor,
        action: r.action,
        resourceType: r.resource_type,
        resourceId: r.resource_id,
        before: parseJson(r.before),
        after: parseJson(r.after),
        requestId: r.request_id,
      })),
      nextCursor: rows.length > limit && page.length > 0 ? encodeCursor(page.at(-1)!.seq) : null,
    };
  });
}
