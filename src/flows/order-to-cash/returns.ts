import { z } from 'zod';
import { Identifier, permanentError, Quantity, type Order } from '../../model/index.js';
import { addLineQuantities, appendTimeline, findWorkflowRunByKey, listLineQuantities } from '../../store/index.js';
import { defineWorkflow, startRun, type StepRecord, type StepResult, type Workflow } from '../workflow/index.js';
import type { ReturnRule } from './config.js';
import { erpPort, outsideCall, paymentOf, warehousePort, type OrderToCashDeps } from './deps.js';
import { lineShare, lineValue, loadOrder } from './order-state.js';
import { placementFacts } from './placement-facts.js';
import { orderPosting, orderPostingDelivery } from '../finance/index.js';
import { erpCustomerOf } from './completion.js';

const ReturnLine = z.object({ lineId: Identifier, sku: Identifier, quantity: Quantity, reason: z.string().min(1).default('unspecified') });

/** A return the hub authorised, with what the returns policy decided for it. */
export const ReturnInput = z.object({
  orderId: z.string().min(1),
  returnId: Identifier,
  lines: z.array(ReturnLine).min(1),
  mode: z.enum(['refund', 'return-then-refund', 'exchange']),
  disposition: z.enum(['restock', 'write-off']),
  refundShipping: z.boolean(),
});
export type ReturnInput = z.infer<typeof ReturnInput>;

/** Money back for units of an order: after a return's receipt (or at once, refund-only), or as a channel already refunded it. */
export const RefundInput = z.object({
  orderId: z.string().min(1),
  refundId: Identifier,
  /** `return`: the hub refunds through the payment provider; `channel`: the channel already did, the hub reflects it. */
  source: z.enum(['return', 'channel']),
  lines: z.array(z.object({ lineId: Identifier, sku: Identifier, quantity: Quantity, condition: z.enum(['sellable', 'damaged']).default('sellable') })),
  mode: z.enum(['refund', 'return-then-refund', 'exchange']).default('refund'),
  disposition: z.enum(['restock', 'write-off']).default('restock'),
  /** Shipping refunded, minor units. */
  shipping: z.int().nonnegative().default(0),
  /** The amount the channel refunded (channel refunds only). */
  amount: z.int().nonnegative().optional(),
  reason: z.string().default('return'),
  /** The channel's refund reference (channel refunds only). */
  channelReference: z.string().optional(),
});
export type RefundInput = z.infer<typeof RefundInput>;

/** The rule of the returns policy that applies to a reason (first match; `*` matches any). */
export function returnRuleFor(rules: readonly ReturnRule[], reason: string): ReturnRule {
  const rule = rules.find((r) => r.reasons.includes(reason) || r.reasons.includes('*'));
  if (!rule) throw permanentError('no_return_rule', `the returns policy has no rule for reason ${reason} (add one, or a "*" rule)`, 422);
  return rule;
}

/**
 * A return: record the units as returned (never more than shipped), then authorise it at the
 * warehouse that shipped them — unless the policy refunds without a return, in which case the
 * refund starts at once. Otherwise the refund starts when the warehouse reports the receipt.
 */
export function returnWorkflow(deps: OrderToCashDeps, refund: () => Workflow<RefundInput>): Workflow<ReturnInput> {
  return defineWorkflow<ReturnInput>({
    name: 'order-return',
    input: ReturnInput,
    steps: [
      {
        name: 'authorize-return',
        system: 'tillbridge',
        async invoke(ctx): Promise<StepResult> {
          const progress = await listLineQuantities(deps.store.db, ctx.run.input.orderId);
          for (const line of ctx.run.input.lines) {
            const found = progress.find((p) => p.line_id === line.lineId);
            const returnable = found ? found.shipped - found.returned : 0;
            if (line.quantity > returnable) throw permanentError('return_exceeds_shipped', `cannot return ${line.quantity} of line ${line.lineId}: ${returnable} shipped and not yet returned`, 409);
          }
          return { documents: { return: ctx.run.input.returnId }, output: { mode: ctx.run.input.mode } };
        },
        async apply(tx, ctx) {
          await addLineQuantities(tx.db, ctx.run.input.orderId, 'returned', ctx.run.input.lines, tx.now);
        },
      },
      {
        name: 'authorize-at-warehouse',
        system: 'warehouse',
        ...outsideCall,
        async invoke(ctx): Promise<StepResult> {
          if (ctx.run.input.mode === 'refund') return { skipped: true, output: { reason: 'refund without a return' } };
          const facts = await placementFacts(deps.store.db, ctx.run.input.orderId);
          const returned = new Set(ctx.run.input.lines.map((l) => l.lineId));
          const allocation = facts.plan?.allocations.find((a) => a.warehouse && a.lines.some((l) => returned.has(l.lineId)));
          if (!allocation?.warehouse) return { skipped: true, output: { reason: 'the order was not shipped by a warehouse the hub knows' } };
          const port = warehousePort(deps, allocation.warehouse);
          const authorized = await port.authorizeReturn({ reference: ctx.run.input.returnId, orderReference: ctx.run.input.orderId, lines: ctx.run.input.lines }, ctx.signal);
          return { system: allocation.warehouse, documents: { returnAuthorization: authorized.returnAuthorization } };
        },
      },
    ],
    async onCompleted(tx, run) {
      await appendTimeline(tx.db, [{ order_id: run.input.orderId, at: tx.now, event: 'return.authorized', system: 'tillbridge', detail: JSON.stringify({ returnId: run.input.returnId, mode: run.input.mode, lines: run.input.lines }), correlation_id: run.correlationId, message_id: null }]);
      if (run.input.mode !== 'refund') return;
      const { orderId, returnId, lines, mode, disposition, refundShipping } = run.input;
      const { order } = await loadOrder(tx.db, orderId);
      const input: RefundInput = {
        orderId,
        refundId: returnId,
        source: 'return',
        lines: lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, condition: 'sellable' })),
        mode,
        disposition,
        shipping: refundShipping ? order.totals.shipping : 0,
        reason: lines[0]!.reason,
      };
      await startRun(tx, refund(), { id: deps.newId('run'), key: `refund:${returnId}`, orderId, correlationId: run.correlationId, input });
    },
  });
}

