import { describe, expect, it } from 'vitest';
import { evaluateSla, percentile } from './evaluate.js';

const window = { from: 0, to: 100_000 };

describe('business SLA evaluation', () => {
  it('counts completed within target, completed late, open and open past target at now', () => {
    const report = evaluateSla(
      { name: 'orderAcceptance', target: 1_000 },
      [
        { entity: 'ord_fast', startedAt: 10_000, doneAt: 10_400 },
        { entity: 'ord_edge', startedAt: 20_000, doneAt: 21_000 },
        { entity: 'ord_late', startedAt: 30_000, doneAt: 35_000 },
        { entity: 'ord_waiting', startedAt: 99_500, doneAt: null },
        { entity: 'ord_stuck', startedAt: 90_000, doneAt: null },
      ],
      window,
      100_000,
    );
    expect(report).toMatchObject({
      name: 'orderAcceptance',
      title: 'Order accepted (booked in the ERP)',
      target: 1_000,
      window: { from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T00:01:40.000Z' },
      completed: 3,
      withinTarget: 2,
      breached: 1,
      open: 2,
      openBreached: 1,
      p50Ms: 1_000,
      p95Ms: 5_000,
    });
    expect(report.worst).toEqual([
      { entity: 'ord_stuck', startedAt: new Date(90_000).toISOString(), elapsedMs: 10_000, done: false },
      { entity: 'ord_late', startedAt: new Date(30_000).toISOString(), elapsedMs: 5_000, done: true },
    ]);
  });

  it('keeps the 20 worst breaches, worst first, and has no percentiles without completions', () => {
    const facts = Array.from({ length: 30 }, (_, i) => ({ entity: `sku-${String(i).padStart(2, '0')}`, startedAt: 1_000 * i, doneAt: null }));
    const report = evaluateSla({ name: 'productPublication', target: 50_000 }, facts, window, 100_000);
    expect(report.completed).toBe(0);
    expect(report.p50Ms).toBeNull();
    expect(report.p95Ms).toBeNull();
    expect(report.openBreached).toBe(30);
    expect(report.worst).toHaveLength(20);
    expect(report.worst[0]).toMatchObject({ entity: 'sku-00', elapsedMs: 100_000 });
    expect(report.worst[19]).toMatchObject({ entity: 'sku-19', elapsedMs: 81_000 });
  });

  it('never reports a negative time when the end fact precedes the start', () => {
    const report = evaluateSla({ name: 'productPublication', target: 10 }, [{ entity: 'sku', startedAt: 5_000, doneAt: 4_000 }], window, 6_000);
    expect(report).toMatchObject({ completed: 1, withinTarget: 1, breached: 0, p50Ms: 0 });
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});
