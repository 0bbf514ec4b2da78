import type { InboundEvent } from '../framework/index.js';
import { stripeMoney } from './amounts.js';
import { definedOnly, isoFromEpoch, orderIdOf, parseWire, type StripeEventContext } from './mapping-support.js';
import { expandableId, StripeCharge, StripeDispute, StripePaymentIntent, StripeRefund } from './wire.js';

/** A canonical payment event. */
export type PaymentEvent = Extract<InboundEvent, { kind: 'payment' }>;
/** A canonical refund event. */
export type RefundEvent = Extract<InboundEvent, { kind: 'refund' }>;

/**
 * A payment event with Stripe's reason (a decline message or a dispute reason). The canonical
 * PaymentTransaction has no field for it yet, so parsing the event drops it; it is kept here for
 * logs and for the day the model takes it.
 */
export type StripePaymentEvent = Omit<PaymentEvent, 'transaction'> & { transaction: PaymentEvent['transaction'] & { reason?: string } };

type Transaction = StripePaymentEvent['transaction'];

function paymentEvent(transaction: Omit<Transaction, 'provider'>, orderExternalId: string | undefined): StripePaymentEvent {
  return {
    kind: 'payment',
    ...definedOnly({ orderExternalId }),
    transaction: { provider: 'stripe', ...transaction, ...definedOnly({ orderId: orderExternalId }) },
  };
}

const isManual = (captureMethod: string) => captureMethod === 'manual';

/**
 * payment_intent.succeeded as a movement of the PaymentIntent (reference = pi id), decided from the
 * object: an authorization of `amount_capturable` while a manual-capture intent still has money to
 * capture, else a capture of `amount_received`. The capture's id is the charge id (`latest_charge`),
 * the same id charge.captured gives it, so a manual capture reported both ways is one movement.
 */
export function paymentIntentSucceededToEvent(value: unknown, context: StripeEventContext = {}): StripePaymentEvent {
  const intent = parseWire(StripePaymentIntent, value, 'payment_intent');
  const authorization = isManual(intent.capture_method) && intent.amount_capturable > 0;
  const chargeId = expandableId(intent.latest_charge);
  return paymentEvent(
    {
      id: authorization ? intent.id : (chargeId ?? intent.id),
      reference: intent.id,
      kind: authorization ? 'authorization' : 'capture',
      status: 'succeeded',
      amount: stripeMoney(authorization ? intent.amount_capturable : intent.amount_received, intent.currency),
      occurredAt: context.occurredAt ?? isoFromEpoch(intent.created),
    },
    orderIdOf(intent.metadata),
  );
}

/**
 * payment_intent.amount_capturable_updated: an authorization of `amount_capturable` (id and
 * reference = pi id); nothing when nothing is capturable any more.
 */
export function paymentIntentAuthorizedToEvents(value: unknown, context: StripeEventContext = {}): StripePaymentEvent[] {
  const intent = parseWire(StripePaymentIntent, value, 'payment_intent');
  if (intent.amount_capturable <= 0) return [];
  return [
    paymentEvent(
      {
        id: intent.id,
        reference: intent.id,
        kind: 'authorization',
        status: 'succeeded',
        amount: stripeMoney(intent.amount_capturable, intent.currency),
        occurredAt: context.occurredAt ?? isoFromEpoch(intent.created),
      },
      orderIdOf(intent.metadata),
    ),
  ];
}

/** Stripe's words for a failed attempt: the error's message, else its code or type. */
export function paymentErrorReason(error: StripePaymentIntent['last_payment_error']): string | undefined {
  if (!error) return undefined;
  const code = error.decline_code ?? error.code ?? undefined;
  if (error.message) return code ? `${error.message} (${code})` : error.message;
  return code ?? error.type;
}

/**
 * payment_intent.payment_failed: a failed authorization (manual capture) or capture of the intent's
 * `amount`, with `last_payment_error`'s message as the reason. Each failed attempt is its own
 * movement: its id is the failed charge, else the event.
 */
export function paymentIntentFailedToEvent(value: unknown, context: StripeEventContext = {}): StripePaymentEvent {
  const intent = parseWire(StripePaymentIntent, value, 'payment_intent');
  const error = intent.last_payment_error;
  const attempt = error?.charge ?? context.eventId;
  return paymentEvent(
    {
      id: attempt ? `${intent.id}:failed:${attempt}` : `${intent.id}:failed`,
      reference: intent.id,
      kind: isManual(intent.capture_method) ? 'authorization' : 'capture',
      status: 'failed',
      amount: stripeMoney(intent.amount, intent.currency),
      occurredAt: context.occurredAt ?? isoFromEpoch(intent.created),
      ...definedOnly({ reason: paymentErrorReason(error) }),
    },
    orderIdOf(intent.metadata),
  );
}

/** payment_intent.canceled: a void of what the intent still held (`amount_capturable`, else `amount`). */
export function paymentIntentCanceledToEvent(value: unknown, context: StripeEventContext = {}): StripePaymentEvent {
  const intent = parseWire(StripePaymentIntent, value, 'payment_intent');
  return paymentEvent(
    {
      id: `${intent.id}:canceled`,
      reference: intent.id,
      kind: 'void',
      status: 'succeeded',
      amount: stripeMoney(intent.amount_capturable > 0 ? intent.amount_capturable : intent.amount, intent.currency),
      occurredAt: context.occurredAt ?? (intent.canceled_at ? isoFromEpoch(intent.canceled_at) : isoFromEpoch(intent.created)),
      ...definedOnly({ reason: intent.cancellation_reason ?? undefined }),
    },
    orderIdOf(intent.metadata),
  );
}

