import { isTillbridgeError, permanentError } from '../../model/index.js';
import { unexpectedResponse, type HttpClient } from '../framework/index.js';
import { parseShopifyJson } from './json.js';
import { nextPageInfo } from './rest.js';

/** What the Shopify Payments reads need from the client. */
export interface PayoutReadDeps {
  connectionId: string;
  http: HttpClient;
  apiVersion: string;
  textOf(headers: Headers): string | undefined;
}

/** A `shopify_payments/payouts.json` query. */
export interface PayoutsQuery {
  status?: 'scheduled' | 'in_transit' | 'paid' | 'failed' | 'canceled';
  /** Payouts on or after this date (YYYY-MM-DD). */
  dateMin?: string;
  dateMax?: string;
  sinceId?: string;
  /** 1–250 (default 50). */
  limit?: number;
}

/** A page of balance transactions (`transactions`, exact JSON values for the payout mapping) and the next page's cursor. */
export interface PayoutTransactionsPage {
  transactions: unknown[];
  nextPageInfo: string | null;
}

/** A `shopify_payments/balance/transactions.json` query: one payout's transactions, or the page `pageInfo` points at. */
export interface PayoutTransactionsQuery {
  payoutId?: string;
  pageInfo?: string;
  /** 1–250 (default 250). */
  limit?: number;
}

async function readExact(deps: PayoutReadDeps, path: string, query: Record<string, string | number>, signal?: AbortSignal): Promise<{ root: Record<string, unknown>; headers: Headers }> {
  const response = await deps.http.request({ method: 'GET', path: `/admin/api/${deps.apiVersion}/${path}`, query, ...(signal ? { signal } : {}) });
  const text = deps.textOf(response.headers);
  let root: unknown = response.body;
  if (text !== undefined) {
    try {
      root = parseShopifyJson(text);
    } catch (err) {
      if (isTillbridgeError(err)) throw unexpectedResponse(deps.connectionId, `${path}: the body is not JSON`);
      throw err;
    }
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw unexpectedResponse(deps.connectionId, `${path}: the body is not a JSON object`);
  return { root: root as Record<string, unknown>, headers: response.headers };
}

/** `GET shopify_payments/payouts.json`: payouts newest first, amounts as Shopify's decimal text. */
export async function fetchPayouts(deps: PayoutReadDeps, query: PayoutsQuery = {}, signal?: AbortSignal): Promise<unknown[]> {
  const params: Record<string, string | number> = {
    limit: Math.min(250, Math.max(1, query.limit ?? 50)),
    ...(query.status ? { status: query.status } : {}),
    ...(query.dateMin ? { date_min: query.dateMin } : {}),
    ...(query.dateMax ? { date_max: query.dateMax } : {}),
    ...(query.sinceId ? { since_id: query.sinceId } : {}),
  };
  const { root } = await readExact(deps, 'shopify_payments/payouts.json', params, signal);
  if (!Array.isArray(root['payouts'])) throw unexpectedResponse(deps.connectionId, 'shopify_payments/payouts.json: no payouts array');
  return root['payouts'] as unknown[];
}

/** `GET shopify_payments/payouts/{id}.json`: one payout (a 404 surfaces as the client's permanent not-found error). */
export async function fetchPayout(deps: PayoutReadDeps, payoutId: string, signal?: AbortSignal): Promise<unknown> {
  if (!/^\d+$/.test(payoutId)) throw permanentError('invalid_shopify_input', `${deps.connectionId}: payout id ${JSON.stringify(payoutId)} is not numeric`, 422);
  const { root } = await readExact(deps, `shopify_payments/payouts/${payoutId}.json`, {}, signal);
  if (typeof root['payout'] !== 'object' || root['payout'] === null) throw unexpectedResponse(deps.connectionId, `shopify_payments/payouts/${payoutId}.json: no payout`);
  return root['payout'];
}

/** `GET shopify_payments/balance/transactions.json?payout_id=…`: one page, with the Link cursor of the next. */
export async function fetchPayoutTransactionsPage(deps: PayoutReadDeps, query: PayoutTransactionsQuery, signal?: AbortSignal): Promise<PayoutTransactionsPage> {
  const limit = Math.min(250, Math.max(1, query.limit ?? 250));
  const params: Record<string, string | number> = query.pageInfo ? { limit, page_info: query.pageInfo } : { limit, ...(query.payoutId ? { payout_id: query.payoutId } : {}) };
  const { root, headers } = await readExact(deps, 'shopify_payments/balance/transactions.json', params, signal);
  if (!Array.isArray(root['transactions'])) throw unexpectedResponse(deps.connectionId, 'shopify_payments/balance/transactions.json: no transactions array');
  return { transactions: root['transactions'] as unknown[], nextPageInfo: nextPageInfo(headers.get('link')) };
}

/** Every balance transaction of a payout, following Link pagination. */
export async function fetchAllPayoutTransactions(deps: PayoutReadDeps, payoutId: string, signal?: AbortSignal): Promise<unknown[]> {
  const all: unknown[] = [];
  let page = await fetchPayoutTransactionsPage(deps, { payoutId }, signal);
  all.push(...page.transactions);
  while (page.nextPageInfo !== null) {
    page = await fetchPayoutTransactionsPage(deps, { pageInfo: page.nextPageInfo }, signal);
    all.push(...page.transactions);
  }
  return all;
}
