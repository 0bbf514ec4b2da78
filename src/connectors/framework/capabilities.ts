/**
 * What a connector can do for the hub. Flows ask for a capability, never for a connector: the
 * runtime wires whichever connection the configuration names.
 */
export const capabilities = [
  'OrderSource',
  'OrderSink',
  'CatalogSource',
  'CatalogSink',
  'InventorySource',
  'InventorySink',
  'FulfillmentSource',
  'FulfillmentSink',
  'PaymentSource',
  'PaymentSink',
  'SettlementSource',
  'LedgerSink',
  'CustomerSink',
] as const;

/** One thing a connector can do for the hub. */
export type Capability = (typeof capabilities)[number];
