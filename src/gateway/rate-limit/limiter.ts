import type { Clock } from '../../model/index.js';
import type { SharedBuckets } from './shared-buckets.js';
import { refill, secondsUntil, type BucketPolicy, type BucketState } from './token-bucket.js';

/** What a rate limiter decided for one request, with what the RateLimit headers report. */
export interface RateDecision {
  allowed: boolean;
  policy: BucketPolicy;
  /** Whole tokens left (estimated across processes). */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds to wait before retrying; 0 when allowed. */
  retryAfterSeconds: number;
}

/** Admits or refuses requests against token buckets shared by every hub process. */
export interface RateLimiter {
  /** The policy for principals that carry none of their own; null means they are not limited. */
  readonly defaultLimit: BucketPolicy | null;
  /** Takes `cost` tokens from `bucket` under `policy`. */
  take(bucket: string, policy: BucketPolicy, cost: number): Promise<RateDecision>;
}

/** How the limiter reserves from the shared buckets. */
export interface RateLimiterOptions {
  buckets: SharedBuckets;
  clock: Clock;
  defaultLimit: BucketPolicy | null;
  /** How long a reservation may be used before its rest goes back to the shared bucket (default 1000 ms). */
  reservationMs?: number;
  /** The batch a process reserves at a time, as a fraction of the limit (default 1/20, at least 1 token). */
  batchFraction?: number;
}

interface LocalBucket {
  /** Whole tokens reserved from the shared bucket and not used yet. */
  tokens: number;
  expiresAt: number;
  /** The shared bucket as this process last saw it. */
  shared: BucketState;
  /** Until when to refuse requests needing `deniedNeed` or more tokens without asking the shared bucket again. */
  deniedUntil: number;
  deniedNeed: number;
  inflight: Promise<void> | undefined;
}

const maxLocalBuckets = 10_000;
/** Reservations one request may wait for while concurrent requests of the same bucket use up each batch. */
const maxRounds = 64;

/**
 * A limiter that serves requests from small local reservations and asks the shared bucket only
 * once per batch (or per expired reservation, or once per `reservationMs` while refusing), so the
 * hot path does not touch the database per request. Admissions never exceed what the shared
 * bucket grants; see docs/rate-limits.md for the slack this batching introduces.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { buckets, clock } = options;
  const reservationMs = options.reservationMs ?? 1000;
  const batchFraction = options.batchFraction ?? 1 / 20;
  const local = new Map<string, LocalBucket>();

  const batchOf = (policy: BucketPolicy) => Math.max(1, Math.floor(policy.limit * batchFraction));

  const decide = (e: LocalBucket, policy: BucketPolicy, now: number, cost: number, allowed: boolean): RateDecision => {
    const estimate = Math.min(policy.limit, e.tokens + refill(e.shared, policy, now).tokens);
    return {
      allowed,
      policy,
      remaining: Math.max(0, Math.floor(estimate)),
      resetSeconds: secondsUntil(estimate, policy.limit, policy),
      retryAfterSeconds: allowed ? 0 : Math.max(1, secondsUntil(estimate, Math.min(cost, policy.limit), policy)),
    };
  };

  const replenish = async (bucket: string, e: LocalBucket, policy: BucketPolicy, cost: number) => {
    const now = clock.now();
    const giveBack = now >= e.expiresAt ? e.tokens : 0;
    if (giveBack > 0) e.tokens = 0;
    const need = Math.max(1, cost - e.tokens);
    const { granted, tokens } = await buckets.reserve({ bucket, policy, now, want: Math.max(need, batchOf(policy)), need, giveBack });
    e.shared = { tokens, updatedAt: now };
    if (granted > 0) {
      e.tokens += granted;
      e.expiresAt = now + reservationMs;
      e.deniedUntil = 0;
    } else {
      e.deniedUntil = now + Math.min(reservationMs, secondsUntil(tokens, need, policy) * 1000);
      e.deniedNeed = need;
    }
  };

  const entryFor = (bucket: string, policy: BucketPolicy): LocalBucket => {
    let e = local.get(bucket);
    if (!e) {
      if (local.size >= maxLocalBuckets) prune(clock.now());
      e = { tokens: 0, expiresAt: 0, shared: { tokens: policy.limit, updatedAt: clock.now() }, deniedUntil: 0, deniedNeed: 0, inflight: undefined };
      local.set(bucket, e);
    }
    return e;
  };

  const prune = (now: number) => {
    for (const [bucket, e] of local) if (!e.inflight && now >= e.expiresAt && now >= e.deniedUntil) local.delete(bucket);
  };

  return {
    defaultLimit: options.defaultLimit,
    async take(bucket, policy, cost) {
      const e = entryFor(bucket, policy);
      for (let round = 0; ; round++) {
        const now = clock.now();
        if (e.tokens >= cost && now < e.expiresAt) {
          e.tokens -= cost;
          return decide(e, policy, now, cost, true);
        }
        if ((now < e.deniedUntil && cost - e.tokens >= e.deniedNeed) || round === maxRounds) return decide(e, policy, now, cost, false);
        e.inflight ??= replenish(bucket, e, policy, cost).finally(() => {
          e.inflight = undefined;
        });
        await e.inflight;
      }
    },
  };
}
