import { z } from 'zod';
import { currencyExponent } from './currency.js';
import { TillbridgeError } from './errors.js';

const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A plain decimal number as a string ("12.50", "-3", "0.0625"): no exponent, no sign '+', no spaces. */
export const DecimalString = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, { error: 'must be a decimal number as a string, e.g. "0.0625"' });

/** A plain decimal number as a string. */
export type DecimalString = z.infer<typeof DecimalString>;

/** True when `value` is a plain decimal string accepted by {@link DecimalString}. */
export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL_PATTERN.test(value);
}

function invalidDecimal(value: unknown): TillbridgeError {
  return new TillbridgeError('invalid_decimal', `${JSON.stringify(value)} is not a plain decimal number`, {
    httpStatus: 422,
  });
}

/** Converts a decimal string to integer minor units of `currency`, exactly; rejects excess precision and unsafe results. */
export function decimalToMinor(value: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = typeof value === 'string' ? DECIMAL_PATTERN.exec(value) : null;
  if (!match) throw invalidDecimal(value);
  const [, sign, whole = '', fraction = ''] = match;
  const kept = fraction.slice(0, exponent);
  if (/[^0]/.test(fraction.slice(exponent))) {
    throw new TillbridgeError(
      'excess_precision',
      `${value} has more than ${exponent} decimal place${exponent === 1 ? '' : 's'}, the minor unit of ${currency}`,
      { httpStatus: 422 },
    );
  }
  const digits = (whole + kept.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > 16 || BigInt(digits) > MAX_SAFE) {
    throw new TillbridgeError('amount_out_of_range', `${value} ${currency} exceeds the safe integer range in minor units`, {
      httpStatus: 422,
    });
  }
  const magnitude = Number(digits);
  return sign && magnitude !== 0 ? -magnitude : magnitude;
}

/** Formats integer minor units as a decimal string with exactly the currency's decimals ("-0.05", "1000", "1.000"). */
export function minorToDecimal(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (!Number.isSafeInteger(minor)) {
    throw new TillbridgeError('invalid_amount', `amounts are integers in minor units, got ${minor}`, { httpStatus: 422 });
  }
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor));
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/** Canonical form of a decimal string: no leading zeros, no trailing fractional zeros, no negative zero. */
export function normalizeDecimal(value: string): string {
  const match = DECIMAL_PATTERN.exec(value);
  if (!match) throw invalidDecimal(value);
  const [, sign, whole = '', fraction = ''] = match;
  const intPart = whole.replace(/^0+(?=\d)/, '');
  const fracPart = fraction.replace(/0+$/, '');
  const body = fracPart ? `${intPart}.${fracPart}` : intPart;
  return sign && /[1-9]/.test(body) ? `-${body}` : body;
}

function expandExponent(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]?\d+)$/i.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '', fraction = '', exp = '0'] = match;
  const shift = Number(exp);
  const digits = whole + fraction;
  const point = whole.length + shift;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A tax (or other) rate as a canonical decimal string; numbers use their shortest round-trip form, never exponent notation. */
export function rateToString(rate: number | string): string {
  if (typeof rate === 'number') {
    if (!Number.isFinite(rate)) throw invalidDecimal(rate);
    return normalizeDecimal(expandExponent(String(rate)));
  }
  return normalizeDecimal(rate);
}

/** Rounding rules for {@link applyRate}. */
export type RoundingMode = 'half_up' | 'half_even';

/** `amount × rate` rounded to whole minor units, exactly (half_up rounds ties away from zero). */
export function applyRate(amount: number, rate: string, rounding: RoundingMode = 'half_up'): number {
  if (!Number.isSafeInteger(amount)) {
    throw new TillbridgeError('invalid_amount', `amounts are integers in minor units, got ${amount}`, { httpStatus: 422 });
  }
  const match = DECIMAL_PATTERN.exec(rate);
  if (!match) throw invalidDecimal(rate);
  const [, sign, whole = '', fraction = ''] = match;
  const scale = 10n ** BigInt(fraction.length);
  const numerator = BigInt(amount) * BigInt(whole + fraction) * (sign ? -1n : 1n);
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let quotient = abs / scale;
  const twiceRemainder = (abs % scale) * 2n;
  if (twiceRemainder > scale || (twiceRemainder === scale && (rounding === 'half_up' || quotient % 2n === 1n))) {
    quotient += 1n;
  }
  if (quotient > MAX_SAFE) {
    throw new TillbridgeError('amount_out_of_range', `${amount} × ${rate} exceeds the safe integer range`, { httpStatus: 422 });
  }
  const result = Number(quotient);
  return negative && result !== 0 ? -result : result;
}
