import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Catalog } from './catalog.js';
import type { ShopContext } from './context.js';
import { coerceVariables, execute, requestedCost, unknownRootFields, type GraphqlErrorBody } from './graphql-executor.js';
import { GraphqlSyntaxError, parseGraphql } from './graphql-parser.js';
import { graphqlRoots } from './graphql-root.js';
import type { OrderBook, StoredOrder } from './orders.js';
import { registerPayoutRoutes, type PayoutBook } from './payouts.js';
import { stringifyExact, type JsonObject, type TokenBucket } from './support.js';

/** Shopify's body for a missing or wrong access token. */
export const invalidTokenBody = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

/** Shopify's body for a REST call over the leaky bucket. */
export const restThrottledBody = { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' };

/** Counters the state page shows. */
export interface AdminCounters {
  graphqlCalls: number;
  throttled: number;
  restCalls: number;
  restLimited: number;
}

/** What the Admin API routes work on. */
export interface AdminDeps {
  context: ShopContext;
  orders: OrderBook;
  catalog: Catalog;
  idempotency: Map<string, { fingerprint: string; payload: JsonObject }>;
  accessToken: string;
  costBucket: TokenBucket;
  restBucket: TokenBucket;
  retryAfterSeconds: number;
  counters: AdminCounters;
  /** Shopify Payments payouts (routes under shopify_payments/ when given). */
  payouts?: PayoutBook;
}

/** Retry-After as Shopify writes it ("2.0"). */
export function retryAfterHeader(seconds: number): string {
  return Number.isInteger(seconds) ? seconds.toFixed(1) : String(seconds);
}

const VERSION = /^(?:\d{4}-\d{2}|unstable)$/;
const THROTTLE_DOCS = 'https://shopify.dev/api/usage/rate-limits';

function throttleStatus(bucket: TokenBucket) {
  return { maximumAvailable: bucket.capacity, currentlyAvailable: Math.floor(bucket.available()), restoreRate: bucket.refillPerSecond };
}

interface PageToken {
  filters: Record<string, string>;
  order: string;
  anchor: [number, string];
  direction: 'next' | 'prev';
}

const encodeToken = (token: PageToken) => Buffer.from(JSON.stringify(token)).toString('base64url');

function decodeToken(text: string): PageToken | undefined {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageToken;
    return Array.isArray(token.anchor) && (token.direction === 'next' || token.direction === 'prev') && typeof token.order === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

const FILTERS = ['status', 'updated_at_min', 'updated_at_max', 'created_at_min', 'created_at_max', 'since_id', 'ids', 'financial_status'];
const SORT_KEYS: Record<string, (o: StoredOrder) => number> = {
  updated_at: (o) => o.updatedAtMs,
  created_at: (o) => o.createdAtMs,
  processed_at: (o) => Date.parse(String(o.body['processed_at'])) || o.createdAtMs,
  id: () => 0,
};

function matches(order: StoredOrder, filters: Record<string, string>): boolean {
  const status = filters['status'] ?? 'open';
  const cancelled = order.body['cancelled_at'] !== null && order.body['cancelled_at'] !== undefined;
  const closed = order.body['closed_at'] !== null && order.body['closed_at'] !== undefined;
  if (status === 'open' && (cancelled || closed)) return false;
  if (status === 'closed' && !closed) return false;
  if (status === 'cancelled' && !cancelled) return false;
  const at = (name: string) => (filters[name] === undefined ? undefined : Date.parse(filters[name]!));
  if (at('updated_at_min') !== undefined && order.updatedAtMs < at('updated_at_min')!) return false;
  if (at('updated_at_max') !== undefined && order.updatedAtMs > at('updated_at_max')!) return false;
  if (at('created_at_min') !== undefined && order.createdAtMs < at('created_at_min')!) return false;
  if (at('created_at_max') !== undefined && order.createdAtMs > at('created_at_max')!) return false;
  if (filters['since_id'] !== undefined && BigInt(order.id) <= BigInt(filters['since_id'])) return false;
  if (filters['ids'] !== undefined && !filters['ids'].split(',').includes(order.id)) return false;
  if (filters['financial_status'] !== undefined && filters['financial_status'] !== 'any' && order.body['financial_status'] !== filters['financial_status']) return false;
  return true;
}

/** The GraphQL Admin API and the REST routes the connector reads, under `/admin/api/{version}/`. */
export async function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { context, counters } = deps;
  const roots = new Map<string, ReturnType<typeof graphqlRoots>>();
  const rootsFor = (version: string) => {
    if (!roots.has(version)) roots.set(version, graphqlRoots(deps, version));
    return roots.get(version)!;
  };

  await app.register(
    async (admin) => {
      admin.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
        const version = (request.params as { version?: string }).version ?? '';
        if (!VERSION.test(version)) return reply.code(404).send({ errors: 'Not Found' });
        if (request.headers['x-shopify-access-token'] !== deps.accessToken) return reply.code(401).send(invalidTokenBody);
        reply.header('x-shopify-api-version', version);
        return undefined;
      });

      const restGate = (reply: FastifyReply): boolean => {
        counters.restCalls += 1;
        const allowed = deps.restBucket.take(1);
        const used = Math.min(deps.restBucket.capacity, Math.ceil(deps.restBucket.capacity - deps.restBucket.available()));
        reply.header('x-shopify-shop-api-call-limit', `${used}/${deps.restBucket.capacity}`);
        if (allowed) return true;
        counters.restLimited += 1;
        void reply.code(429).header('retry-after', retryAfterHeader(deps.retryAfterSeconds)).send(restThrottledBody);
        return false;
      };

      if (deps.payouts) registerPayoutRoutes(admin, deps.payouts, restGate);

      admin.post('/graphql.json', async (request, reply) => {
        counters.graphqlCalls += 1;
        const version = (request.params as { version: string }).version;
        const body = (request.body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
        if (typeof body.query !== 'string' || body.query.trim() === '') return reply.code(400).send({ errors: { query: 'Required parameter missing or invalid' } });
        const answer = (errors: GraphqlErrorBody[]) => ({ errors });
        let operations;
        try {
          operations = parseGraphql(body.query);
        } catch (error) {
          if (!(error instanceof GraphqlSyntaxError)) throw error;
          return answer([{ message: error.message, locations: [{ line: error.line, column: error.column }] }]);
        }
        const operation = typeof body.operationName === 'string' ? operations.find((o) => o.name === body.operationName) : operations.length === 1 ? operations[0] : undefined;
        if (!operation) return answer([{ message: typeof body.operationName === 'string' ? `No operation named "${body.operationName}"` : 'An operation name is required' }]);
        const coerced = coerceVariables(operation, typeof body.variables === 'object' && body.variables !== null ? (body.variables as JsonObject) : {});
        if ('errors' in coerced) return answer(coerced.errors);
        const root = operation.operation === 'query' ? rootsFor(version).query : rootsFor(version).mutation;
        const unknown = unknownRootFields(operation, root, operation.operation === 'query' ? 'QueryRoot' : 'Mutation');
        if (unknown.length > 0) return answer(unknown);
        const cost = requestedCost(operation, coerced.variables);
        const maxCost = Math.min(1000, deps.costBucket.capacity);
        if (cost > maxCost) {
          return answer([
            {
              message: `Query cost is ${cost}, which exceeds the single query max cost limit (${maxCost}).`,
              extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost, documentation: THROTTLE_DOCS },
            },
          ]);
        }
        if (!deps.costBucket.take(cost)) {
          counters.throttled += 1;
          return {
            errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: THROTTLE_DOCS } }],
            extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttleStatus(deps.costBucket) } },
          };
        }
        const result = execute(operation, root, coerced.variables);
        const actual = Math.min(cost, result.actualCost);
        deps.costBucket.refund(cost - actual);
        return {
          data: result.data,
          ...(result.errors.length > 0 ? { errors: result.errors } : {}),
          extensions: { cost: { requestedQueryCost: cost, actualQueryCost: actual, throttleStatus: throttleStatus(deps.costBucket) } },
        };
      });

      admin.get('/shop.json', async (_request, reply) => {
        if (!restGate(reply)) return reply;
        const shop = context.shop;
        return {
          shop: { id: Number(shop.id), name: shop.name, domain: shop.domain, myshopify_domain: shop.domain, currency: shop.currency, iana_timezone: 'Etc/UTC', primary_location_id: Number(shop.locationId) },
        };
      });

      admin.get('/orders.json', async (request, reply) => {
        if (!restGate(reply)) return reply;
        const version = (request.params as { version: string }).version;
        const query = request.query as Record<string, string | undefined>;
        const limit = Math.min(250, Math.max(1, Number(query['limit'] ?? 50) || 50));
        let filters: Record<string, string> = {};
        let order = query['order'] ?? 'created_at desc';
        let token: PageToken | undefined;
        if (query['page_info'] !== undefined) {
          const others = Object.keys(query).filter((k) => !['page_info', 'limit', 'fields'].includes(k));
          if (others.length > 0) return reply.code(400).send({ errors: { page_info: `page_info cannot be used with ${others.join(', ')}; pass only limit and fields` } });
          token = decodeToken(query['page_info']);
          if (!token) return reply.code(400).send({ errors: { page_info: 'Invalid value.' } });
          filters = token.filters;
          order = token.order;
        } else {
          for (const name of FILTERS) if (query[name] !== undefined) filters[name] = query[name]!;
          for (const name of ['updated_at_min', 'updated_at_max', 'created_at_min', 'created_at_max']) {
            if (filters[name] !== undefined && Number.isNaN(Date.parse(filters[name]!))) return reply.code(400).send({ errors: { [name]: 'is not a valid date' } });
          }
        }
        const [field = 'created_at', dir = 'desc'] = order.trim().split(/\s+/);
        const key = SORT_KEYS[field];
        if (!key || (dir !== 'asc' && dir !== 'desc')) return reply.code(400).send({ errors: { order: `${order} is not a supported order` } });
        const sign = dir === 'asc' ? 1 : -1;
        const keyOf = (o: StoredOrder): [number, string] => [key(o), o.id];
        const compare = (a: [number, string], b: [number, string]) => sign * (a[0] - b[0] || (BigInt(a[1]) < BigInt(b[1]) ? -1 : BigInt(a[1]) > BigInt(b[1]) ? 1 : 0));
        const all = deps.orders
          .all()
          .filter((o) => matches(o, filters))
          .sort((a, b) => compare(keyOf(a), keyOf(b)));
        let start = 0;
        if (token?.direction === 'next') start = all.findIndex((o) => compare(keyOf(o), token.anchor) > 0);
        if (token?.direction === 'prev') start = Math.max(0, all.findIndex((o) => compare(keyOf(o), token.anchor) >= 0) - limit);
        if (start < 0) start = all.length;
        const page = all.slice(start, start + limit);
        const base = `${request.protocol}://${request.headers.host ?? '127.0.0.1'}/admin/api/${version}/orders.json?limit=${limit}${query['fields'] ? `&fields=${encodeURIComponent(query['fields'])}` : ''}`;
        const links: string[] = [];
        if (start > 0 && page.length > 0) links.push(`<${base}&page_info=${encodeToken({ filters, order, anchor: keyOf(page[0]!), direction: 'prev' })}>; rel="previous"`);
        if (start + limit < all.length && page.length > 0) links.push(`<${base}&page_info=${encodeToken({ filters, order, anchor: keyOf(page.at(-1)!), direction: 'next' })}>; rel="next"`);
        if (links.length > 0) reply.header('link', links.join(', '));
        const fields = query['fields']?.split(',').map((f) => f.trim());
        const bodies = page.map((o) => (fields ? Object.fromEntries(fields.filter((f) => f in o.body).map((f) => [f, o.body[f]])) : o.body));
        return reply.type('application/json; charset=utf-8').send(stringifyExact({ orders: bodies }));
      });
    },
    { prefix: '/admin/api/:version' },
  );
}
