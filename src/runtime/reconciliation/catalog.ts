import type { Connections, ShopifyClient } from '../../connectors/index.js';
import type { ShopifyVariantListing } from '../../connectors/shopify/index.js';
import { catalogChecks, republishProductCorrection, type CatalogConfig, type ChannelCatalogSide, type ChannelProductRecord } from '../../flows/index.js';
import { decimalToMinor } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import type { ReconciliationPart } from './part.js';

/** Shopify's listing of a SKU as the catalog check compares it (price in the channel's currency, status lower case). */
export function shopifyListingRecord(variant: ShopifyVariantListing, currency: string): ChannelProductRecord {
  return { sku: variant.sku, productId: variant.productId, title: variant.title, status: variant.status.toLowerCase(), price: { amount: decimalToMinor(variant.price, currency), currency } };
}

/** A Shopify channel's listings read by SKU through the client's product read (a page of SKUs, in chunks the search takes). */
export function shopifyCatalogSide(connectionId: string, reads: Pick<ShopifyClient, 'variantsBySkus'>, currency: string, chunk = 50): ChannelCatalogSide {
  return {
    connectionId,
    async products(skus, signal) {
      const found: ChannelProductRecord[] = [];
      for (let i = 0; i < skus.length; i += chunk) {
        found.push(...(await reads.variantsBySkus(skus.slice(i, i + chunk), { signal })).map((v) => shopifyListingRecord(v, currency)));
      }
      return found;
    },
  };
}

/**
 * The catalog scope of reconciliation: approved masters against each configured Shopify channel,
 * with the forced re-publish as correction.
 */
export function catalogReconciliation(deps: { store: Store; connections: Connections; config: CatalogConfig }): ReconciliationPart {
  const side = (connectionId: string): ChannelCatalogSide | undefined => {
    const connection = deps.connections.get(connectionId);
    const channel = deps.config.channels.find((c) => c.connection === connectionId);
    const reads = connection?.system === 'shopify' ? (connection.instance.client as ShopifyClient) : undefined;
    return reads && channel ? shopifyCatalogSide(connectionId, reads, channel.currency) : undefined;
  };
  return { checks: catalogChecks({ store: deps.store, config: deps.config, side }), corrections: [republishProductCorrection()] };
}
