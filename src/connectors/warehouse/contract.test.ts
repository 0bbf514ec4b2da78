import { describeConnectorContract } from '../testing/contract.js';
import { startWarehouseEmulator, warehouseConnector, warehouseWebhookHeaders } from './index.js';

describeConnectorContract({
  definition: warehouseConnector,
  invalidSettings: { baseUrl: 'not a url', locationId: '' },
  faultProbePath: '/v1/stock',
  async start() {
    const emulator = await startWarehouseEmulator({ stock: { 'TEE-RED-M': 12 } });
    return {
      emulator,
      settings: { baseUrl: emulator.url, locationId: 'wh-main' },
      secrets: { ...emulator.credentials },
      badSecrets: { apiKey: 'whk_wrong', webhookSecret: 'whsec_wrong' },
    };
  },
  signedWebhook(secrets, nowMs) {
    const body = JSON.stringify({
      type: 'stock.adjusted',
      eventId: 'evt_000042',
      sku: 'TEE-RED-M',
      location: 'WH1',
      onHand: 37,
      delta: 25,
      reason: 'receipt',
      occurredAt: new Date(nowMs).toISOString(),
      version: 7,
    });
    const headers = warehouseWebhookHeaders({
      body,
      secret: secrets['webhookSecret'] ?? '',
      eventId: 'evt_000042',
      eventType: 'stock.adjusted',
      timestampSeconds: Math.floor(nowMs / 1000),
    });
    return { raw: Buffer.from(body), headers };
  },
});
