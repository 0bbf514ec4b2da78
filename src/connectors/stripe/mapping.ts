import { permanentError } from '../../model/index.js';
import type { InboundEvent } from '../framework/index.js';
import { isoFromEpoch, parseWire, type StripeEventContext } from './mapping-support.js';
import {
  chargeCapturedToEvent,
  chargeRefundedToEvents,
  disputeReinstatedToEvent,
  disputeToEvent,
  paymentIntentAuthorizedToEvents,
  paymentIntentCanceledToEvent,
  paymentIntentFailedToEvent,
  paymentIntentSucceededToEvent,
  refundToEvents,
} from './mapping-payment.js';
import { payoutToCanonical } from './mapping-settlement.js';
import { StripeEvent } from './wire.js';

export { stripeAmountToMinor, minorToStripeAmount, stripeCurrency, stripeCurrencyExponent, stripeMoney } from './amounts.js';
export { orderIdMetadataKey, type StripeEventContext } from './mapping-support.js';
export {
  chargeCapturedToEvent,
  chargeRefundedToEvents,
  disputeReinstatedToEvent,
  disputeToEvent,
  paymentErrorReason,
  paymentIntentAuthorizedToEvents,
  paymentIntentCanceledToEvent,
  paymentIntentFailedToEvent,
  paymentIntentSucceededToEvent,
  refundToEvents,
  type PaymentEvent,
  type RefundEvent,
  type StripePaymentEvent,
} from './mapping-payment.js';
export {
  balanceTransactionsToSettlementLines,
  balanceTransactionToSettlementLine,
  payoutToCanonical,
  settlementLineKind,
  settlementTotals,
} from './mapping-settlement.js';

type Mapper = (object: unknown, context: StripeEventContext) => InboundEvent[];

const payoutEvent =
  (status?: 'paid' | 'failed' | 'cancelled'): Mapper =>
  (object) => [{ kind: 'payout', payout: payoutToCanonical(object, [], status) }];

/** The event types Tillbridge reads, and what each becomes. */
const mappers: Readonly<Record<string, Mapper>> = {
  'payment_intent.succeeded': (object, context) => [paymentIntentSucceededToEvent(object, context)],
  'payment_intent.amount_capturable_updated': (object, context) => paymentIntentAuthorizedToEvents(object, context),
  'payment_intent.payment_failed': (object, context) => [paymentIntentFailedToEvent(object, context)],
  'payment_intent.canceled': (object, context) => [paymentIntentCanceledToEvent(object, context)],
  'charge.captured': (object, context) => [chargeCapturedToEvent(object, context)],
  'charge.refunded': (object) => chargeRefundedToEvents(object),
  'refund.created': (object) => refundToEvents(object).filter((event) => event.kind === 'payment'),
  'refund.updated': (object) => refundToEvents(object).filter((event) => event.kind === 'payment'),
  'refund.failed': (object) => refundToEvents(object).filter((event) => event.kind === 'payment'),
  'charge.dispute.created': (object, context) => [disputeToEvent(object, context)],
  'charge.dispute.funds_reinstated': (object, context) => [disputeReinstatedToEvent(object, context)],
  'payout.paid': payoutEvent('paid'),
  'payout.failed': payoutEvent('failed'),
  'payout.canceled': payoutEvent('cancelled'),
  'payout.created': payoutEvent(),
  'payout.updated': payoutEvent(),
};

/** Event types {@link interpretStripeEvent} maps; other types map to no events. */
export const stripeInterpretedTopics: readonly string[] = Object.keys(mappers);

/**
 * Maps a verified Stripe Event (the webhook body) to canonical events, by its type: PaymentIntent,
 * Charge, Refund and Dispute changes become payment movements (and order refunds), payouts become
 * payout events. Types Tillbridge does not read give none. A body that is not an Event of `topic`
 * is a permanent error.
 */
export function interpretStripeEvent(topic: string, payload: string): InboundEvent[] {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    throw permanentError('stripe_invalid_payload', `Stripe ${topic} payload is not JSON`);
  }
  const event = parseWire(StripeEvent, body, 'event');
  if (event.type !== topic) throw permanentError('stripe_invalid_payload', `Stripe event ${event.id} is a ${event.type}, not ${topic}`);
  const mapper = mappers[topic];
  return mapper ? mapper(event.data.object, { eventId: event.id, occurredAt: isoFromEpoch(event.created) }) : [];
}
