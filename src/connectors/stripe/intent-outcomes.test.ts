import { describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../model/index.js';
import { alreadyCapturedError, cancelResult, isSameCapture } from './intent-outcomes.js';
import { fixture } from './test-support.js';
import { StripePaymentIntent } from './wire.js';

const intent = (changes: Record<string, unknown>) => StripePaymentIntent.parse(fixture('payment_intent', changes));

describe('PaymentIntent outcomes', () => {
  it('a void reports what the intent will no longer collect, in canonical minor units', () => {
    expect(cancelResult(intent({ status: 'canceled', amount: 2000, amount_received: 0, currency: 'usd' }), false)).toMatchObject({ amountCancelled: 2000, currency: 'USD', alreadyCanceled: false });
    expect(cancelResult(intent({ status: 'canceled', amount: 5000, currency: 'jpy' }), true)).toMatchObject({ amountCancelled: 5000, currency: 'JPY', alreadyCanceled: true });
    expect(cancelResult(intent({ status: 'canceled', amount: 1200, currency: 'mga' }), false)).toMatchObject({ amountCancelled: 120_000, currency: 'MGA' });
    expect(cancelResult(intent({ status: 'canceled', amount: 50_000, currency: 'isk' }), false)).toMatchObject({ amountCancelled: 500, currency: 'ISK' });
  });

  it('tells the same capture made again from a second capture', () => {
    const partly = intent({ status: 'succeeded', amount: 2000, amount_received: 1200 });
    expect(isSameCapture(partly, 1200)).toBe(true);
    expect(isSameCapture(partly, 800)).toBe(false);
    expect(isSameCapture(partly, undefined)).toBe(false);
    expect(isSameCapture(intent({ status: 'succeeded', amount: 2000, amount_received: 2000 }), undefined)).toBe(true);
  });

  it('already captured is permanent, names the amounts, and keeps Stripe’s refusal', () => {
    const captured = intent({ id: 'pi_1', status: 'succeeded', amount: 300, amount_received: 300, currency: 'kwd' });
    const stripe = { status: 400, type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: 'You cannot cancel this PaymentIntent because it has a status of succeeded.' };
    const error = alreadyCapturedError('stripe-main', captured, { kind: 'cancel' }, stripe, new Error('cause'));
    expect(error).toBeInstanceOf(TillbridgeError);
    expect(error).toMatchObject({ code: 'stripe_already_captured', retryable: false, httpStatus: 409, details: { amount: 300, amountReceived: 300, currency: 'KWD', stripe } });
    expect(error.message).toBe(
      'stripe-main: cannot void PaymentIntent pi_1: it was already captured (0.300 KWD of 0.300 KWD); refund it instead — Stripe: You cannot cancel this PaymentIntent because it has a status of succeeded.',
    );
    expect(alreadyCapturedError('stripe-main', captured, { kind: 'capture', stripeAmount: 100 }, undefined, undefined).message).toMatch(/^stripe-main: cannot capture 0\.100 KWD on PaymentIntent pi_1/);
  });
});
