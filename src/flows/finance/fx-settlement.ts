import { permanentError, type SettlementLine } from '../../model/index.js';
import type { FxSettlementEvent } from './fx.js';

/** The order a settlement line belongs to, as far as FX needs it: the hub's order id and the currency it was booked in. */
export interface FxOrder {
  id: string;
  currency: string;
}

/** Where and when a settlement line was settled, and optionally the rate the order was booked at. */
export interface FxSettlementContext {
  /** The provider of the payout (`stripe`): it picks the clearing accounts. */
  provider: string;
  /** When the provider settled the line (e.g. the balance transaction's or payout's time), ISO 8601. */
  occurredAt: string;
  /** Settlement units per order-currency unit the books used at booking; default: the provider's `exchangeRate`, leaving only rounding as difference. */
  bookingRate?: string;
}

const converted = new Set<SettlementLine['kind']>(['charge', 'refund']);

/**
 * The FX settlement of a charge or refund line that the provider settled in another currency than
 * its order's: booked = the line's original amount (in the order currency), settled = the line's
 * gross, rate = the booking rate or the provider's exchange rate; none for other kinds or when the
 * line is in the order currency. A converted line without its original amount in the order
 * currency, or without a rate, is a permanent error (the FX cannot be posted from it).
 */
export function fxSettlementEvents(line: SettlementLine, order: FxOrder, context: FxSettlementContext): FxSettlementEvent[] {
  if (!converted.has(line.kind) || line.currency === order.currency) return [];
  const { original } = line;
  if (!original) {
    throw permanentError('fx_original_missing', `settlement line ${line.id} is in ${line.currency} but its order ${order.id} is in ${order.currency}, and the line has no original amount`);
  }
  if (original.currency !== order.currency) {
    throw permanentError('fx_currency_mismatch', `settlement line ${line.id} was converted from ${original.currency}, but its order ${order.id} is in ${order.currency}`);
  }
  const rate = context.bookingRate ?? line.exchangeRate;
  if (rate === undefined) throw permanentError('fx_rate_missing', `settlement line ${line.id} was converted from ${original.currency} to ${line.currency} without an exchange rate`);
  if (original.amount === 0 && line.gross === 0) return [];
  return [
    {
      provider: context.provider,
      reference: line.id,
      orderId: order.id,
      booked: { amount: original.amount, currency: original.currency },
      settled: { amount: line.gross, currency: line.currency },
      rate,
      occurredAt: context.occurredAt,
    },
  ];
}
