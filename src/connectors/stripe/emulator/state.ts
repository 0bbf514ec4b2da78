import { applyRate, minorToDecimal } from '../../../model/index.js';
import { stripeAmountToMinor } from '../amounts.js';
import { invalidRequest, resourceMissing, StripeApiFailure, unexpectedState } from './errors.js';
import { exchangeRateFor, settleAmount, type StripeExchangeSettings } from './exchange.js';
import { page, type StripeListPage } from './lists.js';
import {
  balanceTransactionObject,
  chargeObject,
  disputeObject,
  paymentIntentObject,
  payoutObject,
  refundObject,
  snapshot,
  stripeId,
  testCards,
  type StripeObject,
  type TestCard,
} from './objects.js';

/** The request behind a change, as Stripe records it on the event (`request.id`, `request.idempotency_key`). */
export interface RequestContext {
  requestId: string | null;
  idempotencyKey: string | null;
}

/** Pricing of the emulated account: a rate and a fixed fee per successful charge, and a dispute fee (in Stripe's units). */
export interface StripeFees {
  rate: string;
  fixed: number;
  dispute: number;
}

/** What the state needs from the emulator. */
export interface StripeStateOptions {
  now: () => number;
  apiVersion: string;
  fees: StripeFees;
  /** The settlement currency and exchange rates (read on every movement, so changes apply to later ones). */
  exchange: StripeExchangeSettings;
  /** Called for every event created (the server signs and delivers it). */
  publish(event: StripeObject): void;
}

/** Parameters of a new PaymentIntent, already validated. */
export interface NewPaymentIntent {
  amount: number;
  currency: string;
  captureMethod: 'automatic' | 'automatic_async' | 'manual';
  metadata: Record<string, string>;
  description: string | null;
  receiptEmail: string | null;
  paymentMethod: string | undefined;
  confirm: boolean;
}

const automatic = new Set(['automatic', 'automatic_async']);
const confirmable = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const cancelable = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const sandbox: RequestContext = { requestId: null, idempotencyKey: null };

const display = (amount: number, currency: string) => `${minorToDecimal(stripeAmountToMinor(amount, currency), currency.toUpperCase())} ${currency}`;

/**
 * The emulated Stripe account: PaymentIntents and their Charges, Refunds, Disputes, Payouts, the
 * balance and its BalanceTransactions (Stripe's fee on every charge), and an Event for every change.
 * Money becomes available at once (no pending period), in the settlement currency (other currencies converted).
 */
export class StripeState {
  readonly paymentIntents = new Map<string, StripeObject>();
  readonly charges = new Map<string, StripeObject>();
  readonly refunds = new Map<string, StripeObject>();
  readonly disputes = new Map<string, StripeObject>();
  readonly payouts = new Map<string, StripeObject>();
  /** Oldest first. */
  readonly balanceTransactions: StripeObject[] = [];
  /** Oldest first. */
  readonly events: StripeObject[] = [];
  private readonly txnPayout = new Map<string, string>();
  private readonly cards = new Map<string, TestCard>();

  constructor(private readonly options: StripeStateOptions) {}

  private seconds(): number {
    return Math.floor(this.options.now() / 1000);
  }

