import { z } from 'zod';
import { getOrderRow, initLineQuantities, listLineQuantities, listOrderWorkflowRuns, setReservations, addLineQuantities } from '../../store/index.js';
import type { CancellationInput } from './cancellation.js';
import { defineWorkflow, resumeRun, type StepContext, type StepResult, type Workflow } from '../workflow/index.js';
import { erpPort, paymentOf, releaseStock, warehousePort, outsideCall, type OrderToCashDeps } from './deps.js';
import { loadOrder, moveOrder, openQuantity } from './order-state.js';
import { routeOrder, type RoutingPlan } from './routing.js';
import { insufficientStock } from '../inventory/messages.js';
import { orderPosting, orderPostingDelivery } from '../finance/index.js';
import { erpCustomerOf } from './completion.js';

/** Input of an order's placement: the hub order id. */
export const PlacementInput = z.object({ orderId: z.string().min(1) });
export type PlacementInput = z.infer<typeof PlacementInput>;


function planOf(ctx: StepContext<PlacementInput>): RoutingPlan {
  return ctx.run.steps['route']!.output['plan'] as RoutingPlan;
}

function locationOf(deps: OrderToCashDeps, warehouse: string | null): string {
  return warehouse ? (deps.ports.warehouse(warehouse)?.locationId ?? warehouse) : 'unassigned';
}

/**
 * An accepted order's way into the other systems: route it (and hold it by rule), reserve its
 * stock, check its payment (capturing now when so configured), book the ERP Sales Order exactly
 * once, and release it to each warehouse that ships part of it. Compensating the run cancels the
 * order everywhere, in reverse.
 */
