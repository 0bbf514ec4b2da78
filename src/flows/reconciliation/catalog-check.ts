import { permanentError } from '../../model/index.js';
import { getProductRow, listProductRows, listPublicationsOf, markPublicationPending, type ProductPublicationRow, type ProductRow, type Store } from '../../store/index.js';
import { catalogPublish, compileMapping, mapListing, mappingInput, publishOrderingKey, type CatalogChannel, type CatalogConfig, type CompiledMapping } from '../catalog/index.js';
import type { Drift } from './drift.js';
import type { Correction, ReconciliationCheck } from './ports.js';

/** A SKU's listing as a channel shows it (money in minor units, status lower case). */
export interface ChannelProductRecord {
  sku: string;
  productId: string;
  title: string;
  /** `active`, `draft` or `archived`. */
  status: string;
  price: { amount: number; currency: string };
}

/** A channel's listings read by SKU, many at a time; a SKU the channel does not list is absent. */
export interface ChannelCatalogSide {
  readonly connectionId: string;
  products(skus: readonly string[], signal: AbortSignal): Promise<ChannelProductRecord[]>;
}

/** What the hub's master says a channel should show for an approved SKU, after the channel's mapping. */
export interface ExpectedListing {
  sku: string;
  title: string;
  status: 'active';
  price: { amount: number; currency: string };
}

const samePrice = (a: { amount: number; currency: string }, b: { amount: number; currency: string }) => a.amount === b.amount && a.currency === b.currency;

/**
 * An approved product's listing against the channel's: missing there, or differing in title, price
 * or status (only the differing fields are in expected and actual); undefined when they agree.
 */
export function compareListing(expected: ExpectedListing, actual: ChannelProductRecord | undefined, connectionId: string): Drift | undefined {
  const entity = `product:${expected.sku}@${connectionId}`;
  const systems = ['hub', connectionId];
  const detail = { connectionId, sku: expected.sku };
  if (!actual) return { kind: 'product_missing_in_channel', entity, systems, expected: { title: expected.title, price: expected.price, status: expected.status }, actual: null, severity: 'critical', correction: 'republish-product', detail };
  const want: Record<string, unknown> = {};
  const have: Record<string, unknown> = {};
  if (actual.title !== expected.title) [want['title'], have['title']] = [expected.title, actual.title];
  if (!samePrice(actual.price, expected.price)) [want['price'], have['price']] = [expected.price, actual.price];
  if (actual.status !== expected.status) [want['status'], have['status']] = [expected.status, actual.status];
  if (Object.keys(want).length === 0) return undefined;
  // A wrong price or a listing off sale costs money; a title only misleads.
  const severity = want['price'] !== undefined || want['status'] !== undefined ? 'critical' : 'warning';
  return { kind: 'product_mismatch', entity, systems, expected: want, actual: have, severity, correction: 'republish-product', detail: { ...detail, productId: actual.productId } };
}

/** The listing an approved master maps to in a channel, or undefined when its mapping fails (the publication shows that already). */
async function expectedListing(row: ProductRow, channel: CatalogChannel, mapping: CompiledMapping): Promise<ExpectedListing | undefined> {
  const content = { title: row.title, description: row.description, attributes: JSON.parse(row.attributes), images: JSON.parse(row.images), prices: JSON.parse(row.prices) } as Parameters<typeof mappingInput>[0];
  try {
    const listing = await mapListing(mapping, mappingInput({ ...content, sku: row.sku, status: row.status, version: row.version }, channel));
    return { sku: row.sku, title: listing.title, status: 'active', price: { amount: listing.price.amount, currency: listing.price.currency } };
  } catch {
    return undefined;
  }
}

/** A publication whose change is still on its way to the channel. */
const inFlight = (publication: ProductPublicationRow | undefined) => publication?.status === 'pending';

/**
 * Approved masters against one channel, a page of masters (one channel read) at a time: each mapped
 * with the channel's mapping and compared on title, price and status. A SKU with a publish on its
 * way is skipped; a mismatch is confirmed once more against the hub (a master changed meanwhile is
 * no drift).
 */
export function channelCatalogCheck(deps: { store: Store; channel: CatalogChannel; side: ChannelCatalogSide; pageSize?: number | undefined }): ReconciliationCheck {
  const pageSize = deps.pageSize ?? 250;
  const mapping = compileMapping(deps.channel.mapping);
  const connectionId = deps.channel.connection;
  const publicationsOf = async (skus: readonly string[]) => new Map((await listPublicationsOf(deps.store.db, skus)).filter((p) => p.connection_id === connectionId).map((p) => [p.sku, p]));
  return {
    name: `catalog:${connectionId}`,
    scope: 'catalog',
    async run(_window, signal) {
      const drift: Drift[] = [];
      for (let afterSku: string | undefined; ; ) {
        const rows = await listProductRows(deps.store.db, { limit: pageSize, afterSku, status: 'approved' });
        const publications = await publicationsOf(rows.map((r) => r.sku));
        const expected: { row: ProductRow; listing: ExpectedListing }[] = [];
        for (const row of rows) {
          if (inFlight(publications.get(row.sku))) continue;
          const listing = await expectedListing(row, deps.channel, mapping);
          if (listing) expected.push({ row, listing });
        }
        if (expected.length > 0) {
          const shown = new Map((await deps.side.products(expected.map((e) => e.row.sku), signal)).map((p) => [p.sku, p]));
          const found = expected.flatMap(({ row, listing }) => {
            const d = compareListing(listing, shown.get(row.sku), connectionId);
            return d ? [{ row, drift: d }] : [];
          });
          if (found.length > 0) {
            const now = await publicationsOf(found.map((f) => f.row.sku));
            for (const { row, drift: d } of found) {
              const current = await getProductRow(deps.store.db, row.sku);
              const before = publications.get(row.sku);
              const after = now.get(row.sku);
              if (current?.status !== 'approved' || current.version !== row.version || inFlight(after) || after?.updated_at !== before?.updated_at) continue;
              drift.push(d);
            }
          }
        }
        if (rows.length < pageSize) return drift;
        afterSku = rows.at(-1)!.sku;
      }
    },
  };
}

/** The checks of every configured catalog channel that has a side to read. */
export function catalogChecks(deps: { store: Store; config: CatalogConfig; side(connectionId: string): ChannelCatalogSide | undefined }): ReconciliationCheck[] {
  return deps.config.channels.flatMap((channel) => {
    const side = deps.side(channel.connection);
    return side ? [channelCatalogCheck({ store: deps.store, channel, side })] : [];
  });
}

/** The master published to the channel again, forced (the channel may show a listing the hub's hash does not know). */
export function republishProductCorrection(): Correction {
  return {
    name: 'republish-product',
    async commit(tx, drift) {
      const sku = drift.detail?.['sku'];
      const connectionId = drift.detail?.['connectionId'];
      if (typeof sku !== 'string' || typeof connectionId !== 'string') throw permanentError('drift_detail_missing', `drift ${drift.id} names no SKU and channel to publish`);
      const row = await getProductRow(tx.db, sku);
      if (!row || row.status !== 'approved') throw permanentError('product_not_approved', `${sku} is ${row?.status ?? 'unknown'} now: nothing to publish; dismiss the drift`, 409);
      await markPublicationPending(tx.db, connectionId, sku, tx.now);
      tx.emit(catalogPublish, { sku, connectionId, version: row.version, force: true }, { subject: sku, orderingKey: publishOrderingKey(connectionId, sku) });
      return { summary: `published ${sku} (version ${row.version}) to ${connectionId} again` };
    },
  };
}
