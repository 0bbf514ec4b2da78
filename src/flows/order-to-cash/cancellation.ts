import { z } from 'zod';
import { Identifier, Quantity, permanentError } from '../../model/index.js';
import { addLineQuantities, consumeReservations, findWorkflowRunByKey, listLineQuantities } from '../../store/index.js';
import { compensateRun, defineWorkflow, type StepResult, type Workflow } from '../workflow/index.js';
import { bookedErp, paymentOf, startCompletion, warehousePort, outsideCall, type OrderToCashDeps } from './deps.js';
import { isResolved, lineValue, loadOrder, moveOrder, openQuantity } from './order-state.js';
import { placementFacts, placementKey } from './placement-facts.js';
import type { LineQuantity } from './ports.js';
import { orderPosting, orderPostingDelivery } from '../finance/index.js';
import { erpCustomerOf } from './completion.js';

/** A cancellation of some open units of an order. */
export const CancellationInput = z.object({
  orderId: z.string().min(1),
  lines: z.array(z.object({ lineId: Identifier, quantity: Quantity })).min(1),
  reason: z.string().min(1),
});
export type CancellationInput = z.infer<typeof CancellationInput>;

function cancelledLines(run: { steps: Record<string, { output: Record<string, unknown> }> }): LineQuantity[] {
  return run.steps['record-cancellation']!.output['lines'] as LineQuantity[];
}

/**
 * Cancels some units of an order (after it was booked: one asked for earlier waits): record it (partially_cancelled, or shipped when
 * the rest had shipped), take the units off the warehouse's shipment order and the ERP Sales
 * Order, and refund them when the payment was already captured. When nothing is left open the
 * order's completion starts (capture for what shipped, invoice, close) — or, when nothing had
 * shipped, the placement is compensated and the order cancelled.
 */
