import { describe, expect, it } from 'vitest';
import type { TillbridgeError } from './errors.js';
import { addMinor, addMoney, MinorUnits, Money, money, NonNegativeMinorUnits, subtractMoney, sumMoney } from './money.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as TillbridgeError).code;
  }
  return undefined;
}

describe('money', () => {
  it('MinorUnits accepts safe integers only, with a clear message', () => {
    expect(MinorUnits.parse(-42)).toBe(-42);
    for (const bad of [1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Infinity, '12']) {
      const result = MinorUnits.safeParse(bad);
      expect(result.success, String(bad)).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('amounts are integers in minor units');
    }
    expect(NonNegativeMinorUnits.safeParse(-1).success).toBe(false);
  });

  it('Money pairs an integer amount with a known currency', () => {
    expect(Money.parse({ amount: 100, currency: 'KWD' })).toEqual({ amount: 100, currency: 'KWD' });
    expect(Money.safeParse({ amount: 1.1, currency: 'USD' }).success).toBe(false);
    expect(Money.safeParse({ amount: 1, currency: 'ABC' }).error?.issues[0]?.message).toBe('unknown currency code ABC');
  });

  it('money() validates', () => {
    expect(money(5, 'EUR')).toEqual({ amount: 5, currency: 'EUR' });
    expect(codeOf(() => money(0.5, 'EUR'))).toBe('invalid_amount');
    expect(codeOf(() => money(5, 'EURO'))).toBe('unknown_currency');
  });

  it('adds and subtracts within one currency only', () => {
    expect(addMoney(money(150, 'USD'), money(-50, 'USD'))).toEqual(money(100, 'USD'));
    expect(subtractMoney(money(150, 'USD'), money(200, 'USD'))).toEqual(money(-50, 'USD'));
    expect(codeOf(() => addMoney(money(1, 'USD'), money(1, 'EUR')))).toBe('currency_mismatch');
    expect(codeOf(() => subtractMoney(money(1, 'USD'), money(1, 'EUR')))).toBe('currency_mismatch');
  });

  it('sums lists and refuses to lose precision', () => {
    expect(sumMoney([money(1, 'JPY'), money(2, 'JPY')], 'JPY')).toEqual(money(3, 'JPY'));
    expect(sumMoney([], 'JPY')).toEqual(money(0, 'JPY'));
    expect(codeOf(() => addMinor(Number.MAX_SAFE_INTEGER, 1))).toBe('amount_out_of_range');
  });
});
