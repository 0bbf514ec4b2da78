import type { Selectable } from 'kysely';
import type { Db } from '../messages/types.js';
import type { SyncJobsTable } from '../schema.js';

/** A sync job as stored. */
export type SyncJobRow = Selectable<SyncJobsTable>;

/** Statuses of a job that has not finished. */
export const activeJobStatuses = ['queued', 'running'] as const;

/**
 * Inserts a queued job unless one of the same kind is queued or running, and answers that one
 * instead. Two racing inserts are settled by a partial unique index: the loser's insert fails.
 */
export async function insertSyncJob(db: Db, row: SyncJobRow): Promise<{ created: boolean; job: SyncJobRow }> {
  const active = await findActiveSyncJob(db, row.kind);
  if (active) return { created: false, job: active };
  await db.insertInto('sync_jobs').values(row).execute();
  return { created: true, job: row };
}

/** The queued or running job of a kind, if any. */
export async function findActiveSyncJob(db: Db, kind: string): Promise<SyncJobRow | undefined> {
  return db.selectFrom('sync_jobs').selectAll().where('kind', '=', kind).where('status', 'in', [...activeJobStatuses]).executeTakeFirst();
}

/** One job by id. */
export async function getSyncJob(db: Db, id: string): Promise<SyncJobRow | undefined> {
  return db.selectFrom('sync_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Jobs latest first, a page at a time: `before` is the last row of the previous page. */
export async function listSyncJobs(db: Db, options: { limit: number; before?: { createdAt: number; id: string } | undefined; kind?: string | undefined }): Promise<SyncJobRow[]> {
  const before = options.before;
  return db
    .selectFrom('sync_jobs')
    .selectAll()
    .$if(options.kind !== undefined, (qb) => qb.where('kind', '=', options.kind!))
    .$if(before !== undefined, (qb) => qb.where((eb) => eb.or([eb('created_at', '<', before!.createdAt), eb.and([eb('created_at', '=', before!.createdAt), eb('id', '<', before!.id)])])))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
}

/** Adds a page's counts to a job (marking it running) and sets its error when given; false when the job is no longer active. */
export async function addSyncJobProgress(db: Db, id: string, progress: { total: number; done: number; failed: number; error?: string | null | undefined }, now: number): Promise<boolean> {
  const result = await db
    .updateTable('sync_jobs')
    .set((eb) => ({
      status: 'running',
      total: eb('total', '+', progress.total),
      done: eb('done', '+', progress.done),
      failed: eb('failed', '+', progress.failed),
      ...(progress.error !== undefined ? { error: progress.error } : {}),
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('status', 'in', [...activeJobStatuses])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends an active job (succeeded, failed or cancelled); false when it had already ended. */
export async function finishSyncJob(db: Db, id: string, outcome: { status: 'succeeded' | 'failed' | 'cancelled'; error?: string | undefined }, now: number): Promise<boolean> {
  const result = await db
    .updateTable('sync_jobs')
    .set({ status: outcome.status, ...(outcome.error !== undefined ? { error: outcome.error } : {}), updated_at: now, finished_at: now })
    .where('id', '=', id)
    .where('status', 'in', [...activeJobStatuses])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Notes the latest transient problem of a running job (it is retried; the status stays). */
export async function noteSyncJobError(db: Db, id: string, error: string, now: number): Promise<void> {
  await db.updateTable('sync_jobs').set({ error, updated_at: now }).where('id', '=', id).where('status', 'in', [...activeJobStatuses]).execute();
}
