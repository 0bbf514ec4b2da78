import { describe, expect, it } from 'vitest';
import { Payout } from '../../model/index.js';
import { InboundEvent } from '../framework/index.js';
import {
  chargeCapturedToEvent,
  disputeToEvent,
  interpretStripeEvent,
  paymentIntentFailedToEvent,
  paymentIntentSucceededToEvent,
  payoutToCanonical,
  stripeInterpretedTopics,
} from './mapping.js';
import { eventBody, fixture } from './test-support.js';

const piId = 'pi_1PgafyB7WZ01zgkWSjxsAJo3';
const chargeId = 'ch_1PgafuB7WZ01zgkWXYmPNZs8';
const refundId = 're_1Pgc72B7WZ01zgkWqPvrRrPE';
const eventAt = new Date(1_795_000_000 * 1000).toISOString();

/** Interprets a fixture object inside an event, checking every output against the canonical schema. */
function interpret(type: string, object: unknown) {
  const events = interpretStripeEvent(type, eventBody(type, object));
  for (const event of events) expect(InboundEvent.safeParse(event).error).toBeUndefined();
  return events;
}

describe('PaymentIntent events (fixtures3 payment_intent, amount 1099 usd)', () => {
  it('payment_intent.succeeded with automatic capture is a capture of amount_received, with the charge as id', () => {
    const intent = fixture('payment_intent', { status: 'succeeded', amount_received: 1099, latest_charge: chargeId, metadata: { order_id: '1001' } });
    expect(interpret('payment_intent.succeeded', intent)).toEqual([
      {
        kind: 'payment',
        orderExternalId: '1001',
        transaction: { id: chargeId, provider: 'stripe', reference: piId, orderId: '1001', kind: 'capture', status: 'succeeded', amount: { amount: 1099, currency: 'USD' }, occurredAt: eventAt },
      },
    ]);
  });

  it('payment_intent.succeeded of a manual-capture intent with money still capturable is an authorization', () => {
    const intent = fixture('payment_intent', { capture_method: 'manual', status: 'requires_capture', amount_capturable: 1099 });
    expect(paymentIntentSucceededToEvent(intent).transaction).toEqual({
      id: piId,
      provider: 'stripe',
      reference: piId,
      kind: 'authorization',
      status: 'succeeded',
      amount: { amount: 1099, currency: 'USD' },
      occurredAt: '2009-02-13T23:31:30.000Z',
    });
    const captured = fixture('payment_intent', { capture_method: 'manual', status: 'succeeded', amount_capturable: 0, amount_received: 1000, latest_charge: chargeId });
    expect(paymentIntentSucceededToEvent(captured).transaction).toMatchObject({ id: chargeId, kind: 'capture', amount: { amount: 1000, currency: 'USD' } });
  });

  it('payment_intent.amount_capturable_updated is an authorization of amount_capturable', () => {
    const intent = fixture('payment_intent', { capture_method: 'manual', status: 'requires_capture', amount_capturable: 1099 });
    expect(interpret('payment_intent.amount_capturable_updated', intent)).toMatchObject([{ transaction: { kind: 'authorization', amount: { amount: 1099, currency: 'USD' } } }]);
    expect(interpret('payment_intent.amount_capturable_updated', fixture('payment_intent'))).toEqual([]);
  });

  it('payment_intent.payment_failed is a failed capture of amount, with last_payment_error as the reason', () => {
    const [event] = interpret('payment_intent.payment_failed', fixture('payment_intent'));
    expect(event).toEqual({
      kind: 'payment',
      transaction: {
        id: `${piId}:failed:evt_1Pgc76B7WZ01zgkWwyRHS12y`,
        provider: 'stripe',
        reference: piId,
        kind: 'capture',
        status: 'failed',
        amount: { amount: 1099, currency: 'USD' },
        occurredAt: eventAt,
        reason: 'idempotency_error',
      },
    });
    const declined = fixture('payment_intent', {
      capture_method: 'manual',
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.', charge: 'ch_declined' },
    });
    expect(paymentIntentFailedToEvent(declined).transaction).toMatchObject({
      id: `${piId}:failed:ch_declined`,
      kind: 'authorization',
      status: 'failed',
      reason: 'Your card has insufficient funds. (insufficient_funds)',
    });
  });

  it('payment_intent.canceled is a void of what the intent held', () => {
    expect(interpret('payment_intent.canceled', fixture('payment_intent', { status: 'canceled', cancellation_reason: 'abandoned' }))).toMatchObject([
      { transaction: { id: `${piId}:canceled`, kind: 'void', status: 'succeeded', amount: { amount: 1099, currency: 'USD' }, reason: 'abandoned' } },
    ]);
  });

  it('converts zero- and three-decimal currencies and ISK to canonical minor units', () => {
    const amount = (currency: string, value: number) =>
      paymentIntentSucceededToEvent(fixture('payment_intent', { currency, amount: value, amount_received: value })).transaction.amount;
    expect(amount('jpy', 1099)).toEqual({ amount: 1099, currency: 'JPY' });
    expect(amount('kwd', 5120)).toEqual({ amount: 5120, currency: 'KWD' });
    expect(amount('isk', 109_900)).toEqual({ amount: 1099, currency: 'ISK' });
    expect(amount('eur', 1099)).toEqual({ amount: 1099, currency: 'EUR' });
  });
});

