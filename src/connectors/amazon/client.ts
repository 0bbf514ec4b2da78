import { isTillbridgeError, permanentError, type Clock } from '../../model/index.js';
import { createHttpClient, unexpectedResponse, type HttpClient, type OutboundHealth } from '../framework/index.js';
import type { AmazonSecrets, AmazonSettings } from './config.js';
import { amazonFinancesPayload, amazonFinancialEventGroup, type AmazonFinancialEventGroup } from './mapping-event-group.js';

/** A FinancialEventGroup as read (exact money) together with the JSON Amazon sent, which payloads carry on. */
export interface AmazonEventGroupRecord {
  group: AmazonFinancialEventGroup;
  raw: unknown;
}

/** One page of `listFinancialEventGroups`. */
export interface AmazonEventGroupsPage {
  groups: AmazonEventGroupRecord[];
  nextToken?: string;
}

/** Query of `listFinancialEventGroups`; with a `nextToken` the API continues the query that issued it. */
export interface AmazonEventGroupsQuery {
  startedAfter?: string;
  startedBefore?: string;
  /** Groups per page, 1–100 (default 10). */
  maxResults?: number;
  nextToken?: string;
}

/** A `FinancialEvents` object: event lists by name (ShipmentEventList, RefundEventList, …). */
export type AmazonFinancialEvents = Record<string, unknown[]>;

/** One page of `listFinancialEventsByGroupId`. */
export interface AmazonFinancialEventsRawPage {
  financialEvents: AmazonFinancialEvents;
  nextToken?: string;
}

/** The Finances v0 operations the hub uses. */
export interface AmazonClient {
  /** A Login with Amazon access token, cached until shortly before it expires. */
  accessToken(signal?: AbortSignal): Promise<string>;
  listFinancialEventGroups(query: AmazonEventGroupsQuery, signal?: AbortSignal): Promise<AmazonEventGroupsPage>;
  listFinancialEventsByGroupId(groupId: string, query?: { maxResults?: number; nextToken?: string }, signal?: AbortSignal): Promise<AmazonFinancialEventsRawPage>;
  /** Every page of a group's financial events, merged list by list. */
  financialEventsOfGroup(groupId: string, signal?: AbortSignal): Promise<AmazonFinancialEvents>;
  health(): OutboundHealth;
}

/** What the client needs to run. */
export interface AmazonClientOptions {
  connectionId: string;
  settings: AmazonSettings;
  secrets: AmazonSecrets;
  clock?: Clock;
  fetch?: typeof fetch;
  random?: () => number;
  maxAttempts?: number;
  baseDelayMs?: number;
}

/** A token is renewed this long before Amazon says it expires. */
const refreshMarginMs = 60_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SP-API's `{"errors": [{code, message, details}]}` as one line. */
function spApiErrorMessage(_status: number, body: unknown): string | undefined {
  if (!isRecord(body) || !Array.isArray(body['errors'])) return undefined;
  return body['errors']
    .filter(isRecord)
    .map((error) => [error['code'], error['message'], error['details']].filter((part) => typeof part === 'string' && part !== '').join(': '))
    .join('; ');
}

/** LWA's OAuth error body `{"error", "error_description"}` as one line. */
function lwaErrorMessage(_status: number, body: unknown): string | undefined {
  if (!isRecord(body) || typeof body['error'] !== 'string') return undefined;
  return typeof body['error_description'] === 'string' ? `${body['error']}: ${body['error_description']}` : body['error'];
}

/** Appends each list of `page` to the same list of `into`. */
function mergeEvents(into: AmazonFinancialEvents, page: AmazonFinancialEvents): void {
  for (const [list, events] of Object.entries(page)) (into[list] ??= []).push(...events);
}

/**
 * Creates the SP-API Finances client: an LWA access token from the refresh token (cached, renewed
 * when near expiry or when Amazon answers 401/403), sent as `x-amz-access-token` on calls through
 * the shared outbound client (rate-governed at the Finances rate, circuit-broken, retried). The
 * secrets never appear in errors or logs.
 */
