import { TillbridgeError, type Clock } from '../../model/index.js';
import { defaultRetryPolicy, describeError, handlerFor, type HandlerRegistration } from '../../messaging/index.js';
import { getProductRow, getPublication, notePublicationError, setPublication, type ProductPublicationRow, type ProductRow, type Store } from '../../store/index.js';
import type { CatalogChannel } from './config.js';
import type { ProductContent } from './content.js';
import { contentHash } from './hash.js';
import { mapListing, mappingInput } from './listing.js';
import type { CompiledMapping } from './mapping-expression.js';
import { catalogPublish } from './messages.js';
import type { CatalogPort, ChannelIds } from './ports.js';

/** A configured channel with its mapping compiled. */
export interface ChannelRuntime {
  channel: CatalogChannel;
  mapping: CompiledMapping;
}

/** What publishing needs. */
export interface PublishDeps {
  store: Store;
  clock: Clock;
  channels: ReadonlyMap<string, ChannelRuntime>;
  /** The channel's port, or undefined when the connection cannot take products. */
  port(connectionId: string): CatalogPort | undefined;
}

const maxAttempts = catalogPublish.retry?.maxAttempts ?? defaultRetryPolicy.maxAttempts;

/** The master's content as stored. */
export function contentOf(row: ProductRow): ProductContent {
  return { title: row.title, description: row.description, attributes: JSON.parse(row.attributes), images: JSON.parse(row.images), prices: JSON.parse(row.prices) };
}

/** The ids a publication recorded, if the channel has the SKU. */
export function knownIds(row: ProductPublicationRow | undefined): ChannelIds | null {
  if (!row?.external_id) return null;
  return row.external_ids ? (JSON.parse(row.external_ids) as ChannelIds) : { productId: row.external_id };
}

/** The channel's ids without the port's own marks (what the API shows, and what a forced publish passes so the port re-sends everything). */
export function withoutPortMarks(ids: ChannelIds | null): ChannelIds | null {
  if (!ids) return null;
  const { imagesKey: _imagesKey, ...shown } = ids;
  return shown;
}

type Plan =
  | { action: 'publish' }
  | { action: 'unpublish'; known: ChannelIds; reason: 'archived' | 'draft' }
  | { action: 'delete'; known: ChannelIds }
  | { action: 'settle'; status: 'unpublished' | 'deleted' };

function planFor(product: ProductRow | undefined, publication: ProductPublicationRow | undefined): Plan {
  const known = knownIds(publication);
  if (!product || product.status === 'deleted') return known ? { action: 'delete', known } : { action: 'settle', status: 'deleted' };
  if (product.status === 'approved') return { action: 'publish' };
  const live = known !== null && publication?.published_hash !== null;
  return live ? { action: 'unpublish', known, reason: product.status === 'archived' ? 'archived' : 'draft' } : { action: 'settle', status: 'unpublished' };
}

/**
 * Brings one channel up to date with a SKU's master as it is now: an approved product is mapped
 * with the channel's JSONata and published unless the channel already shows that exact listing
 * (same hash); a draft or archived one is taken off sale; a deleted one is deleted there. The
 * outcome (ids, hash, time) commits with the message. A failure is recorded on the publication
 * before the dispatcher retries it (transient) or dead-letters it (permanent, or out of
 * attempts), when the publication shows `failed` with the channel's error.
 */
export function catalogPublishHandler(deps: PublishDeps): HandlerRegistration {
  return handlerFor(catalogPublish, async (ctx) => {
    const { sku, connectionId } = ctx.message.data;
    const runtime = deps.channels.get(connectionId);
    // A channel removed from the configuration no longer follows the master.
    if (!runtime) return;
    const db = deps.store.db;
    const product = await getProductRow(db, sku);
    const publication = await getPublication(db, connectionId, sku);
    const plan = planFor(product, publication);
    const base: ProductPublicationRow = publication ?? { connection_id: connectionId, sku, status: 'pending', external_id: null, external_ids: null, inventory_item_id: null, published_hash: null, published_version: null, published_at: null, error: null, updated_at: 0 };
    try {
      if (plan.action === 'settle') {
        await ctx.commit(async (tx) => setPublication(tx.db, { ...base, status: plan.status, published_hash: null, error: null, updated_at: tx.now }));
        return;
      }
      const port = deps.port(connectionId);
      if (!port) throw new TillbridgeError('catalog_channel_unsupported', `connection ${connectionId} cannot take products (no catalog port for its system)`, { httpStatus: 422 });
      if (plan.action === 'delete') {
        await port.delete({ sku, known: plan.known }, ctx.signal);
        await ctx.commit(async (tx) => setPublication(tx.db, { ...base, status: 'deleted', external_id: null, external_ids: null, inventory_item_id: null, published_hash: null, error: null, updated_at: tx.now }));
        return;
      }
      if (plan.action === 'unpublish') {
        await port.unpublish({ sku, known: plan.known, reason: plan.reason }, ctx.signal);
        await ctx.commit(async (tx) => setPublication(tx.db, { ...base, status: 'unpublished', published_hash: null, error: null, updated_at: tx.now }));
        return;
      }
      const master = product!;
      const listing = await mapListing(runtime.mapping, mappingInput({ ...contentOf(master), sku, status: master.status, version: master.version }, runtime.channel));
      const hash = contentHash(listing);
      if (!ctx.message.data.force && publication?.published_hash === hash && publication.external_id) {
        await ctx.commit(async (tx) => setPublication(tx.db, { ...base, status: 'published', published_version: master.version, error: null, updated_at: tx.now }));
        return;
      }
      // A backfill repairs a channel that may have lost what it was sent: the port may skip nothing (e.g. images).
      const known = ctx.message.data.force ? withoutPortMarks(knownIds(publication)) : knownIds(publication);
      const ids = await port.publish({ sku, listing, known }, ctx.signal);
      await ctx.commit(async (tx) =>
        setPublication(tx.db, {
          ...base,
          status: 'published',
          external_id: ids.productId,
          external_ids: JSON.stringify(ids),
          inventory_item_id: ids.inventoryItemId ?? null,
          published_hash: hash,
          published_version: master.version,
          published_at: tx.now,
          error: null,
          updated_at: tx.now,
        }),
      );
    } catch (error) {
      const { code, message, retryable } = describeError(error);
      const final = !retryable || ctx.attempt >= maxAttempts;
      await notePublicationError(db, connectionId, sku, `${code}: ${message}`, final, deps.clock.now()).catch(() => undefined);
      throw error;
    }
  });
}
