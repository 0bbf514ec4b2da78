import { randomBytes } from 'node:crypto';
import type { FastifyError } from 'fastify';
import { z } from 'zod';
import { createWebhookSender, startEmulator, type DeliveryRecord, type EmulatedError, type RunningEmulator } from '../../framework/index.js';
import { isLiveKey, stripeApiVersion, stripeRateLimits } from '../config.js';
import { stripeWebhookHeaders } from '../webhooks.js';
import { apiError, malformedRequest, rateLimited, StripeApiFailure } from './errors.js';
import type { StripeObject } from './objects.js';
import { newestFirst, registerVendorRoutes, sendFailure, type Behaviour, type RequestRecord } from './routes.js';
import { StripeState, type StripeFees } from './state.js';
import type { StripeExchangeSettings } from './exchange.js';

/** Credentials of the emulated Stripe account. */
export interface StripeCredentials {
  secretKey: string;
  webhookSecret: string;
}

/** Options of the Stripe emulator. */
export interface StripeEmulatorOptions {
  port?: number;
  /** Drives fault injection (a scripted sequence makes faults deterministic). */
  random?: () => number;
  now?: () => number;
  /** Where events are delivered (also `POST /_sandbox/webhooks`); none are sent while unset. */
  webhookUrl?: string;
  credentials?: Partial<StripeCredentials>;
  /** The account's default API version, stamped on events (default: the version Tillbridge pins). */
  apiVersion?: string;
  /** Pricing in Stripe's units (default 2.9% + 30 per charge, 1500 per dispute). */
  fees?: Partial<StripeFees>;
  /** Requests per second per key for reads and for writes (default by key mode: test 25, live 100); null turns it off. */
  rateLimit?: number | null;
  /** Retry-After of a 429, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** How long a sandbox payout stays pending before it is paid, in ms (default 50). */
  payoutDelayMs?: number;
  /** Delivery attempts per webhook while the receiver fails (default 5). */
  webhookAttempts?: number;
  /** The account's default (settlement) currency (default usd): charges in other currencies settle in it, converted. */
  settlementCurrency?: string;
  /** Settlement units per one unit of a presentment currency (decimal strings by currency), over the sandbox's fixed table. */
  exchangeRates?: Record<string, string>;
}

/** A running Stripe emulator. */
export type RunningStripeEmulator = RunningEmulator & {
  credentials: StripeCredentials;
  /** Resolves once no payout is waiting to be paid and every webhook delivery has finished. */
  idle(): Promise<void>;
  deliveries(): readonly DeliveryRecord[];
};

const WebhookTarget = z.object({ url: z.url({ protocol: /^https?$/ }).nullable() });
const PayoutRequest = z.object({ currency: z.string().regex(/^[A-Za-z]{3}$/).optional() }).nullish();
const DisputeRequest = z.object({ charge: z.string().min(1), amount: z.int().positive().optional(), reason: z.string().min(1).optional() });
const PaymentsRequest = z.object({
  amount: z.int().positive(),
  currency: z.string().regex(/^[A-Za-z]{3}$/).default('usd'),
  count: z.int().min(1).max(1000).default(1),
  captureMethod: z.enum(['automatic', 'manual']).default('automatic'),
  paymentMethod: z.string().min(1).default('pm_card_visa'),
  metadata: z.record(z.string(), z.string()).default({}),
  description: z.string().optional(),
});
const Rate = z.string().regex(/^\d+(\.\d+)?$/).refine((rate) => /[1-9]/.test(rate), { error: 'an exchange rate is a positive decimal string' });
const AccountUpdate = z
  .object({
    settlementCurrency: z.string().regex(/^[A-Za-z]{3}$/).optional(),
    exchangeRates: z.record(z.string().regex(/^[A-Za-z]{3}$/), Rate).optional(),
  })
  .strict();

/** Lower-cased currency keys, as the state keeps them. */
const lowerKeys = (rates: Record<string, string>) => Object.fromEntries(Object.entries(rates).map(([currency, rate]) => [currency.toLowerCase(), rate]));

const BehaviourUpdate = z.object({ lostResponses: z.int().min(0).optional(), savedErrors: z.int().min(0).optional(), conflicts: z.int().min(0).optional() }).strict();

