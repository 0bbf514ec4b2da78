import { findOrdersByExternalIds, listOrderFacts, type OrderFactRow, type Store } from '../../store/index.js';
import type { Drift } from './drift.js';
import type { ReconciliationCheck } from './ports.js';

/** A Sales Order as the ERP has it, by the hub order it was booked for. */
export interface ErpOrderRecord {
  /** The hub order id the document carries as its reference. */
  reference: string;
  document: string;
  state: 'draft' | 'submitted' | 'cancelled';
  /** Grand total in minor units. */
  total: number;
  currency: string;
  /** Who changed it last (a person's edit shows here). */
  modifiedBy?: string | undefined;
}

/** The ERP's sales orders, read by the hub order ids they were booked for. */
export interface ErpOrderSide {
  readonly connectionId: string;
  salesOrders(references: readonly string[], signal: AbortSignal): Promise<ErpOrderRecord[]>;
}

/** An order as a sales channel lists it. */
export interface ChannelOrderRecord {
  externalId: string;
  number?: string | undefined;
  updatedAt: string;
  cancelled: boolean;
  total: number;
  currency: string;
  /** The raw order as the channel sent it, to import it as its webhook would have been. */
  payload: string;
  topic: string;
  dedupKey: string;
}

/** A sales channel's orders changed in a window, a page at a time. */
export interface ChannelOrderSide {
  readonly connectionId: string;
  readonly system: string;
  ordersChanged(window: { from: number; to: number }, signal: AbortSignal): AsyncIterable<ChannelOrderRecord[]>;
}

/** How an order's ERP document is put in the state the hub's order needs: cancelled there, amended after a person cancelled it, or (a draft the booking left) submitted by booking it again. */
function correctionOfState(hubCancelled: boolean, state: ErpOrderRecord['state']): string | undefined {
  if (hubCancelled) return state === 'submitted' ? 'cancel-in-erp' : undefined;
  return state === 'cancelled' ? 'amend-in-erp' : 'rebook-order';
}

/** The ERP document that stands for an order: the newest one not cancelled, else the newest cancelled one. */
function currentDocument(records: readonly ErpOrderRecord[]): ErpOrderRecord | undefined {
  const byName = [...records].sort((a, b) => (a.document < b.document ? -1 : a.document > b.document ? 1 : 0));
  return byName.filter((r) => r.state !== 'cancelled').at(-1) ?? byName.at(-1);
}

/**
 * Hub orders against the ERP's Sales Orders: every order the hub booked has one, submitted unless the
 * order was cancelled, with the order's grand total (compared while no line was cancelled; a partial
 * cancellation reduces the ERP order by the hub's own rules).
 */
export function compareOrdersWithErp(hub: readonly OrderFactRow[], erp: readonly ErpOrderRecord[], erpConnection: string): Drift[] {
  const byReference = new Map<string, ErpOrderRecord[]>();
  for (const record of erp) byReference.set(record.reference, [...(byReference.get(record.reference) ?? []), record]);
  const drift: Drift[] = [];
  const systems = ['hub', erpConnection];
  for (const order of hub) {
    if (order.sales_order === null) continue;
    const entity = `order:${order.id}`;
    const detail = { orderId: order.id, number: order.number, connectionId: erpConnection };
    const current = currentDocument(byReference.get(order.id) ?? []);
    const cancelled = order.status === 'cancelled';
    if (!current) {
      drift.push({ kind: 'order_missing_in_erp', entity, systems, expected: { salesOrder: order.sales_order, total: order.total, currency: order.currency }, actual: null, severity: 'critical', correction: 'rebook-order', detail });
      continue;
    }
    const expectedState = cancelled ? 'cancelled' : 'submitted';
    if (current.state !== expectedState) {
      drift.push({
        kind: 'order_status_mismatch',
        entity,
        systems,
        expected: { status: expectedState, hubStatus: order.status },
        actual: { status: current.state, salesOrder: current.document, modifiedBy: current.modifiedBy },
        severity: cancelled ? 'warning' : 'critical',
        correction: correctionOfState(cancelled, current.state),
        detail: { ...detail, salesOrder: current.document },
      });
      continue;
    }
    if (cancelled || order.cancelled_units > 0) continue;
    if (current.total !== order.total || current.currency !== order.currency) {
      drift.push({
        kind: 'order_total_mismatch',
        entity,
        systems,
        expected: { total: order.total, currency: order.currency },
        actual: { total: current.total, currency: current.currency, salesOrder: current.document, modifiedBy: current.modifiedBy },
        severity: 'critical',
        correction: 'resync-order',
        detail: { ...detail, salesOrder: current.document },
      });
    }
  }
  return drift;
}

/** Compares the hub's orders of the window with the ERP, a page of orders (one ERP read) at a time. */
export function erpOrdersCheck(deps: { store: Store; erp: ErpOrderSide; pageSize?: number | undefined }): ReconciliationCheck {
  const pageSize = deps.pageSize ?? 500;
  return {
    name: `orders:${deps.erp.connectionId}`,
    scope: 'orders',
    async run(window, signal) {
      const drift: Drift[] = [];
      for (let afterId: string | undefined; ; ) {
        const page = await listOrderFacts(deps.store.db, window, { limit: pageSize, afterId });
        const booked = page.filter((o) => o.sales_order !== null);
        if (booked.length > 0) drift.push(...compareOrdersWithErp(booked, await deps.erp.salesOrders(booked.map((o) => o.id), signal), deps.erp.connectionId));
        if (page.length < pageSize) return drift;
        afterId = page.at(-1)!.id;
      }
    },
  };
}

/** Orders a channel changed in the window that the hub never received (a missed webhook) or holds as open though the channel cancelled them. */
export function channelOrdersCheck(deps: { store: Store; channel: ChannelOrderSide }): ReconciliationCheck {
  const { channel } = deps;
  return {
    name: `orders:${channel.connectionId}`,
    scope: 'orders',
    async run(window, signal) {
      const drift: Drift[] = [];
      const systems = [channel.connectionId, 'hub'];
      for await (const page of channel.ordersChanged(window, signal)) {
        const known = await findOrdersByExternalIds(deps.store.db, page.map((o) => ({ source: channel.connectionId, externalId: o.externalId })));
        const hubOrders = new Map(known.map((o) => [o.external_id, o]));
        for (const order of page) {
          const hubOrder = hubOrders.get(order.externalId);
          const entity = `order:${channel.connectionId}:${order.externalId}`;
          if (!hubOrder) {
            drift.push({
              kind: 'order_missing_in_hub',
              entity,
              systems,
              expected: { externalId: order.externalId, number: order.number, total: order.total, currency: order.currency, updatedAt: order.updatedAt },
              actual: null,
              severity: 'critical',
              correction: 'import-order',
              detail: { connectionId: channel.connectionId, system: channel.system, externalId: order.externalId, topic: order.topic, dedupKey: `reconciliation:${order.dedupKey}`, payload: order.payload },
            });
          } else if (order.cancelled && hubOrder.status !== 'cancelled') {
            drift.push({
              kind: 'order_status_mismatch',
              entity,
              systems,
              expected: { status: 'cancelled' },
              actual: { status: hubOrder.status, orderId: hubOrder.id },
              severity: 'critical',
              correction: 'import-order',
              detail: { connectionId: channel.connectionId, system: channel.system, externalId: order.externalId, orderId: hubOrder.id, topic: order.topic, dedupKey: `reconciliation:${order.dedupKey}`, payload: order.payload },
            });
          }
        }
      }
      return drift;
    },
  };
}