describe('Charge, Refund and Dispute events (fixtures3 charge 100 usd, refund 100 usd, dispute 1000 usd)', () => {
  it('charge.captured is a capture of amount_captured (reference = charge, parent = its PaymentIntent)', () => {
    const charge = fixture('charge', { captured: true, amount_captured: 100, payment_intent: piId });
    expect(interpret('charge.captured', charge)).toEqual([
      {
        kind: 'payment',
        transaction: { id: chargeId, provider: 'stripe', reference: chargeId, parentReference: piId, kind: 'capture', status: 'succeeded', amount: { amount: 100, currency: 'USD' }, occurredAt: eventAt },
      },
    ]);
    expect(chargeCapturedToEvent(fixture('charge', { captured: true, amount_captured: 100 })).transaction.parentReference).toBeUndefined();
  });

  it('charge.refunded gives one refund movement per refund in charge.refunds.data', () => {
    const second = fixture('refund', { id: 're_second', amount: 250, status: 'pending', created: 1_795_000_100, reason: 'requested_by_customer' });
    const charge = fixture('charge', { amount: 1000, amount_captured: 1000, captured: true, amount_refunded: 350, refunds: { object: 'list', data: [fixture('refund'), second], has_more: false } });
    expect(interpret('charge.refunded', charge)).toEqual([
      {
        kind: 'payment',
        transaction: { id: refundId, provider: 'stripe', reference: refundId, parentReference: chargeId, kind: 'refund', status: 'succeeded', amount: { amount: 100, currency: 'USD' }, occurredAt: '2009-02-13T23:31:30.000Z' },
      },
      {
        kind: 'payment',
        transaction: {
          id: 're_second',
          provider: 'stripe',
          reference: 're_second',
          parentReference: chargeId,
          kind: 'refund',
          status: 'pending',
          amount: { amount: 250, currency: 'USD' },
          occurredAt: new Date(1_795_000_100_000).toISOString(),
          reason: 'requested_by_customer',
        },
      },
    ]);
  });

  it('charge.refunded also gives an order refund when metadata order_id names the order', () => {
    const charge = fixture('charge', { captured: true, amount_captured: 100, metadata: { order_id: '1001' }, refunds: { object: 'list', data: [fixture('refund')], has_more: false } });
    const events = interpret('charge.refunded', charge);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ kind: 'payment', orderExternalId: '1001', transaction: { orderId: '1001', amount: { amount: 100, currency: 'USD' } } });
    expect(events[1]).toEqual({ kind: 'refund', orderExternalId: '1001', refund: { reference: refundId, currency: 'USD', amount: 100, createdAt: '2009-02-13T23:31:30.000Z' } });
    const failed = fixture('charge', { metadata: { order_id: '1001' }, refunds: { object: 'list', data: [fixture('refund', { status: 'failed' })], has_more: false } });
    expect(interpret('charge.refunded', failed).map((event) => event.kind)).toEqual(['payment']);
  });

  it('charge.refunded without the refunds list (not expanded since 2022-11-15) gives nothing; refund.created gives the movement', () => {
    expect(interpret('charge.refunded', fixture('charge', { refunds: undefined }))).toEqual([]);
    expect(interpret('refund.created', fixture('refund', { metadata: { order_id: '1001' } }))).toMatchObject([
      { kind: 'payment', orderExternalId: '1001', transaction: { id: refundId, kind: 'refund', parentReference: chargeId, amount: { amount: 100, currency: 'USD' } } },
    ]);
  });

  it('charge.dispute.created is a chargeback of the disputed amount with Stripe’s reason, pending while an inquiry', () => {
    expect(interpret('charge.dispute.created', fixture('dispute'))).toEqual([
      {
        kind: 'payment',
        transaction: {
          id: 'dp_1Pgc71B7WZ01zgkWMevJiAUx',
          provider: 'stripe',
          reference: 'dp_1Pgc71B7WZ01zgkWMevJiAUx',
          parentReference: chargeId,
          kind: 'chargeback',
          status: 'pending',
          amount: { amount: 1000, currency: 'USD' },
          occurredAt: eventAt,
          reason: 'general',
        },
      },
    ]);
    expect(disputeToEvent(fixture('dispute', { status: 'needs_response', reason: 'fraudulent' })).transaction).toMatchObject({ status: 'succeeded', reason: 'fraudulent' });
    expect(interpret('charge.dispute.funds_reinstated', fixture('dispute', { status: 'won' }))).toMatchObject([
      { transaction: { id: 'dp_1Pgc71B7WZ01zgkWMevJiAUx:reinstated', kind: 'chargeback_reversal', amount: { amount: 1000, currency: 'USD' } } },
    ]);
  });
});

