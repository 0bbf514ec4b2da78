import { minorToDecimal, TillbridgeError } from '../../model/index.js';
import { stripeAmountToMinor, stripeCurrency } from './amounts.js';
import type { StripeApiError } from './errors.js';
import type { StripePaymentIntent } from './wire.js';

/** Why a PaymentIntent is canceled, in Stripe's words (`cancellation_reason`). */
export type StripeCancellationReason = 'duplicate' | 'fraudulent' | 'requested_by_customer' | 'abandoned';

/** What a void did: the intent, its status, what it will no longer collect (canonical minor units), and whether it was canceled before. */
export interface CancelResult {
  paymentIntent: string;
  status: string;
  /** What the intent will no longer collect (`amount − amount_received`), in canonical minor units of `currency`. */
  amountCancelled: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** True when Stripe found the intent canceled already (an earlier void under another key, or Stripe's own expiry). */
  alreadyCanceled: boolean;
}

/** A canceled PaymentIntent as the result of a void, its amounts converted from Stripe's unit to canonical minor units. */
export function cancelResult(intent: StripePaymentIntent, alreadyCanceled: boolean): CancelResult {
  const currency = stripeCurrency(intent.currency);
  return {
    paymentIntent: intent.id,
    status: intent.status,
    amountCancelled: stripeAmountToMinor(Math.max(0, intent.amount - intent.amount_received), currency),
    currency,
    alreadyCanceled,
  };
}

/**
 * True when a capture refused as `payment_intent_unexpected_state` asked for exactly what the
 * succeeded intent received (all of it when no amount was given): the same capture, made before
 * under another key. Anything else is a second capture, which Stripe does not allow without multicapture.
 */
export function isSameCapture(intent: StripePaymentIntent, requestedStripeAmount: number | undefined): boolean {
  return intent.amount_received === (requestedStripeAmount ?? intent.amount);
}

const display = (stripeAmount: number, currency: string) => `${minorToDecimal(stripeAmountToMinor(stripeAmount, currency), currency)} ${currency}`;

/** What was attempted on a captured intent: a void, or a (further) capture of an amount in Stripe's unit. */
export type AttemptOnCaptured = { kind: 'cancel' } | { kind: 'capture'; stripeAmount: number | undefined };

/**
 * The permanent `stripe_already_captured` error (409): the intent was captured already, so it can
 * no longer be voided (refund it instead) nor captured again (Stripe allows one capture per
 * PaymentIntent; the uncaptured rest was released). Stripe's own refusal is kept as the cause and in `details.stripe`.
 */
export function alreadyCapturedError(connectionId: string, intent: StripePaymentIntent, attempt: AttemptOnCaptured, stripe: StripeApiError | undefined, cause: unknown): TillbridgeError {
  const currency = stripeCurrency(intent.currency);
  const captured = `${display(intent.amount_received, currency)} of ${display(intent.amount, currency)}`;
  const what =
    attempt.kind === 'cancel'
      ? `cannot void PaymentIntent ${intent.id}: it was already captured (${captured}); refund it instead`
      : `cannot capture ${attempt.stripeAmount === undefined ? 'the rest' : display(attempt.stripeAmount, currency)} on PaymentIntent ${intent.id}: ` +
        `it was already captured (${captured}), Stripe allows one capture per PaymentIntent and released the uncaptured rest; take a new payment for more`;
  return new TillbridgeError('stripe_already_captured', `${connectionId}: ${what} — Stripe: ${stripe?.message ?? 'payment_intent_unexpected_state'}`, {
    retryable: false,
    httpStatus: 409,
    details: {
      paymentIntent: intent.id,
      intentStatus: intent.status,
      currency,
      amount: stripeAmountToMinor(intent.amount, currency),
      amountReceived: stripeAmountToMinor(intent.amount_received, currency),
      ...(stripe ? { stripe } : {}),
    },
    cause,
  });
}