export function cancellationWorkflow(deps: OrderToCashDeps, completion: () => Workflow<{ orderId: string }>, placement: () => Workflow<{ orderId: string }>): Workflow<CancellationInput> {
  return defineWorkflow<CancellationInput>({
    name: 'order-cancellation',
    input: CancellationInput,
    // Units can only come off a Sales Order that exists: a cancellation asked for while the order is
    // being booked waits, and the placement resumes it once the booking step has finished.
    async gate(db, run) {
      const facts = await placementFacts(db, run.input.orderId);
      return facts.booking === 'in-progress' ? 'waiting for the order to be booked' : null;
    },
    steps: [
      {
        name: 'record-cancellation',
        system: 'tillbridge',
        async invoke(ctx): Promise<StepResult> {
          const { orderId, lines } = ctx.run.input;
          const progress = await listLineQuantities(deps.store.db, orderId);
          const matched = lines.map((line) => {
            const found = progress.find((p) => p.line_id === line.lineId);
            if (!found) throw permanentError('cancellation_line_not_on_order', `line ${line.lineId} is not on order ${orderId}`, 422);
            if (line.quantity > openQuantity(found)) throw permanentError('cancellation_exceeds_open', `cannot cancel ${line.quantity} of line ${line.lineId}: ${openQuantity(found)} open`, 409);
            return { lineId: line.lineId, sku: found.sku, quantity: line.quantity };
          });
          const after = progress.map((p) => ({ ...p, cancelled: p.cancelled + matched.filter((m) => m.lineId === p.line_id).reduce((s, m) => s + m.quantity, 0) }));
          // Steps of one order run one at a time: a release after this point sends only what is still open.
          const { released } = await placementFacts(deps.store.db, orderId);
          return { output: { lines: matched, complete: isResolved(after), shippedAny: after.some((p) => p.shipped > 0), releasedBefore: released } };
        },
        async apply(tx, ctx, result) {
          const lines = result.output!['lines'] as LineQuantity[];
          await addLineQuantities(tx.db, ctx.run.input.orderId, 'cancelled', lines, tx.now);
          await deps.stock?.changed(tx, await consumeReservations(tx.db, ctx.run.input.orderId, lines));
          const progress = await listLineQuantities(tx.db, ctx.run.input.orderId);
          await moveOrder(tx, ctx.run.input.orderId, 'partially_cancelled', { system: 'tillbridge', reason: ctx.run.input.reason, detail: { lines } });
          if (isResolved(progress) && progress.some((p) => p.shipped > 0)) await moveOrder(tx, ctx.run.input.orderId, 'shipped', { system: 'tillbridge' });
        },
      },
      {
        name: 'cancel-at-warehouse',
        system: 'warehouse',
        ...outsideCall,
        async invoke(ctx): Promise<StepResult> {
          const facts = await placementFacts(deps.store.db, ctx.run.input.orderId);
          if (!facts.released || !facts.plan) return { skipped: true, output: { reason: 'not released to a warehouse' } };
          if (ctx.run.steps['record-cancellation']!.output['releasedBefore'] === false) return { skipped: true, output: { reason: 'released after the cancellation, without these units' } };
          const lines = cancelledLines(ctx.run);
          const touched: string[] = [];
          for (const allocation of facts.plan.allocations) {
            if (!allocation.warehouse) continue;
            const mine = lines.filter((l) => allocation.lines.some((a) => a.lineId === l.lineId));
            if (mine.length === 0) continue;
            await warehousePort(deps, allocation.warehouse).cancelLines(ctx.run.input.orderId, mine, `${ctx.run.key}:${allocation.warehouse}`, ctx.signal);
            touched.push(allocation.warehouse);
          }
          return { documents: { warehouses: touched } };
        },
      },
      {
        name: 'reduce-sales-order',
        system: 'erp',
        ...outsideCall,
        async invoke(ctx): Promise<StepResult> {
          const booked = await bookedErp(deps, ctx.run.input.orderId);
          if (!booked) return { skipped: true, output: { reason: 'not booked in an ERP' } };
          const { erp, salesOrder } = booked;
          const progress = await listLineQuantities(deps.store.db, ctx.run.input.orderId);
          const touched = new Set(cancelledLines(ctx.run).map((l) => l.lineId));
          const remaining = progress.filter((p) => touched.has(p.line_id)).map((p) => ({ lineId: p.line_id, sku: p.sku, quantity: p.ordered - p.cancelled }));
          if (progress.every((p) => p.ordered - p.cancelled === 0)) {
            await erp.cancelSalesOrder(salesOrder, ctx.signal);
            return { system: erp.system, documents: { cancelled: salesOrder } };
          }
          await erp.reduceSalesOrder(salesOrder, remaining, ctx.signal);
          return { system: erp.system, documents: { salesOrder } };
        },
      },
      {
        name: 'refund-payment',
        system: 'payments',
        ...outsideCall,
        async invoke(ctx): Promise<StepResult> {
          const { order } = await loadOrder(deps.store.db, ctx.run.input.orderId);
          const facts = await placementFacts(deps.store.db, ctx.run.input.orderId);
          const payment = paymentOf(deps, order);
          if (!payment || !facts.captured) return { skipped: true, output: { reason: 'nothing captured yet: the final capture takes less' } };
          const amount = cancelledLines(ctx.run).reduce((sum, l) => sum + lineValue(order, l.lineId, l.quantity), 0);
          const refund = await payment.port.refund({ payment: payment.payment, amount, currency: order.currency, idempotencyKey: `${ctx.run.key}:refund`, reason: 'requested_by_customer' }, ctx.signal);
          return { system: payment.port.system, documents: { refund: refund.refund, payment: payment.payment }, output: { amount: refund.amount } };
        },
        async apply(tx, ctx, result) {
          // Captured at acceptance, nothing invoiced yet: the cancelled units' money goes back against the customer's receivable.
          const refund = result.documents?.['refund'];
          const captured = result.documents?.['payment'];
          const amount = result.output?.['amount'];
          if (result.skipped || typeof refund !== 'string' || typeof amount !== 'number') return;
          const { orderId } = ctx.run.input;
          const { order } = await loadOrder(tx.db, orderId);
          const customer = await erpCustomerOf(tx.db, orderId);
          tx.emit(
            orderPosting,
            { event: 'payment-return', orderId, reference: refund, amount, currency: order.currency, occurredAt: new Date(tx.now).toISOString(), ...(customer ? { customer } : {}), ...(typeof captured === 'string' ? { capturedAs: captured } : {}) },
            orderPostingDelivery(orderId),
          );
        },
      },
    ],
    async onCompleted(tx, run) {
      const recorded = run.steps['record-cancellation']?.output;
      if (recorded?.['complete'] !== true) return;
      if (recorded['shippedAny'] !== true) {
        const placementRun = await findWorkflowRunByKey(tx.db, placementKey(run.input.orderId));
        if (placementRun) await compensateRun(tx, placement(), placementRun.id, run.input.reason);
        return;
      }
      await startCompletion(tx, deps, completion(), run);
    },
  });
}
