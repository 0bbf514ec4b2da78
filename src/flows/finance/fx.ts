import { currencyExponent, DecimalString, permanentError, type Money } from '../../model/index.js';
import { clearingAccount } from './accounts.js';
import type { PostingConfig } from './config.js';
import { buildEntry, utcDate, type EventTrace, type PostingEntry } from './entry.js';

/**
 * `amount` minor units of `from` in minor units of `to` at `rate` (units of `to` per one unit of `from`, a decimal
 * string), exactly, rounded half away from zero; the currencies' minor units may differ (JPY 0, USD 2, KWD 3).
 */
export function convertMinor(amount: number, from: string, to: string, rate: string): number {
  if (!Number.isSafeInteger(amount)) throw permanentError('invalid_amount', `amounts are integers in minor units, got ${amount}`);
  if (!DecimalString.safeParse(rate).success || rate.startsWith('-') || !/[1-9]/.test(rate)) {
    throw permanentError('invalid_rate', `an exchange rate is a positive decimal string, got ${JSON.stringify(rate)}`);
  }
  const [whole = '', fraction = ''] = rate.split('.');
  const shift = currencyExponent(to) - currencyExponent(from);
  let numerator = BigInt(amount) * BigInt(whole + fraction);
  let denominator = 10n ** BigInt(fraction.length);
  if (shift >= 0) numerator *= 10n ** BigInt(shift);
  else denominator *= 10n ** BigInt(-shift);
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let quotient = abs / denominator;
  if ((abs % denominator) * 2n >= denominator) quotient += 1n;
  if (quotient > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw permanentError('amount_out_of_range', `${amount} ${from} at ${rate} exceeds the safe integer range in ${to}`);
  }
  const result = Number(quotient);
  return negative && result !== 0 ? -result : result;
}

/** Money booked in the order currency and settled by the provider in another currency. */
export interface FxSettlementEvent {
  provider: string;
  /** The provider's reference of the settlement (e.g. a balance transaction id). */
  reference: string;
  orderId?: string;
  /** The amount as booked in payment clearing, in the order currency. */
  booked: Money;
  /** The amount the provider settled, in the settlement currency. */
  settled: Money;
  /** Units of the settlement currency per one unit of the order currency at booking, a decimal string. */
  rate: string;
  occurredAt: string;
}

/** The booked amount converted at the rate, and the FX difference (converted − settled: positive is a loss). */
export function fxDifference(event: Pick<FxSettlementEvent, 'booked' | 'settled' | 'rate'>): { converted: number; difference: number } {
  const converted = convertMinor(event.booked.amount, event.booked.currency, event.settled.currency, event.rate);
  return { converted, difference: converted - event.settled.amount };
}

/**
 * The FX entry: clearing in the order currency is exchanged (through the currency-exchange account, so each currency
 * balances on its own) for clearing in the settlement currency at the rate; settled − converted is the FX gain or loss.
 */
export function postFxDifference(event: FxSettlementEvent, trace: EventTrace, config: PostingConfig): PostingEntry | null {
  const { booked, settled, provider } = event;
  const { accounts } = config;
  if (booked.currency === settled.currency) {
    throw permanentError('same_currency', `booked and settled are both ${booked.currency}: there is no exchange to post`);
  }
  const { converted, difference } = fxDifference(event);
  return buildEntry(
    { key: `fx:${provider}:${event.reference}`, kind: 'fx', date: utcDate(event.occurredAt), memo: `FX ${booked.currency}→${settled.currency} at ${event.rate}: ${provider} ${event.reference}`, orderId: event.orderId },
    [
      { account: clearingAccount(accounts, provider, booked.currency), amount: -booked.amount, currency: booked.currency },
      { account: accounts.currencyExchange, amount: booked.amount, currency: booked.currency },
      { account: clearingAccount(accounts, provider, settled.currency), amount: settled.amount, currency: settled.currency },
      { account: accounts.currencyExchange, amount: -converted, currency: settled.currency },
      { account: accounts.fxGainLoss, amount: difference, currency: settled.currency },
    ],
    trace,
    config,
  );
}
