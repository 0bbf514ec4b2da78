import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ActionResult } from '../../flows/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem } from '../problem.js';
import { actorOf, zodViolations } from './request.js';

const tags = ['orders'];
const Reason = z.string().min(1).max(500);

/** `POST /v1/orders/{id}/hold`. */
export const HoldRequest = z.object({ reason: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { error: 'a hold reason is a snake_case word, e.g. manual or fraud_review' }).default('manual'), note: z.string().max(500).optional() });
/** `POST /v1/orders/{id}/cancel`: every open unit, or the given lines. */
export const CancelRequest = z.object({
  reason: Reason.default('cancelled by request'),
  lines: z.array(z.object({ lineId: z.string().min(1), quantity: z.int().positive() })).min(1).optional(),
});
/** `POST /v1/orders/{id}/returns`: units to return, each with its reason (the returns policy decides what follows). */
export const ReturnRequestBody = z.object({
  lines: z.array(z.object({ lineId: z.string().min(1), quantity: z.int().positive(), reason: z.string().min(1).max(100).optional() })).min(1),
});
/** What a return request answers: one return per policy rule its reasons fall under. */
export const ReturnResponse = z.object({ orderId: z.string(), returns: z.array(z.object({ returnId: z.string(), runId: z.string(), mode: z.string() })) });

/** What an order action answers. */
export const ActionResponse = z.object({ orderId: z.string(), status: z.string(), runId: z.string().optional() });

const responses = (what: string) => ({
  202: { description: what, schema: ActionResponse },
  404: { description: 'No such order', schema: ProblemSchema },
  409: { description: 'The order cannot do this in its current status', schema: ProblemSchema },
});

/** Operator actions on orders: hold, release, cancel (whole or some lines) and returns. */
export async function orderActionRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  const orderToCash = deps.orderToCash;
  const notify = <T>(result: T): T => {
    deps.onEnqueued?.();
    return result;
  };
  if (!orderToCash) return;
  const answer = (result: ActionResult) => notify(result);
  const invalid = (error: z.ZodError) => problem(422, 'invalid-request', 'Invalid request', 'the request body is not valid', { errors: zodViolations(error) });

  app.post<{ Params: { id: string } }>('/v1/orders/:id/hold', { config: { meta: { scope: 'orders:write', summary: 'Put an order on hold: its workflow waits before its next step', tags, schemas: { body: HoldRequest, responses: responses('On hold') } } } }, async (request, reply) => {
    const input = HoldRequest.safeParse(request.body ?? {});
    if (!input.success) return sendProblem(reply, invalid(input.error));
    return reply.code(202).send(answer(await orderToCash.hold(request.params.id, input.data.reason, actorOf(request).name)));
  });

  app.post<{ Params: { id: string } }>('/v1/orders/:id/release', { config: { meta: { scope: 'orders:write', summary: 'Release a held order: its workflow continues where it waited', tags, schemas: { responses: responses('Released') } } } }, async (request, reply) => {
    return reply.code(202).send(answer(await orderToCash.release(request.params.id, actorOf(request).name)));
  });

  app.post<{ Params: { id: string } }>('/v1/orders/:id/cancel', { config: { meta: { scope: 'orders:write', summary: 'Cancel an order, or some units of its lines, with compensation in the ERP, the warehouse and the payment', tags, schemas: { body: CancelRequest, responses: responses('Cancellation under way') } } } }, async (request, reply) => {
    const input = CancelRequest.safeParse(request.body ?? {});
    if (!input.success) return sendProblem(reply, invalid(input.error));
    return reply.code(202).send(answer(await orderToCash.cancel(request.params.id, { reason: input.data.reason, lines: input.data.lines }, actorOf(request).name)));
  });

  app.post<{ Params: { id: string } }>('/v1/orders/:id/returns', { config: { meta: { scope: 'orders:write', summary: 'Authorise a return of shipped units under the returns policy (refund only, return then refund, or exchange)', tags, schemas: { body: ReturnRequestBody, responses: { 202: { description: 'Return authorised', schema: ReturnResponse }, 404: { description: 'No such order', schema: ProblemSchema }, 409: { description: 'More than was shipped and not yet returned', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const input = ReturnRequestBody.safeParse(request.body ?? {});
    if (!input.success) return sendProblem(reply, invalid(input.error));
    return reply.code(202).send(notify(await orderToCash.requestReturn(request.params.id, input.data, actorOf(request).name)));
  });
}
