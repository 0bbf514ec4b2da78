import type { FastifyInstance, FastifyReply } from 'fastify';
import { stringifyExact, useExactJsonBodies, type JsonObject } from './support.js';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const idOf = (value: JsonObject) => String(value['id'] as string | number);

/** Shopify Payments payouts and their balance transactions, as the sandbox seeds them (`POST /_sandbox/payouts`). */
export class PayoutBook {
  private readonly payouts = new Map<string, JsonObject>();
  private readonly transactions: JsonObject[] = [];

  constructor(private readonly nextId: () => string) {}

  /** Stores a payout (ids given or assigned) and its transactions (each tagged with payout_id and payout_status). */
  add(payout: JsonObject, transactions: readonly JsonObject[]): { payout: JsonObject; transactions: JsonObject[] } {
    const id = payout['id'] ?? Number(this.nextId());
    const stored: JsonObject = { ...payout, id };
    this.payouts.set(idOf(stored), stored);
    const tagged = transactions.map((txn) => ({ ...txn, id: txn['id'] ?? Number(this.nextId()), payout_id: id, payout_status: stored['status'] ?? 'scheduled' }));
    this.transactions.push(...tagged);
    return { payout: stored, transactions: tagged };
  }

  /** Payouts newest date first (then highest id), filtered as `GET shopify_payments/payouts.json` filters. */
  list(filters: { status?: string; dateMin?: string; dateMax?: string; sinceId?: string }): JsonObject[] {
    return [...this.payouts.values()]
      .filter((payout) => filters.status === undefined || payout['status'] === filters.status)
      .filter((payout) => filters.dateMin === undefined || String(payout['date']) >= filters.dateMin)
      .filter((payout) => filters.dateMax === undefined || String(payout['date']) <= filters.dateMax)
      .filter((payout) => filters.sinceId === undefined || BigInt(idOf(payout)) > BigInt(filters.sinceId))
      .sort((a, b) => String(b['date']).localeCompare(String(a['date'])) || (BigInt(idOf(b)) > BigInt(idOf(a)) ? 1 : -1));
  }

  get(id: string): JsonObject | undefined {
    return this.payouts.get(id);
  }

  /** Balance transactions, optionally of one payout, in the order they were seeded. */
  balanceTransactions(payoutId?: string): JsonObject[] {
    return this.transactions.filter((txn) => payoutId === undefined || String(txn['payout_id'] as string | number) === payoutId);
  }

  get size(): number {
    return this.payouts.size;
  }
}

interface Cursor {
  payoutId?: string;
  offset: number;
}

const encode = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decode(text: string): Cursor | undefined {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    return Number.isInteger(cursor.offset) && cursor.offset >= 0 ? cursor : undefined;
  } catch {
    return undefined;
  }
}

const json = (reply: FastifyReply, status: number, value: unknown) => reply.code(status).type('application/json; charset=utf-8').send(stringifyExact(value));

/**
 * The Shopify Payments REST routes under an Admin API prefix: `shopify_payments/payouts.json`
 * (status, date_min, date_max, since_id, limit), `shopify_payments/payouts/{id}.json`, and
 * `shopify_payments/balance/transactions.json` (payout_id, limit, Link `page_info` pagination).
 * `gate` applies the REST leaky bucket (false when it answered 429).
 */
export function registerPayoutRoutes(admin: FastifyInstance, book: PayoutBook, gate: (reply: FastifyReply) => boolean): void {
  const limitOf = (value: string | undefined) => Math.min(250, Math.max(1, Number(value ?? 50) || 50));

  admin.get('/shopify_payments/payouts.json', async (request, reply) => {
    if (!gate(reply)) return reply;
    const query = request.query as Record<string, string | undefined>;
    for (const name of ['date_min', 'date_max']) {
      if (query[name] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(query[name]!)) return json(reply, 400, { errors: { [name]: 'is not a valid date' } });
    }
    if (query['since_id'] !== undefined && !/^\d+$/.test(query['since_id'])) return json(reply, 400, { errors: { since_id: 'is not a valid id' } });
    const payouts = book.list({
      ...(query['status'] !== undefined ? { status: query['status'] } : {}),
      ...(query['date_min'] !== undefined ? { dateMin: query['date_min'] } : {}),
      ...(query['date_max'] !== undefined ? { dateMax: query['date_max'] } : {}),
      ...(query['since_id'] !== undefined ? { sinceId: query['since_id'] } : {}),
    });
    return json(reply, 200, { payouts: payouts.slice(0, limitOf(query['limit'])) });
  });

  admin.get('/shopify_payments/payouts/:id', async (request, reply) => {
    if (!gate(reply)) return reply;
    const match = /^(\d+)\.json$/.exec((request.params as { id: string }).id);
    const payout = match ? book.get(match[1]!) : undefined;
    if (!payout) return json(reply, 404, { errors: 'Not Found' });
    return json(reply, 200, { payout });
  });

  admin.get('/shopify_payments/balance/transactions.json', async (request, reply) => {
    if (!gate(reply)) return reply;
    const query = request.query as Record<string, string | undefined>;
    const version = (request.params as { version: string }).version;
    const limit = limitOf(query['limit']);
    let cursor: Cursor = { offset: 0, ...(query['payout_id'] !== undefined ? { payoutId: query['payout_id'] } : {}) };
    if (query['page_info'] !== undefined) {
      const decoded = decode(query['page_info']);
      if (!decoded) return json(reply, 400, { errors: { page_info: 'Invalid value.' } });
      cursor = decoded;
    }
    const all = book.balanceTransactions(cursor.payoutId);
    const page = all.slice(cursor.offset, cursor.offset + limit);
    if (cursor.offset + limit < all.length) {
      const next = encode({ ...cursor, offset: cursor.offset + limit });
      reply.header('link', `<${request.protocol}://${request.headers.host ?? '127.0.0.1'}/admin/api/${version}/shopify_payments/balance/transactions.json?limit=${limit}&page_info=${next}>; rel="next"`);
    }
    return json(reply, 200, { transactions: page });
  });
}

/** `POST /_sandbox/payouts` with `{"payout": {...}, "transactions": [...]}`: seeds a payout as Shopify Payments would pay one out. */
export async function registerPayoutSandboxRoutes(app: FastifyInstance, book: PayoutBook): Promise<void> {
  await app.register(async (sandbox) => {
    useExactJsonBodies(sandbox);
    sandbox.post('/_sandbox/payouts', async (request, reply) => {
      const body = request.body;
      const payout = isObject(body) ? body['payout'] : undefined;
      const transactions = isObject(body) ? (body['transactions'] ?? []) : undefined;
      if (!isObject(payout) || !Array.isArray(transactions) || !transactions.every(isObject)) {
        return json(reply, 422, { errors: 'body must be {"payout": {...}, "transactions": [{...}]}' });
      }
      return json(reply, 201, book.add(payout, transactions));
    });
  });
}
