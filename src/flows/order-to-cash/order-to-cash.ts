import { permanentError } from '../../model/index.js';
import { handlerFor, inOutboxTransaction, type HandlerRegistration, type HandlerTransaction } from '../../messaging/index.js';
import { findWorkflowRunByKey, listLineQuantities, listOrdersHeldForSku } from '../../store/index.js';
import { insufficientStock, inventoryRestocked } from '../inventory/messages.js';
import { compensateRun, resumeRun, startRun, workflowHandlers, type Workflow } from '../workflow/index.js';
import { cancellationWorkflow, type CancellationInput } from './cancellation.js';
import { completionWorkflow } from './completion.js';
import type { OrderToCashDeps } from './deps.js';
import { orderAccepted } from './messages.js';
import { loadOrder, moveOrder, openQuantity, statusBeforeHold } from './order-state.js';
import { placementKey } from './placement-facts.js';
import type { OrderStatus } from './order-status.js';
import { placementWorkflow } from './placement.js';
import { shipmentKey, shipmentWorkflow, type ShipmentInput } from './shipment.js';
import { refundWorkflow, returnRuleFor, returnWorkflow, type RefundInput, type ReturnInput } from './returns.js';

/** A return as the API asks for it. */
export interface ReturnRequest {
  lines: { lineId: string; quantity: number; reason?: string | undefined }[];
}

/** What a warehouse received of a return. */
export interface ReturnReceipt {
  orderId: string;
  returnId: string;
  lines: { lineId?: string | undefined; sku: string; quantity: number; condition: 'sellable' | 'damaged' }[];
}

/** A refund a channel made itself (e.g. Shopify refunds/create). */
export interface ChannelRefund {
  orderId: string;
  connectionId: string;
  reference: string;
  amount: number;
  shipping: number;
  lines: { lineId: string; quantity: number }[];
  restock: boolean;
  reason?: string | undefined;
}

/** What an operator's action on an order answers. */
export interface ActionResult {
  orderId: string;
  status: string;
  runId?: string | undefined;
}

/** Order-to-cash: its workflows, their message handlers, and the actions the API offers. */
export interface OrderToCash {
  workflows: {
    placement: Workflow<{ orderId: string }>;
    shipment: Workflow<ShipmentInput>;
    cancellation: Workflow<CancellationInput>;
    completion: Workflow<{ orderId: string }>;
    return: Workflow<ReturnInput>;
    refund: Workflow<RefundInput>;
  };
  handlers: HandlerRegistration[];
  /** Starts a shipment's run in the caller's transaction, under the order's correlation id (a duplicate shipment starts nothing). */
  startShipment(tx: HandlerTransaction, input: ShipmentInput): Promise<{ runId: string; created: boolean }>;
  /** Cancels an order (every open unit, or the given lines) in the caller's transaction. */
  cancelInTransaction(tx: HandlerTransaction, orderId: string, request: { lines?: { lineId: string; quantity: number }[] | undefined; reason: string }): Promise<ActionResult>;
  /** Starts the refund of a return the warehouse received (a duplicate receipt starts nothing). */
  receiveReturn(tx: HandlerTransaction, receipt: ReturnReceipt): Promise<void>;
  /** Reflects a refund the channel made: credit note in the ERP, no second refund at the provider. */
  reflectChannelRefund(tx: HandlerTransaction, refund: ChannelRefund): Promise<void>;
  /** Authorises a return under the returns policy (one return per policy rule the reasons fall under). */
  requestReturn(orderId: string, request: ReturnRequest, actor: string): Promise<{ orderId: string; returns: { returnId: string; runId: string; mode: string }[] }>;
  hold(orderId: string, reason: string, actor: string): Promise<ActionResult>;
  release(orderId: string, actor: string): Promise<ActionResult>;
  cancel(orderId: string, request: { lines?: { lineId: string; quantity: number }[] | undefined; reason: string }, actor: string): Promise<ActionResult>;
}

/** Gives each step the SLA the configuration sets for it (`<workflow>.<step>`, then `<step>`), else the default. */
function withSlas<I>(workflow: Workflow<I>, config: OrderToCashDeps['config']): Workflow<I> {
  for (const step of workflow.steps) step.slaMs = config.slas[`${workflow.name}.${step.name}`] ?? config.slas[step.name] ?? step.slaMs ?? config.defaultSla;
  return workflow;
}

