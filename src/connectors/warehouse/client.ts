import { randomUUID } from 'node:crypto';
import { permanentError, type Clock } from '../../model/index.js';
import { createHttpClient, type HttpClient, type OutboundHealth, type RateFeedback } from '../framework/index.js';
import { mayHaveLanded, problemOf, responseParser, warehouseSays } from './client-support.js';
import type { WarehouseSecrets, WarehouseSettings } from './config.js';
import { createReturnOperations, type ReturnOperations } from './returns-client.js';
import { Account, pageOf, Problem, ShipmentOrder, StockLevel, type NewShipmentOrder } from './wire.js';

/** What a create returned: the warehouse's order, and whether this call created it or found it. */
export interface CreateShipmentOrderResult {
  order: ShipmentOrder;
  outcome: 'created' | 'existing';
}

/** Filters of a stock query; every page is read. */
export interface StockQuery {
  sku?: string;
  /** The warehouse's location code (defaults to the connection's `warehouseLocation`). */
  location?: string;
  /** Page size (the API allows 1–250, default 100). */
  pageSize?: number;
}

/** A page of shipment orders updated since a time: `updatedSince` is inclusive; pass `cursor` (the previous page's `nextCursor`) with the same `updatedSince`. */
export interface UpdatedShipmentOrdersQuery {
  /** ISO 8601 date-time with an offset. */
  updatedSince: string;
  cursor?: string | undefined;
  /** Page size (the API allows 1–250, default 100). */
  limit?: number;
}

/** One page of shipment orders, ordered by `updatedAt` then id; `nextCursor` is null on the last page. */
export interface ShipmentOrderPage {
  orders: ShipmentOrder[];
  nextCursor: string | null;
}

/** Units to take off the open quantity of one line of a shipment order. */
export interface LineCancellation {
  lineId: string;
  quantity: number;
}

