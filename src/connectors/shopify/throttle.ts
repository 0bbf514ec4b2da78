import { z } from 'zod';
import type { RateFeedback } from '../framework/index.js';

/** `extensions.cost.throttleStatus` of a GraphQL Admin API response. */
export const ThrottleStatus = z.object({
  maximumAvailable: z.number().nonnegative(),
  currentlyAvailable: z.number(),
  restoreRate: z.number().positive(),
});

/** `extensions.cost` of a GraphQL Admin API response (actualQueryCost is null when the query was throttled). */
export const QueryCost = z.object({
  requestedQueryCost: z.number().nonnegative(),
  actualQueryCost: z.number().nonnegative().nullable(),
  throttleStatus: ThrottleStatus,
});

/** The cost report of one GraphQL call. */
export type QueryCost = z.infer<typeof QueryCost>;

/** The cost report inside a GraphQL response body, when there is a well-formed one. */
export function queryCostOf(body: unknown): QueryCost | undefined {
  const extensions = typeof body === 'object' && body !== null ? (body as { extensions?: { cost?: unknown } }).extensions : undefined;
  const parsed = QueryCost.safeParse(extensions?.cost);
  return parsed.success ? parsed.data : undefined;
}

/** Rate feedback from a GraphQL response: the bucket's size, what is left now and the restore rate. */
export function graphqlRateFeedback(response: { body: unknown }): RateFeedback | undefined {
  const cost = queryCostOf(response.body);
  if (!cost) return undefined;
  const { maximumAvailable, currentlyAvailable, restoreRate } = cost.throttleStatus;
  return { maximum: maximumAvailable, available: Math.max(0, currentlyAvailable), restoreRate };
}

/** How long until the bucket holds `requested` points again: the deficit over the restore rate (at least 1 ms). */
export function throttledRetryAfterMs(cost: QueryCost): number {
  const { currentlyAvailable, restoreRate } = cost.throttleStatus;
  const deficit = Math.max(0, cost.requestedQueryCost - currentlyAvailable);
  return Math.max(1, Math.ceil((deficit / restoreRate) * 1000));
}

/** Rate feedback from `X-Shopify-Shop-Api-Call-Limit: 32/40` (calls used / bucket size) of a REST response. */
export function restRateFeedback(response: { headers: Headers }): RateFeedback | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(response.headers.get('x-shopify-shop-api-call-limit') ?? '');
  if (!match) return undefined;
  const used = Number(match[1]);
  const maximum = Number(match[2]);
  if (maximum <= 0) return undefined;
  return { maximum, available: Math.max(0, maximum - used) };
}
