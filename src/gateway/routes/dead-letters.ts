import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../flows/index.js';
import { deadLetterPage, messageDetail, replayMatching, replayOne } from '../../messaging/index.js';
import type { DeadLetterFilter } from '../../store/index.js';
import type { GatewayDeps } from '../deps.js';
import { problem, sendProblem, type ProblemViolation } from '../problem.js';
import { parseLimit } from './paging.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { DeadLetterPage, DeadLetterView, PageQuery, ReplayResponse } from './responses.js';

const Filter = z.object({
  type: z.string().min(1).optional(),
  correlationId: z.string().min(1).optional(),
  subject: z.string().min(1).optional(),
  reason: z.string().min(1).optional(),
  errorCode: z.string().min(1).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});

const ReplayBody = z
  .object({
    filter: Filter.default({}),
    all: z.boolean().default(false),
    max: z.number().int().min(1).max(100_000).default(10_000),
    note: z.string().max(1000).optional(),
  })
  .refine((body) => body.all || Object.values(body.filter).some((v) => v !== undefined), {
    error: 'name at least one filter, or send "all": true to replay every dead letter',
    path: ['filter'],
  });

const ReplayOneBody = z.object({ note: z.string().max(1000).optional() }).default({});

function toFilter(f: z.infer<typeof Filter>): DeadLetterFilter {
  return {
    type: f.type,
    correlationId: f.correlationId,
    subject: f.subject,
    reason: f.reason,
    errorCode: f.errorCode,
    since: f.since ? Date.parse(f.since) : undefined,
    until: f.until ? Date.parse(f.until) : undefined,
  };
}

function violations(error: z.ZodError, prefix: string): ProblemViolation[] {
  return error.issues.map((i) => ({ pointer: `${prefix}/${i.path.join('/')}`, detail: i.message }));
}

/** Dead letters over HTTP: list, inspect, replay one or many. */
export async function deadLetterRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/dead-letters', { config: { meta: { scope: 'admin', summary: 'List dead letters, oldest first, with filters and a cursor', tags: ['dead letters'], schemas: { query: Filter.extend(PageQuery.shape), responses: { 200: { description: 'A page of dead letters', schema: DeadLetterPage } } } } } }, async (request, reply) => {
    const { limit: rawLimit, cursor, ...rest } = request.query;
    const errors: ProblemViolation[] = [];
    const filter = Filter.safeParse(rest);
    if (!filter.success) errors.push(...violations(filter.error, '/query'));
    const limit = parseLimit(rawLimit, errors);
    const after = cursor === undefined ? undefined : decodeCursor<number>(cursor, 'number');
    if (cursor !== undefined && after === undefined) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0 || !filter.success) {
      return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are not valid', { errors }));
    }
    const page = await deadLetterPage(deps.store.db, toFilter(filter.data), { limit, after });
    return { data: page.data, nextCursor: page.next === null ? null : encodeCursor(page.next) };
  });

  app.get<{ Params: { id: string } }>('/v1/dead-letters/:id', { config: { meta: { scope: 'admin', summary: 'One message with its attempt and replay history', tags: ['dead letters'], schemas: { responses: { 200: { description: 'The message with its history', schema: DeadLetterView } } } } } }, async (request, reply) => {
    const detail = await messageDetail(deps.store.db, request.params.id);
    if (!detail) return sendProblem(reply, problem(404, 'not-found', 'Not found', `no message ${request.params.id}`));
    return detail;
  });

  app.post<{ Params: { id: string } }>('/v1/dead-letters/:id/replay', { config: { meta: { scope: 'admin', summary: 'Replay one dead letter', tags: ['dead letters'], schemas: { body: ReplayOneBody, responses: { 202: { description: 'Replayed: back in the outbox', schema: ReplayResponse }, 409: { description: 'The message is not a dead letter', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const body = ReplayOneBody.safeParse(request.body ?? undefined);
    if (!body.success) {
      return sendProblem(reply, problem(422, 'invalid-request', 'Invalid request', 'the replay request is not valid', { errors: violations(body.error, '') }));
    }
    const outcome = await replayOne(deps.store.db, {
      id: request.params.id,
      actor: request.principal?.name ?? 'unknown',
      now: deps.clock.now(),
      note: body.data.note,
      audit: { requestId: request.id },
    });
    if (outcome === 'not_found') return sendProblem(reply, problem(404, 'not-found', 'Not found', `no message ${request.params.id}`));
    if (outcome === 'not_dead') {
      return sendProblem(reply, problem(409, 'not-dead-lettered', 'Not a dead letter', `message ${request.params.id} is not in the dead letters`));
    }
    deps.onReplayed?.();
    return reply.code(202).send({ replayed: [request.params.id] });
  });

  app.post('/v1/dead-letters/replay', { config: { meta: { scope: 'admin', summary: 'Replay the dead letters matching a filter', tags: ['dead letters'], schemas: { body: ReplayBody, responses: { 202: { description: 'The ids replayed and their count', schema: ReplayResponse } } } } } }, async (request, reply) => {
    const body = ReplayBody.safeParse(request.body ?? {});
    if (!body.success) {
      return sendProblem(reply, problem(422, 'invalid-request', 'Invalid request', 'the replay request is not valid', { errors: violations(body.error, '') }));
    }
    const replayed = await replayMatching(deps.store.db, {
      filter: toFilter(body.data.filter),
      actor: request.principal?.name ?? 'unknown',
      now: deps.clock.now(),
      max: body.data.max,
      note: body.data.note,
      audit: { requestId: request.id },
    });
    if (replayed.length > 0) deps.onReplayed?.();
    return reply.code(202).send({ replayed, count: replayed.length });
  });
}