/** Options of a line cancellation. */
export interface CancelLinesOptions {
  reason?: string;
  /**
   * The key that makes the cancellation happen once, however often it is sent: pass one that is
   * stable across redeliveries (e.g. the hub's cancellation id). Without it, a key is made per call,
   * which covers the call's own retries only.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** The warehouse's outbound operations (FulfillmentSink, InventorySource, returns). */
export interface WarehouseClient extends ReturnOperations {
  /** Who the API key belongs to (used by check()). */
  account(signal?: AbortSignal): Promise<Account>;
  /**
   * Creates a shipment order exactly once per `reference`: sends `Idempotency-Key: <reference>`,
   * and after a timeout or 5xx looks the reference up before sending it again.
   */
  createShipmentOrder(order: NewShipmentOrder, signal?: AbortSignal): Promise<CreateShipmentOrderResult>;
  getShipmentOrder(id: string, signal?: AbortSignal): Promise<ShipmentOrder>;
  /** The shipment order with this reference (the hub's order id), or null. */
  findByReference(reference: string, signal?: AbortSignal): Promise<ShipmentOrder | null>;
  /** One page of the shipment orders updated since a time (the shipments poller reads these). */
  listUpdatedShipmentOrders(query: UpdatedShipmentOrdersQuery, signal?: AbortSignal): Promise<ShipmentOrderPage>;
  /** Cancels what has not shipped; a repeat is harmless; `warehouse_already_shipped` (409) when everything shipped. */
  cancelShipmentOrder(id: string, options?: { reason?: string; signal?: AbortSignal }): Promise<ShipmentOrder>;
  /**
   * Takes units off the open quantity of some lines before they ship, all or nothing, once per
   * idempotency key; `warehouse_already_shipped` (409) when units asked for have shipped.
   */
  cancelLines(id: string, lines: readonly LineCancellation[], options?: CancelLinesOptions): Promise<ShipmentOrder>;
  /** Stock levels, every page. */
  queryStock(query?: StockQuery, signal?: AbortSignal): Promise<StockLevel[]>;
  /** One page of stock levels from `cursor` (null: the first), for backfills that resume at a page. */
  queryStockPage(query: StockQuery & { cursor?: string | null | undefined }, signal?: AbortSignal): Promise<{ levels: StockLevel[]; nextCursor: string | null }>;
  health(): OutboundHealth;
}

/** What the client needs to run. */
export interface WarehouseClientOptions {
  connectionId: string;
  settings: WarehouseSettings;
  secrets: Pick<WarehouseSecrets, 'apiKey'>;
  clock?: Clock;
  fetch?: typeof fetch;
  random?: () => number;
  /** Attempts of one create (lookups between them) and of each safe call (default 3). */
  maxAttempts?: number;
  /** Base delay of the in-call backoff (default 200 ms). */
  baseDelayMs?: number;
  /** Makes an idempotency key for a line cancellation sent without one (default: a random UUID). */
  newIdempotencyKey?: () => string;
}

const ShipmentOrderPage = pageOf(ShipmentOrder);
const StockPage = pageOf(StockLevel);

/** The API's rate headers: `X-RateLimit-Limit` (bucket size) and `X-RateLimit-Remaining`. */
function rateFeedback(response: { headers: Headers }): RateFeedback | undefined {
  const limit = Number(response.headers.get('x-ratelimit-limit') ?? Number.NaN);
  const remaining = Number(response.headers.get('x-ratelimit-remaining') ?? Number.NaN);
  const feedback: RateFeedback = {};
  if (Number.isInteger(limit) && limit > 0) feedback.maximum = limit;
  if (Number.isInteger(remaining) && remaining >= 0) feedback.available = remaining;
  return Object.keys(feedback).length > 0 ? feedback : undefined;
}

/** `title: detail (code)` plus the field errors of a problem body. */
function errorMessage(_status: number, body: unknown): string | undefined {
  const problem = Problem.safeParse(body);
  if (!problem.success || (!problem.data.title && !problem.data.detail)) return undefined;
  const { title, detail, code, errors } = problem.data;
  const fields = errors?.length ? ` [${errors.map((e) => `${e.pointer}: ${e.detail}`).join('; ')}]` : '';
  return `${[title, detail].filter(Boolean).join(': ')}${code ? ` (${code})` : ''}${fields}`;
}

/** The typed error of a refused line cancellation (409 not open, 404, a reused key), else the error as it was. */
function lineCancellationError(connectionId: string, id: string, error: unknown): unknown {
  const problem = problemOf(error);
  if (problem?.status === 409) {
    const code = problem.code === 'already_shipped' ? 'warehouse_already_shipped' : 'warehouse_quantity_not_open';
    return permanentError(code, `${connectionId}: lines of shipment order ${id} cannot be cancelled: ${warehouseSays(problem)}`, 409, problem);
  }
  if (problem?.status === 404) return permanentError('warehouse_not_found', `${connectionId}: shipment order ${id} does not exist`, 404);
  if (problem?.code === 'idempotency_key_reused') {
    return permanentError('warehouse_idempotency_conflict', `${connectionId}: the idempotency key of this cancellation of ${id} was used for another request: ${warehouseSays(problem)}`, 422, problem);
  }
  return error;
}

/** Creates the warehouse client over the shared outbound HTTP client (rate-governed, circuit-broken). */
export function createWarehouseClient(options: WarehouseClientOptions): WarehouseClient {
  const { connectionId, settings } = options;
  const http: HttpClient = createHttpClient({
    connectionId,
    baseUrl: settings.baseUrl,
    vendor: { rate: settings.rateLimit, rateFeedback, errorMessage },
    headers: { authorization: `Bearer ${options.secrets.apiKey}` },
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const maxAttempts = options.maxAttempts ?? 3;

  const parse = responseParser(connectionId);
  const newIdempotencyKey = options.newIdempotencyKey ?? randomUUID;
  const path = (id: string) => `/v1/shipment-orders/${encodeURIComponent(id)}`;

  const getShipmentOrder = async (id: string, signal?: AbortSignal) => {
    try {
      const response = await http.request({ method: 'GET', path: path(id), ...(signal ? { signal } : {}) });
      return parse(ShipmentOrder, response.body, `GET shipment order ${id}`);
    } catch (error) {
      if (problemOf(error)?.status === 404) throw permanentError('warehouse_not_found', `${connectionId}: shipment order ${id} does not exist`, 404);
      throw error;
    }
  };

  const findByReference = async (reference: string, signal?: AbortSignal) => {
    const response = await http.request({ method: 'GET', path: '/v1/shipment-orders', query: { reference, limit: 1 }, ...(signal ? { signal } : {}) });
    const page = parse(ShipmentOrderPage, response.body, 'GET shipment orders by reference');
    return page.data.find((order) => order.reference === reference) ?? null;
  };

  const createOnce = async (order: NewShipmentOrder, signal?: AbortSignal): Promise<CreateShipmentOrderResult> => {
    try {
      const response = await http.request({
        method: 'POST',
        path: '/v1/shipment-orders',
        body: order,
        idempotencyKey: order.reference,
        retry: false,
        ...(signal ? { signal } : {}),
      });
      const created = response.status === 201 && response.headers.get('idempotent-replayed') !== 'true';
      return { order: parse(ShipmentOrder, response.body, 'POST shipment order'), outcome: created ? 'created' : 'existing' };
    } catch (error) {
      const problem = problemOf(error);
      if (problem?.status === 409 || problem?.code === 'idempotency_key_reused') {
        throw permanentError(
          'warehouse_reference_conflict',
          `${connectionId}: shipment order ${order.reference} already exists at the warehouse with other content${problem.existingId ? ` (${problem.existingId})` : ''}`,
          409,
          { existingId: problem.existingId },
        );
      }
      throw error;
    }
  };

  return {
    async account(signal) {
      const response = await http.request({ method: 'GET', path: '/v1/account', ...(signal ? { signal } : {}) });
      return parse(Account, response.body, 'GET account');
    },

    async createShipmentOrder(order, signal) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await createOnce(order, signal);
        } catch (error) {
          if (!mayHaveLanded(error)) throw error;
          // The warehouse may have created it before the answer was lost: look before sending again.
          const existing = await findByReference(order.reference, signal).catch(() => null);
          if (existing) return { order: existing, outcome: 'existing' };
          if (attempt >= maxAttempts) throw error;
        }
      }
    },

    getShipmentOrder,
    findByReference,

    async listUpdatedShipmentOrders(query, signal) {
      const response = await http.request({
        method: 'GET',
        path: '/v1/shipment-orders',
        query: { updatedSince: query.updatedSince, limit: query.limit ?? 100, cursor: query.cursor },
        ...(signal ? { signal } : {}),
      });
      const page = parse(ShipmentOrderPage, response.body, 'GET shipment orders updated since');
      return { orders: page.data, nextCursor: page.nextCursor ?? null };
    },

    async cancelShipmentOrder(id, cancelOptions = {}) {
      try {
        const response = await http.request({
          method: 'POST',
          path: `${path(id)}/cancel`,
          body: cancelOptions.reason !== undefined ? { reason: cancelOptions.reason } : {},
          retry: true,
          ...(cancelOptions.signal ? { signal: cancelOptions.signal } : {}),
        });
        return parse(ShipmentOrder, response.body, `POST cancel ${id}`);
      } catch (error) {
        const problem = problemOf(error);
        if (problem?.status === 409) {
          throw permanentError('warehouse_already_shipped', `${connectionId}: shipment order ${id} has shipped and cannot be cancelled: ${warehouseSays(problem)}`, 409, problem);
        }
        if (problem?.status === 404) throw permanentError('warehouse_not_found', `${connectionId}: shipment order ${id} does not exist`, 404);
        throw error;
      }
    },

    async cancelLines(id, lines, cancelOptions = {}) {
      try {
        const response = await http.request({
          method: 'POST',
          path: `${path(id)}/cancellations`,
          body: { lines: lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })), ...(cancelOptions.reason !== undefined ? { reason: cancelOptions.reason } : {}) },
          idempotencyKey: cancelOptions.idempotencyKey ?? newIdempotencyKey(),
          retry: true,
          ...(cancelOptions.signal ? { signal: cancelOptions.signal } : {}),
        });
        return parse(ShipmentOrder, response.body, `POST cancellations ${id}`);
      } catch (error) {
        throw lineCancellationError(connectionId, id, error);
      }
    },

    ...createReturnOperations({ http, connectionId, maxAttempts, parse }),

    async queryStockPage(query, signal) {
      const response = await http.request({
        method: 'GET',
        path: '/v1/stock',
        query: { sku: query.sku, location: query.location ?? settings.warehouseLocation, limit: query.pageSize ?? 100, cursor: query.cursor ?? undefined },
        ...(signal ? { signal } : {}),
      });
      const page = parse(StockPage, response.body, 'GET stock');
      return { levels: page.data, nextCursor: page.nextCursor ?? null };
    },

    async queryStock(query = {}, signal) {
      const levels: StockLevel[] = [];
      const location = query.location ?? settings.warehouseLocation;
      let cursor: string | undefined;
      do {
        const response = await http.request({
          method: 'GET',
          path: '/v1/stock',
          query: { sku: query.sku, location, limit: query.pageSize ?? 100, cursor },
          ...(signal ? { signal } : {}),
        });
        const page = parse(StockPage, response.body, 'GET stock');
        levels.push(...page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return levels;
    },

    health: () => http.health(),
  };
}
