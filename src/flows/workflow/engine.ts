import { permanentError, type Clock } from '../../model/index.js';
import { defaultRetryPolicy, describeError, handlerFor, LeaseLost, type HandlerContext, type HandlerRegistration, type HandlerTransaction } from '../../messaging/index.js';
import { appendTimeline, getWorkflowRun, listWorkflowSteps, recordWorkflowStep, updateWorkflowRun, type Store, type WorkflowRunRow } from '../../store/index.js';
import { deadlineOf, emitStep, orderingKeyOf, runStatus } from './control.js';
import type { RunView, StepContext, StepResult, Workflow, WorkflowStep } from './define.js';
import { runView, stepRecord } from './run-view.js';
import { withTimeout } from './timeout.js';

/** What running workflows needs. */
export interface EngineDeps {
  store: Store;
  clock: Clock;
}

type Phase = 'forward' | 'compensate';

/**
 * The message handlers that drive a workflow: one per step, and one that compensates. Each step's
 * outside call runs first; its result, the run's progress, its local writes and the next step's
 * message then commit in one transaction with the message's completion — so a crash at any point
 * resumes at the step that had not committed, and retries follow the step's own policy.
 */
export function workflowHandlers<I>(workflow: Workflow<I>, deps: EngineDeps): HandlerRegistration[] {
  const wf = workflow as unknown as Workflow<unknown>;
  const forward = wf.steps.map((step, position) =>
    handlerFor(wf.stepMessages.get(step.name)!, async (ctx) => {
      const row = await loadRun(deps, ctx.message.data.runId);
      if (row.status !== runStatus.running || row.step !== step.name) return;
      const run = runView(wf, row);
      const waitReason = await wf.gate?.(deps.store.db, run);
      if (waitReason) {
        await ctx.commit((tx) => markWaiting(tx, wf, row, step, waitReason));
        return;
      }
      const started = deps.clock.now();
      const stepContext = (signal: AbortSignal): StepContext<unknown> => ({ run, attempt: ctx.attempt, signal, now: started });
      let result: StepResult;
      try {
        result = await withTimeout(`step ${step.name} of ${wf.name}`, step.timeoutMs, ctx.signal, (signal) => step.invoke(stepContext(signal)));
      } catch (error) {
        await recordFailure(deps, wf, step, 'forward', position, row, ctx, error);
        throw error;
      }
      await ctx.commit(async (tx) => {
        const current = await loadRun(deps, row.id, tx);
        const record = stepRecord(result);
        const steps = { ...(JSON.parse(current.outputs) as RunView<unknown>['steps']), [step.name]: record };
        const onTrack = current.status === runStatus.running && current.step === step.name;
        const applied = onTrack ? await step.apply?.(tx, stepContext(ctx.signal), result) : undefined;
        if (applied?.wait) {
          await recordWorkflowStep(tx.db, stepRow(row, step, 'forward', position, 'waiting', ctx, started, tx.now, result));
          await markWaiting(tx, wf, row, step, applied.wait);
          return;
        }
        await recordWorkflowStep(tx.db, stepRow(row, step, 'forward', position, record.skipped ? 'skipped' : 'done', ctx, started, tx.now, result));
        await appendStepTimeline(tx, wf, row, step, 'done', ctx, result, tx.now - started);
        if (!onTrack) {
          await updateWorkflowRun(tx.db, row.id, { outputs: JSON.stringify(steps), updated_at: tx.now });
          return;
        }
        const next = wf.steps[position + 1];
        if (next) {
          await updateWorkflowRun(tx.db, row.id, { step: next.name, outputs: JSON.stringify(steps), error: null, step_started_at: tx.now, step_deadline: deadlineOf(next, tx.now), updated_at: tx.now });
          emitStep(tx, wf, row, next.name);
          return;
        }
        await updateWorkflowRun(tx.db, row.id, { status: runStatus.completed, outputs: JSON.stringify(steps), error: null, step_deadline: null, updated_at: tx.now });
        await wf.onCompleted?.(tx, { ...run, steps });
      });
    }),
  );
  return [...forward, compensationHandler(wf, deps)];
}

function compensationHandler(wf: Workflow<unknown>, deps: EngineDeps): HandlerRegistration {
  return handlerFor(wf.compensateMessage, async (ctx) => {
    const row = await loadRun(deps, ctx.message.data.runId);
    if (row.status !== runStatus.compensating) return;
    const run = runView(wf, row);
    const recorded = await listWorkflowSteps(deps.store.db, [row.id]);
    const undone = new Set(recorded.filter((s) => s.phase === 'compensate' && (s.status === 'done' || s.status === 'skipped')).map((s) => s.step));
    const position = findLastIndex(wf.steps, (s) => run.steps[s.name] !== undefined && !undone.has(s.name));
    const step = wf.steps[position];
    if (!step) {
      await ctx.commit(async (tx) => {
        await updateWorkflowRun(tx.db, row.id, { status: runStatus.compensated, step_deadline: null, updated_at: tx.now });
        await wf.onCompensated?.(tx, run, row.error ?? 'compensated');
      });
      return;
    }
    const done = run.steps[step.name]!;
    const started = deps.clock.now();
    const stepContext = (signal: AbortSignal): StepContext<unknown> => ({ run, attempt: ctx.attempt, signal, now: started });
    let result: StepResult = { skipped: true };
    if (step.compensate && !done.skipped) {
      try {
        const compensate = step.compensate.bind(step);
        result = await withTimeout(`compensation of ${step.name} in ${wf.name}`, step.timeoutMs, ctx.signal, (signal) => compensate({ ...stepContext(signal), done }));
      } catch (error) {
        await recordFailure(deps, wf, step, 'compensate', position, row, ctx, error);
        throw error;
      }
    }
    await ctx.commit(async (tx) => {
      const skipped = result.skipped ?? false;
      await recordWorkflowStep(tx.db, stepRow(row, step, 'compensate', position, skipped ? 'skipped' : 'done', ctx, started, tx.now, result));
      if (!skipped) {
        await step.applyCompensation?.(tx, stepContext(ctx.signal), result);
        await appendStepTimeline(tx, wf, row, step, 'compensated', ctx, result, tx.now - started);
      }
      await updateWorkflowRun(tx.db, row.id, { step: step.name, updated_at: tx.now });
      tx.emit(wf.compensateMessage, { runId: row.id }, { subject: row.order_id ?? row.key, orderingKey: orderingKeyOf(row) });
    });
  });
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return i;
  return -1;
}

