import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { signaturesEqual } from '../../framework/index.js';
import { Timestamp } from '../../../model/index.js';
import { NewLineCancellation, NewShipmentOrder, ShipmentOrderStatus, type ShipmentOrder } from '../wire.js';
import type { IdempotencyCheck, IdempotencyStore } from './idempotency.js';
import { problem, sendProblem, validationProblem } from './problems.js';
import { byUpdate, type WarehouseState } from './state.js';

/** What the vendor routes need from the emulator. */
export interface VendorRouteOptions {
  state: WarehouseState;
  apiKey: string;
  account: { id: string; name: string };
  now: () => number;
  /** The API's own rate limit per key; null turns it off. */
  rateLimit: { capacity: number; refillPerSecond: number } | null;
  /** Answers remembered by `Idempotency-Key` (shared by every route that honours it). */
  idempotency: IdempotencyStore;
  /** True when this create's or cancellation's answer should be lost (stored, but answered 502). */
  loseResponse(): boolean;
}

/**
 * Answers a request whose `Idempotency-Key` was seen before (a replay, or a key reused with another
 * request) or is too long; undefined for a fresh request, which the route then serves.
 */
export function answerKnownKey(reply: FastifyReply, check: IdempotencyCheck): FastifyReply | undefined {
  if (check.kind === 'invalid') return sendProblem(reply, problem(400, 'invalid_idempotency_key', 'Idempotency-Key is at most 255 characters'));
  if (check.kind === 'reused') return sendProblem(reply, problem(422, 'idempotency_key_reused', `Idempotency-Key ${check.key} was used with a different request`));
  if (check.kind === 'replay') return reply.code(check.status).header('idempotent-replayed', 'true').send(check.body);
  return undefined;
}

/** The 502 of an answer lost on its way back, after the request was stored. */
export function lostAnswer(reply: FastifyReply): FastifyReply {
  return sendProblem(reply, problem(502, 'upstream_timeout', 'the order service did not answer in time'));
}

const Limit = z.coerce.number().pipe(z.int().min(1).max(250));
const ListQuery = z.object({
  reference: z.string().min(1).optional(),
  status: ShipmentOrderStatus.optional(),
  updatedSince: Timestamp.optional(),
  limit: Limit.default(50),
  cursor: z.string().optional(),
});
const StockQuery = z.object({
  sku: z.string().min(1).optional(),
  location: z.string().min(1).optional(),
  limit: Limit.default(100),
  cursor: z.string().optional(),
});
const CancelBody = z.object({ reason: z.string().max(500).optional() }).nullish();

/** One page of a list, by an opaque offset cursor; undefined for a cursor the API did not issue. */
export function page<T>(items: T[], limit: number, cursor: string | undefined): { data: T[]; nextCursor: string | null } | undefined {
  const start = cursor === undefined ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) return undefined;
  const end = start + limit;
  return { data: items.slice(start, end), nextCursor: end < items.length ? Buffer.from(String(end)).toString('base64url') : null };
}

const UpdateCursor = z.object({ updatedAt: Timestamp, id: z.string().min(1) });

/**
 * One page of orders sorted by `updatedAt` then id, after the position in the cursor (a keyset, not
 * an offset: an order updated while a client pages moves behind it and is met again, never
 * skipped); undefined for a cursor the API did not issue.
 */
export function pageByUpdate(orders: ShipmentOrder[], limit: number, cursor: string | undefined): { data: ShipmentOrder[]; nextCursor: string | null } | undefined {
  let after: z.infer<typeof UpdateCursor> | undefined;
  if (cursor !== undefined) {
    try {
      const parsed = UpdateCursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
      if (!parsed.success) return undefined;
      after = parsed.data;
    } catch {
      return undefined;
    }
  }
  const rest = after ? orders.filter((o) => byUpdate(o, after) > 0) : orders;
  const data = rest.slice(0, limit);
  const last = data.at(-1);
  const nextCursor = rest.length > limit && last ? Buffer.from(JSON.stringify({ updatedAt: last.updatedAt, id: last.id })).toString('base64url') : null;
  return { data, nextCursor };
}

function bucket(rule: { capacity: number; refillPerSecond: number }, now: () => number) {
  let tokens = rule.capacity;
  let at = now();
  return () => {
    const t = now();
    tokens = Math.min(rule.capacity, tokens + ((t - at) / 1000) * rule.refillPerSecond);
    at = t;
    if (tokens < 1) return { ok: false as const, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / rule.refillPerSecond)) };
    tokens -= 1;
    return { ok: true as const, remaining: Math.floor(tokens) };
  };
}

