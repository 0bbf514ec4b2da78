import { describe, expect, it } from 'vitest';
import { errorRate, flowSeries, parseDuration, quantileOfClasses } from './series.js';

const bounds = [10, 100, 1_000];

describe('quantileOfClasses', () => {
  it('is null without values', () => {
    expect(quantileOfClasses([0, 0, 0, 0], bounds, 0.5)).toBeNull();
  });

  it('interpolates the nearest rank inside its class', () => {
    // 10 values in (10, 100]: rank 5 of 10 → 10 + 90 × 5/10
    expect(quantileOfClasses([0, 10, 0, 0], bounds, 0.5)).toBe(55);
    // rank 10 of 10 → the class's upper bound
    expect(quantileOfClasses([0, 10, 0, 0], bounds, 0.95)).toBe(100);
  });

  it('walks past classes below the rank', () => {
    // 19 fast (≤ 10 ms) and 1 slow in (100, 1000]: p50 is fast, p95 (rank 19) still fast, p99 (rank 20) slow
    expect(quantileOfClasses([19, 0, 1, 0], bounds, 0.5)).toBe(5);
    expect(quantileOfClasses([19, 0, 1, 0], bounds, 0.95)).toBe(10);
    expect(quantileOfClasses([19, 0, 1, 0], bounds, 0.99)).toBe(1_000);
  });

  it('reports the slowest class by its lower bound', () => {
    expect(quantileOfClasses([0, 0, 0, 3], bounds, 0.5)).toBe(1_000);
  });
});

describe('flowSeries', () => {
  const window = { from: Date.parse('2026-11-27T08:00:00Z'), stepMs: 60_000, points: 3 };

  it('groups types into flows, fills empty steps and drops cells outside the window', () => {
    const flows = flowSeries(
      window,
      [
        { type: 'order.placed', status: 'done', bucket: 0, latencyClass: 1, n: 4 },
        { type: 'workflow.order-placement.route', status: 'done', bucket: 0, latencyClass: 0, n: 4 },
        { type: 'workflow.order-placement.route', status: 'dead', bucket: 2, latencyClass: 3, n: 1 },
        { type: 'inventory.adjusted', status: 'done', bucket: 1, latencyClass: 2, n: 2 },
        { type: 'inventory.adjusted', status: 'done', bucket: 3, latencyClass: 2, n: 99 },
      ],
      [{ type: 'order.placed', bucket: 2, n: 5 }],
      bounds,
    );
    expect(flows.map((f) => f.flow)).toEqual(['order-to-cash', 'inventory']);
    expect(flows[0]!.points).toEqual([
      { t: '2026-11-27T08:00:00.000Z', done: 8, failed: 0, retried: 0, p50Ms: 10, p95Ms: 100 },
      { t: '2026-11-27T08:01:00.000Z', done: 0, failed: 0, retried: 0, p50Ms: null, p95Ms: null },
      { t: '2026-11-27T08:02:00.000Z', done: 0, failed: 1, retried: 5, p50Ms: null, p95Ms: null },
    ]);
    expect(flows[1]!.points.map((p) => p.done)).toEqual([0, 2, 0]);
    expect(errorRate(flows)).toBeCloseTo(1 / 11);
  });

  it('has no error rate when nothing settled', () => {
    expect(errorRate(flowSeries(window, [], [], bounds))).toBeNull();
  });
});

describe('parseDuration', () => {
  it.each([['10s', 10_000], ['1m', 60_000], ['1h', 3_600_000], ['7d', 604_800_000]])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '0m', '1w', '1.5h', '-1h', 'h'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
