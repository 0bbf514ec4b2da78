import { permanentError, Order, type IdGenerator } from '../../model/index.js';
import { appendTimeline, getOrderRow, listLineQuantities, listOrderWorkflowRuns, receiveIntoInbox, type Store } from '../../store/index.js';
import type { HandlerTransaction } from '../../messaging/index.js';
import { inboundReceived } from '../inbound/index.js';
import type { ErpPort, RoutingPlan } from '../order-to-cash/index.js';
import type { Correction, StoredDrift } from './ports.js';

function text(drift: StoredDrift, key: string): string {
  const value = drift.detail?.[key];
  if (typeof value !== 'string' || value === '') throw permanentError('drift_detail_missing', `drift ${drift.id} has no ${key} to correct it with`);
  return value;
}

function erpOf(erp: (connectionId: string) => ErpPort | undefined, drift: StoredDrift): ErpPort {
  const connectionId = text(drift, 'connectionId');
  const port = erp(connectionId);
  if (!port) throw permanentError('erp_not_configured', `${connectionId} is not an ERP connection of this hub`);
  return port;
}

async function noteOnTimeline(tx: HandlerTransaction, drift: StoredDrift, system: string, detail: Record<string, unknown>): Promise<void> {
  const orderId = drift.detail?.['orderId'];
  if (typeof orderId !== 'string') return;
  await appendTimeline(tx.db, [{ order_id: orderId, at: tx.now, event: 'reconciliation.corrected', system, detail: JSON.stringify({ drift: drift.id, kind: drift.kind, ...detail }), correlation_id: drift.runId, message_id: null }]);
}

/** A missed order (or a missed update of one): the channel's payload goes through the inbox as its webhook would have. */
export function importOrderCorrection(deps: { newId: IdGenerator }): Correction {
  return {
    name: 'import-order',
    async commit(tx, drift) {
      const connectionId = text(drift, 'connectionId');
      const inbox = await receiveIntoInbox(tx.db, { id: deps.newId('inb'), source: connectionId, dedupKey: text(drift, 'dedupKey'), payload: text(drift, 'payload'), headers: { topic: text(drift, 'topic'), via: 'reconciliation' }, receivedAt: tx.now });
      if (!inbox.duplicate) {
        tx.emit(inboundReceived, { connectionId, system: text(drift, 'system'), inboxId: inbox.id, topic: text(drift, 'topic'), via: 'poll' }, { subject: text(drift, 'externalId') });
      }
      return { summary: `imported order ${text(drift, 'externalId')} from ${connectionId}${inbox.duplicate ? ' (already in the inbox)' : ''}` };
    },
  };
}

/** An ERP order edited by hand: its lines are set back to the quantities the hub holds open. */
export function resyncOrderCorrection(deps: { store: Store; erp: (connectionId: string) => ErpPort | undefined }): Correction {
  return {
    name: 'resync-order',
    async prepare(drift, signal) {
      const orderId = text(drift, 'orderId');
      const salesOrder = text(drift, 'salesOrder');
      const lines = (await listLineQuantities(deps.store.db, orderId)).map((l) => ({ lineId: l.line_id, sku: l.sku, quantity: Number(l.ordered) - Number(l.cancelled) }));
      const port = erpOf(deps.erp, drift);
      await port.reduceSalesOrder(salesOrder, lines, signal);
      return { salesOrder, lines, system: port.system };
    },
    async commit(tx, drift, prepared) {
      const { salesOrder, lines, system } = prepared as { salesOrder: string; lines: { sku: string; quantity: number }[]; system: string };
      await noteOnTimeline(tx, drift, system, { salesOrder, lines });
      return { summary: `set ${salesOrder} back to ${lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}` };
    },
  };
}

/** An order the hub cancelled whose ERP order is still open: it is cancelled there too. */
export function cancelInErpCorrection(deps: { erp: (connectionId: string) => ErpPort | undefined }): Correction {
  return {
    name: 'cancel-in-erp',
    async prepare(drift, signal) {
      const port = erpOf(deps.erp, drift);
      await port.cancelSalesOrder(text(drift, 'salesOrder'), signal);
      return { system: port.system };
    },
    async commit(tx, drift, prepared) {
      await noteOnTimeline(tx, drift, (prepared as { system: string }).system, { cancelled: text(drift, 'salesOrder') });
      return { summary: `cancelled ${text(drift, 'salesOrder')} in ${text(drift, 'connectionId')}` };
    },
  };
}

/** An order the hub holds open whose ERP order a person cancelled: the cancelled order is amended (same lines, same reference) and submitted. */
export function amendInErpCorrection(deps: { erp: (connectionId: string) => ErpPort | undefined }): Correction {
  return {
    name: 'amend-in-erp',
    async prepare(drift, signal) {
      const port = erpOf(deps.erp, drift);
      if (!port.amendSalesOrder) throw permanentError('erp_cannot_amend', `${port.connectionId} (${port.system}) cannot amend a cancelled Sales Order: book the order again by hand`);
      const amended = await port.amendSalesOrder(text(drift, 'salesOrder'), signal);
      return { salesOrder: amended.salesOrder, system: port.system };
    },
    async commit(tx, drift, prepared) {
      const { salesOrder, system } = prepared as { salesOrder: string; system: string };
      await noteOnTimeline(tx, drift, system, { amended: text(drift, 'salesOrder'), salesOrder });
      return { summary: `amended cancelled ${text(drift, 'salesOrder')} as ${salesOrder} in ${text(drift, 'connectionId')}` };
    },
  };
}

/** An order the hub booked whose ERP order is gone (deleted there): it is booked again, by the same reference and warehouses. */
export function rebookOrderCorrection(deps: { store: Store; erp: (connectionId: string) => ErpPort | undefined }): Correction {
  return {
    name: 'rebook-order',
    async prepare(drift, signal) {
      const orderId = text(drift, 'orderId');
      const row = await getOrderRow(deps.store.db, orderId);
      if (!row) throw permanentError('unknown_order', `order ${orderId} does not exist`, 404);
      const order = Order.parse(JSON.parse(row.data));
      const placement = (await listOrderWorkflowRuns(deps.store.db, orderId)).find((r) => r.workflow === 'order-placement');
      const steps = placement ? (JSON.parse(placement.outputs) as Record<string, { output?: { plan?: RoutingPlan } }>) : {};
      const plan = steps['route']?.output?.plan;
      const lineWarehouses = Object.fromEntries((plan?.allocations ?? []).flatMap((a) => a.lines.map((l) => [l.lineId, a.erpWarehouse])));
      const port = erpOf(deps.erp, drift);
      const booked = await port.bookSalesOrder({ reference: orderId, order, company: plan?.company, lineWarehouses }, signal);
      return { salesOrder: booked.salesOrder, system: port.system };
    },
    async commit(tx, drift, prepared) {
      const { salesOrder, system } = prepared as { salesOrder: string; system: string };
      await noteOnTimeline(tx, drift, system, { salesOrder });
      return { summary: `booked order ${text(drift, 'orderId')} again as ${salesOrder}` };
    },
  };
}