/** The warehouse API v1: bearer auth, rate limit headers, shipment orders, cancels and stock. */
export function registerVendorRoutes(app: FastifyInstance, options: VendorRouteOptions): { rateLimited: () => number } {
  const { state, idempotency } = options;
  const take = options.rateLimit ? bucket(options.rateLimit, options.now) : undefined;
  let rateLimited = 0;

  app.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    const auth = request.headers.authorization ?? '';
    const token = /^Bearer (.+)$/i.exec(auth)?.[1];
    if (!token || !signaturesEqual(options.apiKey, token)) {
      return sendProblem(reply, problem(401, 'unauthorized', 'missing or invalid API key: send Authorization: Bearer <apiKey>'), { 'www-authenticate': 'Bearer' });
    }
    if (!take || !options.rateLimit) return;
    const decision = take();
    if (!decision.ok) {
      rateLimited += 1;
      return sendProblem(reply, problem(429, 'rate_limited', `rate limit of ${options.rateLimit.capacity} requests exceeded`), {
        'retry-after': String(decision.retryAfterSeconds),
        'x-ratelimit-limit': String(options.rateLimit.capacity),
        'x-ratelimit-remaining': '0',
      });
    }
    reply.headers({ 'x-ratelimit-limit': String(options.rateLimit.capacity), 'x-ratelimit-remaining': String(decision.remaining) });
  });

  app.get('/v1/account', async () => ({ ...options.account, apiVersion: 'v1', locations: [state.location] }));

  app.post('/v1/shipment-orders', async (request, reply) => {
    const parsed = NewShipmentOrder.safeParse(request.body);
    if (!parsed.success) return sendProblem(reply, validationProblem(parsed.error));
    const check = idempotency.check(request.headers['idempotency-key'], { route: 'create shipment order', body: parsed.data });
    const known = answerKnownKey(reply, check);
    if (known) return known;
    const result = state.create(parsed.data);
    if (result.kind === 'conflict') {
      return sendProblem(
        reply,
        problem(409, 'reference_conflict', `a shipment order with reference ${parsed.data.reference} already exists with different content`, { existingId: result.existingId }),
      );
    }
    const status = result.kind === 'created' ? 201 : 200;
    idempotency.remember(check, status, result.order);
    if (result.kind === 'created' && options.loseResponse()) return lostAnswer(reply);
    return reply.code(status).header('location', `/v1/shipment-orders/${result.order.id}`).send(result.order);
  });

  app.get('/v1/shipment-orders', async (request, reply) => {
    const query = ListQuery.safeParse(request.query);
    if (!query.success) return sendProblem(reply, validationProblem(query.error));
    const { reference, status, updatedSince, limit, cursor } = query.data;
    const since = updatedSince !== undefined ? Date.parse(updatedSince) : undefined;
    const orders = state.list({ ...(reference !== undefined ? { reference } : {}), ...(status ? { status } : {}), ...(since !== undefined ? { updatedSince: since } : {}) });
    const result = since !== undefined ? pageByUpdate(orders, limit, cursor) : page(orders, limit, cursor);
    return result ?? sendProblem(reply, problem(400, 'invalid_cursor', 'cursor is not one this API returned'));
  });

  app.get<{ Params: { id: string } }>('/v1/shipment-orders/:id', async (request, reply) => {
    const order = state.get(request.params.id);
    return order ?? sendProblem(reply, problem(404, 'not_found', `shipment order ${request.params.id} does not exist`));
  });

  app.post<{ Params: { id: string } }>('/v1/shipment-orders/:id/cancel', async (request, reply) => {
    const body = CancelBody.safeParse(request.body);
    if (!body.success) return sendProblem(reply, validationProblem(body.error));
    const result = state.cancel(request.params.id, body.data?.reason);
    if (result.kind === 'not_found') return sendProblem(reply, problem(404, 'not_found', `shipment order ${request.params.id} does not exist`));
    if (result.kind === 'shipped') {
      return sendProblem(reply, problem(409, 'already_shipped', `shipment order ${request.params.id} has nothing left to ship (every unit has shipped or was cancelled line by line), so it cannot be cancelled`, { shipmentOrderStatus: result.order.status }));
    }
    return result.order;
  });

  app.post<{ Params: { id: string } }>('/v1/shipment-orders/:id/cancellations', async (request, reply) => {
    const body = NewLineCancellation.safeParse(request.body);
    if (!body.success) return sendProblem(reply, validationProblem(body.error));
    const check = idempotency.check(request.headers['idempotency-key'], { route: 'cancel lines', id: request.params.id, body: body.data });
    const known = answerKnownKey(reply, check);
    if (known) return known;
    const result = state.cancelLines(request.params.id, body.data.lines, body.data.reason);
    if (result.kind === 'not_found') return sendProblem(reply, problem(404, 'not_found', `shipment order ${request.params.id} does not exist`));
    if (result.kind === 'invalid') {
      return sendProblem(reply, problem(422, 'validation_failed', `${result.errors.length} field${result.errors.length === 1 ? '' : 's'} failed validation`, { errors: result.errors }));
    }
    if (result.kind === 'not_open') {
      return sendProblem(reply, problem(409, result.code, `shipment order ${request.params.id}: ${result.detail}`, { shipmentOrderStatus: result.order.status }));
    }
    idempotency.remember(check, 200, result.order);
    if (options.loseResponse()) return lostAnswer(reply);
    return result.order;
  });

  app.get('/v1/stock', async (request, reply) => {
    const query = StockQuery.safeParse(request.query);
    if (!query.success) return sendProblem(reply, validationProblem(query.error));
    const levels = query.data.location !== undefined && query.data.location !== state.location ? [] : state.levels(query.data.sku);
    const result = page(levels, query.data.limit, query.data.cursor);
    return result ?? sendProblem(reply, problem(400, 'invalid_cursor', 'cursor is not one this API returned'));
  });

  return { rateLimited: () => rateLimited };
}