/** charge.captured: a capture of `amount_captured` (id and reference = charge id, parent = its PaymentIntent). */
export function chargeCapturedToEvent(value: unknown, context: StripeEventContext = {}): StripePaymentEvent {
  const charge = parseWire(StripeCharge, value, 'charge');
  return paymentEvent(
    {
      id: charge.id,
      reference: charge.id,
      kind: 'capture',
      status: 'succeeded',
      amount: stripeMoney(charge.amount_captured, charge.currency),
      occurredAt: context.occurredAt ?? isoFromEpoch(charge.created),
      ...definedOnly({ parentReference: expandableId(charge.payment_intent) }),
    },
    orderIdOf(charge.metadata),
  );
}

const refundStatuses: Readonly<Record<string, Transaction['status']>> = {
  succeeded: 'succeeded',
  pending: 'pending',
  requires_action: 'pending',
  failed: 'failed',
  canceled: 'failed',
};

const refundStatus = (status: string | null | undefined): Transaction['status'] => refundStatuses[status ?? 'pending'] ?? 'pending';

/**
 * One Refund as canonical events: a refund movement (id and reference = re id, parent = the
 * charge), and — when the order is known from metadata `order_id` (the refund's, else the charge's)
 * and the refund has not failed — a refund of that order.
 */
export function refundToEvents(value: unknown, charge?: { id: string; metadata: Record<string, string> }): (StripePaymentEvent | RefundEvent)[] {
  const refund = parseWire(StripeRefund, value, 'refund');
  const chargeId = expandableId(refund.charge) ?? charge?.id;
  const orderExternalId = orderIdOf(refund.metadata, charge?.metadata);
  const status = refundStatus(refund.status);
  const money = stripeMoney(refund.amount, refund.currency);
  const createdAt = isoFromEpoch(refund.created);
  const events: (StripePaymentEvent | RefundEvent)[] = [
    paymentEvent(
      {
        id: refund.id,
        reference: refund.id,
        kind: 'refund',
        status,
        amount: money,
        occurredAt: createdAt,
        ...definedOnly({ parentReference: chargeId ?? expandableId(refund.payment_intent), reason: refund.reason ?? undefined }),
      },
      orderExternalId,
    ),
  ];
  if (orderExternalId !== undefined && status !== 'failed') {
    events.push({
      kind: 'refund',
      orderExternalId,
      refund: {
        reference: refund.id,
        currency: money.currency,
        amount: money.amount,
        createdAt,
        ...definedOnly({ reason: refund.reason ?? undefined }),
      },
    });
  }
  return events;
}

/**
 * charge.refunded: one refund movement per refund in `charge.refunds.data` (plus an order refund
 * when the order is known). Payloads without the refunds list (it is not expanded by default since
 * API version 2022-11-15) give none: subscribe to refund.created as well.
 */
export function chargeRefundedToEvents(value: unknown): (StripePaymentEvent | RefundEvent)[] {
  const charge = parseWire(StripeCharge, value, 'charge');
  return (charge.refunds?.data ?? []).flatMap((refund) => refundToEvents(refund, charge));
}

/** Dispute statuses of an inquiry, where no money has moved yet. */
const inquiryStatuses = new Set(['warning_needs_response', 'warning_under_review', 'warning_closed']);

/**
 * charge.dispute.created: a chargeback of the disputed amount (id and reference = dp id, parent = the
 * charge), with Stripe's reason; pending while it is an inquiry (no funds withdrawn), else succeeded.
 */
export function disputeToEvent(value: unknown, context: StripeEventContext = {}): StripePaymentEvent {
  const dispute = parseWire(StripeDispute, value, 'dispute');
  const charge = typeof dispute.charge === 'string' ? undefined : dispute.charge;
  return paymentEvent(
    {
      id: dispute.id,
      reference: dispute.id,
      kind: 'chargeback',
      status: inquiryStatuses.has(dispute.status) ? 'pending' : 'succeeded',
      amount: stripeMoney(dispute.amount, dispute.currency),
      occurredAt: context.occurredAt ?? isoFromEpoch(dispute.created),
      parentReference: expandableId(dispute.charge) as string,
      reason: dispute.reason,
    },
    orderIdOf(dispute.metadata, charge?.metadata ?? undefined),
  );
}

/** charge.dispute.funds_reinstated: the disputed money returned (a chargeback reversal of the dispute). */
export function disputeReinstatedToEvent(value: unknown, context: StripeEventContext = {}): StripePaymentEvent {
  const dispute = parseWire(StripeDispute, value, 'dispute');
  return paymentEvent(
    {
      id: `${dispute.id}:reinstated`,
      reference: dispute.id,
      kind: 'chargeback_reversal',
      status: 'succeeded',
      amount: stripeMoney(dispute.amount, dispute.currency),
      occurredAt: context.occurredAt ?? isoFromEpoch(dispute.created),
      parentReference: expandableId(dispute.charge) as string,
      reason: dispute.reason,
    },
    orderIdOf(dispute.metadata),
  );
}
