import type { ShopifyClient } from '../../connectors/index.js';
import { contentHash, handleOfSku, type CatalogPort, type ChannelIds, type ChannelListing } from '../../flows/index.js';
import { minorToDecimal, permanentError, TillbridgeError } from '../../model/index.js';

/** Shopify's one option of a product without options. */
const defaultOption = { optionName: 'Title', name: 'Default Title' };

/** Whether Shopify answered that the product is gone (deleted there since the hub published it). */
function productMissing(error: unknown): boolean {
  if (!(error instanceof TillbridgeError)) return false;
  const userErrors = (error.details as { userErrors?: { code?: string | null }[] } | undefined)?.userErrors ?? [];
  return userErrors.some((e) => e.code === 'PRODUCT_DOES_NOT_EXIST');
}

/** What identifies the images a listing sent, so unchanged images are not sent (and copied into the shop's files) again. */
function imagesKeyOf(listing: ChannelListing): string | undefined {
  return listing.images === undefined ? undefined : contentHash(listing.images);
}

/**
 * The productSet input of a listing: an ACTIVE product with one variant of the SKU at the
 * listing's price, and its images as `files` (external URLs) when they differ from the ones the
 * product was last given (`sentImagesKey`); a listing without `images` leaves the product's media alone.
 */
function productInput(sku: string, listing: ChannelListing, variantId: string | undefined, sentImagesKey: string | undefined) {
  const money = (m: { amount: number; currency: string }) => minorToDecimal(m.amount, m.currency);
  return {
    title: listing.title,
    handle: listing.handle ?? handleOfSku(sku),
    descriptionHtml: listing.description ?? '',
    vendor: listing.vendor ?? '',
    productType: listing.productType ?? '',
    tags: listing.tags ?? [],
    status: 'ACTIVE' as const,
    productOptions: [{ name: defaultOption.optionName, values: [{ name: defaultOption.name }] }],
    ...(listing.images !== undefined && imagesKeyOf(listing) !== sentImagesKey
      ? { files: listing.images.map((image) => ({ originalSource: image.url, contentType: 'IMAGE' as const, ...(image.alt !== undefined ? { alt: image.alt } : {}) })) }
      : {}),
    variants: [
      {
        ...(variantId ? { id: variantId } : {}),
        sku,
        price: money(listing.price),
        compareAtPrice: listing.compareAtPrice ? money(listing.compareAtPrice) : null,
        ...(listing.barcode ? { barcode: listing.barcode } : {}),
        optionValues: [defaultOption],
        inventoryItem: { sku, tracked: true },
      },
    ],
  };
}

/**
 * Shopify as a channel products are published to: productSet (an upsert by product id, or by
 * handle the first time, so a resend after a lost answer changes nothing) with status ACTIVE,
 * one variant carrying the SKU and its price, and the listing's images as files (only when they
 * changed, or `known` carries no mark of them); unpublish sets status ARCHIVED (or DRAFT when the
 * master went back to draft); delete is productDelete. A product deleted in Shopify behind the
 * hub's back is created again on the next publish.
 */
export function shopifyCatalogPortOf(connectionId: string, client: ShopifyClient): CatalogPort {
  return {
    connectionId,
    async publish({ sku, listing, known }, signal) {
      const set = (ids: ChannelIds | null) =>
        client.productSet(productInput(sku, listing, ids?.variantId, ids?.imagesKey), { identifier: ids ? { id: ids.productId } : { handle: listing.handle ?? handleOfSku(sku) }, signal });
      const result = await set(known).catch((error: unknown) => (known && productMissing(error) ? set(null) : Promise.reject(error)));
      const variant = result.variants.find((v) => v.sku === sku);
      if (!variant) throw permanentError('catalog_variant_missing', `${connectionId}: productSet answered without a variant of ${sku}`, 502);
      const imagesKey = imagesKeyOf(listing);
      return { productId: result.productId, variantId: variant.id, inventoryItemId: variant.inventoryItemId, handle: result.handle, ...(imagesKey !== undefined ? { imagesKey } : {}) };
    },
    async unpublish({ known, reason }, signal) {
      try {
        await client.productSet({ status: reason === 'archived' ? 'ARCHIVED' : 'DRAFT' }, { identifier: { id: known.productId }, signal });
      } catch (error) {
        if (!productMissing(error)) throw error;
      }
    },
    async delete({ known }, signal) {
      await client.productDelete(known.productId, { signal });
    },
  };
}