/**
 * The replacement of an exchange: the returned units again, to the same customer and address, at
 * their price with a 100% discount (an ERP takes a zero rate as "use the price list").
 */
export function exchangeOrder(order: Order, input: RefundInput): Order {
  const lines = input.lines.map((l) => {
    const original = order.lines.find((o) => o.lineId === l.lineId);
    const unitPrice = original?.unitPrice ?? 0;
    return { lineId: l.lineId, sku: l.sku, ...(original?.title ? { title: original.title } : {}), quantity: l.quantity, unitPrice, discount: unitPrice * l.quantity, taxes: [] };
  });
  const subtotal = lines.reduce((sum, l) => sum + l.discount, 0);
  return {
    ...order,
    source: 'exchange',
    externalId: input.refundId,
    number: `${order.number ?? order.externalId}-X`,
    lines,
    shipping: [],
    payments: [],
    totals: { subtotal, discount: subtotal, shipping: 0, tax: 0, total: 0 },
    attributes: { ...order.attributes, exchangeOf: `${order.source}/${order.externalId}` },
  };
}

async function invoiceOf(deps: OrderToCashDeps, orderId: string): Promise<string | null> {
  const run = await findWorkflowRunByKey(deps.store.db, `completion:${orderId}`);
  const steps = run ? (JSON.parse(run.outputs) as Record<string, StepRecord>) : {};
  const invoice = steps['invoice']?.documents['salesInvoice'];
  return typeof invoice === 'string' ? invoice : null;
}

/**
 * A refund: note what came back (restocked or written off by the policy), give the money back
 * through the payment provider exactly once (unless the channel already did), and credit it in
 * the ERP against the order's Sales Invoice.
 */
