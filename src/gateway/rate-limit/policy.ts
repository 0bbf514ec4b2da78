import type { Principal } from '../access/api-keys.js';
import type { BucketPolicy } from './token-bucket.js';

/** The default policy for principals without one of their own: 6000 requests a minute (100/s sustained). */
export const defaultRateLimit: BucketPolicy = { limit: 6000, windowSeconds: 60 };

/**
 * A route's rate-limit override (route meta): a `cost` in tokens of the caller's own bucket
 * (default 1), or a separate bucket per caller for this route with its own limit and window.
 */
export type RouteRateLimit = { cost: number } | BucketPolicy;

/** Parses the TILLBRIDGE_RATE_LIMIT setting: `limit/windowSeconds` (e.g. `6000/60`) or `off`. */
export function parseRateLimitSetting(value: string): BucketPolicy | null {
  const text = value.trim().toLowerCase();
  if (text === 'off') return null;
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const limit = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]);
  if (!match || limit < 1 || limit > 1_000_000 || windowSeconds < 1 || windowSeconds > 86_400) {
    throw new Error(`invalid rate limit "${value}": use limit/windowSeconds (1–1000000 / 1–86400) or off`);
  }
  return { limit, windowSeconds };
}

/** Which bucket a request draws from, under which policy, at what cost; undefined when not limited. */
export interface AppliedLimit {
  name: string;
  bucket: string;
  policy: BucketPolicy;
  cost: number;
}

/**
 * Resolves the limit for a request. The bootstrap key is exempt (an operator must never be
 * locked out); other principals use their own limit, else the default. A route with its own
 * limit gets a separate bucket per principal, named "route" in the headers.
 */
export function appliedLimit(principal: Principal, route: RouteRateLimit | undefined, routeKey: string, fallback: BucketPolicy | null): AppliedLimit | undefined {
  if (principal.kind === 'bootstrap') return undefined;
  if (route && 'limit' in route) return { name: 'route', bucket: `${principal.id} ${routeKey}`, policy: route, cost: 1 };
  const policy = principal.rateLimit ?? fallback;
  if (!policy) return undefined;
  return { name: 'default', bucket: principal.id, policy, cost: route?.cost ?? 1 };
}

/** The `RateLimit-Policy` field value (IETF httpapi RateLimit headers draft, a structured-field list). */
export function policyHeader(name: string, policy: BucketPolicy): string {
  return `"${name}";q=${policy.limit};w=${policy.windowSeconds}`;
}

/** The `RateLimit` field value: remaining quota `r` and seconds `t` until it is fully restored. */
export function rateLimitHeader(name: string, remaining: number, resetSeconds: number): string {
  return `"${name}";r=${remaining};t=${resetSeconds}`;
}
