import type { Insertable, Selectable } from 'kysely';
import type { WorkflowStepsTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A workflow step as stored. */
export type WorkflowStepRow = Selectable<WorkflowStepsTable>;
/** A workflow step to record. */
export type NewWorkflowStepRow = Insertable<WorkflowStepsTable>;

/** Records a step's state (insert or replace); `started_at` keeps its first value. */
export async function recordWorkflowStep(db: Db, row: NewWorkflowStepRow): Promise<void> {
  const { run_id: _run, phase: _phase, step: _step, started_at: _started, ...changes } = row;
  await db
    .insertInto('workflow_steps')
    .values(row)
    .onConflict((oc) => oc.columns(['run_id', 'phase', 'step']).doUpdateSet(changes))
    .execute();
}

/** One step of a run. */
export async function getWorkflowStep(db: Db, runId: string, phase: string, step: string): Promise<WorkflowStepRow | undefined> {
  return db.selectFrom('workflow_steps').selectAll().where('run_id', '=', runId).where('phase', '=', phase).where('step', '=', step).executeTakeFirst();
}

/** The steps of several runs, in run order then position. */
export async function listWorkflowSteps(db: Db, runIds: string[]): Promise<WorkflowStepRow[]> {
  if (runIds.length === 0) return [];
  return db.selectFrom('workflow_steps').selectAll().where('run_id', 'in', runIds).orderBy('started_at').orderBy('position').execute();
}
