import type { Db } from '../messages/types.js';

interface StepDocuments {
  documents?: Record<string, unknown>;
}

const documentsOf = (output: string | null): Record<string, unknown> => (output === null ? {} : ((JSON.parse(output) as StepDocuments).documents ?? {}));

/**
 * The hub orders whose payment step took these provider payments (e.g. Stripe PaymentIntents), by
 * payment reference, among orders whose placement started at or after `since` (epoch ms).
 */
export async function ordersByPaymentReference(db: Db, references: readonly string[], since: number): Promise<Map<string, string>> {
  const wanted = new Set(references);
  const found = new Map<string, string>();
  if (wanted.size === 0) return found;
  const rows = await db
    .selectFrom('workflow_steps as s')
    .innerJoin('workflow_runs as r', 'r.id', 's.run_id')
    .select(['r.order_id', 's.output'])
    .where('s.step', '=', 'payment')
    .where('s.phase', '=', 'forward')
    .where('s.status', 'in', ['done', 'skipped'])
    .where('r.started_at', '>=', since)
    .execute();
  for (const row of rows) {
    const payment = documentsOf(row.output)['payment'];
    if (typeof payment === 'string' && wanted.has(payment) && row.order_id !== null) found.set(payment, row.order_id);
  }
  return found;
}

/** Every document reference the orders' workflow steps recorded (refunds, credit notes, captures…), by order. */
export async function documentReferencesOfOrders(db: Db, orderIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const byOrder = new Map<string, Set<string>>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db
    .selectFrom('workflow_steps as s')
    .innerJoin('workflow_runs as r', 'r.id', 's.run_id')
    .select(['r.order_id', 's.output'])
    .where('r.order_id', 'in', [...orderIds])
    .where('s.status', 'in', ['done', 'skipped'])
    .execute();
  for (const row of rows) {
    if (row.order_id === null) continue;
    const references = byOrder.get(row.order_id) ?? new Set<string>();
    for (const value of Object.values(documentsOf(row.output))) if (typeof value === 'string') references.add(value);
    byOrder.set(row.order_id, references);
  }
  return byOrder;
}
