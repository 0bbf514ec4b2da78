import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NewReturn, ReturnCondition, ReturnStatus } from '../wire.js';
import type { IdempotencyStore } from './idempotency.js';
import { problem, sendProblem, validationProblem } from './problems.js';
import type { WarehouseReturns } from './returns.js';
import { answerKnownKey, lostAnswer, page } from './routes.js';

/** What the return routes need from the emulator. */
export interface ReturnRouteOptions {
  returns: WarehouseReturns;
  idempotency: IdempotencyStore;
  /** True when this create's answer should be lost (stored, but answered 502). */
  loseResponse(): boolean;
}

const ListQuery = z.object({
  reference: z.string().min(1).optional(),
  status: ReturnStatus.optional(),
  limit: z.coerce.number().pipe(z.int().min(1).max(250)).default(50),
  cursor: z.string().optional(),
});

const Receipt = z
  .object({
    /** The condition of every unit not given one per line (default sellable). */
    condition: ReturnCondition.optional(),
    /** What arrived, when not everything authorised: a line may appear once per condition. */
    lines: z
      .array(z.object({ lineId: z.string().min(1), quantity: z.int().positive().optional(), condition: ReturnCondition.optional() }))
      .min(1, { error: 'a receipt has at least one line' })
      .optional(),
  })
  .nullish();

const invalid = (errors: { pointer: string; detail: string }[]) =>
  problem(422, 'validation_failed', `${errors.length} field${errors.length === 1 ? '' : 's'} failed validation`, { errors });

/** Returns (RMAs): `POST/GET /v1/returns`, `GET /v1/returns/{id}`, and `POST /_sandbox/returns/{id}/receive`. */
export function registerReturnRoutes(app: FastifyInstance, options: ReturnRouteOptions): void {
  const { returns, idempotency } = options;
  const notFound = (id: string) => problem(404, 'not_found', `return ${id} does not exist`);

  app.post('/v1/returns', async (request, reply) => {
    const parsed = NewReturn.safeParse(request.body);
    if (!parsed.success) return sendProblem(reply, validationProblem(parsed.error));
    const check = idempotency.check(request.headers['idempotency-key'], { route: 'create return', body: parsed.data });
    const known = answerKnownKey(reply, check);
    if (known) return known;
    const result = returns.create(parsed.data);
    if (result.kind === 'invalid') return sendProblem(reply, invalid(result.errors));
    if (result.kind === 'conflict') {
      return sendProblem(reply, problem(409, 'reference_conflict', `a return with reference ${parsed.data.reference} already exists with different content`, { existingId: result.existingId }));
    }
    const status = result.kind === 'created' ? 201 : 200;
    idempotency.remember(check, status, result.value);
    if (result.kind === 'created' && options.loseResponse()) return lostAnswer(reply);
    return reply.code(status).header('location', `/v1/returns/${result.value.id}`).send(result.value);
  });

  app.get('/v1/returns', async (request, reply) => {
    const query = ListQuery.safeParse(request.query);
    if (!query.success) return sendProblem(reply, validationProblem(query.error));
    const filter = { ...(query.data.reference !== undefined ? { reference: query.data.reference } : {}), ...(query.data.status ? { status: query.data.status } : {}) };
    const result = page(returns.list(filter), query.data.limit, query.data.cursor);
    return result ?? sendProblem(reply, problem(400, 'invalid_cursor', 'cursor is not one this API returned'));
  });

  app.get<{ Params: { id: string } }>('/v1/returns/:id', async (request, reply) => returns.get(request.params.id) ?? sendProblem(reply, notFound(request.params.id)));

  app.post<{ Params: { id: string } }>('/_sandbox/returns/:id/receive', async (request, reply) => {
    const body = Receipt.safeParse(request.body);
    if (!body.success) return sendProblem(reply, validationProblem(body.error));
    const result = returns.receive(request.params.id, body.data?.lines, body.data?.condition);
    if (result.kind === 'not_found') return sendProblem(reply, notFound(request.params.id));
    if (result.kind === 'invalid') return sendProblem(reply, invalid(result.errors));
    if (result.kind === 'not_authorized') {
      return sendProblem(reply, problem(409, 'already_received', `return ${request.params.id} is ${result.value.status}, not authorized`, { returnStatus: result.value.status }));
    }
    return result.value;
  });
}
