import { createHash } from 'node:crypto';
import { permanentError } from '../../model/index.js';
import { hmacSha256, signaturesEqual, type InboundHeaders, type InboundIdentity, type VerifyResult } from '../framework/index.js';
import { WebhookEnvelope } from './wire.js';

/** The header Frappe signs webhooks in (when the Webhook has "Enable Security" and a secret). */
export const frappeSignatureHeader = 'x-frappe-webhook-signature';

/** The header a Webhook may add (Webhook Headers table) to name its doc event when the body does not. */
export const frappeEventHeader = 'x-frappe-event';

function header(headers: InboundHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** base64 HMAC-SHA256 of the raw body with the Webhook's secret: the X-Frappe-Webhook-Signature value. */
export function signFrappePayload(body: string | Buffer, secret: string): string {
  return hmacSha256(secret, body, 'base64');
}

/**
 * Checks X-Frappe-Webhook-Signature over the raw bytes, in constant time, before anything is
 * parsed. Frappe signs no timestamp, so replays are caught by the dedup key, not here.
 */
export function verifyErpnextWebhook(raw: Buffer, headers: InboundHeaders, secret: string | undefined): VerifyResult {
  if (!secret) return { ok: false, reason: 'the connection has no webhookSecret: set the Webhook Secret of the ERPNext Webhook as secret webhookSecret' };
  const signature = header(headers, frappeSignatureHeader);
  if (!signature) return { ok: false, reason: 'missing X-Frappe-Webhook-Signature header' };
  return signaturesEqual(signFrappePayload(raw, secret), signature.trim()) ? { ok: true } : { ok: false, reason: 'X-Frappe-Webhook-Signature does not match the body' };
}

/** One key per document version and doc event: SHA-256 of doctype, name, modified and event (hex). */
export function frappeDedupKey(doctype: string, name: string, modified: string, event: string): string {
  return createHash('sha256').update([doctype, name, modified, event].join('\u0000')).digest('hex');
}

/**
 * Topic and dedup key of a verified delivery. Frappe sends no event id: the topic is
 * `<doctype>:<event>` (event from the body's "event", else the X-Frappe-Event header) and the
 * dedup key is the SHA-256 of doctype, name, modified and event — one per document version and
 * doc event, the same on every redelivery.
 */
export function identifyErpnextWebhook(raw: Buffer, headers: InboundHeaders): InboundIdentity {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw permanentError('webhook_unidentified', 'the webhook body is not JSON', 400);
  }
  const envelope = WebhookEnvelope.safeParse(body);
  if (!envelope.success) throw permanentError('webhook_unidentified', 'the webhook body is not a JSON object', 400);
  const doc = envelope.data.doc ?? envelope.data;
  const event = envelope.data.event ?? header(headers, frappeEventHeader);
  if (!doc.doctype || !doc.name || !doc.modified) throw permanentError('webhook_unidentified', 'the webhook body names no doctype, name and modified (use the template {"event": "on_update", "doc": {{ doc | tojson }}})', 400);
  if (!event) throw permanentError('webhook_unidentified', 'the webhook names no doc event: add "event" to the body or an X-Frappe-Event header', 400);
  return { topic: `${doc.doctype}:${event}`, dedupKey: frappeDedupKey(doc.doctype, doc.name, doc.modified, event) };
}

/** The headers an ERPNext Webhook sends: the Content-Type set in its Webhook Headers table and the signature. */
export function frappeWebhookHeaders(body: string | Buffer, secret: string): Record<string, string> {
  return { 'content-type': 'application/json', [frappeSignatureHeader]: signFrappePayload(body, secret) };
}
