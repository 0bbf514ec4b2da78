import type { z } from 'zod';
import { permanentError, TillbridgeError, type Clock, type IdGenerator } from '../../model/index.js';
import { defaultRetryPolicy, describeError, handlerFor, inOutboxTransaction, type HandlerContext, type HandlerRegistration, type HandlerTransaction } from '../../messaging/index.js';
import {
  addSyncJobProgress,
  findActiveSyncJob,
  finishSyncJob,
  getPublication,
  getSyncJob,
  insertSyncJob,
  listProductRows,
  listSyncJobs,
  listTrackedSkus,
  markPublicationPending,
  noteSyncJobError,
  type Store,
  type SyncJobRow,
} from '../../store/index.js';
import { catalogPublish, publishOrderingKey } from '../catalog/index.js';
import type { InboundSink } from '../inbound/index.js';
import { syncPage } from './messages.js';
import type { SyncKind, SyncSource } from './ports.js';
import { syncJobView, type SyncJobView } from './view.js';

/** What the sync flow needs. */
export interface SyncDeps {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  /** The sources a backfill can list (built from the connections). */
  sources(): readonly SyncSource[];
  /** Applies stock reports (the inventory flow's inbound sink) and schedules pushes of SKUs. */
  inventory: { sink: InboundSink; changed(tx: HandlerTransaction, skus: readonly string[]): Promise<void> };
  /** Applies ERP Items and Item Prices to the master (the catalog flow's inbound sink). */
  catalog?: { sink: InboundSink } | undefined;
  /** The channels approved products are published to. */
  catalogChannels: readonly string[];
  /** Items per page (per message); default 500. */
  pageSize?: number | undefined;
}

/** Bulk backfills of inventory and catalog, as jobs with progress. */
export interface Sync {
  handlers: HandlerRegistration[];
  /** Queues a job; `conflict` when one of the same kind is queued or running. */
  start(kind: SyncKind, options: { connections?: readonly string[] | undefined; requestedBy: string | null }): Promise<{ outcome: 'started' | 'conflict'; job: SyncJobView }>;
  view(id: string): Promise<SyncJobView | undefined>;
  list(options: { limit: number; before?: { createdAt: number; id: string } | undefined; kind?: SyncKind | undefined }): Promise<SyncJobView[]>;
  /** Stops an active job after the page in flight; the job answered as it is, or undefined when unknown. */
  cancel(id: string): Promise<SyncJobView | undefined>;
}

/** The last stage of every plan: push every tracked SKU (inventory) or re-publish every approved product (catalog). */
const fanOutStage = '#fan-out';
const maxAttempts = syncPage.retry?.maxAttempts ?? defaultRetryPolicy.maxAttempts;
type PageContext = HandlerContext<z.output<typeof syncPage.data>>;
/** How a transient failure is noted on the job while the page is retried (cleared by the next page that commits). */
const retryNote = 'retrying: ';
/** The job's error after a page committed: an item error is kept (the first one), a retry note is cleared. */
const errorAfterPage = (job: SyncJobRow, itemError?: string) => (job.error === null || job.error.startsWith(retryNote) ? (itemError ?? null) : job.error);
const isActive = (job: SyncJobRow) => job.status === 'queued' || job.status === 'running';

