import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issuesToViolations, nestViolations, toJsonPointer } from './violation.js';

describe('violations', () => {
  it('builds RFC 6901 pointers', () => {
    expect(toJsonPointer([])).toBe('');
    expect(toJsonPointer(['lines', 0, 'quantity'])).toBe('/lines/0/quantity');
    expect(toJsonPointer(['a/b', 'm~n'])).toBe('/a~1b/m~0n');
  });

  it('converts zod issues and nests them', () => {
    const result = z.object({ a: z.array(z.number()) }).safeParse({ a: [1, 'x'] });
    const violations = issuesToViolations(result.error?.issues ?? []);
    expect(violations.map((v) => v.pointer)).toEqual(['/a/1']);
    expect(nestViolations('/refunds/2', violations)[0]?.pointer).toBe('/refunds/2/a/1');
  });
});
