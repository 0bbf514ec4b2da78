import type { z } from 'zod';
import { permanentError, transientError, validatePayout, type Clock, type Money, type Payout, type SettlementLine, type Violation } from '../../model/index.js';
import {
  createCircuitBreaker,
  createHttpClient,
  unexpectedResponse,
  type HttpClient,
  type OutboundHealth,
  type OutboundRequest,
  type RateFeedback,
} from '../framework/index.js';
import { minorToStripeAmount } from './amounts.js';
import { stripeRateRule, type StripeSecrets, type StripeSettings } from './config.js';
import { stripeErrorMessage, stripeErrorOf, toStripeError } from './errors.js';
import { encodeStripeForm, type StripeFormParams } from './form.js';
import { alreadyCapturedError, cancelResult, isSameCapture, type CancelResult, type StripeCancellationReason } from './intent-outcomes.js';
import { balanceTransactionsToSettlementLines, payoutToCanonical, settlementTotals } from './mapping-settlement.js';
import { StripeBalance, StripeBalanceTransaction, StripePaymentIntent, StripePayout, StripeRefund, stripeList } from './wire.js';

/** Options of a capture. */
export interface CaptureOptions {
  /** Capture less than authorized (the rest is released); default: all of `amount_capturable`. */
  amountToCapture?: Money;
  /** Required: the same key on every retry of this capture makes it happen once. */
  idempotencyKey: string;
  signal?: AbortSignal;
}

/** Options of a void (cancel) of a PaymentIntent that is not captured yet. */
export interface CancelOptions {
  /** Required: the same key on every retry of this void makes it happen once. */
  idempotencyKey: string;
  /** Sent as `cancellation_reason`. */
  reason?: StripeCancellationReason;
  signal?: AbortSignal;
}

/** What a capture did: captured now, replayed an earlier answer to the same key, or found the intent already captured. */
export interface CaptureResult {
  paymentIntent: StripePaymentIntent;
  outcome: 'captured' | 'replayed' | 'already_captured';
}

/** Why a refund is made, in Stripe's words. */
export type StripeRefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

/** What to refund: a PaymentIntent (its successful charge) or a Charge, all or part of it. */
export type CreateRefundOptions = ({ paymentIntent: string; charge?: undefined } | { charge: string; paymentIntent?: undefined }) & {
  /** Default: everything not yet refunded. */
  amount?: Money;
  reason?: StripeRefundReason;
  /** Stored on the Refund; put the order id under `order_id` so the refund maps to its order. */
  metadata?: Record<string, string>;
  /** Required: the same key on every retry of this refund makes it happen once. */
  idempotencyKey: string;
  signal?: AbortSignal;
};

/** A refund and whether Stripe replayed it for a repeated idempotency key. */
export interface RefundResult {
  refund: StripeRefund;
  replayed: boolean;
}

/** The balance transactions of a payout, as settlement lines with their totals (the payout's own line excluded). */
export interface PayoutTransactions {
  transactions: StripeBalanceTransaction[];
  lines: SettlementLine[];
  currency: string | undefined;
  gross: number;
  fees: number;
  net: number;
}

/** Stripe operations of one connection (PaymentSink, SettlementSource). */
export interface StripeClient {
  /** `GET /v1/balance`, and the API version Stripe answered with. */
  balance(signal?: AbortSignal): Promise<{ balance: StripeBalance; apiVersion: string | undefined }>;
  retrievePaymentIntent(id: string, signal?: AbortSignal): Promise<StripePaymentIntent>;
  /** Captures an authorized (manual-capture) PaymentIntent exactly once per idempotency key; a second, different capture is `stripe_already_captured`. */
  capturePaymentIntent(id: string, options: CaptureOptions): Promise<CaptureResult>;
  /** Voids a PaymentIntent not yet captured; already canceled is success (`alreadyCanceled`), already captured is `stripe_already_captured`. */
  cancelPaymentIntent(id: string, options: CancelOptions): Promise<CancelResult>;
  /** Refunds a PaymentIntent or Charge exactly once per idempotency key. */
  createRefund(options: CreateRefundOptions): Promise<RefundResult>;
  retrievePayout(id: string, signal?: AbortSignal): Promise<StripePayout>;
  /** Every balance transaction of a payout (all pages, sources expanded) as settlement lines. */
  payoutBalanceTransactions(payoutId: string, signal?: AbortSignal): Promise<PayoutTransactions>;
  /** The payout with its settlement lines, and what keeps it from reconciling (none when it does). */
  payoutSettlement(payoutId: string, signal?: AbortSignal): Promise<{ payout: Payout; violations: Violation[] }>;
  /** Refunds created in [fromEpochSeconds, toEpochSeconds], newest first, a page at a time (every page, lazily). */
  refundsCreated(range: { from: number; to: number }, signal?: AbortSignal): AsyncIterable<StripeRefund[]>;
  /** Payouts created in [fromEpochSeconds, toEpochSeconds], newest first, a page at a time (every page, lazily). */
  payoutsCreated(range: { from: number; to: number }, signal?: AbortSignal): AsyncIterable<StripePayout[]>;
  health(): OutboundHealth;
}