export function createAmazonClient(options: AmazonClientOptions): AmazonClient {
  const { connectionId, settings, secrets } = options;
  const now = () => (options.clock ? options.clock.now() : Date.now());
  const common = {
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const api: HttpClient = createHttpClient({ connectionId, baseUrl: settings.baseUrl, vendor: { rate: settings.rate, errorMessage: spApiErrorMessage }, ...common });
  const lwa: HttpClient = createHttpClient({
    connectionId: `${connectionId} (LWA)`,
    baseUrl: settings.tokenUrl,
    vendor: { rate: { capacity: 5, refillPerSecond: 1 }, errorMessage: lwaErrorMessage },
    ...common,
  });

  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (signal?: AbortSignal): Promise<string> => {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: secrets.refreshToken, client_id: secrets.clientId, client_secret: secrets.clientSecret });
    let body: unknown;
    try {
      const response = await lwa.request({
        method: 'POST',
        path: '',
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        retry: true,
        ...(signal ? { signal } : {}),
      });
      body = response.body;
    } catch (error) {
      if (isTillbridgeError(error) && (error.code === 'outbound_rejected' || error.code === 'outbound_unauthorized')) {
        throw permanentError('amazon_lwa_refused', `${connectionId}: Login with Amazon refused the credentials (${error.httpStatus}): check clientId, clientSecret and refreshToken`, 401, {
          status: error.httpStatus,
        });
      }
      throw error;
    }
    if (!isRecord(body) || typeof body['access_token'] !== 'string' || body['access_token'] === '') throw unexpectedResponse(connectionId, 'LWA token response has no access_token');
    const expiresIn = typeof body['expires_in'] === 'number' && body['expires_in'] > 0 ? body['expires_in'] : 3600;
    cached = { token: body['access_token'], expiresAt: now() + expiresIn * 1000 };
    return cached.token;
  };

  const accessToken = async (signal?: AbortSignal): Promise<string> => {
    if (cached && now() < cached.expiresAt - refreshMarginMs) return cached.token;
    pending ??= fetchToken(signal).finally(() => {
      pending = undefined;
    });
    return pending;
  };

  /** A GET with the access token; an answer of 401/403 drops the token and tries once more with a new one. */
  const get = async (path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<unknown> => {
    for (let attempt = 1; ; attempt++) {
      const token = await accessToken(signal);
      try {
        const response = await api.request({ method: 'GET', path, query, headers: { 'x-amz-access-token': token }, ...(signal ? { signal } : {}) });
        return response.body;
      } catch (error) {
        if (attempt > 1 || !isTillbridgeError(error) || error.code !== 'outbound_unauthorized') throw error;
        if (cached?.token === token) cached = undefined;
      }
    }
  };

  const listFinancialEventsByGroupId: AmazonClient['listFinancialEventsByGroupId'] = async (groupId, query = {}, signal) => {
    const body = await get(
      `/finances/v0/financialEventGroups/${encodeURIComponent(groupId)}/financialEvents`,
      { MaxResultsPerPage: query.maxResults ?? 100, NextToken: query.nextToken },
      signal,
    );
    const payload = amazonFinancesPayload(body);
    const events = payload.at('FinancialEvents');
    const financialEvents: AmazonFinancialEvents = {};
    if (events.present) {
      for (const list of events.keys()) financialEvents[list] = events.at(list).list().map((event) => event.value);
    }
    const nextToken = payload.at('NextToken').optionalText();
    return { financialEvents, ...(nextToken === undefined ? {} : { nextToken }) };
  };

  return {
    accessToken,

    async listFinancialEventGroups(query, signal) {
      const body = await get(
        '/finances/v0/financialEventGroups',
        {
          MaxResultsPerPage: query.maxResults ?? 10,
          FinancialEventGroupStartedAfter: query.startedAfter,
          FinancialEventGroupStartedBefore: query.startedBefore,
          NextToken: query.nextToken,
        },
        signal,
      );
      const payload = amazonFinancesPayload(body);
      const nextToken = payload.at('NextToken').optionalText();
      return {
        groups: payload
          .at('FinancialEventGroupList')
          .list()
          .map((node) => ({ group: amazonFinancialEventGroup(node.value, node.path), raw: node.value })),
        ...(nextToken === undefined ? {} : { nextToken }),
      };
    },

    listFinancialEventsByGroupId,

    async financialEventsOfGroup(groupId, signal) {
      const merged: AmazonFinancialEvents = {};
      let nextToken: string | undefined;
      do {
        const page = await listFinancialEventsByGroupId(groupId, nextToken === undefined ? {} : { nextToken }, signal);
        mergeEvents(merged, page.financialEvents);
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      return merged;
    },

    health: () => api.health(),
  };
}
