import { findWorkflowRunByKey, type Db } from '../../store/index.js';
import type { StepRecord } from '../workflow/index.js';
import type { RoutingPlan } from './routing.js';

/** The business key of an order's placement run. */
export const placementKey = (orderId: string) => `placement:${orderId}`;

/** What an order's placement has done so far, as later workflows need it. */
export interface PlacementFacts {
  runId: string | null;
  status: string | null;
  plan: RoutingPlan | null;
  /** The ERP connection and Sales Order, once booked. */
  erp: string | null;
  salesOrder: string | null;
  released: boolean;
  /** Whether the booking step has finished (booked or skipped), is still ahead of a live run, or there is no live run. */
  booking: 'done' | 'in-progress' | 'none';
  /** True when the payment was captured at acceptance. */
  captured: boolean;
}

/** Reads an order's placement run. */
export async function placementFacts(db: Db, orderId: string): Promise<PlacementFacts> {
  const run = await findWorkflowRunByKey(db, placementKey(orderId));
  const steps = run ? (JSON.parse(run.outputs) as Record<string, StepRecord>) : {};
  const plan = (steps['route']?.output['plan'] as RoutingPlan | undefined) ?? null;
  const salesOrder = steps['book-sales-order']?.documents['salesOrder'];
  return {
    runId: run?.id ?? null,
    status: run?.status ?? null,
    plan,
    erp: plan?.erp ?? null,
    salesOrder: typeof salesOrder === 'string' ? salesOrder : null,
    released: steps['release-to-warehouse'] !== undefined,
    booking: steps['book-sales-order'] !== undefined ? 'done' : run && (run.status === 'running' || run.status === 'waiting') ? 'in-progress' : 'none',
    captured: steps['payment']?.output['captured'] === true,
  };
}
