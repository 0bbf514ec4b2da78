import { z } from 'zod';
import { listLineQuantities } from '../../store/index.js';
import { defineWorkflow, type StepResult, type Workflow } from '../workflow/index.js';
import { bookedErp, paymentOf, releaseStock, outsideCall, type OrderToCashDeps } from './deps.js';
import { lineValue, loadOrder, moveOrder } from './order-state.js';
import { placementFacts } from './placement-facts.js';

/** Input of an order's completion: the hub order id. */
export const CompletionInput = z.object({ orderId: z.string().min(1) });
export type CompletionInput = z.infer<typeof CompletionInput>;

/**
 * Once nothing of an order is open (all shipped, or the rest cancelled): capture what was
 * authorized for the units shipped (once, by idempotency key), create the ERP Sales Invoice, and close.
 */
export function completionWorkflow(deps: OrderToCashDeps): Workflow<CompletionInput> {
  return defineWorkflow<CompletionInput>({
    name: 'order-completion',
    input: CompletionInput,
    steps: [
      {
        name: 'capture-payment',
        system: 'payments',
        ...outsideCall,
        async invoke(ctx): Promise<StepResult> {
          const { orderId } = ctx.run.input;
          const { order } = await loadOrder(deps.store.db, orderId);
          const payment = paymentOf(deps, order);
          if (!payment) return { skipped: true, output: { reason: 'no payment at a configured provider' } };
          const facts = await placementFacts(deps.store.db, orderId);
          if (facts.captured || payment.status !== 'authorized') return { skipped: true, system: payment.port.system, output: { reason: facts.captured ? 'captured at acceptance' : `payment is ${payment.status}` } };
          const progress = await listLineQuantities(deps.store.db, orderId);
          const cancelledValue = progress.reduce((sum, p) => sum + lineValue(order, p.line_id, p.cancelled), 0);
          const amount = Math.min(payment.amount, order.totals.total - cancelledValue);
          const key = `capture:${order.source}:${order.externalId}`;
          if (amount <= 0) {
            const voided = await payment.port.void({ payment: payment.payment, idempotencyKey: key }, ctx.signal);
            return { system: payment.port.system, documents: { voided: voided.voided }, output: { amount: 0 } };
          }
          const capture = await payment.port.capture({ payment: payment.payment, amount, currency: order.currency, idempotencyKey: key }, ctx.signal);
          return { system: payment.port.system, documents: { payment: payment.payment, capture: capture.capture }, output: { amount: capture.amount, authorized: payment.amount } };
        },
      },
      {
        name: 'invoice',
        system: 'erp',
        ...outsideCall,
        async invoke(ctx): Promise<StepResult> {
          const booked = await bookedErp(deps, ctx.run.input.orderId);
          if (!booked) return { skipped: true, output: { reason: 'the order was not booked in an ERP' } };
          const invoiced = await booked.erp.invoice({ reference: `invoice:${ctx.run.input.orderId}`, salesOrder: booked.salesOrder, postingDate: new Date(ctx.now).toISOString().slice(0, 10) }, ctx.signal);
          return { system: booked.erp.system, documents: { salesInvoice: invoiced.salesInvoice } };
        },
        async apply(tx, ctx) {
          await moveOrder(tx, ctx.run.input.orderId, 'invoiced', { system: 'tillbridge' });
        },
      },
      {
        name: 'close',
        system: 'tillbridge',
        invoke: async () => ({}),
        async apply(tx, ctx) {
          await releaseStock(tx, deps, ctx.run.input.orderId);
          await moveOrder(tx, ctx.run.input.orderId, 'closed', { system: 'tillbridge' });
        },
      },
    ],
  });
}
