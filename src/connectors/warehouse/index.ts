import { defineConnector, errorText, timedCheck, type ConnectionInstance } from '../framework/index.js';
import { TillbridgeError } from '../../model/index.js';
import { createWarehouseClient, type WarehouseClient } from './client.js';
import { WarehouseSecrets, WarehouseSettings } from './config.js';
import { interpretWarehouseEvent } from './mapping.js';
import { createWarehouseShipmentsPoller } from './poller.js';
import { identifyWarehouseWebhook, verifyWarehouseWebhook } from './webhooks.js';

export {
  createWarehouseClient,
  type CancelLinesOptions,
  type CreateShipmentOrderResult,
  type LineCancellation,
  type ShipmentOrderPage as WarehouseShipmentOrderPage,
  type StockQuery,
  type UpdatedShipmentOrdersQuery,
  type WarehouseClient,
  type WarehouseClientOptions,
} from './client.js';
export { type CreateReturnResult as CreateWarehouseReturnResult, type ReturnOperations as WarehouseReturnOperations } from './returns-client.js';
export { defaultWarehouseRate, WarehouseSecrets, WarehouseSettings, type WarehouseSettingsInput } from './config.js';
export {
  fulfillmentFromCancellation,
  fulfillmentFromShipment,
  interpretWarehouseEvent,
  inventoryLevelFromAdjustment,
  returnReceivedFromEvent,
  shipmentOrderFromOrder,
  type InterpretSettings,
  type ServiceLevelSettings,
} from './mapping.js';
export {
  identifyWarehouseWebhook,
  signatureToleranceSeconds,
  signWarehousePayload,
  verifyWarehouseWebhook,
  warehouseSignatureHeader,
  warehouseWebhookHeaders,
} from './webhooks.js';
export { createWarehouseShipmentsPoller, type WarehouseShipmentsPollerOptions } from './poller.js';
export * as warehouseWire from './wire.js';
export type {
  NewLineCancellation as NewWarehouseLineCancellation,
  NewReturn as NewWarehouseReturn,
  NewShipmentOrder as NewWarehouseShipmentOrder,
  ReturnCondition as WarehouseReturnCondition,
  ReturnStatus as WarehouseReturnStatus,
  ShipmentOrder as WarehouseShipmentOrder,
  ShipmentOrderCancellation as WarehouseShipmentOrderCancellation,
  StockLevel as WarehouseStockLevel,
  WarehouseReturn,
  WarehouseTopic,
} from './wire.js';
export { startWarehouseEmulator, type RunningWarehouseEmulator, type WarehouseCredentials, type WarehouseEmulatorOptions } from './emulator/server.js';
export { Behaviour as WarehouseEmulatorBehaviour } from './emulator/behaviour.js';

function checkFailure(error: unknown): string {
  if (error instanceof TillbridgeError && error.code === 'outbound_unauthorized') {
    return `the warehouse refused the credentials (${error.httpStatus}): check apiKey`;
  }
  return `warehouse unreachable: ${errorText(error)}`;
}

/**
 * The generic 3PL warehouse (Tillbridge generic warehouse API v1): shipment orders out
 * (FulfillmentSink, with whole and line cancellations), returns (RMAs) out, shipments, stock levels
 * and return receipts in by signed webhook (FulfillmentSource, InventorySource), shipments and
 * cancellations also by poll (lost webhooks), stock queries for reconciliation.
 */
export const warehouseConnector = defineConnector<WarehouseSettings, WarehouseSecrets, WarehouseClient>({
  system: 'warehouse',
  title: '3PL warehouse (REST)',
  capabilities: ['FulfillmentSink', 'FulfillmentSource', 'InventorySource'],
  settings: WarehouseSettings,
  secrets: WarehouseSecrets,
  apiVersion: () => 'v1',
  apiEndOfLife: () => null,
  create(context): ConnectionInstance<WarehouseClient> {
    const { settings, secrets } = context;
    const client = createWarehouseClient({
      connectionId: context.connectionId,
      settings,
      secrets,
      clock: context.clock,
      ...(context.fetch ? { fetch: context.fetch } : {}),
    });
    return {
      client,
      check: (signal) =>
        timedCheck(
          context.clock,
          async () => {
            const account = await client.account(signal);
            if (settings.warehouseLocation !== undefined && !account.locations.includes(settings.warehouseLocation)) {
              return { ok: false, detail: `location ${settings.warehouseLocation} is not on account ${account.id} (it has ${account.locations.join(', ') || 'none'})` };
            }
            const where = settings.warehouseLocation ?? account.locations.join(', ');
            return { ok: true, detail: `account ${account.name} (${account.id}), location ${where || 'none'}`, apiVersion: account.apiVersion };
          },
          checkFailure,
        ),
      webhooks: {
        verify: (raw, headers, nowMs) => verifyWarehouseWebhook(raw, headers, secrets.webhookSecret, nowMs),
        identify: identifyWarehouseWebhook,
      },
      interpret: (topic, payload) => interpretWarehouseEvent(topic, payload, settings),
      ...(settings.pollIntervalMs > 0
        ? {
            pollers: [
              createWarehouseShipmentsPoller({
                client,
                intervalMs: settings.pollIntervalMs,
                clock: context.clock,
                initialLookbackMs: settings.initialLookbackMs,
                warehouseLocation: settings.warehouseLocation,
              }),
            ],
          }
        : {}),
      health: () => client.health(),
    };
  },
});