/** What the client needs to run. */
export interface StripeClientOptions {
  connectionId: string;
  settings: StripeSettings;
  secrets: Pick<StripeSecrets, 'secretKey'>;
  clock?: Clock;
  fetch?: typeof fetch;
  random?: () => number;
  /** Attempts of one call for retryable failures (default 3). */
  maxAttempts?: number;
  /** Base delay of the in-call backoff (default 200 ms). */
  baseDelayMs?: number;
}

const BalanceTransactionList = stripeList(StripeBalanceTransaction);
const RefundList = stripeList(StripeRefund);
const PayoutList = stripeList(StripePayout);
const pageLimit = 100;

/**
 * Creates the Stripe client over the shared outbound client: Bearer secret key, `Stripe-Version`,
 * form-encoded bodies, Idempotency-Key on every POST, the key mode's rate rule, and Stripe's
 * `Stripe-Should-Retry` advice (false: fail at once; true on a 409 lock conflict: retry).
 */
export function createStripeClient(options: StripeClientOptions): StripeClient {
  const { connectionId, settings } = options;
  const breaker = createCircuitBreaker(options.clock ? { clock: options.clock } : {});

  // Stripe-Should-Retry overrides the status: the outbound client retries 5xx/429 and not 409 on its own.
  const retryAdvice = (response: { status: number; headers: Headers; body: unknown }): RateFeedback | undefined => {
    const advice = response.headers.get('stripe-should-retry');
    if (advice === null || response.status < 400) return undefined;
    const detail = stripeErrorMessage(response.status, response.body) ?? `HTTP ${response.status}`;
    if (advice === 'false' && (response.status >= 500 || response.status === 429)) {
      if (response.status >= 500) breaker.failure();
      throw permanentError('stripe_should_not_retry', `${connectionId}: Stripe answered ${response.status} and asked not to retry: ${detail}`, response.status, {
        status: response.status,
        body: response.body,
      });
    }
    if (advice === 'true' && response.status === 409) {
      breaker.success();
      throw transientError('stripe_conflict', `${connectionId}: Stripe answered 409 and asked to retry: ${detail}`, { httpStatus: 409 });
    }
    return undefined;
  };

  const http: HttpClient = createHttpClient({
    connectionId,
    baseUrl: settings.baseUrl,
    vendor: { rate: settings.rateLimit ?? stripeRateRule(options.secrets.secretKey), errorMessage: stripeErrorMessage, rateFeedback: retryAdvice },
    headers: { authorization: `Bearer ${options.secrets.secretKey}`, 'stripe-version': settings.apiVersion },
    breaker,
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const parse = <T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw unexpectedResponse(connectionId, `${what}: ${parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  };

  const call = async (request: OutboundRequest) => {
    try {
      return await http.request(request);
    } catch (error) {
      throw toStripeError(error);
    }
  };

  const get = (path: string, query: StripeFormParams | undefined, signal: AbortSignal | undefined) => {
    const search = query ? encodeStripeForm(query) : '';
    return call({ method: 'GET', path: search ? `${path}?${search}` : path, ...(signal ? { signal } : {}) });
  };

  const post = async (path: string, params: StripeFormParams, idempotencyKey: string, signal: AbortSignal | undefined) => {
    if (!idempotencyKey || idempotencyKey.length > 255) {
      throw permanentError('stripe_idempotency_key_required', `${connectionId}: POST ${path} needs an Idempotency-Key of 1–255 characters`);
    }
    return call({
      method: 'POST',
      path,
      body: encodeStripeForm(params),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      idempotencyKey,
      ...(signal ? { signal } : {}),
    });
  };

  const id = (value: string) => encodeURIComponent(value);
  const stripeAmount = (money: Money | undefined) => (money ? minorToStripeAmount(money.amount, money.currency) : undefined);

  const retrievePaymentIntent = async (intentId: string, signal?: AbortSignal) =>
    parse(StripePaymentIntent, (await get(`/v1/payment_intents/${id(intentId)}`, undefined, signal)).body, `GET payment_intent ${intentId}`);

  /** The intent as it is now, when Stripe refused an operation for its status (else undefined). */
  const intentAfterRefusal = (error: unknown, intentId: string, signal: AbortSignal | undefined) =>
    stripeErrorOf(error)?.code === 'payment_intent_unexpected_state' ? retrievePaymentIntent(intentId, signal) : undefined;

  const payoutBalanceTransactions = async (payoutId: string, signal?: AbortSignal): Promise<PayoutTransactions> => {
    const transactions: StripeBalanceTransaction[] = [];
    let startingAfter: string | undefined;
    for (;;) {
      const response = await get('/v1/balance_transactions', { payout: payoutId, limit: pageLimit, starting_after: startingAfter, expand: ['data.source'] }, signal);
      const page = parse(BalanceTransactionList, response.body, `GET balance_transactions of ${payoutId}`);
      transactions.push(...page.data);
      const last = page.data.at(-1);
      if (!page.has_more) break;
      if (!last) throw unexpectedResponse(connectionId, `balance_transactions of ${payoutId}: has_more with an empty page`);
      startingAfter = last.id;
    }
    const lines = balanceTransactionsToSettlementLines(payoutId, transactions);
    return { transactions, lines, currency: lines[0]?.currency, ...settlementTotals(lines) };
  };

  const retrievePayout = async (payoutId: string, signal?: AbortSignal) =>
    parse(StripePayout, (await get(`/v1/payouts/${id(payoutId)}`, undefined, signal)).body, `GET payout ${payoutId}`);

  return {
    async balance(signal) {
      const response = await get('/v1/balance', undefined, signal);
      return { balance: parse(StripeBalance, response.body, 'GET balance'), apiVersion: response.headers.get('stripe-version') ?? undefined };
    },

    retrievePaymentIntent,

    async capturePaymentIntent(intentId, capture) {
      const amountToCapture = stripeAmount(capture.amountToCapture);
      try {
        const response = await post(`/v1/payment_intents/${id(intentId)}/capture`, { amount_to_capture: amountToCapture }, capture.idempotencyKey, capture.signal);
        const replayed = response.headers.get('idempotent-replayed') === 'true';
        return { paymentIntent: parse(StripePaymentIntent, response.body, `POST capture ${intentId}`), outcome: replayed ? 'replayed' : 'captured' };
      } catch (error) {
        // The same capture made before under another key (e.g. a redelivered message) is done; a different one is a second capture.
        const intent = await intentAfterRefusal(error, intentId, capture.signal);
        if (intent?.status !== 'succeeded') throw error;
        if (isSameCapture(intent, amountToCapture)) return { paymentIntent: intent, outcome: 'already_captured' };
        throw alreadyCapturedError(connectionId, intent, { kind: 'capture', stripeAmount: amountToCapture }, stripeErrorOf(error), error);
      }
    },

    async cancelPaymentIntent(intentId, cancel) {
      try {
        const response = await post(`/v1/payment_intents/${id(intentId)}/cancel`, { cancellation_reason: cancel.reason }, cancel.idempotencyKey, cancel.signal);
        return cancelResult(parse(StripePaymentIntent, response.body, `POST cancel ${intentId}`), false);
      } catch (error) {
        // Canceled before (a retry after a lost answer, under another key) is done; captured means refund instead.
        const intent = await intentAfterRefusal(error, intentId, cancel.signal);
        if (intent?.status === 'canceled') return cancelResult(intent, true);
        if (intent?.status === 'succeeded') throw alreadyCapturedError(connectionId, intent, { kind: 'cancel' }, stripeErrorOf(error), error);
        throw error;
      }
    },

    async createRefund(refund) {
      const response = await post(
        '/v1/refunds',
        {
          payment_intent: refund.paymentIntent,
          charge: refund.charge,
          amount: stripeAmount(refund.amount),
          reason: refund.reason,
          metadata: refund.metadata,
        },
        refund.idempotencyKey,
        refund.signal,
      );
      return { refund: parse(StripeRefund, response.body, 'POST refund'), replayed: response.headers.get('idempotent-replayed') === 'true' };
    },

    retrievePayout,
    payoutBalanceTransactions,

    async payoutSettlement(payoutId, signal) {
      const stripePayout = await retrievePayout(payoutId, signal);
      const { transactions } = await payoutBalanceTransactions(payoutId, signal);
      const payout = payoutToCanonical(stripePayout, transactions);
      return { payout, violations: validatePayout(payout) };
    },

    async *refundsCreated(range, signal) {
      let startingAfter: string | undefined;
      for (;;) {
        const response = await get('/v1/refunds', { created: { gte: range.from, lte: range.to }, limit: pageLimit, starting_after: startingAfter }, signal);
        const page = parse(RefundList, response.body, 'GET refunds');
        if (page.data.length > 0) yield page.data;
        const last = page.data.at(-1);
        if (!page.has_more || !last) return;
        startingAfter = last.id;
      }
    },

    async *payoutsCreated(range, signal) {
      let startingAfter: string | undefined;
      for (;;) {
        const response = await get('/v1/payouts', { created: { gte: range.from, lte: range.to }, limit: pageLimit, starting_after: startingAfter }, signal);
        const page = parse(PayoutList, response.body, 'GET payouts');
        if (page.data.length > 0) yield page.data;
        const last = page.data.at(-1);
        if (!page.has_more || !last) return;
        startingAfter = last.id;
      }
    },

    health: () => http.health(),
  };
}
