import { z } from 'zod';
import { permanentError, transientError, type TillbridgeError } from '../../model/index.js';
import { unexpectedResponse, type HttpClient, type RateGovernor } from '../framework/index.js';
import { queryCostOf, throttledRetryAfterMs, type QueryCost } from './throttle.js';

/** One GraphQL Admin API call: its document, variables, estimated cost and the shape of `data`. */
export interface GraphqlOperation<T> {
  /** The operation name in the document (sent as `operationName`). */
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Our estimate of Shopify's requestedQueryCost, taken from the rate governor before sending. */
  cost: number;
  /** Resend after a 5xx or a timeout (queries, and mutations that are idempotent by identifier or @idempotent key). */
  retry: boolean;
  data: z.ZodType<T>;
}

/** What a successful call returned. */
export interface GraphqlResult<T> {
  data: T;
  cost: QueryCost | undefined;
  /** `X-Shopify-API-Version` of the response: the version that actually served the call. */
  apiVersion: string | undefined;
}

/** Runs GraphQL operations over the connection's outbound client. */
export interface GraphqlTransport {
  execute<T>(operation: GraphqlOperation<T>, signal?: AbortSignal): Promise<GraphqlResult<T>>;
}

const GraphqlError = z.looseObject({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  extensions: z.looseObject({ code: z.string().optional() }).optional(),
});

const Envelope = z.looseObject({
  data: z.unknown().optional(),
  errors: z.array(GraphqlError).optional(),
});

/** A mutation's `userErrors` entry (`code` only on the typed user errors, e.g. InventorySetQuantitiesUserError). */
export const UserError = z.object({
  field: z.array(z.string()).nullable().optional(),
  message: z.string(),
  code: z.string().nullable().optional(),
});

/** A mutation's `userErrors` entry. */
export type UserError = z.infer<typeof UserError>;

/** How a userErrors code becomes a typed error other than the generic `shopify_user_error`. */
export interface UserErrorRule {
  code: string;
  httpStatus: number;
  retryable?: boolean;
}

/** `input.quantities.0.changeFromQuantity: message (CODE)` for each user error. */
export function describeUserErrors(errors: readonly UserError[]): string {
  return errors.map((e) => `${e.field?.length ? `${e.field.join('.')}: ` : ''}${e.message}${e.code ? ` (${e.code})` : ''}`).join('; ');
}

/** The typed error for a mutation's userErrors: the first code with a rule wins, else permanent `shopify_user_error` (422). */
export function userErrorsError(connectionId: string, operation: string, errors: readonly UserError[], rules: Record<string, UserErrorRule> = {}): TillbridgeError {
  const rule = errors.map((e) => (e.code ? rules[e.code] : undefined)).find((r) => r !== undefined);
  const message = `${connectionId}: Shopify refused ${operation}: ${describeUserErrors(errors)}`;
  const details = { userErrors: errors };
  if (rule?.retryable) return transientError(rule.code, message, { httpStatus: rule.httpStatus, details });
  return permanentError(rule?.code ?? 'shopify_user_error', message, rule?.httpStatus ?? 422, details);
}

/** A Shopify global id (`gid://shopify/Order/123`) from a numeric id or a gid of that type. */
export function shopifyGid(type: string, id: string | number | bigint): string {
  const text = String(id);
  if (text.startsWith(`gid://shopify/${type}/`)) return text;
  if (!/^\d+$/.test(text)) throw permanentError('invalid_shopify_id', `${JSON.stringify(text)} is not a Shopify ${type} id`, 422);
  return `gid://shopify/${type}/${text}`;
}

/** The numeric part of a Shopify global id, exact (as text). */
export function gidNumber(gid: string): string | undefined {
  return /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(gid)?.[1];
}

function graphqlError(connectionId: string, operation: string, errors: z.infer<typeof GraphqlError>[]): TillbridgeError {
  const codes = errors.map((e) => e.extensions?.code).filter((c): c is string => typeof c === 'string');
  const message = `${connectionId}: ${operation} failed: ${errors.map((e) => `${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ''}`).join('; ')}`;
  const details = { errors };
  if (codes.includes('INTERNAL_SERVER_ERROR')) return transientError('shopify_internal_error', message, { httpStatus: 502, details });
  if (codes.includes('MAX_COST_EXCEEDED')) return permanentError('shopify_query_too_costly', message, 422, details);
  if (codes.includes('ACCESS_DENIED')) return permanentError('shopify_access_denied', message, 403, details);
  return permanentError('shopify_graphql_error', message, 422, details);
}

/**
 * GraphQL over the connection's outbound client. The governor is charged the operation's estimated
 * cost; a THROTTLED answer (HTTP 200) is handled like a 429: a transient error whose retryAfterMs is
 * the deficit over the restore rate pauses the governor, and the call is sent again once the bucket
 * holds Shopify's requestedQueryCost (up to `maxThrottleRetries` times, then the error is thrown).
 */
export function createGraphqlTransport(options: {
  connectionId: string;
  http: HttpClient;
  governor: RateGovernor;
  apiVersion: string;
  maxThrottleRetries?: number;
}): GraphqlTransport {
  const { connectionId, http, governor } = options;
  const path = `/admin/api/${options.apiVersion}/graphql.json`;
  const maxThrottleRetries = options.maxThrottleRetries ?? 10;

  return {
    async execute<T>(operation: GraphqlOperation<T>, signal?: AbortSignal): Promise<GraphqlResult<T>> {
      let estimate = operation.cost;
      for (let throttles = 0; ; throttles++) {
        const response = await http.request({
          method: 'POST',
          path,
          body: { query: operation.query, operationName: operation.name, variables: operation.variables ?? {} },
          cost: estimate,
          retry: operation.retry,
          ...(signal ? { signal } : {}),
        });
        const envelope = Envelope.safeParse(response.body);
        if (!envelope.success) throw unexpectedResponse(connectionId, `${operation.name}: not a GraphQL response`);
        const cost = queryCostOf(response.body);
        const errors = envelope.data.errors ?? [];
        if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
          const retryAfterMs = cost ? throttledRetryAfterMs(cost) : 1000;
          const error = transientError('outbound_throttled', `${connectionId}: ${operation.name} throttled by Shopify's cost limit (requested ${cost?.requestedQueryCost ?? '?'}, available ${cost?.throttleStatus.currentlyAvailable ?? '?'})`, {
            retryAfterMs,
            httpStatus: 429,
          });
          if (throttles >= maxThrottleRetries) throw error;
          estimate = Math.max(estimate, cost?.requestedQueryCost ?? estimate);
          governor.observe({ retryAfterMs });
          continue;
        }
        if (errors.length > 0) throw graphqlError(connectionId, operation.name, errors);
        const data = operation.data.safeParse(envelope.data.data);
        if (!data.success) {
          throw unexpectedResponse(connectionId, `${operation.name}: ${data.error.issues.map((i) => `/data/${i.path.join('/')}: ${i.message}`).join('; ')}`);
        }
        return { data: data.data, cost, apiVersion: response.headers.get('x-shopify-api-version') ?? undefined };
      }
    },
  };
}
