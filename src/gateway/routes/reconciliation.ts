import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor, ReconciliationScope, type Reconciliation } from '../../flows/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem, type ProblemViolation } from '../problem.js';
import { parseLimit } from './paging.js';
import { zodViolations } from './request.js';
import { PageQuery, pageOf } from './responses.js';

const tags = ['reconciliation'];

/** `POST /v1/reconciliation/runs`: what to compare (default: everything) and over which window (default: the configured one). */
export const ReconciliationRunRequest = z.object({
  scope: z.array(ReconciliationScope).min(1).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

/** One disagreement between the hub, a channel and the ERP. */
export const DriftResponse = z.object({
  id: z.string(),
  runId: z.string(),
  scope: ReconciliationScope,
  kind: z.string(),
  entity: z.string(),
  systems: z.array(z.string()),
  expected: z.unknown(),
  actual: z.unknown(),
  severity: z.enum(['info', 'warning', 'critical']),
  correction: z.string().nullable(),
  status: z.enum(['open', 'resolved', 'dismissed', 'failed', 'superseded']),
  resolution: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  foundAt: z.string(),
});

const RunFields = {
  id: z.string(),
  scope: z.array(ReconciliationScope),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  trigger: z.string(),
  requestedBy: z.string().nullable(),
  window: z.object({ from: z.string(), to: z.string() }),
  checks: z.array(z.object({ name: z.string(), scope: ReconciliationScope, drift: z.int(), ms: z.int(), error: z.string().optional(), note: z.string().optional() })),
  driftCount: z.int(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
};

/** A run without its drift (lists). */
export const RunSummaryResponse = z.object(RunFields);
/** A run with every drift it found. */
export const RunResponse = z.object({ ...RunFields, drift: z.array(DriftResponse) });

/** `POST /v1/reconciliation/drift/{id}/resolve`: apply the drift's correction (default), or dismiss it as accepted. */
export const ResolveDriftRequest = z.object({ action: z.enum(['correct', 'dismiss']).default('correct'), note: z.string().max(1000).optional() });

const notFound = { description: 'No such run or drift', schema: ProblemSchema };

/** Reconciliation runs on demand, their drift, and audited resolution of each drift. */
export async function reconciliationRoutes(app: FastifyInstance, deps: GatewayDeps & { reconciliation?: Reconciliation | undefined }): Promise<void> {
  const reconciliation = deps.reconciliation;
  if (!reconciliation) return;

  app.post('/v1/reconciliation/runs', { config: { meta: { scope: 'finance:write', summary: 'Start a reconciliation run comparing the hub, channels and the ERP (orders, inventory, catalog, payments, journal)', tags, schemas: { body: ReconciliationRunRequest, responses: { 202: { description: 'The run is queued; follow it at its location', schema: RunSummaryResponse }, 422: { description: 'Invalid request', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const input = ReconciliationRunRequest.safeParse(request.body ?? {});
    if (!input.success) return sendProblem(reply, problem(422, 'invalid-reconciliation-run', 'Invalid reconciliation run', 'the request does not describe a reconciliation run', { errors: zodViolations(input.error) }));
    const { scope, from, to } = input.data;
    if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) {
      return sendProblem(reply, problem(422, 'invalid-reconciliation-run', 'Invalid reconciliation run', 'from must not be after to', { errors: [{ pointer: '/from', detail: 'from is after to' }] }));
    }
    const run = await reconciliation.start({ scope, from: from === undefined ? undefined : Date.parse(from), to: to === undefined ? undefined : Date.parse(to), trigger: 'api', requestedBy: request.principal?.name ?? null });
    deps.onEnqueued?.();
    return reply.code(202).header('location', `/v1/reconciliation/runs/${run.id}`).send(run);
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/reconciliation/runs', { config: { meta: { scope: 'finance:read', summary: 'Reconciliation runs, latest first', tags, schemas: { query: PageQuery, responses: { 200: { description: 'A page of runs', schema: pageOf(RunSummaryResponse) } } } } } }, async (request, reply) => {
    const errors: ProblemViolation[] = [];
    const limit = parseLimit(request.query.limit, errors);
    const cursor = request.query.cursor;
    const position = cursor === undefined ? undefined : decodeCursor<string>(cursor, 'string');
    const [createdAt, id] = position?.split('|') ?? [];
    if (cursor !== undefined && (!id || !/^\d+$/.test(createdAt ?? ''))) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0) return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are invalid', { errors }));
    const runs = await reconciliation.list({ limit: limit + 1, before: id ? { createdAt: Number(createdAt), id } : undefined });
    const page = runs.slice(0, limit);
    const last = page.at(-1);
    return { data: page, nextCursor: runs.length > limit && last ? encodeCursor(`${Date.parse(last.createdAt)}|${last.id}`) : null };
  });

  app.get<{ Params: { id: string } }>('/v1/reconciliation/runs/:id', { config: { meta: { scope: 'finance:read', summary: 'A reconciliation run and the drift it found', tags, schemas: { responses: { 200: { description: 'The run', schema: RunResponse }, 404: notFound } } } } }, async (request, reply) => {
    const run = await reconciliation.view(request.params.id);
    return run ?? sendProblem(reply, problem(404, 'not-found', 'Not found', `no reconciliation run ${request.params.id}`));
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/reconciliation/drift', { config: { meta: { scope: 'finance:read', summary: 'Drift still open or whose correction failed, oldest first', tags, schemas: { query: PageQuery, responses: { 200: { description: 'A page of drift', schema: pageOf(DriftResponse) } } } } } }, async (request, reply) => {
    const errors: ProblemViolation[] = [];
    const limit = parseLimit(request.query.limit, errors);
    const cursor = request.query.cursor;
    const afterId = cursor === undefined ? undefined : decodeCursor<string>(cursor, 'string');
    if (cursor !== undefined && !afterId) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0) return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are invalid', { errors }));
    const drift = await reconciliation.open({ limit: limit + 1, afterId });
    const page = drift.slice(0, limit);
    return { data: page, nextCursor: drift.length > limit && page.length > 0 ? encodeCursor(page.at(-1)!.id) : null };
  });

  app.post<{ Params: { id: string } }>('/v1/reconciliation/drift/:id/resolve', { config: { meta: { scope: 'finance:write', summary: 'Resolve a drift: apply its correction (re-sync, re-publish, re-post, import the missed order) or dismiss it; audited', tags, schemas: { body: ResolveDriftRequest, responses: { 200: { description: 'The drift as resolved', schema: DriftResponse }, 404: notFound, 409: { description: 'Already resolved', schema: ProblemSchema }, 422: { description: 'Invalid request, or nothing to correct it with', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const input = ResolveDriftRequest.safeParse(request.body ?? {});
    if (!input.success) return sendProblem(reply, problem(422, 'invalid-resolution', 'Invalid resolution', 'the request does not describe a resolution', { errors: zodViolations(input.error) }));
    const resolved = await reconciliation.resolve(request.params.id, { ...input.data, actor: { name: request.principal?.name ?? 'unknown', requestId: request.id } });
    deps.onEnqueued?.();
    return resolved;
  });
}
