import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCurrencyCode } from '../../../model/index.js';
import { signaturesEqual } from '../../framework/index.js';
import { stripeCurrencyExponent } from '../amounts.js';
import { decodeStripeFormText, StripeFormError, type StripeFormObject } from '../form.js';
import { apiError, authenticationFailure, idempotencyConflict, idempotencyMismatch, invalidRequest, malformedRequest, parameterError, rateLimited, StripeApiFailure } from './errors.js';
import { IdempotencyStore, requestFingerprint } from './idempotency.js';
import { snapshot, stripeId, type StripeObject } from './objects.js';
import { booleanParam, enumParam, integerParam, listParam, metadataParam, onlyKnown, stringParam } from './params.js';
import type { RequestContext, StripeState } from './state.js';

/** Misbehaviour the sandbox can ask for, counted down per POST. */
export interface Behaviour {
  /** The next N POSTs run and their answer is saved under the key, but the client gets a 500 (an answer lost on the way back). */
  lostResponses: number;
  /** The next N POSTs fail inside Stripe: a 500 with `Stripe-Should-Retry: false`, saved under the key (nothing changes). */
  savedErrors: number;
  /** The next N POSTs meet a concurrent request with the same key: 409 with `Stripe-Should-Retry: true` (not saved). */
  conflicts: number;
}

/** One API request as the emulator saw it (for the state page and tests). */
export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  idempotencyKey?: string;
  replayed?: boolean;
  lost?: boolean;
}

/** What the vendor routes need. */
export interface VendorRouteOptions {
  state: StripeState;
  secretKey: string;
  apiVersion: string;
  now: () => number;
  /** Requests per second per key, separately for reads and writes; null turns the limiter off. */
  rateLimit: number | null;
  retryAfterSeconds: number;
  behaviour: Behaviour;
  log(record: RequestRecord): void;
}

type Handler = (params: StripeFormObject, routeParams: Record<string, string>, context: RequestContext) => unknown;

