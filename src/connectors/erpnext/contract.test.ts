import { describeConnectorContract } from '../testing/contract.js';
import { erpnextConnector, frappeWebhookHeaders, startErpnextEmulator } from './index.js';

describeConnectorContract({
  definition: erpnextConnector,
  invalidSettings: { baseUrl: 'not a url', company: '' },
  faultProbePath: '/api/resource/Item',
  async start() {
    const emulator = await startErpnextEmulator();
    return {
      emulator,
      settings: { baseUrl: emulator.url, company: emulator.company },
      secrets: { ...emulator.credentials },
      badSecrets: { apiKey: emulator.credentials.apiKey, apiSecret: 'wrong-secret', webhookSecret: 'wrong-webhook-secret' },
    };
  },
  signedWebhook(secrets) {
    const body =
      '{"event": "on_update", "doc": {"name": "b0a1c2d3e4", "owner": "Administrator", "creation": "2026-11-26 10:15:00.000000", "modified": "2026-11-26 10:15:00.123456", ' +
      '"modified_by": "Administrator", "docstatus": 0, "idx": 0, "item_code": "TEE-RED-M", "warehouse": "Stores - TB", "actual_qty": 37.0, "reserved_qty": 2.0, ' +
      '"ordered_qty": 0.0, "projected_qty": 35.0, "stock_uom": "Nos", "doctype": "Bin"}}';
    return { raw: Buffer.from(body), headers: frappeWebhookHeaders(body, secrets['webhookSecret'] ?? '') };
  },
});
