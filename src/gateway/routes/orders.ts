import type { FastifyInstance } from 'fastify';
import { Order, parseOrder } from '../../model/index.js';
import { decodeCursor, getOrderWithTimeline, listOrders, listStuckOrders, isOrderStatus } from '../../flows/index.js';
import { insertRejectedPayload } from '../../store/index.js';
import type { GatewayDeps } from '../deps.js';
import { isProblem, problem, sendProblem, type ProblemViolation } from '../problem.js';
import { parseLimit } from './paging.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { OrderAcceptedResponse, OrderDetail, OrderDuplicateResponse, OrderListQuery, OrderPage } from './responses.js';

const sourcePattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const traceparentPattern = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const intakeResponses = {
  201: { description: 'Accepted: the order is stored durably and processing starts', schema: OrderAcceptedResponse },
  200: { description: 'This order was already stored with the same content', schema: OrderDuplicateResponse },
  409: { description: 'An order with this source and external id exists with different content', schema: ProblemSchema },
};

/** POST/GET /v1/orders: durable, idempotent order intake and reads. */
export async function orderRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const reject = async (raw: string, errors: ProblemViolation[], source: string | null) => {
    deps.metrics.rejectedPayloads.inc({ kind: 'order' });
    await insertRejectedPayload(deps.store.db, {
      id: deps.newId('rej'),
      kind: 'order',
      source,
      receivedAt: deps.clock.now(),
      reason: errors,
      raw,
    });
  };

  app.post('/v1/orders', { config: { meta: { scope: 'orders:write', summary: 'Submit a canonical order (idempotent)', tags: ['orders'], schemas: { body: Order, responses: intakeResponses } } } }, async (request, reply) => {
    const raw = typeof request.body === 'string' ? request.body : '';
    const key = request.headers['idempotency-key'];
    if (Array.isArray(key) || (typeof key === 'string' && (key.length === 0 || key.length > 255))) {
      return sendProblem(reply, problem(400, 'invalid-idempotency-key', 'Invalid Idempotency-Key', 'Idempotency-Key must be one value of 1 to 255 characters'));
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      const detail = `the body is not valid JSON: ${(error as Error).message}`;
      await reject(raw, [{ pointer: '', detail }], null);
      return sendProblem(reply, problem(400, 'malformed-json', 'Malformed JSON', detail));
    }
    const parsed = parseOrder(json);
    if (!parsed.ok) {
      const source = typeof (json as { source?: unknown })?.source === 'string' ? String((json as { source: string }).source).slice(0, 64) : null;
      await reject(raw, parsed.errors, source);
      return sendProblem(
        reply,
        problem(422, 'invalid-order', 'Invalid order', `the order has ${parsed.errors.length} violation(s)`, { errors: parsed.errors }),
      );
    }
    const result = await deps.intake.submit({
      order: parsed.order,
      principal: request.principal?.id ?? 'anonymous',
      idempotencyKey: key,
      via: 'api',
      traceparent: traceparentOf(request.headers.traceparent),
    });
    if (result.replayed) reply.header('Idempotent-Replayed', 'true');
    if (result.statusCode === 201 && !result.replayed) deps.metrics.ordersAccepted.inc();
    if (result.statusCode === 201) reply.header('Location', `/v1/orders/${String(result.body.id)}`);
    reply.code(result.statusCode);
    if (isProblem(result.body)) reply.type('application/problem+json');
    return result.body;
  });

  app.get<{ Params: { id: string } }>('/v1/orders/:id', { config: { meta: { scope: 'orders:read', summary: 'One order with its status and timeline', tags: ['orders'], schemas: { responses: { 200: { description: 'The order with its timeline', schema: OrderDetail } } } } } }, async (request, reply) => {
    const order = await getOrderWithTimeline(deps.store.db, request.params.id);
    if (!order) return sendProblem(reply, problem(404, 'not-found', 'Not found', `no order ${request.params.id}`));
    return order;
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/orders', { config: { meta: { scope: 'orders:read', summary: 'List orders, newest first, with filters and a cursor', tags: ['orders'], schemas: { query: OrderListQuery, responses: { 200: { description: 'A page of orders', schema: OrderPage } } } } } }, async (request, reply) => {
    const { source, status, number, cursor } = request.query;
    const errors: ProblemViolation[] = [];
    if (source !== undefined && !sourcePattern.test(source)) errors.push({ pointer: '/query/source', detail: 'source must match ^[a-z0-9][a-z0-9_-]{0,63}$' });
    if (status !== undefined && status !== 'stuck' && !isOrderStatus(status)) errors.push({ pointer: '/query/status', detail: `unknown status ${status}` });
    if (number !== undefined && (number.length === 0 || number.length > 100)) errors.push({ pointer: '/query/number', detail: 'number is 1 to 100 characters' });
    const limit = parseLimit(request.query.limit, errors);
    const after = cursor === undefined ? undefined : decodeCursor<string>(cursor, 'string');
    if (cursor !== undefined && after === undefined) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0) {
      return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are not valid', { errors }));
    }
    if (status === 'stuck') return listStuckOrders(deps.store.db, deps.clock.now(), limit);
    return listOrders(deps.store.db, { source, status, number, limit, after });
  });
}

/** A W3C traceparent header worth propagating, or undefined. */
function traceparentOf(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && traceparentPattern.test(header) ? header : undefined;
}
