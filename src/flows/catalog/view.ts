import {
  getProductRow,
  listProductRows,
  listProductSources,
  listProductSourcesOf,
  listPublications,
  listPublicationsOf,
  type Db,
  type ProductPublicationRow,
  type ProductRow,
  type ProductSourceRow,
} from '../../store/index.js';
import type { ProductAttributes, ProductImage, ProductPrice } from './content.js';
import type { ChannelIds } from './ports.js';
import { knownIds, withoutPortMarks } from './publish.js';

/** A SKU's publication in one channel, as the API shows it. */
export interface PublicationView {
  connectionId: string;
  status: string;
  externalId: string | null;
  externalIds: ChannelIds | null;
  publishedAt: string | null;
  /** The master version the channel shows (or was last checked against). */
  publishedVersion: number | null;
  error: string | null;
}

/** A product master as the API shows it: merged content, status, version, sources and publications. */
export interface ProductView {
  sku: string;
  title: string;
  description: string | null;
  attributes: ProductAttributes;
  images: ProductImage[];
  prices: ProductPrice[];
  status: string;
  version: number;
  contentHash: string;
  approvedAt: string | null;
  approvedBy: string | null;
  createdAt: string;
  updatedAt: string;
  sources: { source: string; updatedAt: string }[];
  publications: PublicationView[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());


/** A master row with its sources and publications as the API shows it. */
function present(row: ProductRow, sources: readonly ProductSourceRow[], publications: readonly ProductPublicationRow[]): ProductView {
  return {
    sku: row.sku,
    title: row.title,
    description: row.description,
    attributes: JSON.parse(row.attributes) as ProductAttributes,
    images: JSON.parse(row.images) as ProductImage[],
    prices: JSON.parse(row.prices) as ProductPrice[],
    status: row.status,
    version: row.version,
    contentHash: row.content_hash,
    approvedAt: iso(row.approved_at),
    approvedBy: row.approved_by,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    sources: sources.map((s) => ({ source: s.source, updatedAt: iso(s.updated_at)! })),
    publications: publications.map((p) => ({
      connectionId: p.connection_id,
      status: p.status,
      externalId: p.external_id,
      externalIds: withoutPortMarks(knownIds(p)),
      publishedAt: iso(p.published_at),
      publishedVersion: p.published_version,
      error: p.error,
    })),
  };
}

/** The master of a SKU with its sources and publications, or undefined when the hub has none. */
export async function productView(db: Db, sku: string): Promise<ProductView | undefined> {
  const row = await getProductRow(db, sku);
  if (!row) return undefined;
  const [sources, publications] = await Promise.all([listProductSources(db, sku), listPublications(db, sku)]);
  return present(row, sources, publications);
}

/** A page of masters in SKU order (optionally of one status) after `afterSku`, and the SKU the next page starts after (null on the last). */
export async function productPage(db: Db, options: { limit: number; afterSku?: string | undefined; status?: string | undefined }): Promise<{ data: ProductView[]; next: string | null }> {
  const rows = await listProductRows(db, { ...options, limit: options.limit + 1 });
  const page = rows.slice(0, options.limit);
  const skus = page.map((row) => row.sku);
  const [sources, publications] = await Promise.all([listProductSourcesOf(db, skus), listPublicationsOf(db, skus)]);
  const bySku = <T extends { sku: string }>(rows: readonly T[]) => {
    const groups = new Map<string, T[]>();
    for (const r of rows) groups.set(r.sku, [...(groups.get(r.sku) ?? []), r]);
    return groups;
  };
  const [sourcesOf, publicationsOf] = [bySku(sources), bySku(publications)];
  return {
    data: page.map((row) => present(row, sourcesOf.get(row.sku) ?? [], publicationsOf.get(row.sku) ?? [])),
    next: rows.length > options.limit ? (page.at(-1)?.sku ?? null) : null,
  };
}
