import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor, type Settlement } from '../../flows/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem, type ProblemViolation } from '../problem.js';
import { JournalEntryView } from './journal.js';
import { parseLimit } from './paging.js';
import { PageQuery, pageOf } from './responses.js';

const tags = ['finance'];
const payoutStatuses = ['pending', 'in_transit', 'paid', 'failed', 'cancelled'] as const;

/** A payout as the hub received it, with how many of its lines matched. */
export const PayoutResponse = z.object({
  id: z.string(),
  provider: z.string(),
  connection: z.string(),
  reference: z.string(),
  currency: z.string(),
  amount: z.int(),
  status: z.string(),
  arrivalDate: z.string().nullable(),
  linesState: z.enum(['missing', 'fetched', 'reported', 'unavailable']),
  violations: z.array(z.object({ pointer: z.string(), detail: z.string() })),
  matched: z.int(),
  unmatched: z.int(),
  createdAt: z.string(),
});

const Match = z.object({
  status: z.enum(['matched', 'unmatched']),
  reason: z.string().nullable(),
  target: z.object({ kind: z.string(), reference: z.string() }).nullable(),
  expected: z.int().nullable(),
  actual: z.int().nullable(),
  tolerance: z.int(),
  attempts: z.int(),
});
const OrderSummary = z.object({ id: z.string(), number: z.string().nullable(), externalId: z.string(), total: z.int(), currency: z.string() });

/** A payout walked down to its lines, their orders, captures, refunds and fees, and the journal entries they produced. */
export const PayoutExplanationResponse = z.object({
  payout: PayoutResponse,
  lines: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      reference: z.string(),
      orderReference: z.string().nullable(),
      gross: z.int(),
      fee: z.int(),
      net: z.int(),
      currency: z.string(),
      match: Match.nullable(),
      order: OrderSummary.nullable(),
    }),
  ),
  orders: z.array(OrderSummary.extend({ journal: z.array(JournalEntryView) })),
  payoutEntry: JournalEntryView.nullable(),
  totals: z.object({ gross: z.int(), fees: z.int(), net: z.int(), amount: z.int(), reconciles: z.boolean() }),
});

/** A settlement line waiting for a match, with the reason. */
export const UnmatchedLineResponse = z.object({
  payoutId: z.string(),
  payoutReference: z.string(),
  provider: z.string(),
  connection: z.string(),
  lineId: z.string(),
  kind: z.string(),
  reference: z.string(),
  gross: z.int(),
  fee: z.int(),
  net: z.int(),
  currency: z.string(),
  reason: z.string().nullable(),
  orderId: z.string().nullable(),
  attempts: z.int(),
  firstSeenAt: z.string(),
  lastTriedAt: z.string(),
});

const PayoutListQuery = PageQuery.extend({ status: z.enum(payoutStatuses).optional() });
const UnmatchedQuery = PageQuery.extend({ connection: z.string().optional() });
const invalidQuery = { description: 'Invalid query', schema: ProblemSchema };
const badQuery = (errors: ProblemViolation[]) => problem(400, 'invalid-query', 'Invalid query', 'the query parameters are not valid', { errors });

/** `GET /v1/payouts`, `GET /v1/payouts/{id}/explain` and `GET /v1/settlements/unmatched`. */
export async function payoutRoutes(app: FastifyInstance, deps: GatewayDeps & { settlement?: Settlement | undefined }): Promise<void> {
  const settlement = deps.settlement;
  if (!settlement) return;

  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/payouts', { config: { meta: { scope: 'finance:read', summary: 'Payouts from payment providers, newest first, with how many of their lines matched', tags, schemas: { query: PayoutListQuery, responses: { 200: { description: 'A page of payouts', schema: pageOf(PayoutResponse) }, 400: invalidQuery } } } } }, async (request, reply) => {
    const errors: ProblemViolation[] = [];
    const limit = parseLimit(request.query.limit, errors);
    const status = request.query.status;
    if (status !== undefined && !(payoutStatuses as readonly string[]).includes(status)) errors.push({ pointer: '/query/status', detail: `status is one of ${payoutStatuses.join(', ')}` });
    const cursor = request.query.cursor;
    const [createdAt, id] = (cursor === undefined ? undefined : decodeCursor<string>(cursor, 'string'))?.split('|') ?? [];
    if (cursor !== undefined && (!id || !/^\d+$/.test(createdAt ?? ''))) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0) return sendProblem(reply, badQuery(errors));
    const rows = await settlement.list({ status, limit: limit + 1, before: id ? { createdAt: Number(createdAt), id } : undefined });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { data: page.map(({ position: _position, ...view }) => view), nextCursor: rows.length > limit && last ? encodeCursor(`${last.position.createdAt}|${last.position.id}`) : null };
  });

  app.get<{ Params: { id: string } }>('/v1/payouts/:id/explain', { config: { meta: { scope: 'finance:read', summary: 'One payout down to its lines, their orders, captures, refunds and fees, and the journal entries they produced, with Σ gross, Σ fees and Σ net', tags, schemas: { responses: { 200: { description: 'The payout explained', schema: PayoutExplanationResponse }, 404: { description: 'No such payout', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const explained = await settlement.explain(request.params.id);
    return explained ?? sendProblem(reply, problem(404, 'not-found', 'Not found', `no payout ${request.params.id}`));
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/settlements/unmatched', { config: { meta: { scope: 'finance:read', summary: 'Settlement lines waiting for a match, oldest first, each with the reason', tags, schemas: { query: UnmatchedQuery, responses: { 200: { description: 'A page of unmatched lines', schema: pageOf(UnmatchedLineResponse) }, 400: invalidQuery } } } } }, async (request, reply) => {
    const errors: ProblemViolation[] = [];
    const limit = parseLimit(request.query.limit, errors);
    const cursor = request.query.cursor;
    const parts = (cursor === undefined ? undefined : decodeCursor<string>(cursor, 'string'))?.split('|') ?? [];
    const [firstSeenAt, payoutId, lineId] = parts;
    if (cursor !== undefined && (parts.length !== 3 || !/^\d+$/.test(firstSeenAt ?? '') || !payoutId || !lineId)) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0) return sendProblem(reply, badQuery(errors));
    const rows = await settlement.unmatched({ connectionId: request.query.connection, limit: limit + 1, after: payoutId && lineId ? { firstSeenAt: Number(firstSeenAt), payoutId, lineId } : undefined });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { data: page.map(({ position: _position, ...view }) => view), nextCursor: rows.length > limit && last ? encodeCursor(`${last.position.firstSeenAt}|${last.position.payoutId}|${last.position.lineId}`) : null };
  });
}
