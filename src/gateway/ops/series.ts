import { flowNames, flowOfMessageType, type FlowName } from '../../messaging/index.js';

/** One step of a flow's time series: messages settled, failed (dead-lettered) and retried, and settle latency. */
export interface SeriesPoint {
  /** Start of the step (ISO 8601). */
  t: string;
  done: number;
  failed: number;
  retried: number;
  /** Median settle time of the step's done messages (ms), null when none. */
  p50Ms: number | null;
  p95Ms: number | null;
}

/** Counts in one (type, bucket) cell, as the store aggregates them. */
export interface SettledCell {
  type: string;
  status: 'done' | 'dead';
  bucket: number;
  latencyClass: number;
  n: number;
}

/** Retries in one (type, bucket) cell. */
export interface RetriedCell {
  type: string;
  bucket: number;
  n: number;
}

/** The window and step of a series, epoch ms. */
export interface SeriesWindow {
  from: number;
  stepMs: number;
  points: number;
}

/**
 * The `p`-quantile (0–1, nearest rank) of latencies counted per class, where class `i` holds values
 * in (bounds[i−1], bounds[i]] and the last class everything above the last bound; interpolated
 * linearly inside the class (the slowest class reports its lower bound). Null without values.
 */
export function quantileOfClasses(counts: readonly number[], bounds: readonly number[], p: number): number | null {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let before = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] ?? 0;
    if (n === 0 || before + n < rank) {
      before += n;
      continue;
    }
    const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0);
    const upper = bounds[i];
    if (upper === undefined) return lower;
    return Math.round(lower + ((upper - lower) * (rank - before)) / n);
  }
  return bounds.at(-1) ?? null;
}

/** Buckets store counts into one series per flow (every flow with traffic, all steps filled with zeros). */
export function flowSeries(
  window: SeriesWindow,
  settled: readonly SettledCell[],
  retried: readonly RetriedCell[],
  bounds: readonly number[],
): { flow: FlowName; points: SeriesPoint[] }[] {
  interface Acc { done: number; failed: number; retried: number; classes: number[] }
  const byFlow = new Map<FlowName, Acc[]>();
  const cell = (type: string, bucket: number): Acc | undefined => {
    if (!Number.isInteger(bucket) || bucket < 0 || bucket >= window.points) return undefined;
    const flow = flowOfMessageType(type);
    let buckets = byFlow.get(flow);
    if (!buckets) {
      buckets = Array.from({ length: window.points }, () => ({ done: 0, failed: 0, retried: 0, classes: new Array<number>(bounds.length + 1).fill(0) }));
      byFlow.set(flow, buckets);
    }
    return buckets[bucket];
  };
  for (const s of settled) {
    const acc = cell(s.type, s.bucket);
    if (!acc) continue;
    if (s.status === 'dead') {
      acc.failed += s.n;
    } else {
      acc.done += s.n;
      const at = Math.min(Math.max(s.latencyClass, 0), bounds.length);
      acc.classes[at] = (acc.classes[at] ?? 0) + s.n;
    }
  }
  for (const r of retried) {
    const acc = cell(r.type, r.bucket);
    if (acc) acc.retried += r.n;
  }
  return flowNames
    .filter((flow) => byFlow.has(flow))
    .map((flow) => ({
      flow,
      points: (byFlow.get(flow) ?? []).map((acc, i) => ({
        t: new Date(window.from + i * window.stepMs).toISOString(),
        done: acc.done,
        failed: acc.failed,
        retried: acc.retried,
        p50Ms: quantileOfClasses(acc.classes, bounds, 0.5),
        p95Ms: quantileOfClasses(acc.classes, bounds, 0.95),
      })),
    }));
}

/** Failed ÷ (done + failed) over every flow and step; null when nothing settled. */
export function errorRate(flows: readonly { points: readonly { done: number; failed: number }[] }[]): number | null {
  let done = 0;
  let failed = 0;
  for (const f of flows) for (const p of f.points) {
    done += p.done;
    failed += p.failed;
  }
  return done + failed === 0 ? null : failed / (done + failed);
}

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration such as `90s`, `1m`, `1h`, `7d` to ms; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([smhd])$/.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * (units[match[2] as string] ?? 0);
  return ms > 0 ? ms : undefined;
}
