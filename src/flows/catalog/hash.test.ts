import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from './hash.js';

describe('content hash', () => {
  it('is the same for the same content whatever the key order, and drops undefined members', () => {
    const a = { title: 'Tee', price: { amount: 2500, currency: 'USD' }, tags: ['a', 'b'], vendor: undefined };
    const b = { tags: ['a', 'b'], price: { currency: 'USD', amount: 2500 }, title: 'Tee' };
    expect(canonicalJson(a)).toBe('{"price":{"amount":2500,"currency":"USD"},"tags":["a","b"],"title":"Tee"}');
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any real change: a value, an array order, a nested field', () => {
    const base = { title: 'Tee', price: { amount: 2500, currency: 'USD' }, tags: ['a', 'b'] };
    const hash = contentHash(base);
    expect(contentHash({ ...base, price: { amount: 2600, currency: 'USD' } })).not.toBe(hash);
    expect(contentHash({ ...base, tags: ['b', 'a'] })).not.toBe(hash);
    expect(contentHash({ ...base, title: 'Tee ' })).not.toBe(hash);
    expect(contentHash({ ...base, extra: null })).not.toBe(hash);
  });
});