function bucket(perSecond: number, now: () => number) {
  let tokens = perSecond;
  let at = now();
  return () => {
    const t = now();
    tokens = Math.min(perSecond, tokens + ((t - at) / 1000) * perSecond);
    at = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

function keyOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (bearer) return bearer;
  const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  if (!basic) return undefined;
  return Buffer.from(basic, 'base64').toString('utf8').split(':')[0] || undefined;
}

/** Sends a Stripe error answer. */
export function sendFailure(reply: FastifyReply, failure: StripeApiFailure): FastifyReply {
  return reply.code(failure.status).headers({ 'content-type': 'application/json', ...failure.headers }).send(failure.body());
}

const pageLimit = (params: StripeFormObject) => {
  const limit = integerParam(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw parameterError('parameter_invalid_integer', `This value must be greater than or equal to 1 and less than or equal to 100 (limit: ${limit}).`, 'limit');
  return limit;
};

/** `created` as Stripe takes it on lists: an epoch second, or `created[gt|gte|lt|lte]`. */
const createdRange = (params: StripeFormObject): { gt?: number; gte?: number; lt?: number; lte?: number } => {
  const created = params['created'];
  if (created === undefined) return {};
  if (typeof created === 'string') {
    const at = integerParam(params, 'created');
    return at === undefined ? {} : { gte: at, lte: at };
  }
  if (Array.isArray(created)) throw parameterError('parameter_invalid_integer', 'Invalid created: must be an integer or a hash of gt, gte, lt, lte', 'created');
  const bounds: { gt?: number; gte?: number; lt?: number; lte?: number } = {};
  for (const bound of ['gt', 'gte', 'lt', 'lte'] as const) {
    if (created[bound] === undefined) continue;
    const value = integerParam(created as StripeFormObject, bound);
    if (value !== undefined) bounds[bound] = value;
  }
  return bounds;
};

const cursors = (params: StripeFormObject) => ({
  ...(stringParam(params, 'starting_after') !== undefined ? { startingAfter: stringParam(params, 'starting_after') as string } : {}),
  ...(stringParam(params, 'ending_before') !== undefined ? { endingBefore: stringParam(params, 'ending_before') as string } : {}),
});

/** The Stripe API v1 routes: auth, rate limits, form bodies, idempotency, expand, and the endpoints Tillbridge uses. */
export function registerVendorRoutes(app: FastifyInstance, options: VendorRouteOptions): { rateLimited: () => number; idempotencyKeys: () => number } {
  const { state } = options;
  const idempotency = new IdempotencyStore(options.now);
  const reads = options.rateLimit ? bucket(options.rateLimit, options.now) : undefined;
  const writes = options.rateLimit ? bucket(options.rateLimit, options.now) : undefined;
  let limited = 0;

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    reply.headers({ 'request-id': stripeId('req', 14), 'stripe-version': options.apiVersion });
    const key = keyOf(request);
    if (!key || !signaturesEqual(options.secretKey, key)) return sendFailure(reply, authenticationFailure(key));
    const version = request.headers['stripe-version'];
    if (typeof version === 'string') {
      if (!/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(version)) return sendFailure(reply, malformedRequest(`Invalid Stripe API version: ${version}`));
      reply.header('stripe-version', version);
    }
    const take = request.method === 'GET' ? reads : writes;
    if (take && !take()) {
      limited += 1;
      return sendFailure(reply, rateLimited(options.retryAfterSeconds));
    }
  });

  const expand = (value: unknown, path: string[], full: string): unknown => {
    if (path.length === 0 || value === null || typeof value !== 'object') return value;
    const [head, ...rest] = path as [string, ...string[]];
    const object = value as Record<string, unknown>;
    if (!(head in object)) throw malformedRequest(`This property cannot be expanded (${full}).`, 'expand');
    const field = object[head];
    if (Array.isArray(field)) object[head] = field.map((item) => expand(item, rest, full));
    else if (typeof field === 'string') {
      const found = state.find(field);
      if (!found) throw malformedRequest(`This property cannot be expanded (${full}).`, 'expand');
      object[head] = expand(snapshot(found), rest, full);
    } else if (field !== null) object[head] = expand(field, rest, full);
    return value;
  };

  const endpoint = (method: 'GET' | 'POST', url: string, allowed: readonly string[], handler: Handler) => {
    app.route({
      method,
      url,
      handler: async (request, reply) => {
        const path = request.url.split('?')[0] as string;
        const requestId = String(reply.getHeader('request-id'));
        const idempotencyKey = method === 'POST' ? (request.headers['idempotency-key'] as string | undefined) : undefined;
        const record = (status: number, extra: Partial<RequestRecord> = {}) =>
          options.log({ method, path, status, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}), ...extra });
        const fail = (failure: StripeApiFailure) => {
          record(failure.status);
          return sendFailure(reply, failure);
        };

        if (method === 'POST' && /json/i.test(request.headers['content-type'] ?? '')) {
          return fail(malformedRequest(`Invalid request: unsupported Content-Type ${request.headers['content-type']}. If error persists and you need assistance, please contact support@stripe.com.`));
        }
        let params: StripeFormObject;
        try {
          const raw = method === 'GET' ? (request.url.split('?')[1] ?? '') : typeof request.body === 'string' ? request.body : '';
          params = decodeStripeFormText(raw);
        } catch (error) {
          if (error instanceof StripeFormError) return fail(malformedRequest(error.message, error.param));
          throw error;
        }
        if (idempotencyKey !== undefined && idempotencyKey.length > 255) {
          return fail(malformedRequest('Invalid idempotency key: keys may be at most 255 characters long.'));
        }
        const fingerprint = requestFingerprint(method, path, params);
        if (idempotencyKey !== undefined) {
          const previous = idempotency.lookup(options.secretKey, idempotencyKey, fingerprint);
          if (previous.kind === 'mismatch') return fail(idempotencyMismatch(idempotencyKey));
          if (previous.kind === 'replay') {
            record(previous.response.status, { replayed: true });
            return reply
              .code(previous.response.status)
              .headers({ 'content-type': 'application/json', ...previous.response.headers, 'idempotent-replayed': 'true', 'original-request': previous.response.requestId })
              .send(previous.response.body);
          }
        }
        try {
          onlyKnown(params, allowed);
        } catch (error) {
          if (error instanceof StripeApiFailure) return fail(error);
          throw error;
        }

        if (method === 'POST' && options.behaviour.conflicts > 0) {
          options.behaviour.conflicts -= 1;
          return fail(idempotencyConflict());
        }
        let status = 200;
        let body: unknown;
        let headers: Record<string, string> = {};
        let saved = true;
        try {
          if (method === 'POST' && options.behaviour.savedErrors > 0) {
            options.behaviour.savedErrors -= 1;
            throw apiError(500, { 'stripe-should-retry': 'false' });
          }
          const context: RequestContext = { requestId, idempotencyKey: idempotencyKey ?? null };
          const result = handler(params, request.params as Record<string, string>, context);
          const paths = listParam(params, 'expand');
          for (const item of paths) expand(result, item.split('.'), item);
          body = result;
        } catch (error) {
          if (!(error instanceof StripeApiFailure)) throw error;
          ({ status, headers } = error);
          body = error.body();
          saved = error.saved;
        }
        if (idempotencyKey !== undefined && saved) idempotency.save(options.secretKey, idempotencyKey, fingerprint, { status, body, headers, requestId });
        if (method === 'POST' && options.behaviour.lostResponses > 0) {
          options.behaviour.lostResponses -= 1;
          record(500, { lost: true });
          return sendFailure(reply, apiError(500));
        }
        record(status);
        return reply.code(status).headers({ 'content-type': 'application/json', ...headers }).send(body);
      },
    });
  };

  const newIntentParams = ['amount', 'currency', 'capture_method', 'metadata', 'confirm', 'payment_method', 'description', 'receipt_email', 'payment_method_types', 'automatic_payment_methods', 'return_url', 'statement_descriptor_suffix', 'expand'];

  endpoint('POST', '/v1/payment_intents', newIntentParams, (params, _route, context) => {
    const amount = integerParam(params, 'amount', true);
    const currency = stringParam(params, 'currency', true).toLowerCase();
    if (!isCurrencyCode(currency.toUpperCase())) throw malformedRequest(`Invalid currency: ${currency}. Stripe currently supports these currencies: usd, eur, gbp, jpy, …`, 'currency');
    if (amount < 1) throw invalidRequest('amount_too_small', 'This value must be greater than or equal to 1.', 'amount');
    const exponent = stripeCurrencyExponent(currency);
    if (exponent === 3 && amount % 10 !== 0) throw invalidRequest('invalid_charge_amount', `Invalid amount: the last digit of a ${currency} amount must be 0 (round to the nearest ten).`, 'amount');
    if (currency === 'isk' && amount % 100 !== 0) {
      throw invalidRequest('invalid_charge_amount_no_decimal_compatible', 'Invalid amount. Currency ISK has become effectively zero-decimal and charged amounts must be evenly divisible by 100.', 'amount');
    }
    return state.createPaymentIntent(
      {
        amount,
        currency,
        captureMethod: enumParam(params, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const) ?? 'automatic',
        metadata: metadataParam(params) ?? {},
        description: stringParam(params, 'description') ?? null,
        receiptEmail: stringParam(params, 'receipt_email') ?? null,
        paymentMethod: stringParam(params, 'payment_method'),
        confirm: booleanParam(params, 'confirm') ?? false,
      },
      context,
    );
  });
  endpoint('GET', '/v1/payment_intents/:id', ['expand'], (_params, route) => state.retrievePaymentIntent(route['id'] as string));
  endpoint('POST', '/v1/payment_intents/:id/confirm', ['payment_method', 'return_url', 'receipt_email', 'expand'], (params, route, context) =>
    state.confirmPaymentIntent(route['id'] as string, stringParam(params, 'payment_method'), context),
  );
  endpoint('POST', '/v1/payment_intents/:id/capture', ['amount_to_capture', 'final_capture', 'metadata', 'expand'], (params, route, context) =>
    state.capturePaymentIntent(route['id'] as string, integerParam(params, 'amount_to_capture'), context),
  );
  endpoint('POST', '/v1/payment_intents/:id/cancel', ['cancellation_reason', 'expand'], (params, route, context) =>
    state.cancelPaymentIntent(route['id'] as string, enumParam(params, 'cancellation_reason', ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const), context),
  );

  endpoint('POST', '/v1/refunds', ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'instructions_email', 'expand'], (params, _route, context) => {
    const paymentIntent = stringParam(params, 'payment_intent');
    const charge = stringParam(params, 'charge');
    if (paymentIntent === undefined && charge === undefined) {
      throw parameterError('parameter_missing', 'One of the following params should be provided for this request: payment_intent or charge.', 'charge');
    }
    const amount = integerParam(params, 'amount');
    return state.createRefund(
      {
        ...(paymentIntent !== undefined ? { paymentIntent } : {}),
        ...(charge !== undefined ? { charge } : {}),
        ...(amount !== undefined ? { amount } : {}),
        reason: enumParam(params, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null,
        metadata: metadataParam(params) ?? {},
      },
      context,
    );
  });
  endpoint('GET', '/v1/refunds', ['payment_intent', 'charge', 'created', 'limit', 'starting_after', 'ending_before', 'expand'], (params) => {
    const paymentIntent = stringParam(params, 'payment_intent');
    const charge = stringParam(params, 'charge');
    return state.listRefunds({ ...(paymentIntent !== undefined ? { paymentIntent } : {}), ...(charge !== undefined ? { charge } : {}), created: createdRange(params), limit: pageLimit(params), ...cursors(params) });
  });
  endpoint('GET', '/v1/refunds/:id', ['expand'], (_params, route) => state.retrieve('refund', route['id'] as string));
  endpoint('GET', '/v1/charges/:id', ['expand'], (_params, route) => state.retrieve('charge', route['id'] as string));
  endpoint('GET', '/v1/disputes/:id', ['expand'], (_params, route) => state.retrieve('dispute', route['id'] as string));
  endpoint('GET', '/v1/payouts', ['status', 'created', 'arrival_date', 'destination', 'limit', 'starting_after', 'ending_before', 'expand'], (params) => {
    const status = enumParam(params, 'status', ['pending', 'paid', 'failed', 'canceled', 'in_transit'] as const);
    return state.listPayouts({ ...(status !== undefined ? { status } : {}), created: createdRange(params), limit: pageLimit(params), ...cursors(params) });
  });
  endpoint('GET', '/v1/payouts/:id', ['expand'], (_params, route) => state.retrieve('payout', route['id'] as string));
  endpoint('GET', '/v1/balance', ['expand'], () => state.balance());
  endpoint('GET', '/v1/balance_transactions', ['payout', 'type', 'limit', 'starting_after', 'ending_before', 'expand', 'currency', 'source', 'created'], (params) => {
    const payout = stringParam(params, 'payout');
    const type = stringParam(params, 'type');
    return state.listBalanceTransactions({ ...(payout !== undefined ? { payout } : {}), ...(type !== undefined ? { type } : {}), limit: pageLimit(params), ...cursors(params) });
  });
  endpoint('GET', '/v1/balance_transactions/:id', ['expand'], (_params, route) => state.retrieveBalanceTransaction(route['id'] as string));
  endpoint('GET', '/v1/events/:id', ['expand'], (_params, route) => state.retrieveEvent(route['id'] as string));
  endpoint('GET', '/v1/events', ['type', 'limit', 'starting_after', 'ending_before', 'created', 'delivery_success', 'expand'], (params) => {
    const type = stringParam(params, 'type');
    return state.listEvents({ ...(type !== undefined ? { type } : {}), limit: pageLimit(params), ...cursors(params) });
  });

  return { rateLimited: () => limited, idempotencyKeys: () => idempotency.size };
}

/** The list of objects kept for the state page, newest first. */
export function newestFirst(objects: Iterable<StripeObject>, limit = 200): StripeObject[] {
  return [...objects].reverse().slice(0, limit);
}
