import '@shopify/shopify-api/adapters/web-api';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import { describe, expect, it } from 'vitest';
import { identifyShopifyWebhook, shopifyWebhookHeaders, verifyShopifyWebhook } from './webhooks.js';

const secret = 'shpss_test_secret_0123456789';
const shopify = shopifyApi({
  apiKey: 'test-key',
  apiSecretKey: secret,
  hostName: 'hub.example.com',
  apiVersion: ApiVersion.April26,
  isEmbeddedApp: false,
  logger: { level: 0, log: async () => undefined },
});

async function validatedBySdk(body: string, headers: Record<string, string>) {
  const request = new Request('https://hub.example.com/webhooks/shopify/shop-main', { method: 'POST', headers, body });
  return shopify.webhooks.validate({ rawBody: body, rawRequest: request });
}

describe('Shopify webhook signatures against the official @shopify/shopify-api', () => {
  const body = '{"id":820982911946154508,"name":"#9999","total_price":"404.95"}';
  const headers = shopifyWebhookHeaders({ body, secret, topic: 'orders/create', shopDomain: 'acme.myshopify.com', webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', apiVersion: '2026-04', triggeredAt: '2026-11-26T10:15:00Z' });

  it('what we sign, the SDK accepts; what the SDK accepts, we accept', async () => {
    expect(await validatedBySdk(body, headers)).toMatchObject({ valid: true, topic: 'ORDERS_CREATE', webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' });
    expect(verifyShopifyWebhook(Buffer.from(body), headers, secret)).toEqual({ ok: true });
    expect(identifyShopifyWebhook(Buffer.from(body), headers)).toEqual({ topic: 'orders/create', dedupKey: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', apiVersion: '2026-04' });
  });

  it('a body changed by one byte fails both checks', async () => {
    const tampered = body.replace('404.95', '404.96');
    expect(await validatedBySdk(tampered, headers)).toMatchObject({ valid: false });
    expect(verifyShopifyWebhook(Buffer.from(tampered), headers, secret)).toMatchObject({ ok: false });
  });

  it('refuses a missing signature and a signature made with another secret', () => {
    const { 'x-shopify-hmac-sha256': _dropped, ...unsigned } = headers;
    expect(verifyShopifyWebhook(Buffer.from(body), unsigned, secret)).toEqual({ ok: false, reason: 'missing X-Shopify-Hmac-Sha256 header' });
    const forged = shopifyWebhookHeaders({ body, secret: 'another', topic: 'orders/create', shopDomain: 'acme.myshopify.com', webhookId: 'x', apiVersion: '2026-04', triggeredAt: '' });
    expect(verifyShopifyWebhook(Buffer.from(body), forged, secret).ok).toBe(false);
  });
});
