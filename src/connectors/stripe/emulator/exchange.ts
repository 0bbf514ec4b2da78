import { normalizeDecimal } from '../../../model/index.js';
import { stripeCurrencyExponent } from '../amounts.js';
import { invalidRequest } from './errors.js';

/** The sandbox's fixed market: US dollars per one unit of each currency (deterministic, not live rates). */
export const defaultUsdRates: Readonly<Record<string, string>> = {
  usd: '1',
  eur: '1.0842',
  gbp: '1.2705',
  jpy: '0.0066',
  chf: '1.1320',
  cad: '0.7150',
  aud: '0.6480',
  nzd: '0.5920',
  sek: '0.0945',
  nok: '0.0920',
  dkk: '0.1453',
  pln: '0.2510',
  czk: '0.0431',
  isk: '0.0072',
  kwd: '3.2520',
  bhd: '2.6525',
  jod: '1.4104',
  omr: '2.5974',
  mxn: '0.0495',
  brl: '0.1730',
  inr: '0.0119',
  sgd: '0.7420',
  hkd: '0.1285',
  krw: '0.00072',
  cny: '0.1380',
};

/** Decimals Stripe keeps in `exchange_rate` when a rate is derived across two non-USD currencies. */
const derivedRateDecimals = 6;

function decimalParts(value: string): { digits: bigint; scale: number } {
  const [whole = '0', fraction = ''] = normalizeDecimal(value).split('.');
  return { digits: BigInt(whole + fraction), scale: fraction.length };
}

/** `numerator / denominator` (decimal strings) to `decimals` places, rounded half up, as a decimal string. */
function divide(numerator: string, denominator: string, decimals: number): string {
  const n = decimalParts(numerator);
  const d = decimalParts(denominator);
  // (n.digits / 10^n.scale) / (d.digits / 10^d.scale) × 10^decimals
  const top = n.digits * 10n ** BigInt(d.scale + decimals);
  const bottom = d.digits * 10n ** BigInt(n.scale);
  let quotient = top / bottom;
  if ((top % bottom) * 2n >= bottom) quotient += 1n;
  const text = quotient.toString().padStart(decimals + 1, '0');
  return normalizeDecimal(`${text.slice(0, -decimals)}.${text.slice(-decimals)}`);
}

/** What the account settles in, and at which rates it converts other currencies. */
export interface StripeExchangeSettings {
  /** The account's default (settlement) currency, lower case (`usd`). */
  settlementCurrency: string;
  /** Settlement units per one unit of a currency, by lower-case currency; overrides the derived rate. */
  exchangeRates: Record<string, string>;
}

/**
 * The rate (settlement units per one unit of `currency`, a decimal string) the account converts a
 * presentment currency at: an override, else the cross rate of the fixed USD table (6 decimals).
 * A currency the sandbox has no rate for is a 400, as Stripe refuses currencies it cannot settle.
 */
export function exchangeRateFor(currency: string, settings: StripeExchangeSettings): string {
  const override = settings.exchangeRates[currency];
  if (override !== undefined) return override;
  const from = defaultUsdRates[currency];
  const to = defaultUsdRates[settings.settlementCurrency];
  if (from === undefined || to === undefined) {
    throw invalidRequest(
      'currency_not_supported',
      `The sandbox account settles in ${settings.settlementCurrency} and has no exchange rate for ${currency}; set one with POST /_sandbox/account {"exchangeRates": {"${currency}": "…"}}.`,
      'currency',
    );
  }
  return to === '1' ? normalizeDecimal(from) : divide(from, to, derivedRateDecimals);
}

/**
 * An amount in Stripe's units of `from` in Stripe's units of `to` at `rate`, exactly, rounded half
 * away from zero to the smallest unit of `to` (how Stripe rounds a converted balance transaction).
 */
export function convertStripeAmount(amount: number, from: string, to: string, rate: string): number {
  const { digits, scale } = decimalParts(rate);
  const shift = stripeCurrencyExponent(to) - stripeCurrencyExponent(from);
  let numerator = BigInt(amount) * digits;
  let denominator = 10n ** BigInt(scale);
  if (shift >= 0) numerator *= 10n ** BigInt(shift);
  else denominator *= 10n ** BigInt(-shift);
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let quotient = abs / denominator;
  if ((abs % denominator) * 2n >= denominator) quotient += 1n;
  const result = Number(quotient);
  return negative && result !== 0 ? -result : result;
}

/** A presentment amount as the account's balance holds it: in the settlement currency, with the rate used (null when no conversion). */
export function settleAmount(amount: number, currency: string, settings: StripeExchangeSettings): { amount: number; currency: string; exchangeRate: string | null } {
  if (currency === settings.settlementCurrency) return { amount, currency, exchangeRate: null };
  const rate = exchangeRateFor(currency, settings);
  return { amount: convertStripeAmount(amount, currency, settings.settlementCurrency, rate), currency: settings.settlementCurrency, exchangeRate: rate };
}
