import { describe, expect, it } from 'vitest';
import { applyRate, DecimalString, decimalToMinor, minorToDecimal, normalizeDecimal, rateToString } from './decimal.js';
import type { TillbridgeError } from './errors.js';

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as TillbridgeError).code;
  }
  return undefined;
}

describe('decimalToMinor', () => {
  it('converts exactly in USD', () => {
    expect(decimalToMinor('12.50', 'USD')).toBe(1250);
    expect(decimalToMinor('12.5', 'USD')).toBe(1250);
    expect(decimalToMinor('-3', 'USD')).toBe(-300);
    expect(decimalToMinor('0.1', 'USD')).toBe(10);
    expect(decimalToMinor('0.01', 'USD')).toBe(1);
    expect(decimalToMinor('1.500', 'USD')).toBe(150);
    expect(decimalToMinor('007.10', 'USD')).toBe(710);
    expect(decimalToMinor('19.99', 'USD')).toBe(1999);
  });

  it('never yields negative zero', () => {
    expect(Object.is(decimalToMinor('-0.00', 'USD'), 0)).toBe(true);
  });

  it('handles JPY (0), KWD (3) and CLF (4) exponents', () => {
    expect(decimalToMinor('100', 'JPY')).toBe(100);
    expect(decimalToMinor('100.0', 'JPY')).toBe(100);
    expect(decimalToMinor('1.234', 'KWD')).toBe(1234);
    expect(decimalToMinor('1', 'KWD')).toBe(1000);
    expect(decimalToMinor('0.0001', 'CLF')).toBe(1);
    expect(decimalToMinor('12.3456', 'CLF')).toBe(123456);
  });

  it('rejects excess precision', () => {
    expect(errorCode(() => decimalToMinor('1.005', 'USD'))).toBe('excess_precision');
    expect(errorCode(() => decimalToMinor('100.5', 'JPY'))).toBe('excess_precision');
    expect(errorCode(() => decimalToMinor('1.2345', 'KWD'))).toBe('excess_precision');
    expect(errorCode(() => decimalToMinor('1.00001', 'CLF'))).toBe('excess_precision');
  });

  it('rejects anything that is not a plain decimal', () => {
    for (const bad of ['', ' 1', '1 ', '1e2', '1E2', '+1', '.5', '5.', '1,50', 'abc', '0x10', 'NaN', 'Infinity', '--1', '1.2.3']) {
      expect(errorCode(() => decimalToMinor(bad, 'USD')), bad).toBe('invalid_decimal');
    }
    expect(errorCode(() => decimalToMinor(12.5 as unknown as string, 'USD'))).toBe('invalid_decimal');
  });

  it('rejects unknown currencies', () => {
    expect(errorCode(() => decimalToMinor('1', 'XYZ'))).toBe('unknown_currency');
  });

  it('rejects results beyond the safe integer range but accepts the boundary', () => {
    expect(decimalToMinor('90071992547409.91', 'USD')).toBe(Number.MAX_SAFE_INTEGER);
    expect(decimalToMinor('-90071992547409.91', 'USD')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(errorCode(() => decimalToMinor('90071992547409.92', 'USD'))).toBe('amount_out_of_range');
    expect(errorCode(() => decimalToMinor('1' + '0'.repeat(40), 'JPY'))).toBe('amount_out_of_range');
    expect(decimalToMinor('0'.repeat(40) + '1', 'JPY')).toBe(1);
  });
});

describe('minorToDecimal', () => {
  it('formats with exactly the currency decimals', () => {
    expect(minorToDecimal(-5, 'USD')).toBe('-0.05');
    expect(minorToDecimal(1250, 'USD')).toBe('12.50');
    expect(minorToDecimal(0, 'USD')).toBe('0.00');
    expect(minorToDecimal(1000, 'JPY')).toBe('1000');
    expect(minorToDecimal(1000, 'KWD')).toBe('1.000');
    expect(minorToDecimal(1, 'CLF')).toBe('0.0001');
    expect(minorToDecimal(Number.MAX_SAFE_INTEGER, 'USD')).toBe('90071992547409.91');
  });

  it('rejects fractional or unsafe minor units', () => {
    expect(errorCode(() => minorToDecimal(1.5, 'USD'))).toBe('invalid_amount');
    expect(errorCode(() => minorToDecimal(2 ** 60, 'USD'))).toBe('invalid_amount');
  });

  it('round-trips with decimalToMinor', () => {
    for (const currency of ['USD', 'JPY', 'KWD', 'CLF']) {
      for (const minor of [0, 1, -1, 99, 100, 101, 123456789, -987654321]) {
        expect(decimalToMinor(minorToDecimal(minor, currency), currency)).toBe(minor);
      }
    }
  });
});

describe('rates', () => {
  it('DecimalString accepts plain decimals only', () => {
    expect(DecimalString.safeParse('0.0625').success).toBe(true);
    expect(DecimalString.safeParse('-1').success).toBe(true);
    for (const bad of ['1e-3', '.5', '0.', '', '1,5']) expect(DecimalString.safeParse(bad).success, bad).toBe(false);
    expect(DecimalString.safeParse(0.0625).success).toBe(false);
  });

  it('normalizes decimal strings', () => {
    expect(normalizeDecimal('0.06250')).toBe('0.0625');
    expect(normalizeDecimal('00.5')).toBe('0.5');
    expect(normalizeDecimal('-0.000')).toBe('0');
    expect(normalizeDecimal('20.00')).toBe('20');
  });

  it('rateToString turns numbers into plain decimal strings without exponents', () => {
    expect(rateToString(0.0625)).toBe('0.0625');
    expect(rateToString(0.2)).toBe('0.2');
    expect(rateToString(1e-7)).toBe('0.0000001');
    expect(rateToString(1.5e-7)).toBe('0.00000015');
    expect(rateToString(2e21)).toBe('2000000000000000000000');
    expect(rateToString(-0.07)).toBe('-0.07');
    expect(rateToString('0.19000')).toBe('0.19');
    expect(errorCode(() => rateToString(Number.NaN))).toBe('invalid_decimal');
    expect(errorCode(() => rateToString('7%'))).toBe('invalid_decimal');
  });

  it('applyRate multiplies exactly and rounds as asked', () => {
    expect(applyRate(4500, '0.0625')).toBe(281);
    expect(applyRate(100, '0.125')).toBe(13);
    expect(applyRate(100, '0.125', 'half_even')).toBe(12);
    expect(applyRate(300, '0.125', 'half_even')).toBe(38);
    expect(applyRate(-100, '0.125')).toBe(-13);
    expect(applyRate(-100, '0.125', 'half_even')).toBe(-12);
    expect(Object.is(applyRate(-1, '0.1'), 0)).toBe(true);
    expect(applyRate(1999, '0.19')).toBe(380);
  });
});
