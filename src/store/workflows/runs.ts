import type { Insertable, Selectable } from 'kysely';
import type { WorkflowRunsTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A workflow run as stored. */
export type WorkflowRunRow = Selectable<WorkflowRunsTable>;
/** A workflow run to insert. */
export type NewWorkflowRunRow = Insertable<WorkflowRunsTable>;

/** Inserts a run unless one with its key exists; true when inserted. */
export async function insertWorkflowRun(db: Db, row: NewWorkflowRunRow): Promise<boolean> {
  const inserted = await db.insertInto('workflow_runs').values(row).onConflict((oc) => oc.column('key').doNothing()).returning('id').execute();
  return inserted.length > 0;
}

/** One run by id. */
export async function getWorkflowRun(db: Db, id: string): Promise<WorkflowRunRow | undefined> {
  return db.selectFrom('workflow_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One run by its business key. */
export async function findWorkflowRunByKey(db: Db, key: string): Promise<WorkflowRunRow | undefined> {
  return db.selectFrom('workflow_runs').selectAll().where('key', '=', key).executeTakeFirst();
}

/** Every run of an order, oldest first. */
export async function listOrderWorkflowRuns(db: Db, orderId: string): Promise<WorkflowRunRow[]> {
  return db.selectFrom('workflow_runs').selectAll().where('order_id', '=', orderId).orderBy('started_at').orderBy('id').execute();
}

/** Changes a run's progress fields. */
export async function updateWorkflowRun(
  db: Db,
  id: string,
  changes: Partial<Pick<WorkflowRunRow, 'status' | 'step' | 'outputs' | 'error' | 'step_started_at' | 'step_deadline'>> & { updated_at: number },
): Promise<void> {
  await db.updateTable('workflow_runs').set(changes).where('id', '=', id).execute();
}

/** Orders with a running step past its deadline (stuck), most overdue first. */
export async function listOverdueRuns(db: Db, now: number, limit: number): Promise<WorkflowRunRow[]> {
  return db
    .selectFrom('workflow_runs')
    .selectAll()
    .where('status', 'in', ['running', 'compensating'])
    .where('step_deadline', '<', now)
    .orderBy('step_deadline')
    .limit(limit)
    .execute();
}

/** How many runs are past their step deadline. */
export async function countOverdueRuns(db: Db, now: number): Promise<number> {
  const row = await db
    .selectFrom('workflow_runs')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('status', 'in', ['running', 'compensating'])
    .where('step_deadline', '<', now)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
