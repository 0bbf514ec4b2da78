import type { HandlerTransaction } from '../../messaging/index.js';
import { appendTimeline, findWorkflowRunByKey, getWorkflowRun, insertWorkflowRun, updateWorkflowRun, type WorkflowRunRow } from '../../store/index.js';
import type { Workflow, WorkflowStep } from './define.js';

/** Statuses of a run. */
export const runStatus = {
  running: 'running',
  waiting: 'waiting',
  completed: 'completed',
  compensating: 'compensating',
  compensated: 'compensated',
} as const;

/** The messages of one order run one at a time, in order; runs without an order are keyed by themselves. */
export function orderingKeyOf(run: Pick<WorkflowRunRow, 'order_id' | 'key'>): string {
  return run.order_id ?? run.key;
}

/** When a step that starts now breaches its SLA. */
export function deadlineOf(step: WorkflowStep<unknown> | undefined, now: number): number | null {
  return step?.slaMs !== undefined ? now + step.slaMs : null;
}

/** Queues the message that runs `step` of `run`. */
export function emitStep(tx: HandlerTransaction, workflow: Workflow<unknown>, run: Pick<WorkflowRunRow, 'id' | 'order_id' | 'key'>, step: string): void {
  const definition = workflow.stepMessages.get(step);
  if (!definition) throw new Error(`workflow ${workflow.name} has no step ${step}`);
  tx.emit(definition, { runId: run.id }, { subject: run.order_id ?? run.key, orderingKey: orderingKeyOf(run) });
}

/**
 * Starts a run unless one with the same key exists (a duplicate event starts nothing); the first
 * step's message commits with the caller's transaction.
 */
export async function startRun<I>(
  tx: HandlerTransaction,
  workflow: Workflow<I>,
  start: { id: string; key: string; orderId: string | null; correlationId: string; input: I },
): Promise<{ runId: string; created: boolean }> {
  const first = workflow.steps[0];
  if (!first) throw new Error(`workflow ${workflow.name} has no steps`);
  const created = await insertWorkflowRun(tx.db, {
    id: start.id,
    workflow: workflow.name,
    key: start.key,
    order_id: start.orderId,
    status: runStatus.running,
    step: first.name,
    input: JSON.stringify(start.input),
    outputs: '{}',
    correlation_id: start.correlationId,
    error: null,
    started_at: tx.now,
    step_started_at: tx.now,
    step_deadline: deadlineOf(first as WorkflowStep<unknown>, tx.now),
    updated_at: tx.now,
  });
  if (!created) {
    const existing = await findWorkflowRunByKey(tx.db, start.key);
    return { runId: existing?.id ?? start.id, created: false };
  }
  emitStep(tx, workflow as Workflow<unknown>, { id: start.id, order_id: start.orderId, key: start.key }, first.name);
  return { runId: start.id, created: true };
}

/** Continues a waiting run (e.g. after a hold is released) at the step it waits at; false when it was not waiting. */
export async function resumeRun<I>(tx: HandlerTransaction, workflow: Workflow<I>, runId: string): Promise<boolean> {
  const run = await getWorkflowRun(tx.db, runId);
  if (!run || run.status !== runStatus.waiting || !run.step) return false;
  const wf = workflow as unknown as Workflow<unknown>;
  const step = wf.steps.find((s) => s.name === run.step);
  await updateWorkflowRun(tx.db, run.id, { status: runStatus.running, error: null, step_started_at: tx.now, step_deadline: deadlineOf(step, tx.now), updated_at: tx.now });
  emitStep(tx, wf, run, run.step);
  return true;
}

/**
 * Starts compensating a run: its finished steps are undone in reverse order, one message each, and
 * a forward step still queued finds the run compensating and does nothing.
 */
export async function compensateRun<I>(tx: HandlerTransaction, workflow: Workflow<I>, runId: string, reason: string): Promise<boolean> {
  const run = await getWorkflowRun(tx.db, runId);
  if (!run || run.status === runStatus.compensating || run.status === runStatus.compensated) return false;
  await updateWorkflowRun(tx.db, run.id, { status: runStatus.compensating, error: reason, step_started_at: tx.now, step_deadline: null, updated_at: tx.now });
  if (run.order_id) {
    await appendTimeline(tx.db, [
      { order_id: run.order_id, at: tx.now, event: `${workflow.name}.compensating`, system: 'tillbridge', detail: JSON.stringify({ runId, reason }), correlation_id: run.correlation_id, message_id: null },
    ]);
  }
  tx.emit(workflow.compensateMessage, { runId }, { subject: run.order_id ?? run.key, orderingKey: orderingKeyOf(run) });
  return true;
}
