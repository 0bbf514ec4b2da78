import { currencyExponent, isCurrencyCode, permanentError } from '../../model/index.js';

/** Stripe's zero-decimal currencies: amounts are whole units (¥500 is `500`). */
export const stripeZeroDecimalCurrencies: ReadonlySet<string> = new Set([
  'BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF',
]);

/** Stripe's three-decimal currencies (5.120 KWD is `5120`; card amounts must end in 0). */
export const stripeThreeDecimalCurrencies: ReadonlySet<string> = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/**
 * The number of decimals Stripe's API uses for a currency: 0 for zero-decimal currencies, 3 for
 * the three-decimal ones, else 2 — including ISK, which Stripe keeps two-decimal (`100` is 1 króna)
 * although ISO 4217 gives it none.
 */
export function stripeCurrencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (stripeZeroDecimalCurrencies.has(code)) return 0;
  if (stripeThreeDecimalCurrencies.has(code)) return 3;
  return 2;
}

/** A Stripe currency (`usd`) as an ISO 4217 code (`USD`); unknown codes are a permanent error. */
export function stripeCurrency(currency: string): string {
  const code = currency.toUpperCase();
  if (!isCurrencyCode(code)) throw permanentError('stripe_unknown_currency', `Stripe currency ${JSON.stringify(currency)} is not a known ISO 4217 code`);
  return code;
}

function rescale(amount: number, from: number, to: number, what: string, currency: string): number {
  if (!Number.isSafeInteger(amount)) throw permanentError('stripe_invalid_amount', `${what} ${amount} ${currency} is not an integer`);
  if (from === to) return amount;
  if (to > from) {
    const scaled = amount * 10 ** (to - from);
    if (!Number.isSafeInteger(scaled)) throw permanentError('amount_out_of_range', `${what} ${amount} ${currency} is out of range`);
    return scaled;
  }
  const factor = 10 ** (from - to);
  if (amount % factor !== 0) {
    throw permanentError('stripe_fractional_amount', `${what} ${amount} ${currency} has a fraction the other side cannot represent (must be a multiple of ${factor})`);
  }
  return amount / factor;
}

/**
 * A Stripe amount (in Stripe's unit for the currency) as canonical minor units (ISO 4217 exponent):
 * USD and JPY unchanged, KWD unchanged (both 3), ISK ÷ 100 (a fraction of a króna is refused), MGA × 100.
 */
export function stripeAmountToMinor(amount: number, currency: string): number {
  const code = stripeCurrency(currency);
  return rescale(amount, stripeCurrencyExponent(code), currencyExponent(code), 'Stripe amount', code);
}

/** Canonical minor units as the amount Stripe expects for the currency (the inverse of {@link stripeAmountToMinor}). */
export function minorToStripeAmount(amount: number, currency: string): number {
  const code = stripeCurrency(currency);
  return rescale(amount, currencyExponent(code), stripeCurrencyExponent(code), 'amount', code);
}

/** A Stripe amount and currency as canonical money. */
export function stripeMoney(amount: number, currency: string): { amount: number; currency: string } {
  return { amount: stripeAmountToMinor(amount, currency), currency: stripeCurrency(currency) };
}
