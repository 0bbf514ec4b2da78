import { getOrderRow, getTimeline, listOrderRows, listOrderWorkflowRuns, listOverdueRuns, type Db, type OrderRow, type WorkflowRunRow } from '../../store/index.js';
import { iso, orderLineProgress, orderReturnsAndRefunds, orderWorkflows } from './workflow-view.js';

/** An order as the API shows it: the canonical order plus hub-side fields. */
export function presentOrder(row: OrderRow): Record<string, unknown> {
  return {
    id: row.id,
    ...JSON.parse(row.data),
    status: row.status,
    ...(row.hold_reason ? { holdReason: row.hold_reason } : {}),
    correlationId: row.correlation_id,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** One order with its timeline, or undefined. */
export async function getOrderWithTimeline(db: Db, id: string): Promise<Record<string, unknown> | undefined> {
  const row = await getOrderRow(db, id);
  if (!row) return undefined;
  const timeline = await getTimeline(db, id);
  const runs = await listOrderWorkflowRuns(db, id);
  return {
    ...presentOrder(row),
    lines: await orderLineProgress(db, id).then((progress) => mergeProgress(JSON.parse(row.data).lines as Record<string, unknown>[], progress)),
    ...orderReturnsAndRefunds(runs),
    workflows: await orderWorkflows(db, runs),
    timeline: timeline.map((t) => ({
      at: new Date(t.at).toISOString(),
      event: t.event,
      system: t.system,
      ...(t.detail ? { detail: JSON.parse(t.detail) } : {}),
      correlationId: t.correlation_id,
      ...(t.message_id ? { messageId: t.message_id } : {}),
    })),
  };
}

function mergeProgress(lines: Record<string, unknown>[], progress: Record<string, unknown>[]): Record<string, unknown>[] {
  return lines.map((line) => {
    const found = progress.find((p) => p['lineId'] === line['lineId']);
    return found ? { ...line, progress: { shipped: found['shipped'], cancelled: found['cancelled'], returned: found['returned'] } } : line;
  });
}

/** Encodes a page position as an opaque cursor. */
export function encodeCursor(position: string | number): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor; undefined when it is not one. */
export function decodeCursor<T extends string | number>(cursor: string, kind: 'string' | 'number'): T | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return typeof value === kind ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** A page of orders, newest first, and the cursor of the next page. */
export async function listOrders(
  db: Db,
  filter: { source?: string | undefined; status?: string | undefined; number?: string | undefined; limit: number; after?: string | undefined },
): Promise<{ data: Record<string, unknown>[]; nextCursor: string | null }> {
  const rows = await listOrderRows(db, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    data: page.map(presentOrder),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.id) : null,
  };
}

function stuckOf(run: WorkflowRunRow, now: number): Record<string, unknown> {
  return { workflow: run.workflow, runId: run.id, step: run.step, since: iso(run.step_started_at), deadline: iso(run.step_deadline), overdueMs: now - (run.step_deadline ?? now), ...(run.error ? { lastError: run.error } : {}) };
}

/** Orders with a step past its SLA (no progress in time), most overdue first, each with what it is stuck on. */
export async function listStuckOrders(db: Db, now: number, limit: number): Promise<{ data: Record<string, unknown>[]; nextCursor: null }> {
  const runs = await listOverdueRuns(db, now, limit * 4);
  const seen = new Set<string>();
  const data: Record<string, unknown>[] = [];
  for (const run of runs) {
    if (!run.order_id || seen.has(run.order_id) || data.length >= limit) continue;
    seen.add(run.order_id);
    const row = await getOrderRow(db, run.order_id);
    if (row) data.push({ ...presentOrder(row), stuck: stuckOf(run, now) });
  }
  return { data, nextCursor: null };
}
