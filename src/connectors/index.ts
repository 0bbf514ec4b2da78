import { connectorRegistry, type ConnectorDefinition } from './framework/index.js';
import { erpnextConnector } from './erpnext/index.js';
import { shopifyConnector } from './shopify/index.js';
import { stripeConnector } from './stripe/index.js';
import { warehouseConnector } from './warehouse/index.js';
import { amazonConnector } from './amazon/index.js';

export * from './framework/index.js';
export { shopifyConnector, startShopifyEmulator, type RunningShopifyEmulator, type ShopifyClient, type ShopifySettings } from './shopify/index.js';
export { stripeConnector, startStripeEmulator, type RunningStripeEmulator, type StripeClient } from './stripe/index.js';
export { erpnextConnector, startErpnextEmulator, type RunningErpnextEmulator, type ErpnextClient, type ErpnextSettings, minorFromFrappe } from './erpnext/index.js';
export { warehouseConnector, startWarehouseEmulator, shipmentOrderFromOrder, type RunningWarehouseEmulator, type WarehouseClient, type WarehouseSettings } from './warehouse/index.js';

/** Every connector this build of Tillbridge ships, by the `system` name used in the configuration. */
export const builtInConnectors: readonly ConnectorDefinition[] = [
  shopifyConnector,
  stripeConnector,
  erpnextConnector,
  warehouseConnector,
  amazonConnector,
];

/** The registry the hub resolves configured connections against. */
export const builtInRegistry = connectorRegistry(builtInConnectors);
export * from './amazon/index.js';
