/** Stripe's error object, as in `{"error": {...}}`. */
export interface StripeErrorObject {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error' | 'rate_limit_error';
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  request_log_url?: string;
}

/**
 * A Stripe error answer. `saved` says whether Stripe stores it under the request's idempotency key:
 * errors after the endpoint began work are saved and replayed; parameter validation errors are not.
 */
export class StripeApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: StripeErrorObject,
    readonly saved: boolean = true,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
    this.name = 'StripeApiFailure';
  }

  body(): { error: StripeErrorObject } {
    return { error: this.error };
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;

/** 400 invalid_request_error with a code (saved under the idempotency key: the endpoint ran). */
export function invalidRequest(code: string, message: string, param?: string): StripeApiFailure {
  return new StripeApiFailure(400, { type: 'invalid_request_error', code, doc_url: docUrl(code), message, ...(param ? { param } : {}) });
}

/**
 * 400 payment_intent_unexpected_state with the PaymentIntent itself in `error.payment_intent`, as
 * Stripe answers an operation the intent's status does not allow (saved under the idempotency key).
 */
export function unexpectedState(message: string, paymentIntent: unknown): StripeApiFailure {
  const code = 'payment_intent_unexpected_state';
  return new StripeApiFailure(400, { type: 'invalid_request_error', code, doc_url: docUrl(code), message, payment_intent: paymentIntent });
}

/** 400 for a parameter that is missing or malformed (not saved: validation happens before the endpoint runs). */
export function parameterError(code: 'parameter_missing' | 'parameter_invalid_integer' | 'parameter_invalid_empty' | 'parameter_unknown' | 'parameter_invalid_string', message: string, param: string): StripeApiFailure {
  return new StripeApiFailure(400, { type: 'invalid_request_error', code, doc_url: docUrl(code), message, param }, false);
}

/** 400 without a code, for malformed requests (not saved). */
export function malformedRequest(message: string, param?: string): StripeApiFailure {
  return new StripeApiFailure(400, { type: 'invalid_request_error', message, ...(param ? { param } : {}) }, false);
}

/** 404 resource_missing: `No such payment_intent: 'pi_…'` (not saved). */
export function resourceMissing(kind: string, id: string, param: string): StripeApiFailure {
  return new StripeApiFailure(404, { type: 'invalid_request_error', code: 'resource_missing', doc_url: docUrl('resource_missing'), message: `No such ${kind}: '${id}'`, param }, false);
}

/** 400 idempotency_error: the key was first used with other parameters. */
export function idempotencyMismatch(key: string): StripeApiFailure {
  return new StripeApiFailure(
    400,
    {
      type: 'idempotency_error',
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    },
    false,
  );
}

/** 409 idempotency_error: another request with the same key is still running; Stripe asks to retry. */
export function idempotencyConflict(): StripeApiFailure {
  return new StripeApiFailure(
    409,
    { type: 'idempotency_error', message: 'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): please try again later.' },
    false,
    { 'stripe-should-retry': 'true' },
  );
}

/** 401 for a missing or unknown API key, as Stripe words it (the key masked to its mode and last four). */
export function authenticationFailure(key: string | undefined): StripeApiFailure {
  if (!key) {
    return new StripeApiFailure(
      401,
      {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      },
      false,
      { 'www-authenticate': 'Bearer realm="Stripe"' },
    );
  }
  const prefix = /^(?:sk|rk|pk)_(?:test|live)_/.exec(key)?.[0] ?? '';
  return new StripeApiFailure(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${prefix}****${key.slice(-4)}` }, false, {
    'www-authenticate': 'Bearer realm="Stripe"',
  });
}

/** 429 rate_limit_error. */
export function rateLimited(retryAfterSeconds: number): StripeApiFailure {
  return new StripeApiFailure(
    429,
    {
      type: 'rate_limit_error',
      code: 'rate_limit',
      doc_url: docUrl('rate_limit'),
      message: 'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
    },
    false,
    { 'retry-after': String(retryAfterSeconds) },
  );
}

/** 500/503 api_error. */
export function apiError(status = 500, headers: Record<string, string> = {}): StripeApiFailure {
  return new StripeApiFailure(
    status,
    {
      type: 'api_error',
      message:
        status === 503
          ? 'Stripe is temporarily unavailable. Please try again later; see https://status.stripe.com for updates.'
          : "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach out to support at https://support.stripe.com/.",
    },
    true,
    headers,
  );
}