async function loadRun(deps: EngineDeps, runId: string, tx?: HandlerTransaction): Promise<WorkflowRunRow> {
  const row = await getWorkflowRun(tx?.db ?? deps.store.db, runId);
  if (!row) throw permanentError('unknown_workflow_run', `workflow run ${runId} does not exist`);
  return row;
}

function stepRow(
  row: WorkflowRunRow,
  step: WorkflowStep<unknown>,
  phase: Phase,
  position: number,
  status: string,
  ctx: HandlerContext<unknown>,
  started: number,
  now: number,
  result: StepResult,
) {
  return {
    run_id: row.id,
    phase,
    step: step.name,
    position,
    status,
    system: result.system ?? step.system,
    attempts: ctx.attempt,
    started_at: started,
    finished_at: now,
    output: JSON.stringify(stepRecord(result)),
    error: null,
    message_id: ctx.message.id,
  };
}

async function appendStepTimeline(
  tx: HandlerTransaction,
  wf: Workflow<unknown>,
  row: WorkflowRunRow,
  step: WorkflowStep<unknown>,
  outcome: 'done' | 'compensated',
  ctx: HandlerContext<unknown>,
  result: StepResult,
  durationMs: number,
): Promise<void> {
  if (!row.order_id) return;
  await appendTimeline(tx.db, [
    {
      order_id: row.order_id,
      at: tx.now,
      event: `${wf.name}.${step.name}${outcome === 'compensated' ? '.compensated' : ''}`,
      system: result.system ?? step.system,
      detail: JSON.stringify({
        runId: row.id,
        status: result.skipped ? 'skipped' : outcome,
        documents: result.documents ?? {},
        attempts: ctx.attempt,
        durationMs,
      }),
      correlation_id: row.correlation_id,
      message_id: ctx.message.id,
    },
  ]);
}

async function markWaiting(tx: HandlerTransaction, wf: Workflow<unknown>, row: WorkflowRunRow, step: WorkflowStep<unknown>, reason: string): Promise<void> {
  await updateWorkflowRun(tx.db, row.id, { status: runStatus.waiting, error: reason, step_deadline: null, updated_at: tx.now });
  if (!row.order_id) return;
  await appendTimeline(tx.db, [
    {
      order_id: row.order_id,
      at: tx.now,
      event: `${wf.name}.waiting`,
      system: 'tillbridge',
      detail: JSON.stringify({ runId: row.id, step: step.name, reason }),
      correlation_id: row.correlation_id,
      message_id: null,
    },
  ]);
}

/**
 * Records a failed attempt on the step (attempts, the error) in its own small transaction; when it
 * will not be retried (permanent, or out of attempts) the order's timeline says so with the error.
 */
async function recordFailure(
  deps: EngineDeps,
  wf: Workflow<unknown>,
  step: WorkflowStep<unknown>,
  phase: Phase,
  position: number,
  row: WorkflowRunRow,
  ctx: HandlerContext<unknown>,
  error: unknown,
): Promise<void> {
  if (error instanceof LeaseLost || ctx.signal.aborted) return;
  const described = describeError(error);
  const policy = { ...defaultRetryPolicy, ...(phase === 'forward' ? wf.stepMessages.get(step.name)?.retry : wf.compensateMessage.retry) };
  const final = !described.retryable || ctx.attempt >= policy.maxAttempts;
  const now = deps.clock.now();
  const text = `${described.code}: ${described.message}`;
  await deps.store.db.transaction().execute(async (trx) => {
    await recordWorkflowStep(trx, {
      run_id: row.id,
      phase,
      step: step.name,
      position,
      status: final ? 'failed' : 'retrying',
      system: step.system,
      attempts: ctx.attempt,
      started_at: now,
      finished_at: final ? now : null,
      output: null,
      error: text,
      message_id: ctx.message.id,
    });
    await updateWorkflowRun(trx, row.id, { error: text, updated_at: now });
    if (!final || !row.order_id) return;
    await appendTimeline(trx, [
      {
        order_id: row.order_id,
        at: now,
        event: `${wf.name}.${step.name}${phase === 'compensate' ? '.compensation' : ''}.failed`,
        system: step.system,
        detail: JSON.stringify({ runId: row.id, error: described, attempts: ctx.attempt, messageId: ctx.message.id, replay: `POST /v1/dead-letters/${ctx.message.id}/replay` }),
        correlation_id: row.correlation_id,
        message_id: ctx.message.id,
      },
    ]);
  });
}
