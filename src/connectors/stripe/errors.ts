import { TillbridgeError } from '../../model/index.js';
import { StripeErrorBody } from './wire.js';

/** A Stripe API error as the API reported it. */
export interface StripeApiError {
  status: number;
  /** api_error, card_error, idempotency_error, invalid_request_error, rate_limit_error, … */
  type: string;
  /** e.g. payment_intent_unexpected_state, charge_already_refunded, amount_too_large, resource_missing. */
  code?: string;
  declineCode?: string;
  message?: string;
  param?: string;
}

/** `type/code: message (param …)` from Stripe's error body, for error messages and logs. */
export function stripeErrorMessage(_status: number, body: unknown): string | undefined {
  const parsed = StripeErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { type, code, decline_code: declineCode, message, param } = parsed.data.error;
  const kind = [type, code, declineCode].filter(Boolean).join('/');
  return `${kind}: ${message ?? 'no message'}${param ? ` (param ${param})` : ''}`;
}

/** The Stripe error inside a rejected call's typed error (from the outbound client), if any. */
export function stripeErrorOf(error: unknown): StripeApiError | undefined {
  if (!(error instanceof TillbridgeError)) return undefined;
  const details = error.details as { status?: unknown; body?: unknown; type?: unknown } | undefined;
  if (error.code.startsWith('stripe_') && typeof details?.type === 'string' && typeof details.status === 'number') return details as StripeApiError;
  const parsed = StripeErrorBody.safeParse(details?.body);
  if (!parsed.success) return undefined;
  const { type, code, decline_code: declineCode, message, param } = parsed.data.error;
  return {
    status: typeof details?.status === 'number' ? details.status : error.httpStatus,
    type,
    ...(code !== undefined ? { code } : {}),
    ...(declineCode !== undefined ? { declineCode } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(param !== undefined ? { param } : {}),
  };
}

/**
 * Re-types a rejected Stripe call as `stripe_<code>` (else `stripe_<type>`), keeping the status,
 * retryable flag and Stripe's fields in `details`, so callers can branch on a stable code such as
 * `stripe_charge_already_refunded` or `stripe_idempotency_error`. Other errors pass through.
 */
export function toStripeError(error: unknown): unknown {
  const stripe = stripeErrorOf(error);
  if (!stripe || !(error instanceof TillbridgeError) || error.code.startsWith('stripe_')) return error;
  return new TillbridgeError(`stripe_${stripe.code ?? stripe.type}`, error.message, {
    retryable: error.retryable,
    httpStatus: error.httpStatus,
    details: stripe,
    cause: error,
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  });
}