describe('payout events (fixtures3 payout 1100 usd)', () => {
  it('payout.paid is a paid payout with arrivalDate from arrival_date and no lines', () => {
    const events = interpret('payout.paid', fixture('payout'));
    expect(events).toEqual([
      {
        kind: 'payout',
        payout: { id: 'po_1Pgc79B7WZ01zgkWu1KToYf4', provider: 'stripe', reference: 'po_1Pgc79B7WZ01zgkWu1KToYf4', currency: 'USD', amount: 1100, status: 'paid', arrivalDate: '2009-02-13', lines: [] },
      },
    ]);
    expect(Payout.safeParse((events[0] as { payout: unknown }).payout).success).toBe(true);
    expect(payoutToCanonical(fixture('payout')).status).toBe('in_transit');
    expect(interpret('payout.canceled', fixture('payout'))).toMatchObject([{ payout: { status: 'cancelled' } }]);
    expect(interpret('payout.failed', fixture('payout'))).toMatchObject([{ payout: { status: 'failed' } }]);
  });
});

describe('interpretStripeEvent', () => {
  it('maps the types it knows and ignores the rest (fixtures3 event is plan.created)', () => {
    expect(stripeInterpretedTopics).toEqual(expect.arrayContaining(['payment_intent.succeeded', 'payment_intent.payment_failed', 'charge.captured', 'charge.refunded', 'charge.dispute.created', 'payout.paid']));
    expect(interpretStripeEvent('plan.created', JSON.stringify(fixture('event')))).toEqual([]);
  });

  it('refuses a body that is not an event of the topic, or an object of the wrong shape', () => {
    const permanent = (code: string) => expect.objectContaining({ code, retryable: false });
    expect(() => interpretStripeEvent('plan.created', 'nope')).toThrow(permanent('stripe_invalid_payload'));
    expect(() => interpretStripeEvent('payout.paid', JSON.stringify(fixture('event')))).toThrow(permanent('stripe_invalid_payload'));
    expect(() => interpret('payment_intent.succeeded', fixture('charge'))).toThrow(permanent('stripe_invalid_payload'));
    expect(() => interpret('charge.captured', fixture('charge', { amount_captured: 10.5 }))).toThrow(permanent('stripe_invalid_payload'));
    expect(() => interpret('payout.paid', fixture('payout', { currency: 'zzz' }))).toThrow(permanent('stripe_unknown_currency'));
  });
});
