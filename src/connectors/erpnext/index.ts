import { defineConnector, type ConnectionInstance } from '../framework/index.js';
import { checkErpnext, createErpnextClient, type ErpnextClient } from './client.js';
import { ErpnextSecrets, ErpnextSettings } from './config.js';
import { interpretErpnextEvent } from './mapping.js';
import { modifiedPoller } from './pollers.js';
import { identifyErpnextWebhook, verifyErpnextWebhook } from './webhooks.js';

export { checkErpnext, createErpnextClient, type ErpnextClient, type ErpnextClientOptions } from './client.js';
export { defaultErpnextRate, ErpnextSecrets, ErpnextSettings, type ErpnextSettingsInput } from './config.js';
export {
  createFrappeResources,
  type EnsureResult as FrappeEnsureResult,
  type FrappeDoc,
  type FrappeFilter,
  type FrappeResources,
  type ListOptions as FrappeListOptions,
  type LookUpOptions as FrappeLookUpOptions,
} from './resources.js';
export type { DocState as ErpnextDocState, Ensured as ErpnextEnsured, SubmittableOps as ErpnextSubmittableOps } from './documents.js';
export type {
  BinOps as ErpnextBinOps,
  CustomerOps as ErpnextCustomerOps,
  ErpnextCustomer,
  ErpnextItem,
  ErpnextItemPrice,
  ItemOps as ErpnextItemOps,
  ItemPriceOps as ErpnextItemPriceOps,
  NewCustomer as NewErpnextCustomer,
  NewItem as NewErpnextItem,
  SetItemPrice as SetErpnextItemPrice,
  StockLevel as ErpnextStockLevel,
} from './catalog.js';
export type {
  Charge as ErpnextCharge,
  DeliveryNote as ErpnextDeliveryNote,
  DeliveryNoteOps as ErpnextDeliveryNoteOps,
  LineSelection as ErpnextLineSelection,
  NewDeliveryNote as NewErpnextDeliveryNote,
  NewSalesInvoice as NewErpnextSalesInvoice,
  NewSalesOrder as NewErpnextSalesOrder,
  OrderLine as ErpnextOrderLine,
  SalesInvoice as ErpnextSalesInvoice,
  SalesInvoiceLine as ErpnextSalesInvoiceLine,
  SalesInvoiceOps as ErpnextSalesInvoiceOps,
  SalesOrder as ErpnextSalesOrder,
  SalesOrderLine as ErpnextSalesOrderLine,
  SalesOrderOps as ErpnextSalesOrderOps,
  SellingTotals as ErpnextSellingTotals,
} from './selling.js';
export { amendDoc as amendErpnextDoc } from './amend.js';
export { createCustomerCache as createErpnextCustomerCache, isMissingCustomer as isMissingErpnextCustomer, type CustomerCache as ErpnextCustomerCache } from './customer-cache.js';
export { creditedQuantities as erpnextCreditedQuantities, planCreditNote as planErpnextCreditNote, type CreditPlan as ErpnextCreditPlan, type NewCreditNote as NewErpnextCreditNote } from './credit-notes.js';
export { planItemUpdate as planErpnextItemUpdate, type ItemUpdatePlan as ErpnextItemUpdatePlan, type RowQuantity as ErpnextRowQuantity } from './order-updates.js';
export type {
  JournalEntry as ErpnextJournalEntry,
  JournalEntryOps as ErpnextJournalEntryOps,
  JournalLineInput as ErpnextJournalLine,
  NewJournalEntry as NewErpnextJournalEntry,
  NewPaymentEntry as NewErpnextPaymentEntry,
  PaymentEntry as ErpnextPaymentEntry,
  PaymentEntryOps as ErpnextPaymentEntryOps,
} from './accounting.js';
export { excTypeOf as frappeExcTypeOf, frappeErrorInfo, frappeErrorMessage, serverMessages as frappeServerMessages, toErpnextError, type FrappeErrorInfo } from './errors.js';
export { frappeDate, frappeMoney, frappeTimestampToIso, minorFromFrappe } from './values.js';
export {
  interpretErpnextEvent,
  inventoryLevelFromBin as inventoryLevelFromErpnextBin,
  priceFromItemPrice as priceFromErpnextItemPrice,
  productFromItem as productFromErpnextItem,
  webhookDocument as frappeWebhookDocument,
  type InterpretSettings as ErpnextInterpretSettings,
} from './mapping.js';
export { modifiedPoller as frappeModifiedPoller } from './pollers.js';
export { frappeDedupKey, frappeEventHeader, frappeSignatureHeader, frappeWebhookHeaders, identifyErpnextWebhook, signFrappePayload, verifyErpnextWebhook } from './webhooks.js';
export { startErpnextEmulator, type ErpnextCredentials, type ErpnextEmulatorOptions, type RunningErpnextEmulator } from './emulator/server.js';
export type { ErpnextSeed, SeedItem as ErpnextSeedItem } from './emulator/seed.js';

/**
 * ERPNext / Frappe v15 over its REST API: customers, sales orders, deliveries, invoices, payments
 * and journal entries out (created once per hub reference, then submitted or cancelled); items
 * prices and stock levels in by signed webhook (Bin, Item, Item Price) and by polling them.
 */
export const erpnextConnector = defineConnector<ErpnextSettings, ErpnextSecrets, ErpnextClient>({
  system: 'erpnext',
  title: 'ERPNext (Frappe REST)',
  capabilities: ['OrderSink', 'CustomerSink', 'CatalogSource', 'InventorySource', 'LedgerSink', 'FulfillmentSink'],
  settings: ErpnextSettings,
  secrets: ErpnextSecrets,
  apiVersion: () => 'v15',
  apiEndOfLife: () => null,
  create(context): ConnectionInstance<ErpnextClient> {
    const { settings, secrets } = context;
    const options = {
      connectionId: context.connectionId,
      settings,
      secrets,
      clock: context.clock,
      ...(context.fetch ? { fetch: context.fetch } : {}),
    };
    const client = createErpnextClient(options);
    return {
      client,
      check: (signal) => checkErpnext(options, signal),
      webhooks: {
        verify: (raw, headers) => verifyErpnextWebhook(raw, headers, secrets.webhookSecret),
        identify: identifyErpnextWebhook,
      },
      interpret: (topic, payload) => interpretErpnextEvent(topic, payload, settings),
      ...(settings.pollIntervalMs !== undefined
        ? { pollers: [modifiedPoller(client, 'Bin', settings.pollIntervalMs), modifiedPoller(client, 'Item', settings.pollIntervalMs, { fullDocuments: true }), modifiedPoller(client, 'Item Price', settings.pollIntervalMs)] }
        : {}),
      health: () => client.health(),
    };
  },
});
