import { z } from 'zod';
import type { HandlerTransaction } from '../../messaging/index.js';
import { findWorkflowRunByKey, listLineQuantities, type Db } from '../../store/index.js';
import { orderPosting, orderPostingDelivery } from '../finance/index.js';
import { defineWorkflow, type StepRecord, type StepResult, type Workflow } from '../workflow/index.js';
import { bookedErp, paymentOf, releaseStock, outsideCall, type OrderToCashDeps } from './deps.js';
import { lineValue, loadOrder, moveOrder } from './order-state.js';
import { placementFacts, placementKey } from './placement-facts.js';

/** The ERP customer an order was booked for (the party of its receivable in the books), once booked. */
export async function erpCustomerOf(db: Db, orderId: string): Promise<string | undefined> {
  const run = await findWorkflowRunByKey(db, placementKey(orderId));
  const customer = run ? (JSON.parse(run.outputs) as Record<string, StepRecord>)['book-sales-order']?.documents['customer'] : undefined;
  return typeof customer === 'string' ? customer : undefined;
}

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
        async apply(tx, ctx, result) {
          // Booked with the Sales Invoice when the order has an ERP (paid against it there), else here.
          if (result.skipped || (await placementFacts(tx.db, ctx.run.input.orderId)).erp !== null) return;
          await emitCapturePosting(tx, ctx.run.input.orderId, result, false);
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
        async apply(tx, ctx, result) {
          await moveOrder(tx, ctx.run.input.orderId, 'invoiced', { system: 'tillbridge' });
          // The hub's sale entry is the Sales Invoice, which ERPNext posts itself: recorded as posted to it.
          const salesInvoice = result.documents?.['salesInvoice'];
          const { orderId } = ctx.run.input;
          const facts = await placementFacts(tx.db, orderId);
          if (result.skipped || typeof salesInvoice !== 'string' || !facts.erp) return;
          const cancelled = (await listLineQuantities(tx.db, orderId)).filter((p) => p.cancelled > 0).map((p) => ({ lineId: p.line_id, quantity: p.cancelled }));
          const customer = await erpCustomerOf(tx.db, orderId);
          tx.emit(orderPosting, { event: 'sale', orderId, erp: facts.erp, salesInvoice, postingDate: new Date(ctx.now).toISOString().slice(0, 10), cancelled, ...(customer ? { customer } : {}) }, orderPostingDelivery(orderId));
          // The capture after the sale (same ordering key): it is paid against this invoice in the ERP.
          const captured = ctx.run.steps['capture-payment'];
          if (captured && !captured.skipped) await emitCapturePosting(tx, orderId, captured, true);
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

/** Books a capture the completion made (clearing against the customer's receivable), once per payment reference. */
async function emitCapturePosting(tx: HandlerTransaction, orderId: string, captured: { documents?: Record<string, unknown> | undefined; output?: Record<string, unknown> | undefined }, againstInvoice: boolean): Promise<void> {
  const capture = captured.documents?.['capture'];
  const amount = captured.output?.['amount'];
  if (typeof capture !== 'string' || typeof amount !== 'number' || amount <= 0) return;
  const { order } = await loadOrder(tx.db, orderId);
  const customer = await erpCustomerOf(tx.db, orderId);
  tx.emit(orderPosting, { event: 'capture', orderId, reference: capture, amount, currency: order.currency, occurredAt: new Date(tx.now).toISOString(), ...(customer ? { customer } : {}), ...(againstInvoice ? { againstInvoice } : {}) }, orderPostingDelivery(orderId));
}
