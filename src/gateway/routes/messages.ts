import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../flows/index.js';
import { flowNames, flowOfMessageType, messageDetail, type FlowName } from '../../messaging/index.js';
import { findOrderByCorrelationId, getMessageRow, listCausedMessages, listMessageEdits, searchMessages, type EditRow, type MessageRow } from '../../store/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem, type ProblemViolation } from '../problem.js';
import { parseLimit } from './paging.js';
import { zodViolations } from './request.js';
import { DeadLetterView, PageQuery, pageOf } from './responses.js';

const tags = ['messages'];
const timestamp = z.iso.datetime({ offset: true });
const statuses = ['pending', 'leased', 'done', 'dead'] as const;

/** `GET /v1/messages` filters (the handler checks the same rules). */
export const MessageSearchQuery = PageQuery.extend({
  q: z.string().min(1).max(200).meta({ description: 'A message id, correlation id, subject, ordering key, order number (#1001 or 1001), order id or SKU' }).optional(),
  status: z.enum(statuses).optional(),
  type: z.string().min(1).max(200).optional(),
  flow: z.enum(flowNames).optional(),
});

/** A message as the console lists it (no payload). */
export const MessageSummary = z.object({
  id: z.string(),
  type: z.string(),
  flow: z.enum(flowNames),
  status: z.string(),
  lane: z.string(),
  subject: z.string().nullable(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  attempts: z.int(),
  reason: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** One audited payload edit of a dead letter. */
export const MessageEditView = z.object({ at: timestamp, actor: z.string(), note: z.string().nullable(), before: z.unknown(), after: z.unknown() });

/** `GET /v1/messages/{id}`: the message, its attempts, replays and payload edits, what caused it, what it caused, and its order. */
export const MessageDetail = DeadLetterView.extend({
  flow: z.enum(flowNames),
  updatedAt: timestamp,
  edits: z.array(MessageEditView),
  causedBy: MessageSummary.nullable(),
  caused: z.array(MessageSummary),
  order: z.object({ id: z.string(), number: z.string().nullable(), status: z.string() }).nullable(),
});

/** Messages a message caused that its detail lists at most. */
const maxCaused = 100;

/** A stored message as a summary. */
export function presentMessageSummary(row: MessageRow): z.infer<typeof MessageSummary> {
  return {
    id: row.id,
    type: row.type,
    flow: flowOfMessageType(row.type),
    status: row.status,
    lane: row.lane,
    subject: row.subject,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    attempts: row.attempts,
    reason: row.dead_reason,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A payload edit for display. */
export function presentEdit(edit: EditRow): z.infer<typeof MessageEditView> {
  return { at: new Date(Number(edit.at)).toISOString(), actor: edit.actor, note: edit.note, before: parseJson(edit.before), after: parseJson(edit.after) };
}

/** /v1/messages: search every message (any status) and read one with its whole history. */
export async function messageRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/messages', { config: { meta: { scope: 'admin', summary: 'Search messages, newest first: by id, correlation id, subject, ordering key, order number or id, or SKU; filter by status, type and flow', tags, schemas: { query: MessageSearchQuery, responses: { 200: { description: 'A page of message summaries', schema: pageOf(MessageSummary) }, 400: { description: 'Invalid query', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const errors: ProblemViolation[] = [];
    const { limit: rawLimit, cursor, ...rest } = request.query;
    const query = MessageSearchQuery.omit({ limit: true, cursor: true }).safeParse(rest);
    if (!query.success) errors.push(...zodViolations(query.error, '/query'));
    const limit = parseLimit(rawLimit, errors);
    const before = cursor === undefined ? undefined : decodeCursor<number>(cursor, 'number');
    if (cursor !== undefined && (before === undefined || !Number.isSafeInteger(before))) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0 || !query.success) {
      return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are not valid', { errors }));
    }
    const { q, status, type, flow } = query.data;
    const page = await searchMessages(
      deps.store.db,
      { q, status, type, typeFilter: flow === undefined ? undefined : (t: string) => flowOfMessageType(t) === (flow satisfies FlowName) },
      { limit, before },
    );
    return { data: page.rows.map(presentMessageSummary), nextCursor: page.next === null ? null : encodeCursor(page.next) };
  });

  app.get<{ Params: { id: string } }>('/v1/messages/:id', { config: { meta: { scope: 'admin', summary: 'One message with its payload, attempts, replays, payload edits, the message that caused it, the messages it caused and its order', tags, schemas: { params: z.object({ id: z.string() }), responses: { 200: { description: 'The message with its history', schema: MessageDetail }, 404: { description: 'No such message', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const { id } = request.params;
    const db = deps.store.db;
    const detail = await messageDetail(db, id);
    if (!detail) return sendProblem(reply, problem(404, 'not-found', 'Not found', `no message ${id}`));
    const [edits, cause, caused, order] = await Promise.all([
      listMessageEdits(db, id),
      detail.causationId ? getMessageRow(db, detail.causationId) : Promise.resolve(undefined),
      listCausedMessages(db, { id, correlationId: detail.correlationId }, maxCaused),
      findOrderByCorrelationId(db, detail.correlationId),
    ]);
    return {
      ...detail,
      flow: flowOfMessageType(detail.type),
      updatedAt: detail.deadAt,
      edits: edits.map(presentEdit),
      causedBy: cause ? presentMessageSummary(cause) : null,
      caused: caused.map(presentMessageSummary),
      order: order ?? null,
    };
  });
}