  private emit(type: string, object: StripeObject, context: RequestContext): void {
    const event: StripeObject = {
      id: stripeId('evt'),
      object: 'event',
      api_version: this.options.apiVersion,
      created: this.seconds(),
      data: { object: snapshot(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: context.requestId, idempotency_key: context.idempotencyKey },
      type,
    };
    this.events.push(event);
    if (this.events.length > 10_000) this.events.shift();
    this.options.publish(event);
  }

  private transaction(fields: Omit<Parameters<typeof balanceTransactionObject>[0], 'id' | 'created'>): StripeObject {
    const txn = balanceTransactionObject({ ...fields, id: stripeId('txn'), created: this.seconds() });
    this.balanceTransactions.push(txn);
    return txn;
  }

  /** A balance movement of a presentment amount: converted to the settlement currency (with `exchange_rate`) when it differs; the fee is then worked out in the settlement currency. */
  private presented(amount: number, currency: string, fee: (settled: number) => number, fields: Omit<Parameters<typeof balanceTransactionObject>[0], 'id' | 'created' | 'amount' | 'fee' | 'currency'>): StripeObject {
    const settled = settleAmount(amount, currency, this.options.exchange);
    return this.transaction({ ...fields, amount: settled.amount, fee: fee(settled.amount), currency: settled.currency, exchangeRate: settled.exchangeRate });
  }

  /** Stripe's processing fee on a charge: rate × amount rounded half up to the unit, plus the fixed fee. */
  processingFee(amount: number): number {
    return applyRate(amount, this.options.fees.rate, 'half_up') + this.options.fees.fixed;
  }

  private resolvePaymentMethod(token: string): string {
    if (this.cards.has(token)) return token;
    const card = testCards[token];
    if (!card) throw resourceMissing('PaymentMethod', token, 'payment_method');
    const id = stripeId('pm');
    this.cards.set(id, card);
    return id;
  }

  private intent(id: string): StripeObject {
    const intent = this.paymentIntents.get(id);
    if (!intent) throw resourceMissing('payment_intent', id, 'intent');
    return intent;
  }

  /** A stored object by id (any kind), for `expand`. */
  find(id: string): StripeObject | undefined {
    return this.paymentIntents.get(id) ?? this.charges.get(id) ?? this.refunds.get(id) ?? this.disputes.get(id) ?? this.payouts.get(id) ?? this.balanceTransactions.find((txn) => txn.id === id);
  }

  retrievePaymentIntent(id: string): StripeObject {
    return snapshot(this.intent(id));
  }

  retrieve(kind: 'charge' | 'refund' | 'dispute' | 'payout', id: string): StripeObject {
    const store = { charge: this.charges, refund: this.refunds, dispute: this.disputes, payout: this.payouts }[kind];
    const object = store.get(id);
    if (!object) throw resourceMissing(kind, id, 'id');
    return snapshot(object);
  }

  retrieveBalanceTransaction(id: string): StripeObject {
    const txn = this.balanceTransactions.find((candidate) => candidate.id === id);
    if (!txn) throw resourceMissing('balance_transaction', id, 'id');
    return snapshot(txn);
  }

  retrieveEvent(id: string): StripeObject {
    const event = this.events.find((candidate) => candidate.id === id);
    if (!event) throw resourceMissing('event', id, 'id');
    return snapshot(event);
  }

  createPaymentIntent(fields: NewPaymentIntent, context: RequestContext): StripeObject {
    if (fields.currency !== this.options.exchange.settlementCurrency) exchangeRateFor(fields.currency, this.options.exchange);
    const paymentMethod = fields.paymentMethod === undefined ? null : this.resolvePaymentMethod(fields.paymentMethod);
    const intent = paymentIntentObject({
      id: stripeId('pi'),
      amount: fields.amount,
      currency: fields.currency,
      captureMethod: fields.captureMethod,
      created: this.seconds(),
      description: fields.description,
      metadata: fields.metadata,
      paymentMethod,
      status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
      receiptEmail: fields.receiptEmail,
    });
    this.paymentIntents.set(intent.id, intent);
    this.emit('payment_intent.created', intent, context);
    return fields.confirm ? this.confirmPaymentIntent(intent.id, undefined, context) : snapshot(intent);
  }

  /** Confirms with a test card: approved cards succeed (or wait for capture), declining ones answer 402 card_error. */
  confirmPaymentIntent(id: string, paymentMethodToken: string | undefined, context: RequestContext): StripeObject {
    const intent = this.intent(id);
    const status = intent['status'] as string;
    if (!confirmable.includes(status)) {
      throw unexpectedState(
        `You cannot confirm this PaymentIntent because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${confirmable.join(', ')}.`,
        snapshot(intent),
      );
    }
    const paymentMethod = paymentMethodToken !== undefined ? this.resolvePaymentMethod(paymentMethodToken) : (intent['payment_method'] as string | null);
    if (!paymentMethod) {
      throw unexpectedState(
        "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
        snapshot(intent),
      );
    }
    const card = this.cards.get(paymentMethod) as TestCard;
    const amount = intent['amount'] as number;
    const captureNow = automatic.has(intent['capture_method'] as string);
    const chargeId = stripeId('ch');
    const txn = captureNow && !card.decline ? this.chargeTransaction(chargeId, amount, intent) : null;
    const charge = chargeObject({ id: chargeId, intent, paymentMethod, card, captured: captureNow, created: this.seconds(), balanceTransaction: txn?.id ?? null });
    this.charges.set(charge.id, charge);
    intent['latest_charge'] = charge.id;
    if (card.decline) {
      const error = {
        type: 'card_error' as const,
        code: card.decline.code,
        decline_code: card.decline.declineCode,
        doc_url: `https://stripe.com/docs/error-codes/${card.decline.code.replace(/_/g, '-')}`,
        message: card.decline.message,
        charge: charge.id,
      };
      Object.assign(intent, {
        status: 'requires_payment_method',
        payment_method: null,
        last_payment_error: { ...error, payment_method: { id: paymentMethod, object: 'payment_method', type: 'card', card: { brand: card.brand, last4: card.last4 } } },
      });
      this.emit('charge.failed', charge, context);
      this.emit('payment_intent.payment_failed', intent, context);
      throw new StripeApiFailure(402, { ...error, payment_intent: snapshot(intent) });
    }
    Object.assign(intent, { payment_method: paymentMethod, last_payment_error: null });
    this.emit('charge.succeeded', charge, context);
    if (captureNow) {
      Object.assign(intent, { status: 'succeeded', amount_received: amount });
      this.emit('payment_intent.succeeded', intent, context);
    } else {
      Object.assign(intent, { status: 'requires_capture', amount_capturable: amount });
      this.emit('payment_intent.amount_capturable_updated', intent, context);
    }
    return snapshot(intent);
  }

  private chargeTransaction(chargeId: string, amount: number, intent: StripeObject): StripeObject {
    return this.presented(amount, intent['currency'] as string, (settled) => this.processingFee(settled), {
      type: 'charge',
      reportingCategory: 'charge',
      source: chargeId,
      description: (intent['description'] as string | null) ?? null,
    });
  }

  /** Captures a `requires_capture` intent (all, or `amountToCapture` with the rest released). */
  capturePaymentIntent(id: string, amountToCapture: number | undefined, context: RequestContext): StripeObject {
    const intent = this.intent(id);
    const status = intent['status'] as string;
    if (status !== 'requires_capture') {
      throw unexpectedState(
        `This PaymentIntent could not be captured because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        snapshot(intent),
      );
    }
    const capturable = intent['amount_capturable'] as number;
    const amount = amountToCapture ?? capturable;
    if (amount > capturable) {
      throw invalidRequest('amount_too_large', `The amount to capture (${amount}) must be less than or equal to the amount capturable (${capturable}).`, 'amount_to_capture');
    }
    if (amount < 1) throw invalidRequest('amount_too_small', 'The amount to capture must be at least 1.', 'amount_to_capture');
    const charge = this.charges.get(intent['latest_charge'] as string) as StripeObject;
    const txn = this.chargeTransaction(charge.id, amount, intent);
    Object.assign(charge, { captured: true, amount_captured: amount, amount_refunded: (charge['amount'] as number) - amount, balance_transaction: txn.id });
    Object.assign(intent, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
    this.emit('charge.captured', charge, context);
    this.emit('payment_intent.succeeded', intent, context);
    return snapshot(intent);
  }

  /** Cancels (voids) an intent that is not yet captured or canceled; an authorization on hold is released. */
  cancelPaymentIntent(id: string, reason: string | undefined, context: RequestContext): StripeObject {
    const intent = this.intent(id);
    const status = intent['status'] as string;
    if (!cancelable.includes(status)) {
      throw unexpectedState(
        `You cannot cancel this PaymentIntent because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be canceled: ${cancelable.join(', ')}.`,
        snapshot(intent),
      );
    }
    if (status === 'requires_capture') {
      const charge = this.charges.get(intent['latest_charge'] as string);
      if (charge) Object.assign(charge, { refunded: true, amount_refunded: charge['amount'] });
    }
    Object.assign(intent, { status: 'canceled', canceled_at: this.seconds(), cancellation_reason: reason ?? null, amount_capturable: 0 });
    this.emit('payment_intent.canceled', intent, context);
    return snapshot(intent);
  }

  /** Refunds a captured charge (or a PaymentIntent's charge): all that is left, or `amount` of it. */
  createRefund(fields: { paymentIntent?: string; charge?: string; amount?: number; reason: string | null; metadata: Record<string, string> }, context: RequestContext): StripeObject {
    let charge: StripeObject | undefined;
    if (fields.charge !== undefined) {
      charge = this.charges.get(fields.charge);
      if (!charge) throw resourceMissing('charge', fields.charge, 'charge');
      if (fields.paymentIntent !== undefined && charge['payment_intent'] !== fields.paymentIntent) {
        throw invalidRequest('parameter_invalid', `Charge ${fields.charge} does not belong to PaymentIntent ${fields.paymentIntent}.`, 'payment_intent');
      }
    } else {
      const intent = this.intent(fields.paymentIntent as string);
      if (intent['status'] !== 'succeeded') {
        throw invalidRequest('payment_intent_unexpected_state', `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, 'payment_intent');
      }
      charge = this.charges.get(intent['latest_charge'] as string) as StripeObject;
    }
    if (charge['captured'] !== true) throw invalidRequest('charge_not_captured', `Charge ${charge.id} has not been captured; cancel its PaymentIntent instead.`, 'charge');
    if (charge['disputed'] === true) throw invalidRequest('charge_disputed', `Charge ${charge.id} has been charged back; cannot issue a refund.`, 'charge');
    const refunds = charge['refunds'] as { data: StripeObject[]; total_count: number };
    const refunded = refunds.data.reduce((sum, refund) => sum + (refund['amount'] as number), 0);
    const refundable = (charge['amount_captured'] as number) - refunded;
    const currency = charge['currency'] as string;
    if (refundable <= 0) throw invalidRequest('charge_already_refunded', `Charge ${charge.id} has already been refunded.`, 'charge');
    const amount = fields.amount ?? refundable;
    if (amount < 1) throw invalidRequest('amount_too_small', 'Refund amount must be at least 1.', 'amount');
    if (amount > refundable) {
      throw invalidRequest('amount_too_large', `Refund amount (${display(amount, currency)}) is greater than unrefunded amount on charge (${display(refundable, currency)})`, 'amount');
    }
    const id = stripeId('re');
    const txn = this.presented(-amount, currency, () => 0, { type: 'refund', reportingCategory: 'refund', source: id, description: `REFUND FOR CHARGE (${charge.id})` });
    const refund = refundObject({ id, amount, charge, created: this.seconds(), reason: fields.reason, metadata: fields.metadata, balanceTransaction: txn.id });
    this.refunds.set(id, refund);
    refunds.data.unshift(refund);
    refunds.total_count = refunds.data.length;
    const released = (charge['amount'] as number) - (charge['amount_captured'] as number);
    Object.assign(charge, { amount_refunded: released + refunded + amount, refunded: refunded + amount === charge['amount_captured'] });
    this.emit('charge.refunded', charge, context);
    this.emit('refund.created', refund, context);
    return snapshot(refund);
  }