export function refundWorkflow(deps: OrderToCashDeps): Workflow<RefundInput> {
  return defineWorkflow<RefundInput>({
    name: 'order-refund',
    input: RefundInput,
    steps: [
      {
        name: 'receive',
        system: 'tillbridge',
        async invoke(ctx): Promise<StepResult> {
          const { lines, disposition } = ctx.run.input;
          const restocked = disposition === 'restock' ? lines.filter((l) => l.condition === 'sellable') : [];
          const writtenOff = lines.filter((l) => !restocked.includes(l));
          return { output: { restocked, writtenOff } };
        },
      },
      {
        name: 'ship-replacement',
        system: 'tillbridge',
        async invoke(ctx): Promise<StepResult> {
          if (ctx.run.input.mode !== 'exchange') return { skipped: true };
          if (!deps.intake) throw permanentError('exchange_unavailable', 'exchanges need order intake, which this hub was not given');
          const { order } = await loadOrder(deps.store.db, ctx.run.input.orderId);
          const replacement = exchangeOrder(order, ctx.run.input);
          const result = await deps.intake.submit({ order: replacement, principal: 'tillbridge:exchange', via: 'exchange' });
          if (result.statusCode >= 400) throw permanentError('exchange_rejected', `the replacement order for return ${ctx.run.input.refundId} was refused: ${JSON.stringify(result.body)}`);
          return { documents: { replacementOrder: String(result.body['id']) } };
        },
      },
      {
        name: 'refund-payment',
        system: 'payments',
        ...outsideCall,
        async invoke(ctx): Promise<StepResult> {
          const { orderId, refundId, source, lines, shipping, channelReference } = ctx.run.input;
          if (ctx.run.input.mode === 'exchange') return { skipped: true, output: { amount: 0, reason: 'exchanged, not refunded' } };
          if (source === 'channel') return { skipped: true, documents: channelReference ? { channelRefund: channelReference } : {}, output: { amount: ctx.run.input.amount ?? 0, reason: 'refunded by the channel' } };
          const { order } = await loadOrder(deps.store.db, orderId);
          const payment = paymentOf(deps, order);
          const amount = lines.reduce((sum, l) => sum + lineValue(order, l.lineId, l.quantity), 0) + shipping;
          if (!payment) return { skipped: true, output: { amount, reason: 'no payment at a configured provider' } };
          if (amount === 0) return { skipped: true, output: { amount } };
          const refunded = await payment.port.refund({ payment: payment.payment, amount, currency: order.currency, idempotencyKey: `refund:${refundId}`, reason: 'requested_by_customer' }, ctx.signal);
          return { system: payment.port.system, documents: { refund: refunded.refund }, output: { amount: refunded.amount, currency: order.currency } };
        },
      },
      {
        name: 'credit-note',
        system: 'erp',
        ...outsideCall,
        async invoke(ctx): Promise<StepResult> {
          if (ctx.run.input.mode === 'exchange') return { skipped: true, output: { reason: 'exchanged, not refunded' } };
          const facts = await placementFacts(deps.store.db, ctx.run.input.orderId);
          if (!facts.erp) return { skipped: true, output: { reason: 'not booked in an ERP' } };
          const invoice = await invoiceOf(deps, ctx.run.input.orderId);
          if (!invoice) return { skipped: true, output: { reason: 'not invoiced yet: nothing to credit' } };
          const lines = ctx.run.input.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));
          if (lines.length === 0) return { skipped: true, output: { reason: 'no units to credit' } };
          const { order } = await loadOrder(deps.store.db, ctx.run.input.orderId);
          const shares = lines.map((l) => lineShare(order, l.lineId, l.quantity));
          const erp = erpPort(deps, facts.erp);
          const credited = await erp.creditNote(
            {
              reference: `credit:${ctx.run.input.refundId}`,
              salesInvoice: invoice,
              lines,
              discount: shares.reduce((sum, s) => sum + s.discount, 0),
              tax: shares.reduce((sum, s) => sum + s.tax, 0),
              shipping: ctx.run.input.shipping,
              postingDate: new Date(ctx.now).toISOString().slice(0, 10),
              reason: ctx.run.input.reason,
            },
            ctx.signal,
          );
          return { system: erp.system, documents: { creditNote: credited.creditNote } };
        },
      },
    ],
    async onCompleted(tx, run) {
      const paid = run.steps['refund-payment'];
      await appendTimeline(tx.db, [
        {
          order_id: run.input.orderId,
          at: tx.now,
          event: 'refund.completed',
          system: run.input.source === 'channel' ? 'channel' : 'tillbridge',
          detail: JSON.stringify({ refundId: run.input.refundId, source: run.input.source, amount: paid?.output['amount'] ?? run.input.amount ?? 0, lines: run.input.lines, documents: { ...paid?.documents, ...run.steps['credit-note']?.documents } }),
          correlation_id: run.correlationId,
          message_id: null,
        },
      ]);
      // Money that went back (through the provider, or by the channel) is booked: its returns, tax and
      // shipping shares against payment clearing, split by the credit note that reversed the sale.
      const amount = paid?.output['amount'];
      const reference = paid?.documents['refund'] ?? run.input.channelReference;
      if (run.input.mode === 'exchange' || typeof amount !== 'number' || amount <= 0) return;
      if (run.input.source !== 'channel' && typeof paid?.documents['refund'] !== 'string') return;
      const { orderId } = run.input;
      const { order } = await loadOrder(tx.db, orderId);
      const creditNote = run.steps['credit-note']?.documents['creditNote'];
      const erp = (await placementFacts(tx.db, orderId)).erp;
      const customer = await erpCustomerOf(tx.db, orderId);
      tx.emit(
        orderPosting,
        {
          event: 'refund',
          orderId,
          refundId: run.input.refundId,
          ...(typeof reference === 'string' ? { reference } : {}),
          amount,
          shipping: run.input.shipping,
          lines: run.input.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, amount: lineValue(order, l.lineId, l.quantity) })),
          createdAt: new Date(tx.now).toISOString(),
          ...(typeof creditNote === 'string' && erp ? { creditNote: { erp, document: creditNote } } : {}),
          ...(customer ? { customer } : {}),
        },
        orderPostingDelivery(orderId),
      );
    },
  });
}
