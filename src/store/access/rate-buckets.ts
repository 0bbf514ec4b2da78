import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Dialect } from '../dialect.js';
import type { RateBucketsTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A shared token bucket as stored: tokens left as of `updated_at`, and the last reservation's grant. */
export type RateBucketRow = Selectable<RateBucketsTable>;

/** A reservation against a shared bucket; times in epoch ms, the rate in tokens per ms. */
export interface RateTokenRequest {
  bucket: string;
  capacity: number;
  ratePerMs: number;
  now: number;
  /** Most whole tokens to take. */
  want: number;
  /** Fewest whole tokens worth taking; below this nothing is taken. */
  need: number;
  /** Unused tokens of an expired reservation, returned to the bucket first. */
  giveBack: number;
}

function float(value: number): RawBuilder<number> {
  return sql<number>`cast(${value} as double precision)`;
}

function least(dialect: Dialect, a: RawBuilder<number>, b: RawBuilder<number>): RawBuilder<number> {
  return dialect === 'postgres' ? sql<number>`least(${a}, ${b})` : sql<number>`min(${a}, ${b})`;
}

function greatest(dialect: Dialect, a: RawBuilder<number>, b: RawBuilder<number>): RawBuilder<number> {
  return dialect === 'postgres' ? sql<number>`greatest(${a}, ${b})` : sql<number>`max(${a}, ${b})`;
}

/**
 * Refills the bucket for the time elapsed, returns `giveBack`, and takes a reservation, all in
 * one atomic upsert (the row lock of ON CONFLICT DO UPDATE serialises concurrent processes).
 * Mirrors `reserve` in gateway/rate-limit/token-bucket.ts; a missing bucket starts full.
 */
export async function reserveRateTokens(db: Db, dialect: Dialect, r: RateTokenRequest): Promise<{ granted: number; tokens: number }> {
  const now = sql<number>`cast(${r.now} as bigint)`;
  const capacity = float(r.capacity);
  const elapsed = greatest(dialect, sql<number>`${now} - rate_buckets.updated_at`, sql<number>`0`);
  const refilled = least(dialect, capacity, sql<number>`rate_buckets.tokens + ${elapsed} * ${float(r.ratePerMs)} + ${float(r.giveBack)}`);
  const whole = dialect === 'postgres' ? sql<number>`floor(${refilled})` : sql<number>`cast(${refilled} as integer)`;
  const grant = sql<number>`case when ${refilled} >= ${float(r.need)} then ${least(dialect, float(r.want), whole)} else 0 end`;
  const freshGrant = r.capacity >= r.need ? Math.min(r.want, Math.floor(r.capacity)) : 0;
  const row = await db
    .insertInto('rate_buckets')
    .values({ bucket: r.bucket, tokens: r.capacity - freshGrant, granted: freshGrant, updated_at: r.now })
    .onConflict((oc) =>
      oc.column('bucket').doUpdateSet({
        tokens: sql<number>`${refilled} - ${grant}`,
        granted: sql<number>`cast(${grant} as integer)`,
        updated_at: greatest(dialect, sql<number>`rate_buckets.updated_at`, now),
      }),
    )
    .returning(['granted', 'tokens'])
    .executeTakeFirstOrThrow();
  return { granted: Number(row.granted), tokens: Number(row.tokens) };
}

/** One shared bucket, for inspection and tests. */
export async function getRateBucket(db: Db, bucket: string): Promise<RateBucketRow | undefined> {
  return db.selectFrom('rate_buckets').selectAll().where('bucket', '=', bucket).executeTakeFirst();
}