  /** A chargeback on a captured charge (default: what was not refunded): the amount and Stripe's dispute fee leave the balance. */
  createDispute(chargeId: string, fields: { amount?: number; reason?: string }): StripeObject {
    const charge = this.charges.get(chargeId);
    if (!charge) throw resourceMissing('charge', chargeId, 'charge');
    if (charge['captured'] !== true) throw invalidRequest('charge_not_captured', `Charge ${chargeId} has not been captured, so it cannot be disputed.`, 'charge');
    if (charge['disputed'] === true) throw invalidRequest('charge_disputed', `Charge ${chargeId} is already disputed.`, 'charge');
    const refunded = (charge['refunds'] as { data: StripeObject[] }).data.reduce((sum, refund) => sum + (refund['amount'] as number), 0);
    const disputable = (charge['amount_captured'] as number) - refunded;
    const amount = fields.amount ?? disputable;
    if (amount < 1 || amount > disputable) throw invalidRequest('amount_too_large', `Charge ${chargeId} has ${disputable} left to dispute.`, 'amount');
    const id = stripeId('dp');
    const txn = this.presented(-amount, charge['currency'] as string, () => this.options.fees.dispute, {
      feeDescription: 'Dispute fee',
      type: 'adjustment',
      reportingCategory: 'dispute',
      source: id,
      description: `Chargeback withdrawal for ${chargeId}`,
    });
    const dispute = disputeObject({ id, amount, charge, created: this.seconds(), reason: fields.reason ?? 'fraudulent', balanceTransaction: snapshot(txn) });
    this.disputes.set(id, dispute);
    charge['disputed'] = true;
    this.emit('charge.dispute.created', dispute, sandbox);
    this.emit('charge.dispute.funds_withdrawn', dispute, sandbox);
    return snapshot(dispute);
  }

