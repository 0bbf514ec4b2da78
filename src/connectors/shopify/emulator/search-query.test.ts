import { describe, expect, it } from 'vitest';
import { matchesSearch, parseSearchQuery } from './search-query.js';

const tee = { sku: 'TEE-M', barcode: null, title: 'Organic tee / M' };
const matches = (query: string, fields: Record<string, string | null> = tee) => matchesSearch(parseSearchQuery(query), fields);

describe('emulator search query', () => {
  it('parses field terms, quoted values with escapes, negation and OR groups', () => {
    expect(parseSearchQuery('sku:"A \\"B\\"" -barcode:1 OR NOT title:x word')).toEqual([
      [
        { field: 'sku', value: 'A "B"', negated: false },
        { field: 'barcode', value: '1', negated: true },
      ],
      [
        { field: 'title', value: 'x', negated: true },
        { field: undefined, value: 'word', negated: false },
      ],
    ]);
    expect(parseSearchQuery('  ')).toEqual([]);
  });

  it('compares values case-insensitively and exactly, a trailing * as a prefix', () => {
    expect(matches('sku:tee-m')).toBe(true);
    expect(matches('sku:TEE')).toBe(false);
    expect(matches('sku:TEE*')).toBe(true);
    expect(matches('sku:TEE-M AND -sku:TEE-M')).toBe(false);
    expect(matches('sku:X OR sku:TEE-M')).toBe(true);
    expect(matches('barcode:123')).toBe(false);
  });

  it('a bare word matches any field containing it; unknown fields are ignored; an empty query matches all', () => {
    expect(matches('organic')).toBe(true);
    expect(matches('denim')).toBe(false);
    expect(matches('vendor:Acme sku:TEE-M')).toBe(true);
    expect(matches('-vendor:Acme')).toBe(true);
    expect(matches('')).toBe(true);
  });
});
