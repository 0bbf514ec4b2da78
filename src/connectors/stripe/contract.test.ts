import { describeConnectorContract } from '../testing/contract.js';
import { startStripeEmulator, stripeConnector, stripeSignatureHeader } from './index.js';

describeConnectorContract({
  definition: stripeConnector,
  invalidSettings: { baseUrl: 'not a url', apiVersion: 'latest' },
  faultProbePath: '/v1/balance',
  async start() {
    const emulator = await startStripeEmulator();
    return {
      emulator,
      settings: { baseUrl: emulator.url },
      secrets: { ...emulator.credentials },
      badSecrets: { secretKey: 'sk_test_wrong0000000000001234', webhookSecret: 'whsec_wrong' },
    };
  },
  signedWebhook(secrets, nowMs) {
    const body = JSON.stringify(
      {
        id: 'evt_3PgafyB7WZ01zgkW1Jx0aB2c',
        object: 'event',
        api_version: '2026-10-28.endive',
        created: Math.floor(nowMs / 1000),
        data: {
          object: {
            id: 'pi_3PgafyB7WZ01zgkW0g1ZX9vQ',
            object: 'payment_intent',
            amount: 5281,
            amount_capturable: 0,
            amount_received: 5281,
            capture_method: 'automatic',
            created: Math.floor(nowMs / 1000),
            currency: 'usd',
            latest_charge: 'ch_3PgafyB7WZ01zgkW0R2m1QXw',
            metadata: { order_id: '1001' },
            status: 'succeeded',
          },
        },
        livemode: false,
        pending_webhooks: 1,
        request: { id: 'req_8yHm2Y1n3d5fGq', idempotency_key: 'capture-1001' },
        type: 'payment_intent.succeeded',
      },
      null,
      2,
    );
    return { raw: Buffer.from(body), headers: { 'stripe-signature': stripeSignatureHeader(body, secrets['webhookSecret'] ?? '', Math.floor(nowMs / 1000)) } };
  },
});
