import { permanentError } from '../../model/index.js';
import type { WorkflowRunRow } from '../../store/index.js';
import type { RunView, StepRecord, StepResult, Workflow } from './define.js';

/** A stored run read back through its workflow's input schema. */
export function runView<I>(workflow: Workflow<I>, row: WorkflowRunRow): RunView<I> {
  const input = workflow.input.safeParse(JSON.parse(row.input));
  if (!input.success) throw permanentError('invalid_workflow_input', `run ${row.id} of ${workflow.name} has input its workflow no longer accepts: ${input.error.message}`);
  return {
    id: row.id,
    workflow: row.workflow,
    key: row.key,
    orderId: row.order_id,
    correlationId: row.correlation_id,
    input: input.data,
    steps: JSON.parse(row.outputs) as Record<string, StepRecord>,
  };
}

/** A step result as kept in the run. */
export function stepRecord(result: StepResult): StepRecord {
  return { documents: result.documents ?? {}, output: result.output ?? {}, skipped: result.skipped ?? false };
}
