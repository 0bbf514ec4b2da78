import { z } from 'zod';
import { Identifier, Quantity, permanentError, transientError, Tracking, Timestamp, type Order } from '../../model/index.js';
import { addLineQuantities, consumeReservations, listLineQuantities, type LineQuantitiesRow } from '../../store/index.js';
import { defineWorkflow, type StepResult, type Workflow } from '../workflow/index.js';
import { bookedErp, outsideCall, startCompletion, type OrderToCashDeps } from './deps.js';
import { isResolved, loadOrder, moveOrder, openQuantity } from './order-state.js';
import { placementFacts } from './placement-facts.js';
import type { LineQuantity } from './ports.js';

/** A shipment a warehouse reported for an order. */
export const ShipmentInput = z.object({
  orderId: z.string().min(1),
  connectionId: z.string().min(1),
  shipment: z.object({
    reference: Identifier,
    lines: z.array(z.object({ lineId: Identifier.optional(), sku: Identifier, quantity: Quantity, substitutedSku: Identifier.optional() })).min(1),
    tracking: z.array(Tracking).default([]),
    shippedAt: Timestamp.optional(),
  }),
});
export type ShipmentInput = z.infer<typeof ShipmentInput>;

/** The business key of one shipment: a duplicate event with the same key starts nothing. */
export const shipmentKey = (input: Pick<ShipmentInput, 'orderId' | 'connectionId'> & { reference: string }) => `shipment:${input.orderId}:${input.connectionId}:${input.reference}`;

/** A shipped line matched to the order line it fulfils. */
type MatchedLine = LineQuantity & { substitutedSku?: string };

/**
 * Matches a shipment's lines to the order (by line id, else by SKU among lines with units open).
 * A SKU not on the order, more units than are open, or a substitution the configuration refuses
 * are permanent errors: the shipment dead-letters with the reason and can be replayed after a fix.
 */
export function matchShipment(order: Order, progress: readonly LineQuantitiesRow[], lines: ShipmentInput['shipment']['lines'], substitutionsAllowed: boolean): MatchedLine[] {
  const open = new Map(progress.map((p) => [p.line_id, openQuantity(p)]));
  return lines.map((line) => {
    const candidates = order.lines.filter((l) => (line.lineId ? l.lineId === line.lineId : l.sku === line.sku));
    if (candidates.length === 0 || (line.lineId && candidates[0]!.sku !== line.sku)) {
      throw permanentError('shipment_sku_not_on_order', `shipment line ${line.lineId ?? ''} ${line.sku} is not on order ${order.source}/${order.externalId} (it has ${order.lines.map((l) => `${l.lineId}:${l.sku}`).join(', ')})`, 422);
    }
    const target = candidates.find((l) => (open.get(l.lineId) ?? 0) >= line.quantity) ?? candidates[0]!;
    const available = open.get(target.lineId) ?? 0;
    if (line.quantity > available) {
      throw permanentError('shipment_exceeds_order', `shipment of ${line.quantity} × ${line.sku} exceeds what is open on order line ${target.lineId} (${available} of ${target.quantity})`, 422);
    }
    if (line.substitutedSku && !substitutionsAllowed) {
      throw permanentError('substitution_not_allowed', `the warehouse shipped ${line.substitutedSku} instead of ${line.sku}, and substitutions are not allowed by the configuration`, 422);
    }
    open.set(target.lineId, available - line.quantity);
    return { lineId: target.lineId, sku: target.sku, quantity: line.quantity, ...(line.substitutedSku ? { substitutedSku: line.substitutedSku } : {}) };
  });
}

function shippedLines(run: { steps: Record<string, { output: Record<string, unknown> }> }): MatchedLine[] {
  return run.steps['record-shipment']!.output['lines'] as MatchedLine[];
}

/**
 * One shipment: check it against the order and record it (status partially_shipped or shipped),
 * push the fulfillment with tracking to the channel, create the ERP Delivery Note; the shipment
 * that leaves nothing open starts the order's completion (capture, invoice, close).
 */
