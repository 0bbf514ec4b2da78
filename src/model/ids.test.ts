import { describe, expect, it } from 'vitest';
import { createIdGenerator, createUlid, idTimestamp, newId, systemClock } from './ids.js';

describe('ids', () => {
  it('makes prefixed ULIDs that encode their time', () => {
    const id = newId('ord', 1_764_152_100_000);
    expect(id).toMatch(/^ord_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(idTimestamp(id)).toBe(1_764_152_100_000);
    expect(idTimestamp('nope')).toBeUndefined();
  });

  it('sorts by time as strings', () => {
    const ids = [3, 1, 2, 1_000_000_000_000].map((t) => newId('msg', t));
    expect([...ids].sort().map(idTimestamp)).toEqual([1, 2, 3, 1_000_000_000_000]);
  });

  it('is monotonic within the same millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => newId('evt', 42));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  it('is deterministic with injected clock and randomness', () => {
    let now = 1000;
    const generate = createIdGenerator({ now: () => now }, (bytes) => bytes.fill(0));
    expect(generate('ord')).toBe('ord_00000000Z8' + '0'.repeat(16));
    expect(generate('ord')).toBe('ord_00000000Z8' + '0'.repeat(15) + '1');
    now = 1001;
    expect(generate('pay')).toBe('pay_00000000Z9' + '0'.repeat(16));
  });

  it('rejects bad prefixes and times', () => {
    expect(() => newId('Ord')).toThrow(/prefix/);
    expect(() => newId('')).toThrow(/prefix/);
    expect(() => newId('ord', -1)).toThrow(/time/);
    expect(() => createUlid()(2 ** 48)).toThrow(/time/);
  });

  it('the system clock tells the time', () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    expect(idTimestamp(createIdGenerator()('x'))).toBeGreaterThanOrEqual(before);
  });
});
