import { reserveRateTokens, type Store } from '../../store/index.js';
import { fullBucket, ratePerMs, reserve, type BucketPolicy, type BucketState } from './token-bucket.js';

/** A reservation request against the shared bucket of one principal (or principal and route). */
export interface Reservation {
  bucket: string;
  policy: BucketPolicy;
  now: number;
  want: number;
  need: number;
  giveBack: number;
}

/** The authority every process reserves tokens from: the store (shared) or memory (one process). */
export interface SharedBuckets {
  /** Atomically refills, takes back `giveBack`, and grants 0 or `need`…`want` whole tokens. */
  reserve(r: Reservation): Promise<{ granted: number; tokens: number }>;
}

/** Buckets in the `rate_buckets` table: correct across hub processes sharing one PostgreSQL. */
export function storeBuckets(store: Store): SharedBuckets {
  return {
    reserve: (r) =>
      reserveRateTokens(store.db, store.dialect, {
        bucket: r.bucket,
        capacity: r.policy.limit,
        ratePerMs: ratePerMs(r.policy),
        now: r.now,
        want: r.want,
        need: r.need,
        giveBack: r.giveBack,
      }),
  };
}

/** Buckets in this process's memory: for one process, and to check the SQL against the pure function. */
export function memoryBuckets(): SharedBuckets {
  const buckets = new Map<string, BucketState>();
  return {
    async reserve(r) {
      const state = buckets.get(r.bucket) ?? fullBucket(r.policy, r.now);
      const result = reserve(state, r.policy, r.now, r.want, r.need, r.giveBack);
      buckets.set(r.bucket, result.state);
      return { granted: result.granted, tokens: result.state.tokens };
    },
  };
}