export function shipmentWorkflow(deps: OrderToCashDeps, completion: () => Workflow<{ orderId: string }>): Workflow<ShipmentInput> {
  return defineWorkflow<ShipmentInput>({
    name: 'order-shipment',
    input: ShipmentInput,
    steps: [
      {
        name: 'record-shipment',
        system: 'tillbridge',
        async invoke(ctx): Promise<StepResult> {
          const { orderId, shipment } = ctx.run.input;
          const { row, order } = await loadOrder(deps.store.db, orderId);
          if (row.status === 'cancelled') throw permanentError('order_cancelled', `order ${orderId} is cancelled; a shipment of it needs a person to look at it`, 409);
          const facts = await placementFacts(deps.store.db, orderId);
          if (!facts.released) throw transientError('order_not_released', `order ${orderId} has not been released to a warehouse yet; the shipment waits for it`);
          const progress = await listLineQuantities(deps.store.db, orderId);
          const lines = matchShipment(order, progress, shipment.lines, deps.config.substitutions.allowed);
          const after = progress.map((p) => ({ ...p, shipped: p.shipped + lines.filter((l) => l.lineId === p.line_id).reduce((sum, l) => sum + l.quantity, 0) }));
          return {
            output: { lines, complete: isResolved(after), substitutions: lines.filter((l) => l.substitutedSku).map((l) => ({ ordered: l.sku, shipped: l.substitutedSku, price: deps.config.substitutions.price })) },
            documents: { shipment: shipment.reference },
          };
        },
        async apply(tx, ctx, result) {
          const lines = result.output!['lines'] as MatchedLine[];
          await addLineQuantities(tx.db, ctx.run.input.orderId, 'shipped', lines, tx.now);
          await consumeReservations(tx.db, ctx.run.input.orderId, lines);
          const progress = await listLineQuantities(tx.db, ctx.run.input.orderId);
          const anyCancelled = progress.some((p) => p.cancelled > 0);
          const to = isResolved(progress) ? 'shipped' : anyCancelled ? 'partially_cancelled' : 'partially_shipped';
          await moveOrder(tx, ctx.run.input.orderId, to, { system: 'tillbridge', detail: { shipment: ctx.run.input.shipment.reference, tracking: ctx.run.input.shipment.tracking } });
        },
      },
      {
        name: 'push-fulfillment',
        system: 'channel',
        ...outsideCall,
        async invoke(ctx): Promise<StepResult> {
          const { order } = await loadOrder(deps.store.db, ctx.run.input.orderId);
          const channel = deps.ports.channel(order.source);
          if (!channel) return { skipped: true, output: { reason: `${order.source} takes no fulfillments` } };
          const progress = await listLineQuantities(deps.store.db, ctx.run.input.orderId);
          const openAfter = Object.fromEntries(progress.map((p) => [p.line_id, p.ordered - p.shipped]));
          const pushed = await channel.pushFulfillment(
            { reference: ctx.run.key, orderExternalId: order.externalId, lines: shippedLines(ctx.run), openAfter, tracking: ctx.run.input.shipment.tracking },
            ctx.signal,
          );
          return { system: channel.system, documents: { fulfillment: pushed.fulfillment } };
        },
      },
      {
        name: 'create-delivery-note',
        system: 'erp',
        ...outsideCall,
        async invoke(ctx): Promise<StepResult> {
          const booked = await bookedErp(deps, ctx.run.input.orderId);
          if (!booked) return { skipped: true, output: { reason: 'the order was not booked in an ERP' } };
          const postingDate = (ctx.run.input.shipment.shippedAt ?? new Date(ctx.now).toISOString()).slice(0, 10);
          const delivered = await booked.erp.deliver({ reference: ctx.run.key, salesOrder: booked.salesOrder, lines: shippedLines(ctx.run), postingDate }, ctx.signal);
          return { system: booked.erp.system, documents: { deliveryNote: delivered.deliveryNote } };
        },
      },
    ],
    async onCompleted(tx, run) {
      if (run.steps['record-shipment']?.output['complete'] === true) await startCompletion(tx, deps, completion(), run);
    },
  });
}
