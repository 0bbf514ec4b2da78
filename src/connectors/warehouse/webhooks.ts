import { permanentError } from '../../model/index.js';
import { hmacSha256, signaturesEqual, type InboundHeaders, type InboundIdentity, type VerifyResult } from '../framework/index.js';

/** How far a signature's timestamp may be from now, either way (replay protection). */
export const signatureToleranceSeconds = 300;

function header(headers: InboundHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The hex HMAC-SHA256 of `<t>.<body>` with the webhook secret: the `v1` part of X-Warehouse-Signature. */
export function signWarehousePayload(body: string | Buffer, secret: string, timestampSeconds: number): string {
  return hmacSha256(secret, Buffer.concat([Buffer.from(`${timestampSeconds}.`), Buffer.isBuffer(body) ? body : Buffer.from(body)]), 'hex');
}

/** The X-Warehouse-Signature header value `t=<unix seconds>,v1=<hex>`. */
export function warehouseSignatureHeader(body: string | Buffer, secret: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${signWarehousePayload(body, secret, timestampSeconds)}`;
}

function parseSignature(value: string): { t: number; v1: string[] } | undefined {
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of value.split(',')) {
    const [key, ...rest] = part.trim().split('=');
    const val = rest.join('=');
    if (key === 't' && /^\d{1,12}$/.test(val)) t = Number(val);
    else if (key === 'v1' && val) v1.push(val.toLowerCase());
  }
  return t === undefined || v1.length === 0 ? undefined : { t, v1 };
}

/**
 * Checks X-Warehouse-Signature over the raw bytes before anything is parsed: one of its `v1`
 * values (several during a secret rotation) must be the HMAC of `t.body`, in constant time, and
 * `t` must be within 300 s of now.
 */
export function verifyWarehouseWebhook(raw: Buffer, headers: InboundHeaders, secret: string, nowMs: number): VerifyResult {
  const value = header(headers, 'x-warehouse-signature');
  if (!value) return { ok: false, reason: 'missing X-Warehouse-Signature header' };
  const signature = parseSignature(value);
  if (!signature) return { ok: false, reason: 'X-Warehouse-Signature is not t=<unix>,v1=<hex>' };
  if (Math.abs(nowMs / 1000 - signature.t) > signatureToleranceSeconds) {
    return { ok: false, reason: `X-Warehouse-Signature timestamp is more than ${signatureToleranceSeconds} s from now` };
  }
  const expected = signWarehousePayload(raw, secret, signature.t);
  return signature.v1.some((candidate) => signaturesEqual(expected, candidate))
    ? { ok: true }
    : { ok: false, reason: 'X-Warehouse-Signature does not match the body' };
}

function bodyField(raw: Buffer, name: string): string | undefined {
  try {
    const value = (JSON.parse(raw.toString('utf8')) as Record<string, unknown> | null)?.[name];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Event type and dedup key of a verified delivery: the X-Warehouse-Event-* headers, else the body's `type` and `eventId`. */
export function identifyWarehouseWebhook(raw: Buffer, headers: InboundHeaders): InboundIdentity {
  const topic = header(headers, 'x-warehouse-event-type') ?? bodyField(raw, 'type');
  const eventId = header(headers, 'x-warehouse-event-id') ?? bodyField(raw, 'eventId');
  if (!topic) throw permanentError('webhook_unidentified', 'missing X-Warehouse-Event-Type header', 400);
  if (!eventId) throw permanentError('webhook_unidentified', 'missing X-Warehouse-Event-Id header', 400);
  return { topic, dedupKey: eventId, apiVersion: header(headers, 'x-warehouse-api-version') };
}

/** The headers the warehouse sends with a webhook (used by the emulator and tests). */
export function warehouseWebhookHeaders(options: {
  body: string;
  secret: string;
  eventId: string;
  eventType: string;
  timestampSeconds: number;
}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Tillbridge-Warehouse-Webhooks/1.0',
    'x-warehouse-event-id': options.eventId,
    'x-warehouse-event-type': options.eventType,
    'x-warehouse-api-version': 'v1',
    'x-warehouse-signature': warehouseSignatureHeader(options.body, options.secret, options.timestampSeconds),
  };
}
