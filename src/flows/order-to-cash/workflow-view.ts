import { listLineQuantities, listWorkflowSteps, type Db, type WorkflowRunRow } from '../../store/index.js';

/** Epoch milliseconds as ISO 8601 text (null stays null). */
export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An order's workflow runs with every step: system, documents, attempts, times, errors. */
export async function orderWorkflows(db: Db, runs: readonly WorkflowRunRow[]): Promise<Record<string, unknown>[]> {
  const steps = await listWorkflowSteps(db, runs.map((r) => r.id));
  return runs.map((run) => ({
    id: run.id,
    workflow: run.workflow,
    key: run.key,
    status: run.status,
    step: run.step,
    correlationId: run.correlation_id,
    startedAt: iso(run.started_at),
    updatedAt: iso(run.updated_at),
    ...(run.step_deadline !== null ? { stepDeadline: iso(run.step_deadline) } : {}),
    ...(run.error ? { error: run.error } : {}),
    steps: steps
      .filter((s) => s.run_id === run.id)
      .map((s) => {
        const output = s.output ? (JSON.parse(s.output) as { documents?: unknown }) : {};
        return {
          name: s.step,
          phase: s.phase,
          status: s.status,
          system: s.system,
          documents: output.documents ?? {},
          attempts: s.attempts,
          startedAt: iso(s.started_at),
          finishedAt: iso(s.finished_at),
          ...(s.error ? { error: s.error } : {}),
          ...(s.message_id ? { messageId: s.message_id } : {}),
          correlationId: run.correlation_id,
        };
      }),
  }));
}

/** Per line: units ordered, shipped, cancelled and returned. */
export async function orderLineProgress(db: Db, orderId: string): Promise<Record<string, unknown>[]> {
  return (await listLineQuantities(db, orderId)).map((l) => ({ lineId: l.line_id, sku: l.sku, ordered: l.ordered, shipped: l.shipped, cancelled: l.cancelled, returned: l.returned }));
}

/** An order's returns and refunds, from its workflow runs. */
export function orderReturnsAndRefunds(runs: readonly WorkflowRunRow[]): { returns: Record<string, unknown>[]; refunds: Record<string, unknown>[] } {
  const outputs = (run: { outputs: string }) => JSON.parse(run.outputs) as Record<string, { documents: Record<string, unknown>; output: Record<string, unknown> } | undefined>;
  const returns = runs
    .filter((r) => r.workflow === 'order-return')
    .map((r) => {
      const input = JSON.parse(r.input) as { returnId: string; mode: string; lines: unknown[] };
      return { id: input.returnId, status: r.status, mode: input.mode, lines: input.lines, documents: outputs(r)['authorize-at-warehouse']?.documents ?? {}, createdAt: iso(r.started_at) };
    });
  const refunds = runs
    .filter((r) => r.workflow === 'order-refund')
    .map((r) => {
      const input = JSON.parse(r.input) as { refundId: string; source: string; mode: string; lines: unknown[]; amount?: number };
      const steps = outputs(r);
      return {
        id: input.refundId,
        status: r.status,
        source: input.source,
        mode: input.mode,
        amount: (steps['refund-payment']?.output['amount'] as number | undefined) ?? input.amount ?? null,
        lines: input.lines,
        documents: { ...steps['ship-replacement']?.documents, ...steps['refund-payment']?.documents, ...steps['credit-note']?.documents },
        createdAt: iso(r.started_at),
      };
    });
  return { returns, refunds };
}