/** The sync flow over a store. */
export function createSync(deps: SyncDeps): Sync {
  const pageSize = deps.pageSize ?? 500;
  const db = deps.store.db;

  function plan(kind: SyncKind, connections: readonly string[] | undefined): string[] {
    const sources = deps.sources().filter((s) => s.kind === kind);
    if (connections) {
      const known = new Set(sources.map((s) => s.connection.id));
      const unknown = connections.filter((c) => !known.has(c));
      if (unknown.length > 0) {
        throw permanentError('unknown_sync_source', `${unknown.join(', ')} cannot be listed for a ${kind} sync (sources: ${[...known].join(', ') || 'none'})`, 422);
      }
    }
    const chosen = connections ? sources.filter((s) => connections.includes(s.connection.id)) : sources;
    return [...chosen.map((s) => s.id), fanOutStage];
  }

  const sinksOf = (kind: SyncKind): InboundSink[] => (kind === 'inventory' ? [deps.inventory.sink] : deps.catalog ? [deps.catalog.sink] : []);

  /** Lists one page of a source and applies it like the webhooks would be. */
  async function readStage(ctx: PageContext, job: SyncJobRow, sourceId: string): Promise<void> {
    const { jobId, stage, cursor } = ctx.message.data;
    const source = deps.sources().find((s) => s.id === sourceId);
    if (!source) throw permanentError('sync_source_gone', `${sourceId} is no longer a configured source`);
    const page = await source.read(cursor, pageSize, ctx.signal);
    const sinks = sinksOf(job.kind as SyncKind);
    await ctx.commit(async (tx) => {
      let done = 0;
      let failed = 0;
      let firstError: string | undefined;
      for (const item of page.items) {
        if ('error' in item) {
          failed += 1;
          firstError ??= `${item.ref}: ${item.error}`;
          continue;
        }
        try {
          for (const event of item.events) {
            for (const sink of sinks) {
              if (sink.kinds.includes(event.kind)) await sink.apply(tx, event, { connection: source.connection, inboxId: `sync:${jobId}`, correlationId: ctx.message.correlationid });
            }
          }
          done += 1;
        } catch (error) {
          // A permanent problem with one item (e.g. a product without a title) is counted, not fatal.
          if (!(error instanceof TillbridgeError) || error.retryable) throw error;
          failed += 1;
          firstError ??= `${item.ref}: ${error.code}: ${error.message}`;
        }
      }
      if (!(await addSyncJobProgress(tx.db, jobId, { total: page.items.length, done, failed, error: errorAfterPage(job, firstError) }, tx.now))) return;
      next(tx, jobId, page.next !== null ? { stage, cursor: page.next } : { stage: stage + 1, cursor: null });
    });
  }

  /** Pushes a page of tracked SKUs (inventory) or re-publishes a page of approved products (catalog). */
  async function fanOutPage(ctx: PageContext, job: SyncJobRow): Promise<void> {
    const { jobId, stage, cursor } = ctx.message.data;
    if (job.kind === 'inventory') {
      const skus = await listTrackedSkus(db, cursor, pageSize);
      await ctx.commit(async (tx) => {
        await deps.inventory.changed(tx, skus);
        if (!(await addSyncJobProgress(tx.db, jobId, { total: 0, done: 0, failed: 0, error: errorAfterPage(job) }, tx.now))) return;
        next(tx, jobId, skus.length === pageSize ? { stage, cursor: skus.at(-1)! } : { stage: stage + 1, cursor: null });
      });
      return;
    }
    const rows = await listProductRows(db, { limit: pageSize, afterSku: cursor ?? undefined, status: 'approved' });
    await ctx.commit(async (tx) => {
      for (const row of rows) {
        for (const connectionId of deps.catalogChannels) {
          // A publish this job's reading queued already sends the latest master: no second one.
          const publication = await getPublication(tx.db, connectionId, row.sku);
          if (publication?.status === 'pending' && publication.updated_at >= job.created_at) continue;
          await markPublicationPending(tx.db, connectionId, row.sku, tx.now);
          tx.emit(catalogPublish, { sku: row.sku, connectionId, version: row.version, force: true }, { subject: row.sku, orderingKey: publishOrderingKey(connectionId, row.sku) });
        }
      }
      if (!(await addSyncJobProgress(tx.db, jobId, { total: 0, done: 0, failed: 0, error: errorAfterPage(job) }, tx.now))) return;
      next(tx, jobId, rows.length === pageSize ? { stage, cursor: rows.at(-1)!.sku } : { stage: stage + 1, cursor: null });
    });
  }

  /** Queues the next page (past the last stage, it ends the job). */
  function next(tx: HandlerTransaction, jobId: string, position: { stage: number; cursor: string | null }): void {
    tx.emit(syncPage, { jobId, ...position }, { subject: jobId, orderingKey: `sync:${jobId}` });
  }

  const handler = handlerFor(syncPage, async (ctx) => {
    const { jobId, stage } = ctx.message.data;
    const job = await getSyncJob(db, jobId);
    if (!job || !isActive(job)) return;
    const stages = JSON.parse(job.plan) as string[];
    const step = stages[stage];
    try {
      if (step === undefined) {
        await ctx.commit(async (tx) => void (await finishSyncJob(tx.db, jobId, { status: 'succeeded' }, tx.now)));
      } else if (step === fanOutStage) {
        await fanOutPage(ctx, job);
      } else {
        await readStage(ctx, job, step);
      }
    } catch (error) {
      const { code, message, retryable } = describeError(error);
      const text = `${code}: ${message}`;
      const now = deps.clock.now();
      if (!retryable || ctx.attempt >= maxAttempts) await finishSyncJob(db, jobId, { status: 'failed', error: text }, now).catch(() => undefined);
      else if (errorAfterPage(job) === null) await noteSyncJobError(db, jobId, `${retryNote}attempt ${ctx.attempt} failed: ${text}`, now).catch(() => undefined);
      throw error;
    }
  });

  const view = async (id: string) => {
    const row = await getSyncJob(db, id);
    return row ? syncJobView(row) : undefined;
  };

  return {
    handlers: [handler],
    async start(kind, options) {
      const stages = plan(kind, options.connections);
      const now = deps.clock.now();
      const row: SyncJobRow = {
        id: deps.newId('job'),
        kind,
        status: 'queued',
        plan: JSON.stringify(stages),
        connections: options.connections ? JSON.stringify(options.connections) : null,
        total: 0,
        done: 0,
        failed: 0,
        error: null,
        requested_by: options.requestedBy,
        created_at: now,
        updated_at: now,
        finished_at: null,
      };
      try {
        const result = await inOutboxTransaction(deps.store, { origin: { source: 'tillbridge/sync', correlationId: deps.newId('cor') }, now, newId: deps.newId }, async (tx) => {
          const inserted = await insertSyncJob(tx.db, row);
          if (inserted.created) tx.emit(syncPage, { jobId: row.id, stage: 0, cursor: null }, { subject: row.id, orderingKey: `sync:${row.id}` });
          return inserted;
        });
        return { outcome: result.created ? 'started' : 'conflict', job: syncJobView(result.job) };
      } catch (error) {
        // Two requests raced past the check: the partial unique index let one in.
        const winner = await findActiveSyncJob(db, kind);
        if (winner) return { outcome: 'conflict', job: syncJobView(winner) };
        throw error;
      }
    },
    view,
    async list(options) {
      return (await listSyncJobs(db, options)).map(syncJobView);
    },
    async cancel(id) {
      await finishSyncJob(db, id, { status: 'cancelled' }, deps.clock.now());
      return view(id);
    },
  };
}
