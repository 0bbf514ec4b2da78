import { sql } from 'kysely';
import type { Db } from './types.js';

/**
 * Upper bounds (ms, inclusive) of the latency classes settle times are counted in; class `i` holds
 * latencies up to `latencyClassBoundsMs[i]`, the last class (index = length) everything slower.
 */
export const latencyClassBoundsMs = [
  10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000,
] as const;

/** A time range cut into buckets of `stepMs` from `from` (inclusive) to `to` (exclusive), epoch ms. */
export interface BucketRange {
  from: number;
  to: number;
  stepMs: number;
}

/** Messages of one type settled in one bucket with one status, in one latency class. */
export interface SettledCount {
  type: string;
  status: 'done' | 'dead';
  bucket: number;
  latencyClass: number;
  n: number;
}

/** Failed attempts of one type retried in one bucket. */
export interface RetriedCount {
  type: string;
  bucket: number;
  n: number;
}

function checked(range: BucketRange): BucketRange {
  const ok = [range.from, range.to, range.stepMs].every(Number.isSafeInteger) && range.stepMs > 0 && range.to > range.from;
  if (!ok) throw new RangeError('bucket range must be safe integers with 0 < stepMs and from < to');
  return range;
}

/** The latency class of a settle time (the first class whose bound holds it, else the last). */
export function latencyClassOf(ms: number): number {
  const i = latencyClassBoundsMs.findIndex((bound) => ms <= bound);
  return i === -1 ? latencyClassBoundsMs.length : i;
}

/** What one hub process counted for one minute, type, outcome and latency class. */
export interface MessageStatsRow {
  minute: number;
  type: string;
  outcome: 'done' | 'dead' | 'retried';
  latencyClass: number;
  n: number;
}

/** Adds counts to `message_stats` (one upsert per row; several processes add to the same cells). */
export async function addMessageStats(db: Db, rows: readonly MessageStatsRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => ({ minute: r.minute, type: r.type, outcome: r.outcome, latency_class: r.latencyClass, n: r.n }));
    await db
      .insertInto('message_stats')
      .values(chunk)
      .onConflict((oc) => oc.columns(['minute', 'type', 'outcome', 'latency_class']).doUpdateSet((eb) => ({ n: eb(eb.ref('message_stats.n'), '+', eb.ref('excluded.n')) })))
      .execute();
  }
}

/** Settled and retried messages in a range, per type, bucket (step from `from`), outcome and latency class, from `message_stats`. */
export async function messageStatsHistogram(db: Db, range: BucketRange): Promise<{ settled: SettledCount[]; retried: RetriedCount[] }> {
  const { from, to, stepMs } = checked(range);
  const rows = await db
    .selectFrom('message_stats')
    .select(['type', 'outcome', 'latency_class', sql<number>`(${sql.ref('minute')} - ${sql.lit(from)}) / ${sql.lit(stepMs)}`.as('bucket'), (eb) => eb.fn.sum<string | number>('n').as('n')])
    .where('minute', '>=', from)
    .where('minute', '<', to)
    .groupBy(['type', 'outcome', 'latency_class', 'bucket'])
    .execute();
  const settled: SettledCount[] = [];
  const retried = new Map<string, RetriedCount>();
  for (const r of rows) {
    const bucket = Math.floor(Number(r.bucket));
    if (r.outcome === 'retried') {
      const key = `${r.type} ${bucket}`;
      const cell = retried.get(key) ?? { type: r.type, bucket, n: 0 };
      cell.n += Number(r.n);
      retried.set(key, cell);
    } else settled.push({ type: r.type, status: r.outcome === 'dead' ? 'dead' : 'done', bucket, latencyClass: Number(r.latency_class), n: Number(r.n) });
  }
  return { settled, retried: [...retried.values()] };
}

/** Removes statistics older than `before` (epoch ms); returns how many rows. */
export async function purgeMessageStats(db: Db, before: number): Promise<number> {
  const result = await db.deleteFrom('message_stats').where('minute', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** How many orders are on hold. */
export async function countOrdersOnHold(db: Db): Promise<number> {
  const row = await db.selectFrom('orders').select((eb) => eb.fn.countAll<string | number>().as('n')).where('status', '=', 'on_hold').executeTakeFirst();
  return Number(row?.n ?? 0);
}
