import { parse, stringify } from 'lossless-json';
import { unexpectedResponse, type HttpClient } from '../framework/index.js';
import { gidNumber } from './graphql.js';

/**
 * Wraps fetch so the exact response text stays readable after the outbound client has parsed it
 * with JSON.parse (which rounds ids beyond 2^53): the text is kept per response, keyed by the
 * response's Headers object, which the client hands back unchanged.
 */
export function rawTextCapture(base: typeof fetch): { fetch: typeof fetch; textOf(headers: Headers): string | undefined } {
  const texts = new WeakMap<Headers, string>();
  const capturing: typeof fetch = async (input, init) => {
    const response = await base(input, init);
    const text = await response.text();
    const bodiless = [101, 204, 205, 304].includes(response.status) || text === '';
    const copy = new Response(bodiless ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
    texts.set(copy.headers, text);
    return copy;
  };
  return { fetch: capturing, textOf: (headers) => texts.get(headers) };
}

/** `page_info` of the `rel="next"` link of a REST `Link` header, or null on the last page. */
export function nextPageInfo(link: string | null): string | null {
  for (const part of (link ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (!match?.[1]) continue;
    try {
      return new URL(match[1]).searchParams.get('page_info');
    } catch {
      return null;
    }
  }
  return null;
}

/** The REST error body (`{"errors": "…"}` or `{"errors": {"field": ["…"]}}`) as one line. */
export function restErrorMessage(_status: number, body: unknown): string | undefined {
  const errors = typeof body === 'object' && body !== null ? (body as { errors?: unknown }).errors : undefined;
  if (typeof errors === 'string') return errors;
  if (typeof errors === 'object' && errors !== null) {
    return Object.entries(errors)
      .map(([field, messages]) => `${field}: ${Array.isArray(messages) ? messages.join(', ') : String(messages)}`)
      .join('; ');
  }
  return undefined;
}

/** One order of a REST page: its exact id, updated_at, and its JSON text with every number as Shopify wrote it. */
export interface RestOrder {
  id: string;
  updatedAt: string;
  json: string;
}

/** A page of REST orders and the cursor of the next page. */
export interface OrdersPage {
  orders: RestOrder[];
  nextPageInfo: string | null;
}

/** A REST orders query: changes since `updatedAtMin`, or the page `pageInfo` points at. */
export interface OrdersPageQuery {
  updatedAtMin?: string;
  pageInfo?: string;
  /** Page size, 1–250 (default 250). */
  limit?: number;
}

function restOrder(connectionId: string, order: unknown, exact: boolean): RestOrder {
  const record = typeof order === 'object' && order !== null ? (order as Record<string, unknown>) : undefined;
  const updatedAt = record?.['updated_at'];
  if (!record || typeof updatedAt !== 'string') throw unexpectedResponse(connectionId, 'orders.json: an order without updated_at');
  const gid = typeof record['admin_graphql_api_id'] === 'string' ? gidNumber(record['admin_graphql_api_id']) : undefined;
  // Without the exact text (never expected), the gid's digits are exact where `id` may be rounded.
  const id = exact ? String(record['id'] as unknown) : (gid ?? String(record['id'] as unknown));
  if (!/^\d+$/.test(id)) throw unexpectedResponse(connectionId, `orders.json: order id ${JSON.stringify(id)}`);
  return { id, updatedAt, json: exact ? stringify(order)! : JSON.stringify(order) };
}

/**
 * Reads one page of `GET /admin/api/{version}/orders.json?status=any&order=updated_at asc`, from
 * the response's exact text so ids beyond 2^53 stay exact (lossless parse and re-stringify).
 */
export async function fetchOrdersPage(
  deps: { connectionId: string; http: HttpClient; apiVersion: string; textOf(headers: Headers): string | undefined },
  query: OrdersPageQuery,
  signal?: AbortSignal,
): Promise<OrdersPage> {
  const limit = Math.min(250, Math.max(1, query.limit ?? 250));
  const params = query.pageInfo
    ? { limit, page_info: query.pageInfo }
    : { status: 'any', limit, order: 'updated_at asc', ...(query.updatedAtMin ? { updated_at_min: query.updatedAtMin } : {}) };
  const response = await deps.http.request({ method: 'GET', path: `/admin/api/${deps.apiVersion}/orders.json`, query: params, ...(signal ? { signal } : {}) });
  const text = deps.textOf(response.headers);
  let root: unknown = response.body;
  if (text !== undefined) {
    try {
      root = parse(text);
    } catch {
      throw unexpectedResponse(deps.connectionId, 'orders.json: the body is not JSON');
    }
  }
  const orders = typeof root === 'object' && root !== null ? (root as { orders?: unknown }).orders : undefined;
  if (!Array.isArray(orders)) throw unexpectedResponse(deps.connectionId, 'orders.json: no orders array');
  return {
    orders: orders.map((order) => restOrder(deps.connectionId, order, text !== undefined)),
    nextPageInfo: nextPageInfo(response.headers.get('link')),
  };
}
