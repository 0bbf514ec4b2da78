import type { Insertable, Selectable } from 'kysely';
import type { ReconciliationDriftTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A drift as stored. */
export type DriftRow = Selectable<ReconciliationDriftTable>;

/** Records the drift a run found (in chunks, so a run with many findings stays within parameter limits). */
export async function insertDrift(db: Db, rows: Insertable<ReconciliationDriftTable>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 200) {
    await db.insertInto('reconciliation_drift').values(rows.slice(start, start + 200)).execute();
  }
}

/** One drift. */
export async function getDrift(db: Db, id: string): Promise<DriftRow | undefined> {
  return db.selectFrom('reconciliation_drift').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A run's drift in the order it was found, a page at a time after `afterId`. */
export async function listRunDrift(db: Db, runId: string, page: { limit: number; afterId?: string | undefined }): Promise<DriftRow[]> {
  let query = db.selectFrom('reconciliation_drift').selectAll().where('run_id', '=', runId);
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  return query.orderBy('id').limit(page.limit).execute();
}

/** Drift by status (e.g. every open one), oldest first. */
export async function listDriftByStatus(db: Db, status: string, page: { limit: number; afterId?: string | undefined }): Promise<DriftRow[]> {
  let query = db.selectFrom('reconciliation_drift').selectAll().where('status', '=', status);
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  return query.orderBy('id').limit(page.limit).execute();
}

/** Moves an open, failed (or, given `from`, superseded) drift to its outcome; false when it was resolved meanwhile. */
export async function settleDrift(db: Db, id: string, outcome: { status: string; resolution: string; resolved_by: string; resolved_at: number }, from: readonly string[] = ['open', 'failed']): Promise<boolean> {
  const result = await db.updateTable('reconciliation_drift').set(outcome).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Drift still open (or failed) that runs before `runId` found in these scopes. */
export async function listEarlierOpenDrift(db: Db, scopes: readonly string[], runId: string): Promise<Pick<DriftRow, 'id' | 'kind' | 'entity'>[]> {
  if (scopes.length === 0) return [];
  return db.selectFrom('reconciliation_drift').select(['id', 'kind', 'entity']).where('status', 'in', ['open', 'failed']).where('scope', 'in', [...scopes]).where('run_id', '!=', runId).execute();
}

/** The newest drift still open (or failed) about this disagreement, if any. */
export async function findOpenDrift(db: Db, kind: string, entity: string): Promise<DriftRow | undefined> {
  return db.selectFrom('reconciliation_drift').selectAll().where('kind', '=', kind).where('entity', '=', entity).where('status', 'in', ['open', 'failed']).orderBy('id', 'desc').limit(1).executeTakeFirst();
}
