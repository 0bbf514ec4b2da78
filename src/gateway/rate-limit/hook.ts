import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { problem, sendProblem } from '../problem.js';
import { createRateLimiter, type RateLimiter } from './limiter.js';
import { appliedLimit, defaultRateLimit, policyHeader, rateLimitHeader } from './policy.js';
import { storeBuckets } from './shared-buckets.js';

/**
 * The /v1 onRequest hook, registered after authentication so unauthenticated or forbidden
 * requests never count: takes the route's cost from the principal's bucket, sets
 * `RateLimit-Policy` and `RateLimit`, and answers 429 problem+json with `Retry-After` when empty.
 */
export function rateLimit(deps: { rateLimiter?: RateLimiter | undefined; store: Store; clock: Clock }) {
  const limiter = deps.rateLimiter ?? createRateLimiter({ buckets: storeBuckets(deps.store), clock: deps.clock, defaultLimit: defaultRateLimit });
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = request.principal;
    if (!principal || reply.sent) return;
    const routeKey = `${request.method} ${request.routeOptions.url ?? ''}`;
    const applied = appliedLimit(principal, request.routeOptions.config.meta?.rateLimit, routeKey, limiter.defaultLimit);
    if (!applied) return;
    const decision = await limiter.take(applied.bucket, applied.policy, applied.cost);
    reply.header('RateLimit-Policy', policyHeader(applied.name, applied.policy));
    reply.header('RateLimit', rateLimitHeader(applied.name, decision.remaining, decision.resetSeconds));
    if (decision.allowed) return;
    request.log.info({ reqId: request.id, principal: principal.id, bucket: applied.name, route: routeKey }, 'rate limited');
    return sendProblem(
      reply.header('Retry-After', String(decision.retryAfterSeconds)),
      problem(
        429,
        'rate-limited',
        'Too many requests',
        `the rate limit of ${applied.policy.limit} requests per ${applied.policy.windowSeconds} s is used up; retry in ${decision.retryAfterSeconds} s`,
      ),
    );
  };
}
