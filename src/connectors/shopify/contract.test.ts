import { readFileSync } from 'node:fs';
import { parse, stringify } from 'lossless-json';
import { describeConnectorContract } from '../testing/contract.js';
import { shopifyConnector, shopifyWebhookHeaders, startShopifyEmulator } from './index.js';
import { corpusUrl } from '../../testing/index.js';

const corpus = corpusUrl('shopify/webhooks-2026-04/orders_create.json');
/** The corpus orders/create body, every number as written. */
const orderBody = stringify((parse(readFileSync(corpus, 'utf8')) as { response: unknown }).response)!;

describeConnectorContract({
  definition: shopifyConnector,
  invalidSettings: { shopDomain: 'not a shop domain', baseUrl: 'not a url', apiVersion: '2026-13' },
  faultProbePath: '/admin/api/2026-04/shop.json',
  async start() {
    const emulator = await startShopifyEmulator();
    return {
      emulator,
      settings: { shopDomain: emulator.shopDomain, baseUrl: emulator.url },
      secrets: { ...emulator.credentials },
      badSecrets: { accessToken: 'shpat_wrong', webhookSecret: 'shpss_wrong' },
    };
  },
  signedWebhook(secrets, nowMs) {
    const headers = shopifyWebhookHeaders({
      body: orderBody,
      secret: secrets['webhookSecret'] ?? '',
      topic: 'orders/create',
      shopDomain: 'tillbridge-sandbox.myshopify.com',
      webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      apiVersion: '2026-04',
      triggeredAt: new Date(nowMs).toISOString(),
    });
    return { raw: Buffer.from(orderBody), headers };
  },
});
