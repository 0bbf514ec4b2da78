import { permanentError } from '../../model/index.js';
import type { HandlerTransaction } from '../../messaging/index.js';
import {
  deleteProductSources,
  listProductSources,
  listPublications,
  lockProductRow,
  markPublicationPending,
  putProductRow,
  setProductSource,
  type Dialect,
  type ProductRow,
} from '../../store/index.js';
import type { CatalogConfig } from './config.js';
import { SourceFields, type MasterStatus, type ProductContent } from './content.js';
import { contentHash } from './hash.js';
import { mergeSources, withdrawnBySource } from './merge.js';
import { catalogPublish } from './messages.js';

/** What changing a master needs. */
export interface MasterDeps {
  config: CatalogConfig;
  dialect: Dialect;
}

/** One change to a SKU's master. */
export type MasterChange =
  /**
   * A source now gives these fields (computed from what it gave before, so a price can be patched
   * in); null leaves what it gave as it was (e.g. a stale delivery).
   */
  | { kind: 'source'; source: string; fields: (previous: SourceFields | undefined) => SourceFields | null }
  /** An operator (or the API) sets the status. */
  | { kind: 'status'; status: Exclude<MasterStatus, 'deleted'>; actor: string }
  /** The master is deleted: every channel deletes its listing. */
  | { kind: 'delete' };

/** What a change did to the master. */
export interface MasterOutcome {
  /** The master did not exist (or was deleted) before. */
  created: boolean;
  /** Its content or status changed (a new version). */
  changed: boolean;
  row: ProductRow;
}

function storedContent(row: ProductRow): ProductContent {
  return { title: row.title, description: row.description, attributes: JSON.parse(row.attributes), images: JSON.parse(row.images), prices: JSON.parse(row.prices) };
}

function sourcesOf(rows: { source: string; fields: string }[]): Map<string, SourceFields> {
  return new Map(rows.map((row) => [row.source, SourceFields.parse(JSON.parse(row.fields))]));
}

/**
 * Applies changes to a SKU's master inside the caller's transaction: records what each source
 * gave, re-merges by rule, and when the content (by hash) or the status changed writes a new
 * version and queues one `catalog.publish` per channel that must follow — every channel for an
 * approved product, and the channels it was published to when it leaves `approved`. A source
 * repeating what it gave changes nothing. A source withdrawing the item archives it; its return
 * makes it a draft again (or approved, without approval).
 */
export async function changeMaster(tx: HandlerTransaction, deps: MasterDeps, sku: string, changes: readonly MasterChange[]): Promise<MasterOutcome | undefined> {
  const previous = await lockProductRow(tx.db, sku, deps.dialect);
  const live = previous !== undefined && previous.status !== 'deleted';
  const sources = live ? sourcesOf(await listProductSources(tx.db, sku)) : new Map<string, SourceFields>();
  const wasWithdrawn = withdrawnBySource(sources);
  const touched = new Set<string>();
  let deleted = false;
  for (const change of changes) {
    if (change.kind === 'source') {
      const fields = change.fields(sources.get(change.source));
      if (fields === null) continue;
      sources.set(change.source, SourceFields.parse(fields));
      touched.add(change.source);
    } else if (change.kind === 'delete') {
      deleted = true;
    }
  }
  // Nothing to apply (every source change was left out): the master stays as it is.
  if (touched.size === 0 && changes.every((c) => c.kind === 'source')) return previous ? { created: false, changed: false, row: previous } : undefined;
  if (deleted && !live) return undefined;
  const content = deleted ? storedContent(previous!) : mergeSources(deps.config.merge, sources);

  // Without approval a product goes live once it has a title, unless an operator took it back to draft.
  const automatic: MasterStatus = deps.config.requireApproval || !content.title ? 'draft' : 'approved';
  let status: MasterStatus = live ? (previous.status as MasterStatus) : automatic;
  if (live && status === 'draft' && previous.approved_at === null) status = automatic;
  let approvedBy = live ? previous.approved_by : null;
  const withdrawn = withdrawnBySource(sources);
  if (withdrawn && !wasWithdrawn) status = 'archived';
  if (!withdrawn && wasWithdrawn && status === 'archived') status = automatic;
  for (const change of changes) {
    if (change.kind !== 'status') continue;
    status = change.status;
    if (change.status === 'approved' && previous?.status !== 'approved') approvedBy = change.actor;
  }
  if (deleted) status = 'deleted';
  if (status === 'approved' && !content.title) {
    throw permanentError('catalog_not_approvable', `${sku} has no title from any source, so it cannot be approved`, 409);
  }
  const hash = contentHash(content);
  for (const name of touched) await setProductSource(tx.db, { sku, source: name, fields: JSON.stringify(sources.get(name)), updated_at: tx.now });
  if (deleted) await deleteProductSources(tx.db, sku);

  const statusChanged = !live || previous.status !== status;
  const contentChanged = !live || previous.content_hash !== hash;
  if (live && !statusChanged && !contentChanged) return { created: false, changed: false, row: previous };

  const row: ProductRow = {
    sku,
    title: content.title,
    description: content.description,
    attributes: JSON.stringify(content.attributes),
    images: JSON.stringify(content.images),
    prices: JSON.stringify(content.prices),
    status,
    version: (previous?.version ?? 0) + 1,
    content_hash: hash,
    approved_at: status === 'approved' ? (live && previous.status === 'approved' ? previous.approved_at : tx.now) : live ? previous.approved_at : null,
    approved_by: status === 'approved' ? approvedBy : live ? previous.approved_by : null,
    created_at: live ? previous.created_at : tx.now,
    updated_at: tx.now,
  };
  await putProductRow(tx.db, row);
  await queuePublication(tx, deps, row, statusChanged);
  return { created: !live, changed: true, row };
}

/** Queues a publish of the master to each channel that must follow it (see {@link changeMaster}). */
async function queuePublication(tx: HandlerTransaction, deps: MasterDeps, row: ProductRow, statusChanged: boolean): Promise<void> {
  let channels: string[];
  if (row.status === 'approved') {
    channels = deps.config.channels.map((c) => c.connection);
  } else if (statusChanged) {
    const published = new Set((await listPublications(tx.db, row.sku)).map((p) => p.connection_id));
    channels = deps.config.channels.map((c) => c.connection).filter((id) => published.has(id));
  } else {
    return;
  }
  for (const connectionId of channels) {
    await markPublicationPending(tx.db, connectionId, row.sku, tx.now);
    tx.emit(catalogPublish, { sku: row.sku, connectionId, version: row.version }, { subject: row.sku, orderingKey: publishOrderingKey(connectionId, row.sku) });
  }
}

/** Publications of one SKU to one channel go out one at a time, in order. */
export function publishOrderingKey(connectionId: string, sku: string): string {
  return `catalog:${connectionId}:${sku}`;
}
