/** A token bucket policy: `limit` tokens of capacity, refilled at `limit / windowSeconds` per second. */
export interface BucketPolicy {
  limit: number;
  windowSeconds: number;
}

/** A bucket's state: tokens left (fractional while refilling) as of `updatedAt` (epoch ms). */
export interface BucketState {
  tokens: number;
  updatedAt: number;
}

/** The outcome of taking tokens from a bucket. */
export interface TakeResult {
  allowed: boolean;
  /** The bucket after the take (unchanged but refilled when refused). */
  state: BucketState;
  /** Whole tokens left after the take. */
  remaining: number;
  /** Seconds until `cost` tokens are available again; 0 when allowed. */
  retryAfterSeconds: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

/** Refill rate in tokens per millisecond. */
export function ratePerMs(policy: BucketPolicy): number {
  return policy.limit / (policy.windowSeconds * 1000);
}

/** A new, full bucket. */
export function fullBucket(policy: BucketPolicy, now: number): BucketState {
  return { tokens: policy.limit, updatedAt: now };
}

/** The bucket refilled for the time elapsed since its last update, capped at capacity (time never runs backwards). */
export function refill(state: BucketState, policy: BucketPolicy, now: number): BucketState {
  const elapsed = Math.max(0, now - state.updatedAt);
  return { tokens: Math.min(policy.limit, state.tokens + elapsed * ratePerMs(policy)), updatedAt: Math.max(state.updatedAt, now) };
}

/** Whole seconds until `tokens` grows to `target` (0 when it already has). */
export function secondsUntil(tokens: number, target: number, policy: BucketPolicy): number {
  if (tokens >= target) return 0;
  return Math.ceil((target - tokens) / ratePerMs(policy) / 1000 - 1e-9);
}

/** Takes `cost` tokens if the refilled bucket holds them; otherwise refuses and says when to retry. */
export function take(state: BucketState, policy: BucketPolicy, now: number, cost = 1): TakeResult {
  const current = refill(state, policy, now);
  const allowed = cost <= policy.limit && current.tokens >= cost;
  const next = allowed ? { ...current, tokens: current.tokens - cost } : current;
  return {
    allowed,
    state: next,
    remaining: Math.floor(next.tokens),
    retryAfterSeconds: allowed ? 0 : Math.max(1, secondsUntil(current.tokens, Math.min(cost, policy.limit), policy)),
    resetSeconds: secondsUntil(next.tokens, policy.limit, policy),
  };
}

/** The outcome of reserving a batch of tokens from a shared bucket. */
export interface ReserveResult {
  /** Whole tokens handed to the caller: 0, or between `need` and `want`. */
  granted: number;
  state: BucketState;
}

/**
 * Reserves up to `want` whole tokens, but only if at least `need` are there (all or nothing
 * below `need`), after giving back `giveBack` unused tokens from an earlier reservation. The
 * store's `reserveRateTokens` runs exactly this arithmetic in one atomic SQL statement.
 */
export function reserve(state: BucketState, policy: BucketPolicy, now: number, want: number, need: number, giveBack = 0): ReserveResult {
  const current = refill(state, policy, now);
  const tokens = Math.min(policy.limit, current.tokens + giveBack);
  const granted = tokens >= need ? Math.min(want, Math.floor(tokens)) : 0;
  return { granted, state: { tokens: tokens - granted, updatedAt: current.updatedAt } };
}