/** Builds order-to-cash over the given ports and configuration. */
export function createOrderToCash(deps: OrderToCashDeps): OrderToCash {
  const completion = withSlas(completionWorkflow(deps), deps.config);
  const placement: Workflow<{ orderId: string }> = withSlas(placementWorkflow(deps, () => cancellation), deps.config);
  const shipment = withSlas(shipmentWorkflow(deps, () => completion), deps.config);
  const cancellation = withSlas(cancellationWorkflow(deps, () => completion, () => placement), deps.config);
  const refund = withSlas(refundWorkflow(deps), deps.config);
  const returns = withSlas(returnWorkflow(deps, () => refund), deps.config);

  const startPlacement = handlerFor(orderAccepted, async (ctx) => {
    const { orderId } = ctx.message.data;
    await ctx.commit(async (tx) => {
      await startRun(tx, placement, { id: deps.newId('run'), key: placementKey(orderId), orderId, correlationId: ctx.message.correlationid, input: { orderId } });
    });
  });

  /** Puts an order waiting on hold back where it was and lets its placement continue (it checks stock again). */
  async function releaseInTransaction(tx: HandlerTransaction, orderId: string, system: string, detail: Record<string, unknown>): Promise<OrderStatus> {
    const { row } = await loadOrder(tx.db, orderId);
    if (row.status !== 'on_hold') throw permanentError('not_on_hold', `order ${orderId} is ${row.status}, not on hold`, 409);
    const back = await statusBeforeHold(tx.db, orderId);
    await moveOrder(tx, orderId, back, { system, detail: { ...detail, released: row.hold_reason } });
    const run = await findWorkflowRunByKey(tx.db, placementKey(orderId));
    if (run) await resumeRun(tx, placement, run.id);
    return back;
  }

  const retryHeldForStock = handlerFor(inventoryRestocked, async (ctx) => {
    await ctx.commit(async (tx) => {
      for (const orderId of await listOrdersHeldForSku(tx.db, insufficientStock, ctx.message.data.sku)) {
        await releaseInTransaction(tx, orderId, 'tillbridge', { stockArrived: ctx.message.data.sku });
      }
    });
  });

  const inTransaction = async <T>(orderId: string, actor: string, work: (tx: HandlerTransaction, correlationId: string) => Promise<T>): Promise<T> => {
    const { row } = await loadOrder(deps.store.db, orderId);
    return inOutboxTransaction(deps.store, { origin: { source: `tillbridge/api/${actor}`, correlationId: row.correlation_id }, now: deps.clock.now(), newId: deps.newId }, (tx) => work(tx, row.correlation_id));
  };

  async function cancelInTransaction(tx: HandlerTransaction, orderId: string, request: { lines?: { lineId: string; quantity: number }[] | undefined; reason: string }): Promise<ActionResult> {
    const { row, order } = await loadOrder(tx.db, orderId);
    if (row.status === 'cancelled') return { orderId, status: 'cancelled' };
    const recorded = await listLineQuantities(tx.db, orderId);
    // Before the placement has routed the order its line progress is not recorded yet: nothing has moved.
    const progress = recorded.length > 0 ? recorded : order.lines.map((l) => ({ line_id: l.lineId, sku: l.sku, ordered: l.quantity, shipped: 0, cancelled: 0, returned: 0, order_id: orderId, updated_at: row.updated_at }));
    const open = progress.map((p) => ({ lineId: p.line_id, quantity: openQuantity(p) })).filter((l) => l.quantity > 0);
    const lines = request.lines ?? open;
    for (const line of lines) {
      const found = progress.find((p) => p.line_id === line.lineId);
      if (!found) throw permanentError('cancellation_line_not_on_order', `line ${line.lineId} is not on order ${orderId}`, 422);
      if (line.quantity > openQuantity(found)) throw permanentError('cancellation_exceeds_open', `cannot cancel ${line.quantity} of line ${line.lineId}: only ${openQuantity(found)} open`, 409);
    }
    const shippedAny = progress.some((p) => p.shipped > 0);
    const everything = open.every((o) => lines.filter((l) => l.lineId === o.lineId).reduce((s, l) => s + l.quantity, 0) === o.quantity);
    const placementRun = await findWorkflowRunByKey(tx.db, placementKey(orderId));
    if (!shippedAny && everything) {
      if (placementRun && (await compensateRun(tx, placement, placementRun.id, request.reason))) return { orderId, status: 'cancelling', runId: placementRun.id };
      if (!placementRun) await moveOrder(tx, orderId, 'cancelled', { system: 'tillbridge', reason: request.reason });
      return { orderId, status: (await loadOrder(tx.db, orderId)).row.status };
    }
    if (lines.length === 0) throw permanentError('nothing_to_cancel', `order ${orderId} has nothing open to cancel`, 409);
    const started = await startRun(tx, cancellation, { id: deps.newId('run'), key: `cancellation:${orderId}:${deps.newId('cxl')}`, orderId, correlationId: row.correlation_id, input: { orderId, lines, reason: request.reason } });
    return { orderId, status: 'cancelling', runId: started.runId };
  }

  return {
    workflows: { placement, shipment, cancellation, completion, return: returns, refund },
    handlers: [
      startPlacement,
      retryHeldForStock,
      ...workflowHandlers(placement, deps),
      ...workflowHandlers(shipment, deps),
      ...workflowHandlers(cancellation, deps),
      ...workflowHandlers(completion, deps),
      ...workflowHandlers(returns, deps),
      ...workflowHandlers(refund, deps),
    ],
    async startShipment(tx, input) {
      const { row } = await loadOrder(tx.db, input.orderId);
      return startRun(tx, shipment, { id: deps.newId('run'), key: shipmentKey({ ...input, reference: input.shipment.reference }), orderId: input.orderId, correlationId: row.correlation_id, input });
    },
    cancelInTransaction,
    async receiveReturn(tx, receipt) {
      const run = await findWorkflowRunByKey(tx.db, `return:${receipt.returnId}`);
      if (!run || run.order_id !== receipt.orderId) throw permanentError('unknown_return', `return ${receipt.returnId} of order ${receipt.orderId} was not authorised by the hub`, 422);
      const authorised = returns.input.parse(JSON.parse(run.input));
      const lines = receipt.lines.map((line) => {
        const match = authorised.lines.find((l) => (line.lineId ? l.lineId === line.lineId : l.sku === line.sku));
        if (!match) throw permanentError('return_line_not_authorised', `return ${receipt.returnId} received ${line.sku}, which was not authorised for return`, 422);
        return { lineId: match.lineId, sku: match.sku, quantity: line.quantity, condition: line.condition };
      });
      const { order } = await loadOrder(tx.db, receipt.orderId);
      const input: RefundInput = { orderId: receipt.orderId, refundId: receipt.returnId, source: 'return', lines, mode: authorised.mode, disposition: authorised.disposition, shipping: authorised.refundShipping ? order.totals.shipping : 0, reason: authorised.lines[0]!.reason };
      await startRun(tx, refund, { id: deps.newId('run'), key: `refund:${receipt.returnId}`, orderId: receipt.orderId, correlationId: run.correlation_id, input });
    },
    async reflectChannelRefund(tx, channelRefund) {
      const { row } = await loadOrder(tx.db, channelRefund.orderId);
      const progress = await listLineQuantities(tx.db, channelRefund.orderId);
      const lines = channelRefund.lines.map((l) => ({ lineId: l.lineId, sku: progress.find((p) => p.line_id === l.lineId)?.sku ?? l.lineId, quantity: l.quantity, condition: 'sellable' as const }));
      const refundId = `${channelRefund.connectionId}-${channelRefund.reference}`;
      const input: RefundInput = { orderId: channelRefund.orderId, refundId, source: 'channel', lines, mode: 'refund', disposition: channelRefund.restock ? 'restock' : 'write-off', shipping: channelRefund.shipping, amount: channelRefund.amount, reason: channelRefund.reason ?? 'refunded in the channel', channelReference: channelRefund.reference };
      await startRun(tx, refund, { id: deps.newId('run'), key: `refund:channel:${refundId}`, orderId: channelRefund.orderId, correlationId: row.correlation_id, input });
    },
    requestReturn: (orderId, request, actor) =>
      inTransaction(orderId, actor, async (tx, correlationId) => {
        const progress = await listLineQuantities(tx.db, orderId);
        const groups = new Map<ReturnType<typeof returnRuleFor>, ReturnInput['lines']>();
        for (const line of request.lines) {
          const found = progress.find((p) => p.line_id === line.lineId);
          if (!found) throw permanentError('return_line_not_on_order', `line ${line.lineId} is not on order ${orderId}`, 422);
          if (line.quantity > found.shipped - found.returned) throw permanentError('return_exceeds_shipped', `cannot return ${line.quantity} of line ${line.lineId}: ${found.shipped - found.returned} shipped and not yet returned`, 409);
          const reason = line.reason ?? 'unspecified';
          const rule = returnRuleFor(deps.config.returns, reason);
          groups.set(rule, [...(groups.get(rule) ?? []), { lineId: line.lineId, sku: found.sku, quantity: line.quantity, reason }]);
        }
        const started = [];
        for (const [rule, lines] of groups) {
          const returnId = deps.newId('ret');
          const input: ReturnInput = { orderId, returnId, lines, mode: rule.mode, disposition: rule.disposition, refundShipping: rule.refundShipping };
          const run = await startRun(tx, returns, { id: deps.newId('run'), key: `return:${returnId}`, orderId, correlationId, input });
          started.push({ returnId, runId: run.runId, mode: rule.mode });
        }
        return { orderId, returns: started };
      }),
    hold: (orderId, reason, actor) =>
      inTransaction(orderId, actor, async (tx) => {
        await moveOrder(tx, orderId, 'on_hold', { system: 'api', reason, detail: { actor } });
        return { orderId, status: 'on_hold' };
      }),
    release: (orderId, actor) => inTransaction(orderId, actor, async (tx) => ({ orderId, status: await releaseInTransaction(tx, orderId, 'api', { actor }) })),
    cancel: (orderId, request, actor) => inTransaction(orderId, actor, (tx) => cancelInTransaction(tx, orderId, request)),
  };
}