  private unpaid(currency: string): StripeObject[] {
    return this.balanceTransactions.filter((txn) => txn['currency'] === currency && !this.txnPayout.has(txn.id));
  }

  /** Pays out everything not yet paid out in a currency (default: the one with most money, else the settlement currency): a pending payout. */
  createPayout(currency: string | undefined): StripeObject {
    const chosen = currency ?? this.balance().available.slice().sort((a, b) => b.amount - a.amount)[0]?.currency ?? this.options.exchange.settlementCurrency;
    const members = this.unpaid(chosen);
    const amount = members.reduce((sum, txn) => sum + (txn['net'] as number), 0);
    if (amount <= 0) {
      throw invalidRequest('balance_insufficient', `You have insufficient funds in your Stripe account for this transfer. Your available balance is ${display(amount, chosen)}.`, 'amount');
    }
    const id = stripeId('po');
    const own = this.transaction({ amount: -amount, fee: 0, currency: chosen, type: 'payout', reportingCategory: 'payout', source: id, description: 'STRIPE PAYOUT' });
    for (const txn of [...members, own]) this.txnPayout.set(txn.id, id);
    const created = this.seconds();
    const payout = payoutObject({ id, amount, currency: chosen, created, arrivalDate: created - (created % 86_400), balanceTransaction: own.id });
    this.payouts.set(id, payout);
    this.emit('payout.created', payout, sandbox);
    return snapshot(payout);
  }

