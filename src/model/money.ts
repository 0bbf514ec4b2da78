import { z } from 'zod';
import { CurrencyCode } from './currency.js';
import { TillbridgeError } from './errors.js';
import { requiredOr } from './primitives.js';

const MINOR_UNITS_MESSAGE = 'amounts are integers in minor units';

/** An integer count of minor units (cents, yen, fils) within the safe integer range. */
export const MinorUnits = z.int({ error: requiredOr(MINOR_UNITS_MESSAGE) });

/** A minor-unit amount that cannot be negative (prices, discounts, payments). */
export const NonNegativeMinorUnits = MinorUnits.min(0, { error: 'amount must not be negative' });

/** An amount of money: integer minor units of an ISO 4217 currency. */
export const Money = z.object({ amount: MinorUnits, currency: CurrencyCode });

/** An amount of money: integer minor units of an ISO 4217 currency. */
export type Money = z.infer<typeof Money>;

/** Builds a validated {@link Money}; throws 'invalid_amount' or 'unknown_currency' on bad input. */
export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) {
    throw new TillbridgeError('invalid_amount', `${MINOR_UNITS_MESSAGE}, got ${amount}`, { httpStatus: 422 });
  }
  if (!CurrencyCode.safeParse(currency).success) {
    throw new TillbridgeError('unknown_currency', `unknown currency code ${currency}`, { httpStatus: 422 });
  }
  return { amount, currency };
}

/** Adds two safe integers, throwing 'amount_out_of_range' instead of silently losing precision. */
export function addMinor(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) {
    throw new TillbridgeError('amount_out_of_range', `${a} + ${b} exceeds the safe integer range`, { httpStatus: 422 });
  }
  return sum;
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new TillbridgeError('currency_mismatch', `cannot combine ${a.currency} with ${b.currency}`, { httpStatus: 422 });
  }
}

/** Adds two amounts of the same currency; mixed currencies throw 'currency_mismatch'. */
export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amount: addMinor(a.amount, b.amount), currency: a.currency };
}

/** Subtracts `b` from `a` (same currency only). */
export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amount: addMinor(a.amount, -b.amount), currency: a.currency };
}

/** Sums amounts of one currency; an empty list sums to zero of `currency`. */
export function sumMoney(items: readonly Money[], currency: string): Money {
  return items.reduce<Money>((acc, item) => addMoney(acc, item), money(0, currency));
}