function sandboxInvalid(error: z.ZodError): StripeApiFailure {
  return malformedRequest(error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
}

/**
 * Starts the emulated Stripe API (v1): Bearer secret-key auth, form-encoded bodies in bracket
 * notation, PaymentIntents with test cards (capture, cancel, declines), Refunds, Charges, the Balance
 * and its BalanceTransactions (2.9% + 30 fees), Payouts, Events, Stripe's idempotency, and every
 * change delivered as a signed webhook. Sandbox routes make payouts and disputes happen. The account
 * settles in one currency (default usd): a charge, refund or dispute in another currency moves the
 * balance converted at the sandbox's fixed rates (`exchange_rate` set; `POST /_sandbox/account` changes them).
 */
export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<RunningStripeEmulator> {
  const now = options.now ?? Date.now;
  const credentials: StripeCredentials = {
    secretKey: options.credentials?.secretKey ?? `sk_test_${randomBytes(24).toString('hex')}`,
    webhookSecret: options.credentials?.webhookSecret ?? `whsec_${randomBytes(24).toString('hex')}`,
  };
  const apiVersion = options.apiVersion ?? stripeApiVersion;
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const payoutDelayMs = options.payoutDelayMs ?? 50;
  const behaviour: Behaviour = { lostResponses: 0, savedErrors: 0, conflicts: 0 };
  const requests: RequestRecord[] = [];
  let webhookUrl: string | null = options.webhookUrl ?? null;

  // After close, in-flight deliveries abort and retries are answered like a revoked endpoint (401), so they stop.
  const closing = new AbortController();
  const sender = createWebhookSender({
    fetch: async (input, init) => {
      if (closing.signal.aborted) return new Response(null, { status: 401, statusText: 'emulator closed' });
      return fetch(input, { ...init, signal: AbortSignal.any([closing.signal, ...(init?.signal ? [init.signal] : [])]) });
    },
  });
  const publish = (event: StripeObject) => {
    if (!webhookUrl) return;
    const body = JSON.stringify(event, null, 2);
    const headers = stripeWebhookHeaders(body, credentials.webhookSecret, Math.floor(now() / 1000));
    sender.send({ url: webhookUrl, headers, body }, event['type'] as string, options.webhookAttempts !== undefined ? { attempts: options.webhookAttempts } : {});
  };

  const initialAccount = AccountUpdate.parse({ settlementCurrency: options.settlementCurrency, exchangeRates: options.exchangeRates });
  const exchange: StripeExchangeSettings = {
    settlementCurrency: initialAccount.settlementCurrency?.toLowerCase() ?? 'usd',
    exchangeRates: lowerKeys(initialAccount.exchangeRates ?? {}),
  };
  const state = new StripeState({
    now,
    apiVersion,
    fees: { rate: options.fees?.rate ?? '0.029', fixed: options.fees?.fixed ?? 30, dispute: options.fees?.dispute ?? 1500 },
    exchange,
    publish,
  });
  const timers = new Map<NodeJS.Timeout, () => void>();
  const pendingPayouts = new Set<Promise<void>>();
  const schedulePaid = (id: string) => {
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        state.payoutPaid(id);
        resolve();
      }, payoutDelayMs);
      timers.set(timer, resolve);
    });
    pendingPayouts.add(done);
    void done.finally(() => pendingPayouts.delete(done));
  };

  let vendor: ReturnType<typeof registerVendorRoutes> | undefined;
  const rateLimit = options.rateLimit === undefined ? (isLiveKey(credentials.secretKey) ? stripeRateLimits.live : stripeRateLimits.test) : options.rateLimit;

  const emulator = await startEmulator({
    name: 'stripe',
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.random ? { random: options.random } : {}),
    now,
    faultResponse(kind): EmulatedError {
      const failure = kind === 'rate-limit' ? rateLimited(retryAfterSeconds) : apiError(kind === 'outage' ? 503 : 500);
      return { status: failure.status, headers: { 'content-type': 'application/json', ...failure.headers }, body: failure.body() };
    },
    state: () => ({
      webhookUrl,
      apiVersion,
      behaviour,
      account: exchange,
      counts: {
        paymentIntents: state.paymentIntents.size,
        charges: state.charges.size,
        refunds: state.refunds.size,
        disputes: state.disputes.size,
        payouts: state.payouts.size,
        balanceTransactions: state.balanceTransactions.length,
        events: state.events.length,
        idempotencyKeys: vendor?.idempotencyKeys() ?? 0,
      },
      balance: state.balance(),
      paymentIntents: newestFirst(state.paymentIntents.values()),
      charges: newestFirst(state.charges.values()),
      refunds: newestFirst(state.refunds.values()),
      disputes: newestFirst(state.disputes.values()),
      payouts: newestFirst(state.payouts.values()),
      balanceTransactions: newestFirst(state.balanceTransactions, 1000),
      events: newestFirst(state.events, 1000).map((event) => ({ id: event.id, type: event['type'], created: event['created'] })),
      rateLimited: vendor?.rateLimited() ?? 0,
      requests: requests.slice(-200),
      deliveries: sender.deliveries(),
    }),
    routes(app) {
      app.setErrorHandler((error: FastifyError, _request, reply) => {
        const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        return sendFailure(reply, status === 500 ? apiError(500) : new StripeApiFailure(status, { type: 'invalid_request_error', message: error.message }, false));
      });
      app.setNotFoundHandler((request, reply) =>
        sendFailure(
          reply,
          new StripeApiFailure(404, {
            type: 'invalid_request_error',
            message: `Unrecognized request URL (${request.method}: ${request.url.split('?')[0]}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
          }),
        ),
      );
      vendor = registerVendorRoutes(app, {
        state,
        secretKey: credentials.secretKey,
        apiVersion,
        now,
        rateLimit,
        retryAfterSeconds,
        behaviour,
        log(record) {
          requests.push(record);
          if (requests.length > 1000) requests.shift();
        },
      });

      const sandbox = <T extends z.ZodType>(url: string, schema: T, run: (body: z.output<T>) => unknown) =>
        app.post(url, async (request, reply) => {
          const body = schema.safeParse(request.body ?? undefined);
          if (!body.success) return sendFailure(reply, sandboxInvalid(body.error));
          try {
            return await run(body.data);
          } catch (error) {
            if (error instanceof StripeApiFailure) return sendFailure(reply, error);
            throw error;
          }
        });

      sandbox('/_sandbox/webhooks', WebhookTarget, (body) => {
        webhookUrl = body.url;
        return { url: webhookUrl };
      });
      sandbox('/_sandbox/payouts', PayoutRequest, (body) => {
        const payout = state.createPayout(body?.currency?.toLowerCase());
        schedulePaid(payout.id);
        return payout;
      });
      sandbox('/_sandbox/disputes', DisputeRequest, (body) =>
        state.createDispute(body.charge, { ...(body.amount !== undefined ? { amount: body.amount } : {}), ...(body.reason !== undefined ? { reason: body.reason } : {}) }),
      );
      sandbox('/_sandbox/payments', PaymentsRequest, (body) => {
        const context = { requestId: null, idempotencyKey: null };
        const intents: StripeObject[] = [];
        for (let n = 0; n < body.count; n++) {
          try {
            intents.push(
              state.createPaymentIntent(
                {
                  amount: body.amount,
                  currency: body.currency.toLowerCase(),
                  captureMethod: body.captureMethod,
                  metadata: body.metadata,
                  description: body.description ?? null,
                  receiptEmail: null,
                  paymentMethod: body.paymentMethod,
                  confirm: true,
                },
                context,
              ),
            );
          } catch (error) {
            if (!(error instanceof StripeApiFailure) || error.status !== 402) throw error;
            intents.push(error.error.payment_intent as StripeObject);
          }
        }
        return { object: 'list', data: intents, has_more: false, url: '/_sandbox/payments' };
      });
      app.get('/_sandbox/account', async () => exchange);
      sandbox('/_sandbox/account', AccountUpdate, (body) => {
        if (body.settlementCurrency !== undefined) exchange.settlementCurrency = body.settlementCurrency.toLowerCase();
        if (body.exchangeRates !== undefined) Object.assign(exchange.exchangeRates, lowerKeys(body.exchangeRates));
        return exchange;
      });
      app.get('/_sandbox/behaviour', async () => behaviour);
      sandbox('/_sandbox/behaviour', BehaviourUpdate, (body) => Object.assign(behaviour, body));
    },
  });

  return {
    ...emulator,
    credentials,
    async idle() {
      do {
        await Promise.all([...pendingPayouts]);
        await sender.idle();
      } while (pendingPayouts.size > 0);
    },
    deliveries: () => sender.deliveries(),
    async close() {
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
      closing.abort();
      await emulator.close();
    },
  };
}