  /** The bank received the payout. */
  payoutPaid(id: string): StripeObject {
    const payout = this.payouts.get(id);
    if (!payout) throw resourceMissing('payout', id, 'payout');
    Object.assign(payout, { status: 'paid', trace_id: { status: 'supported', value: `TB${id.slice(-10).toUpperCase()}` } });
    this.emit('payout.paid', payout, sandbox);
    return snapshot(payout);
  }

  /** The account balance: every balance transaction's net, by currency (all of it available). */
  balance(): { object: 'balance'; available: { amount: number; currency: string; source_types: { card: number } }[]; pending: unknown[]; connect_reserved: unknown[]; livemode: false } {
    const totals = new Map<string, number>();
    for (const txn of this.balanceTransactions) totals.set(txn['currency'] as string, (totals.get(txn['currency'] as string) ?? 0) + (txn['net'] as number));
    if (totals.size === 0) totals.set(this.options.exchange.settlementCurrency, 0);
    const currencies = [...totals.keys()].sort();
    return {
      object: 'balance',
      available: currencies.map((currency) => ({ amount: totals.get(currency) as number, currency, source_types: { card: totals.get(currency) as number } })),
      pending: currencies.map((currency) => ({ amount: 0, currency, source_types: { card: 0 } })),
      connect_reserved: currencies.map((currency) => ({ amount: 0, currency })),
      livemode: false,
    };
  }

  /** Balance transactions, newest first, optionally those of one payout (its own debit included) or of one type. */
  listBalanceTransactions(filter: { payout?: string; type?: string; limit: number; startingAfter?: string; endingBefore?: string }): StripeListPage {
    if (filter.payout !== undefined && !this.payouts.has(filter.payout)) throw resourceMissing('payout', filter.payout, 'payout');
    const items = this.balanceTransactions
      .filter((txn) => (filter.payout === undefined || this.txnPayout.get(txn.id) === filter.payout) && (filter.type === undefined || txn['type'] === filter.type))
      .reverse();
    return page(items, filter, '/v1/balance_transactions', 'balance_transaction');
  }

  /** Refunds, newest first, optionally of one PaymentIntent or charge and within a `created` range (epoch seconds). */
  listRefunds(filter: { paymentIntent?: string; charge?: string; created: { gt?: number; gte?: number; lt?: number; lte?: number }; limit: number; startingAfter?: string; endingBefore?: string }): StripeListPage {
    const { gt, gte, lt, lte } = filter.created;
    const items = [...this.refunds.values()]
      .filter((refund) => {
        const created = refund['created'] as number;
        return (
          (filter.paymentIntent === undefined || refund['payment_intent'] === filter.paymentIntent) &&
          (filter.charge === undefined || refund['charge'] === filter.charge) &&
          (gt === undefined || created > gt) &&
          (gte === undefined || created >= gte) &&
          (lt === undefined || created < lt) &&
          (lte === undefined || created <= lte)
        );
      })
      .reverse();
    return page(items, filter, '/v1/refunds', 'refund');
  }

  /** Payouts, newest first, optionally of one status and within a `created` range (epoch seconds). */
  listPayouts(filter: { status?: string; created: { gt?: number; gte?: number; lt?: number; lte?: number }; limit: number; startingAfter?: string; endingBefore?: string }): StripeListPage {
    const { gt, gte, lt, lte } = filter.created;
    const items = [...this.payouts.values()]
      .filter((payout) => {
        const created = payout['created'] as number;
        return (
          (filter.status === undefined || payout['status'] === filter.status) &&
          (gt === undefined || created > gt) &&
          (gte === undefined || created >= gte) &&
          (lt === undefined || created < lt) &&
          (lte === undefined || created <= lte)
        );
      })
      .reverse();
    return page(items, filter, '/v1/payouts', 'payout');
  }

  listEvents(filter: { type?: string; limit: number; startingAfter?: string; endingBefore?: string }): StripeListPage {
    const items = this.events.filter((event) => filter.type === undefined || event['type'] === filter.type).reverse();
    return page(items, filter, '/v1/events', 'event');
  }
}