export function placementWorkflow(deps: OrderToCashDeps, cancellation: () => Workflow<CancellationInput>): Workflow<PlacementInput> {
  return defineWorkflow<PlacementInput>({
    name: 'order-placement',
    input: PlacementInput,
    async gate(db, run) {
      const row = await getOrderRow(db, run.input.orderId);
      return row?.status === 'on_hold' ? `on hold: ${row.hold_reason ?? 'manual'}` : null;
    },
    steps: [
      {
        name: 'route',
        system: 'tillbridge',
        async invoke(ctx) {
          const { order } = await loadOrder(deps.store.db, ctx.run.input.orderId);
          const plan = routeOrder(order, deps.config);
          if (plan.erp) erpPort(deps, plan.erp);
          for (const allocation of plan.allocations) if (allocation.warehouse) warehousePort(deps, allocation.warehouse);
          return { output: { plan } };
        },
        async apply(tx, ctx, result) {
          const { order } = await loadOrder(tx.db, ctx.run.input.orderId);
          await initLineQuantities(tx.db, ctx.run.input.orderId, order.lines, tx.now);
          const plan = result.output!['plan'] as RoutingPlan;
          if (plan.hold) await moveOrder(tx, ctx.run.input.orderId, 'on_hold', { system: 'tillbridge', reason: plan.hold, detail: { rule: plan.hold } });
        },
      },
      {
        name: 'reserve-stock',
        system: 'tillbridge',
        async invoke(ctx) {
          const plan = planOf(ctx);
          return { output: { reserved: plan.allocations.flatMap((a) => a.lines.map((l) => ({ ...l, locationId: locationOf(deps, a.warehouse) }))) } };
        },
        async apply(tx, ctx, result) {
          const reserved = result.output!['reserved'] as { lineId: string; sku: string; quantity: number; locationId: string }[];
          const orderId = ctx.run.input.orderId;
          if (!deps.stock) {
            await setReservations(tx.db, reserved.map((r) => ({ order_id: orderId, line_id: r.lineId, sku: r.sku, location_id: r.locationId, quantity: r.quantity, updated_at: tx.now })));
            return;
          }
          const row = await getOrderRow(tx.db, orderId);
          const outcome = await deps.stock.reserve(tx, { orderId, source: row?.source ?? '' }, reserved);
          if (outcome.reserved) return;
          await moveOrder(tx, orderId, 'on_hold', { system: 'tillbridge', reason: insufficientStock, detail: { short: outcome.short } });
          return { wait: `on hold: ${insufficientStock}` };
        },
        compensate: async () => ({ output: { released: true } }),
        async applyCompensation(tx, ctx) {
          await releaseStock(tx, deps, ctx.run.input.orderId);
        },
      },
      {
        name: 'payment',
        system: 'payments',
        async invoke(ctx): Promise<StepResult> {
          const { order } = await loadOrder(deps.store.db, ctx.run.input.orderId);
          const payment = paymentOf(deps, order);
          if (!payment) return { skipped: true, output: { reason: 'no payment at a configured provider' } };
          const system = payment.port.system;
          if (payment.status !== 'authorized' || deps.config.captureOn !== 'acceptance') {
            return { system, documents: { payment: payment.payment }, output: { status: payment.status, captured: payment.status === 'captured' } };
          }
          const capture = await payment.port.capture({ payment: payment.payment, amount: payment.amount, currency: order.currency, idempotencyKey: `capture:${order.source}:${order.externalId}` }, ctx.signal);
          return { system, documents: { payment: payment.payment, capture: capture.capture }, output: { status: 'captured', captured: true, amount: capture.amount } };
        },
        async compensate(ctx): Promise<StepResult> {
          const { order } = await loadOrder(deps.store.db, ctx.run.input.orderId);
          const payment = paymentOf(deps, order);
          if (!payment) return { skipped: true };
          const key = `${ctx.run.key}:undo-payment`;
          if (ctx.done.output['captured'] === true) {
            const refund = await payment.port.refund({ payment: payment.payment, amount: payment.amount, currency: order.currency, idempotencyKey: key, reason: 'requested_by_customer' }, ctx.signal);
            return { system: payment.port.system, documents: { refund: refund.refund }, output: { refunded: refund.amount } };
          }
          if (payment.status !== 'authorized') return { skipped: true };
          const voided = await payment.port.void({ payment: payment.payment, idempotencyKey: key }, ctx.signal);
          return { system: payment.port.system, documents: { voided: voided.voided } };
        },
        async applyCompensation(tx, ctx, result) {
          // Captured at acceptance and given back: booked against the customer's receivable, when the capture was.
          const refund = result.documents?.['refund'];
          const amount = result.output?.['refunded'];
          const payment = ctx.run.steps['payment']?.documents['payment'];
          if (typeof refund !== 'string' || typeof amount !== 'number') return;
          const { orderId } = ctx.run.input;
          const { order } = await loadOrder(tx.db, orderId);
          const customer = await erpCustomerOf(tx.db, orderId);
          tx.emit(
            orderPosting,
            { event: 'payment-return', orderId, reference: refund, amount, currency: order.currency, occurredAt: new Date(tx.now).toISOString(), ...(customer ? { customer } : {}), ...(typeof payment === 'string' ? { capturedAs: payment } : {}) },
            orderPostingDelivery(orderId),
          );
        },
      },
      {
        name: 'book-sales-order',
        system: 'erp',
        ...outsideCall,
        async invoke(ctx) {
          const plan = planOf(ctx);
          if (!plan.erp) return { skipped: true, output: { reason: 'no ERP configured' } };
          const erp = erpPort(deps, plan.erp);
          const { order } = await loadOrder(deps.store.db, ctx.run.input.orderId);
          const lineWarehouses = Object.fromEntries(plan.allocations.flatMap((a) => a.lines.map((l) => [l.lineId, a.erpWarehouse])));
          const booked = await erp.bookSalesOrder({ reference: ctx.run.input.orderId, order, company: plan.company, lineWarehouses }, ctx.signal);
          return { system: erp.system, documents: { salesOrder: booked.salesOrder, customer: booked.customer } };
        },
        async apply(tx, ctx, result) {
          if (!result.skipped) await moveOrder(tx, ctx.run.input.orderId, 'booked', { system: 'tillbridge' });
          // Captured at acceptance: booked now that the ERP customer (the receivable's party) exists.
          const paid = ctx.run.steps['payment'];
          const reference = paid?.documents['capture'] ?? paid?.documents['payment'];
          if (paid?.output['captured'] === true && typeof reference === 'string') {
            const { orderId } = ctx.run.input;
            const { order } = await loadOrder(tx.db, orderId);
            const captured = paid.output['amount'];
            const amount = typeof captured === 'number' ? captured : (order.payments[0]?.amount ?? order.totals.total);
            const customer = result.documents?.['customer'];
            tx.emit(
              orderPosting,
              { event: 'capture', orderId, reference, amount, currency: order.currency, occurredAt: new Date(tx.now).toISOString(), ...(typeof customer === 'string' ? { customer } : {}) },
              orderPostingDelivery(orderId),
            );
          }
          for (const run of await listOrderWorkflowRuns(tx.db, ctx.run.input.orderId)) {
            if (run.workflow === 'order-cancellation' && run.status === 'waiting') await resumeRun(tx, cancellation(), run.id);
          }
        },
        async compensate(ctx) {
          const plan = planOf(ctx);
          const salesOrder = ctx.done.documents['salesOrder'];
          if (!plan.erp || typeof salesOrder !== 'string') return { skipped: true };
          const erp = erpPort(deps, plan.erp);
          await erp.cancelSalesOrder(salesOrder, ctx.signal);
          return { system: erp.system, documents: { cancelled: salesOrder } };
        },
      },
      {
        name: 'release-to-warehouse',
        system: 'warehouse',
        ...outsideCall,
        async invoke(ctx) {
          const plan = planOf(ctx);
          const shippable = plan.allocations.filter((a) => a.warehouse !== null);
          if (shippable.length === 0) return { skipped: true, output: { reason: 'no warehouse configured' } };
          const { order } = await loadOrder(deps.store.db, ctx.run.input.orderId);
          const open = new Map((await listLineQuantities(deps.store.db, ctx.run.input.orderId)).map((l) => [l.line_id, openQuantity(l)]));
          const shipmentOrders: string[] = [];
          for (const allocation of shippable) {
            const lines = allocation.lines.map((l) => ({ ...l, quantity: open.get(l.lineId) ?? l.quantity })).filter((l) => l.quantity > 0);
            if (lines.length === 0) continue;
            const port = warehousePort(deps, allocation.warehouse!);
            shipmentOrders.push((await port.release({ reference: ctx.run.input.orderId, order, lines }, ctx.signal)).shipmentOrder);
          }
          return { system: shippable.length === 1 ? shippable[0]!.warehouse! : 'warehouse', documents: { shipmentOrders }, output: { warehouses: shippable.map((a) => a.warehouse) } };
        },
        async apply(tx, ctx, result) {
          if (!result.skipped) await moveOrder(tx, ctx.run.input.orderId, 'released', { system: 'tillbridge' });
        },
        async compensate(ctx) {
          const warehouses = (ctx.done.output['warehouses'] as string[] | undefined) ?? [];
          const cancelled: string[] = [];
          for (const warehouse of warehouses) {
            const result = await warehousePort(deps, warehouse).cancel(ctx.run.input.orderId, ctx.signal);
            if (result.shipmentOrder) cancelled.push(result.shipmentOrder);
          }
          return { documents: { cancelled } };
        },
      },
    ],
    async onCompensated(tx, run, reason) {
      const lines = await listLineQuantities(tx.db, run.input.orderId);
      await addLineQuantities(tx.db, run.input.orderId, 'cancelled', lines.map((l) => ({ lineId: l.line_id, quantity: openQuantity(l) })).filter((l) => l.quantity > 0), tx.now);
      await releaseStock(tx, deps, run.input.orderId);
      await moveOrder(tx, run.input.orderId, 'cancelled', { system: 'tillbridge', reason, detail: { runId: run.id } });
    },
  });
}
