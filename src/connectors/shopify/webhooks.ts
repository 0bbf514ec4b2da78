import { permanentError } from '../../model/index.js';
import { hmacSha256, signaturesEqual, type InboundHeaders, type InboundIdentity, type VerifyResult } from '../framework/index.js';

function header(headers: InboundHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Shopify's webhook signature: base64 HMAC-SHA256 of the raw body with the app's secret. */
export function signShopifyWebhook(body: string | Buffer, secret: string): string {
  return hmacSha256(secret, body, 'base64');
}

/** Checks `X-Shopify-Hmac-Sha256` over the raw bytes, in constant time, before anything is parsed. */
export function verifyShopifyWebhook(raw: Buffer, headers: InboundHeaders, secret: string): VerifyResult {
  const received = header(headers, 'x-shopify-hmac-sha256');
  if (!received) return { ok: false, reason: 'missing X-Shopify-Hmac-Sha256 header' };
  return signaturesEqual(signShopifyWebhook(raw, secret), received) ? { ok: true } : { ok: false, reason: 'X-Shopify-Hmac-Sha256 does not match the body' };
}

/** Topic, dedup key (`X-Shopify-Webhook-Id`) and API version of a verified delivery. */
export function identifyShopifyWebhook(_raw: Buffer, headers: InboundHeaders): InboundIdentity {
  const topic = header(headers, 'x-shopify-topic');
  const webhookId = header(headers, 'x-shopify-webhook-id') ?? header(headers, 'x-shopify-event-id');
  if (!topic) throw permanentError('webhook_unidentified', 'missing X-Shopify-Topic header', 400);
  if (!webhookId) throw permanentError('webhook_unidentified', 'missing X-Shopify-Webhook-Id header', 400);
  return { topic, dedupKey: webhookId, apiVersion: header(headers, 'x-shopify-api-version') };
}

/** The headers Shopify sends with a webhook (used by the emulator and tests). */
export function shopifyWebhookHeaders(options: {
  body: string;
  secret: string;
  topic: string;
  shopDomain: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt: string;
  eventId?: string;
}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': options.topic,
    'x-shopify-hmac-sha256': signShopifyWebhook(options.body, options.secret),
    'x-shopify-shop-domain': options.shopDomain,
    'x-shopify-api-version': options.apiVersion,
    'x-shopify-webhook-id': options.webhookId,
    'x-shopify-triggered-at': options.triggeredAt,
    'x-shopify-event-id': options.eventId ?? options.webhookId,
  };
}
