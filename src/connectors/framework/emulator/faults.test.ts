import { describe, expect, it } from 'vitest';
import { FaultInjector } from './faults.js';

describe('fault injector', () => {
  it('is healthy by default and applies partial updates, leaving omitted keys unchanged', () => {
    const faults = new FaultInjector(() => 0.5);
    expect(faults.decide()).toBe('none');
    faults.update({ errorRate: 0.6 });
    faults.update({ latencyMs: 20 });
    expect(faults.current()).toMatchObject({ errorRate: 0.6, latencyMs: 20, rateLimitRate: 0 });
    expect(faults.decide()).toBe('error');
    expect(() => faults.update({ errorRate: 2 })).toThrow();
    expect(() => faults.update({ bogus: 1 } as never)).toThrow();
  });

  it('keeps an outage for its duration', () => {
    let now = 0;
    const faults = new FaultInjector(() => 0.99, () => now);
    faults.update({ outageSeconds: 30 });
    expect(faults.decide()).toBe('outage');
    now = 29_999;
    expect(faults.decide()).toBe('outage');
    now = 30_000;
    expect(faults.decide()).toBe('none');
  });
});
