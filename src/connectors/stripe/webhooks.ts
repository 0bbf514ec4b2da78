import { permanentError } from '../../model/index.js';
import { hmacSha256, signaturesEqual, type InboundHeaders, type InboundIdentity, type VerifyResult } from '../framework/index.js';

/** Stripe's default tolerance for a signature's timestamp, in seconds (as its SDKs). */
export const stripeDefaultToleranceSeconds = 300;

function header(headers: InboundHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The `v1` signature of a payload: hex HMAC-SHA256 of `<t>.<raw body>`, keyed with the whole
 * signing secret string (`whsec_…` included), as Stripe and its SDKs compute it.
 */
export function signStripePayload(body: string | Buffer, webhookSecret: string, timestampSeconds: number): string {
  return hmacSha256(webhookSecret, Buffer.concat([Buffer.from(`${timestampSeconds}.`), Buffer.isBuffer(body) ? body : Buffer.from(body)]), 'hex');
}

/** A `Stripe-Signature` header value, `t=<unix seconds>,v1=<hex>` (one v1 per secret, as during a secret roll). */
export function stripeSignatureHeader(body: string | Buffer, webhookSecrets: string | readonly string[], timestampSeconds: number): string {
  const secrets = typeof webhookSecrets === 'string' ? [webhookSecrets] : webhookSecrets;
  return [`t=${timestampSeconds}`, ...secrets.map((secret) => `v1=${signStripePayload(body, secret, timestampSeconds)}`)].join(',');
}

function parseSignatureHeader(value: string): { t: number; v1: string[] } | undefined {
  let t: number | undefined;
  const v1: string[] = [];
  for (const item of value.split(',')) {
    const separator = item.indexOf('=');
    if (separator < 0) continue;
    const key = item.slice(0, separator).trim();
    const val = item.slice(separator + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(val)) t = Number(val);
    else if (key === 'v1' && val) v1.push(val);
  }
  return t === undefined || v1.length === 0 ? undefined : { t, v1 };
}

/**
 * Verifies `Stripe-Signature` over the raw bytes before anything is parsed: one of its `v1` values
 * (Stripe sends several while an endpoint's secret is being rolled; other schemes such as v0 are
 * ignored) must equal the HMAC of `t.body`, compared in constant time, and `t` must be within
 * `toleranceSeconds` of now, either way.
 */
export function verifyStripeWebhook(
  raw: Buffer,
  headers: InboundHeaders,
  webhookSecret: string,
  nowMs: number,
  toleranceSeconds: number = stripeDefaultToleranceSeconds,
): VerifyResult {
  const value = header(headers, 'stripe-signature');
  if (!value) return { ok: false, reason: 'missing Stripe-Signature header' };
  const signature = parseSignatureHeader(value);
  if (!signature) return { ok: false, reason: 'Stripe-Signature has no t=<unix seconds> and v1=<hex> signature' };
  const expected = signStripePayload(raw, webhookSecret, signature.t);
  if (!signature.v1.some((candidate) => signaturesEqual(expected, candidate))) {
    return { ok: false, reason: 'no Stripe-Signature v1 signature matches the body for this webhook secret' };
  }
  if (Math.abs(nowMs / 1000 - signature.t) > toleranceSeconds) {
    return { ok: false, reason: `Stripe-Signature timestamp is more than ${toleranceSeconds} s from now (replay protection)` };
  }
  return { ok: true };
}

/**
 * Identifies a verified delivery from the Event in the body: dedupKey is the event id (the same on
 * every redelivery), topic the event type, apiVersion the event's `api_version`.
 */
export function identifyStripeWebhook(raw: Buffer, _headers: InboundHeaders = {}): InboundIdentity {
  let event: unknown;
  try {
    event = JSON.parse(raw.toString('utf8'));
  } catch {
    throw permanentError('webhook_unidentified', 'Stripe webhook body is not JSON', 400);
  }
  const fields = (event ?? {}) as { id?: unknown; type?: unknown; object?: unknown; api_version?: unknown };
  if (typeof fields.id !== 'string' || fields.id === '') throw permanentError('webhook_unidentified', 'Stripe webhook body has no event id', 400);
  if (typeof fields.type !== 'string' || fields.type === '') throw permanentError('webhook_unidentified', `Stripe event ${fields.id} has no type`, 400);
  if (fields.object !== undefined && fields.object !== 'event') {
    throw permanentError('webhook_unidentified', `Stripe webhook body is a ${String(fields.object)}, not an event`, 400);
  }
  return { dedupKey: fields.id, topic: fields.type, apiVersion: typeof fields.api_version === 'string' ? fields.api_version : undefined };
}

/** The headers Stripe sends with a webhook (used by the emulator). */
export function stripeWebhookHeaders(body: string, webhookSecret: string, timestampSeconds: number): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    'cache-control': 'no-cache',
    'stripe-signature': stripeSignatureHeader(body, webhookSecret, timestampSeconds),
  };
}
