import type { ChannelListing } from './listing.js';

/** The ids a channel gave a published SKU (e.g. Shopify productId, variantId, inventoryItemId, handle). */
export interface ChannelIds {
  /** The channel's product id (shown as the publication's externalId). */
  productId: string;
  variantId?: string | undefined;
  /** The channel's stock-keeping id of the SKU, which its stock webhooks name. */
  inventoryItemId?: string | undefined;
  handle?: string | undefined;
  /** Which images the channel was last sent (a port's own mark, so unchanged images are not re-sent); not shown by the API. */
  imagesKey?: string | undefined;
}

/** A sales channel products are published to (CatalogSink): Shopify, marketplaces… */
export interface CatalogPort {
  readonly connectionId: string;
  /**
   * Creates or updates the SKU's listing and makes it live; `known` are the ids of an earlier
   * publication. Must be safe to repeat (an upsert by the channel's id or handle).
   */
  publish(input: { sku: string; listing: ChannelListing; known: ChannelIds | null }, signal: AbortSignal): Promise<ChannelIds>;
  /** Takes the listing off sale but keeps it (archived: the master was archived; draft: it went back to draft). */
  unpublish(input: { sku: string; known: ChannelIds; reason: 'archived' | 'draft' }, signal: AbortSignal): Promise<void>;
  /** Deletes the listing; a listing the channel no longer has counts as deleted. */
  delete(input: { sku: string; known: ChannelIds }, signal: AbortSignal): Promise<void>;
}
