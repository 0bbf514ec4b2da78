import type { Insertable, Selectable } from 'kysely';
import type { ReconciliationRunsTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A reconciliation run as stored. */
export type ReconciliationRunRow = Selectable<ReconciliationRunsTable>;

/** Records a queued run. */
export async function insertReconciliationRun(db: Db, row: Insertable<ReconciliationRunsTable>): Promise<void> {
  await db.insertInto('reconciliation_runs').values(row).execute();
}

/** One run. */
export async function getReconciliationRun(db: Db, id: string): Promise<ReconciliationRunRow | undefined> {
  return db.selectFrom('reconciliation_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest run still queued or running, if any. */
export async function findActiveReconciliationRun(db: Db): Promise<ReconciliationRunRow | undefined> {
  return db.selectFrom('reconciliation_runs').selectAll().where('status', 'in', ['queued', 'running']).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

/** Changes a run's state (started, finished, with its checks and drift count). */
export async function updateReconciliationRun(db: Db, id: string, changes: Partial<Omit<ReconciliationRunRow, 'id'>>): Promise<void> {
  await db.updateTable('reconciliation_runs').set(changes).where('id', '=', id).execute();
}

/** Runs, newest first, a page at a time before (created_at, id). */
export async function listReconciliationRuns(db: Db, page: { limit: number; before?: { createdAt: number; id: string } | undefined }): Promise<ReconciliationRunRow[]> {
  let query = db.selectFrom('reconciliation_runs').selectAll();
  if (page.before) {
    const { createdAt, id } = page.before;
    query = query.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}
