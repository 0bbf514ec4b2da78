import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../flows/index.js';
import { connectionApi, type Connection } from '../../connectors/framework/index.js';
import { listChannelEvents } from '../../store/index.js';
import type { GatewayDeps } from '../deps.js';
import { problem, sendProblem, type ProblemViolation } from '../problem.js';
import { parseLimit } from './paging.js';

const IdParams = z.object({ id: z.string() });
const timestamp = z.iso.datetime({ offset: true });

/** A connection as `GET /v1/connections[/{id}]` shows it: settings, outbound health and vendor API version, never secrets. */
export const ConnectionView = z.object({
  id: z.string(),
  system: z.string(),
  title: z.string(),
  capabilities: z.array(z.string()),
  settings: z.unknown(),
  webhookPath: z.string().nullable(),
  api: z.object({
    version: z.string().nullable().meta({ description: 'The vendor API version the connection speaks, e.g. Shopify 2026-04' }),
    endOfLifeAt: timestamp.nullable().meta({ description: 'When the vendor stops supporting that version; null when it publishes no end' }),
    daysToEndOfLife: z.int().nullable().meta({ description: 'Whole days until then (negative once past)' }),
  }),
  health: z.object({
    circuit: z.string(),
    consecutiveFailures: z.int(),
    rate: z.unknown().meta({ description: 'The rate governor: tokens, capacity, refill and any pause the vendor asked for' }),
    calls: z.int(),
    failures: z.int(),
    lastSuccessAt: timestamp.nullable(),
    lastFailure: z.object({ at: timestamp, code: z.string(), message: z.string() }).nullable(),
  }),
});
const EventsQuery = z.object({ kind: z.string().optional(), subject: z.string().optional(), limit: z.string().optional(), cursor: z.string().optional() });

/** A connection as the API shows it: never its secrets. */
function presentConnection(connection: Connection, now: number) {
  const health = connection.instance.health();
  return {
    id: connection.id,
    system: connection.system,
    title: connection.definition.title,
    capabilities: connection.definition.capabilities,
    settings: connection.settings,
    api: connectionApi(connection, now),
    webhookPath: connection.instance.webhooks ? `/webhooks/${connection.system}/${connection.id}` : null,
    health: {
      circuit: health.circuit.state,
      consecutiveFailures: health.circuit.consecutiveFailures,
      rate: health.rate,
      calls: health.calls,
      failures: health.failures,
      lastSuccessAt: health.lastSuccessAt === null ? null : new Date(health.lastSuccessAt).toISOString(),
      lastFailure: health.lastFailure && { ...health.lastFailure, at: new Date(health.lastFailure.at).toISOString() },
    },
  };
}

/** /v1/connections: the configured connections, their health, a live check, and the events they delivered. */
export async function connectionRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  const connections = deps.connections ?? new Map<string, Connection>();
  const find = (id: string) => connections.get(id);
  const notFound = (id: string) => problem(404, 'not-found', 'Connection not found', `no connection ${id} is configured`);

  app.get('/v1/connections', { config: { meta: { scope: 'admin', summary: 'List configured connections with their outbound health and vendor API version', tags: ['connections'], schemas: { responses: { 200: { description: 'Every configured connection', schema: z.object({ data: z.array(ConnectionView) }) } } } } } }, async () => ({
    data: [...connections.values()].map((c) => presentConnection(c, deps.clock.now())),
  }));

  app.get('/v1/connections/:id', { config: { meta: { scope: 'admin', summary: 'One connection with its outbound health and vendor API version', tags: ['connections'], schemas: { params: IdParams, responses: { 200: { description: 'The connection', schema: ConnectionView } } } } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const connection = find(id);
    return connection ? presentConnection(connection, deps.clock.now()) : sendProblem(reply, notFound(id));
  });

  app.post('/v1/connections/:id/check', { config: { meta: { scope: 'admin', summary: "Test a connection's credentials and reachability now", tags: ['connections'], schemas: { params: IdParams } } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const connection = find(id);
    if (!connection) return sendProblem(reply, notFound(id));
    return { id, system: connection.system, ...(await connection.instance.check()) };
  });

  app.get('/v1/connections/:id/events', { config: { meta: { scope: 'admin', summary: 'Canonical events a connection delivered (payments, payouts, shipments, stock, products…), newest first', tags: ['connections'], schemas: { params: IdParams, query: EventsQuery } } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!find(id)) return sendProblem(reply, notFound(id));
    const query = EventsQuery.parse(request.query);
    const errors: ProblemViolation[] = [];
    const limit = parseLimit(query.limit, errors);
    const position = query.cursor === undefined ? undefined : decodeCursor<string>(query.cursor, 'string');
    const [receivedAt, eventId] = position?.split('|') ?? [];
    if (query.cursor !== undefined && (!receivedAt || !eventId)) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0) return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are not valid', { errors }));
    const rows = await listChannelEvents(deps.store.db, {
      connectionId: id,
      kind: query.kind,
      subject: query.subject,
      before: receivedAt && eventId ? { receivedAt: Number(receivedAt), id: eventId } : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      data: page.map((row) => ({
        id: row.id,
        kind: row.kind,
        subject: row.subject,
        orderId: row.order_id,
        occurredAt: new Date(row.occurred_at).toISOString(),
        receivedAt: new Date(row.received_at).toISOString(),
        event: JSON.parse(row.data) as unknown,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(`${last.received_at}|${last.id}`) : null,
    };
  });
}
