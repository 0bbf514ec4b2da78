import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor, type Sync } from '../../flows/index.js';
import { ConnectionId } from '../../model/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem, type ProblemViolation } from '../problem.js';
import { parseLimit } from './paging.js';
import { zodViolations } from './request.js';
import { PageQuery, pageOf } from './responses.js';

const tags = ['sync'];
const kinds = ['inventory', 'catalog'] as const;

/** `POST /v1/sync/jobs`: start a full backfill of one kind, optionally from some connections only. */
export const SyncJobRequest = z.object({
  kind: z.enum(kinds),
  connections: z.array(ConnectionId).min(1).max(100).optional(),
});

/** A sync job and its progress (`total` grows as the sources are listed; it is final once the job ended). */
export const SyncJobResponse = z.object({
  id: z.string(),
  kind: z.enum(kinds),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  total: z.int(),
  done: z.int(),
  failed: z.int(),
  error: z.string().nullable(),
  connections: z.array(z.string()).nullable(),
  requestedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});

const SyncJobListQuery = PageQuery.extend({ kind: z.enum(kinds).optional() });
const notFound = { description: 'No such job', schema: ProblemSchema };

/** Bulk backfills as jobs: start one, follow its progress, list them, cancel one. */
export async function syncRoutes(app: FastifyInstance, deps: GatewayDeps & { sync?: Sync | undefined }): Promise<void> {
  const sync = deps.sync;
  if (!sync) return;

  app.post('/v1/sync/jobs', { config: { meta: { scope: 'admin', summary: 'Start a full inventory or catalog backfill on the bulk lane (orders are never delayed)', tags, schemas: { body: SyncJobRequest, responses: { 202: { description: 'The job is queued', schema: SyncJobResponse }, 409: { description: 'A job of this kind is already queued or running (its id is in `jobId`)', schema: ProblemSchema }, 422: { description: 'Invalid request, or a connection that cannot be listed for this kind', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const input = SyncJobRequest.safeParse(request.body ?? {});
    if (!input.success) return sendProblem(reply, problem(422, 'invalid-sync-job', 'Invalid sync job', 'the request does not describe a sync job', { errors: zodViolations(input.error) }));
    const { outcome, job } = await sync.start(input.data.kind, { connections: input.data.connections, requestedBy: request.principal?.name ?? null });
    if (outcome === 'conflict') {
      return sendProblem(reply, problem(409, 'sync-job-running', 'A sync job is already running', `${job.kind} sync ${job.id} is ${job.status}; wait for it, or cancel it first`, { jobId: job.id }));
    }
    deps.onEnqueued?.();
    return reply.code(202).header('location', `/v1/sync/jobs/${job.id}`).send(job);
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/sync/jobs', { config: { meta: { scope: 'admin', summary: 'List sync jobs, latest first', tags, schemas: { query: SyncJobListQuery, responses: { 200: { description: 'A page of jobs', schema: pageOf(SyncJobResponse) } } } } } }, async (request, reply) => {
    const errors: ProblemViolation[] = [];
    const limit = parseLimit(request.query.limit, errors);
    const kind = request.query.kind;
    if (kind !== undefined && !(kinds as readonly string[]).includes(kind)) errors.push({ pointer: '/query/kind', detail: `kind is one of ${kinds.join(', ')}` });
    const cursor = request.query.cursor;
    const position = cursor === undefined ? undefined : decodeCursor<string>(cursor, 'string');
    const [createdAt, id] = position?.split('|') ?? [];
    if (cursor !== undefined && (!id || !/^\d+$/.test(createdAt ?? ''))) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0) return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are invalid', { errors }));
    const jobs = await sync.list({ limit: limit + 1, before: id ? { createdAt: Number(createdAt), id } : undefined, kind: kind as (typeof kinds)[number] | undefined });
    const page = jobs.slice(0, limit);
    const last = page.at(-1);
    return { data: page, nextCursor: jobs.length > limit && last ? encodeCursor(`${Date.parse(last.createdAt)}|${last.id}`) : null };
  });

  app.get<{ Params: { id: string } }>('/v1/sync/jobs/:id', { config: { meta: { scope: 'admin', summary: 'A sync job and its progress', tags, schemas: { responses: { 200: { description: 'The job', schema: SyncJobResponse }, 404: notFound } } } } }, async (request, reply) => {
    const job = await sync.view(request.params.id);
    return job ?? sendProblem(reply, problem(404, 'not-found', 'Not found', `no sync job ${request.params.id}`));
  });

  app.post<{ Params: { id: string } }>('/v1/sync/jobs/:id/cancel', { config: { meta: { scope: 'admin', summary: 'Cancel a sync job: it stops after the page in flight (what was applied stays)', tags, schemas: { responses: { 200: { description: 'The job as it is now', schema: SyncJobResponse }, 404: notFound } } } } }, async (request, reply) => {
    const job = await sync.cancel(request.params.id);
    return job ?? sendProblem(reply, problem(404, 'not-found', 'Not found', `no sync job ${request.params.id}`));
  });
}
