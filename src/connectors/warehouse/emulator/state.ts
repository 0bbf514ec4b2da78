import type { z } from 'zod';
import type { NewShipmentOrder, Shipment, ShipmentOrder, ShipmentOrderStatus, StockLevel, WarehouseTopic } from '../wire.js';
import type { Behaviour } from './behaviour.js';
import type { Scheduler } from './scheduler.js';
import { carrierFor } from './carriers.js';
import { fingerprintOf } from './idempotency.js';
import { planLineCancellation } from './line-cancellation.js';
import { remaining, viewOf, type OrderRecord, type StockRecord } from './records.js';

type StockReason = 'receipt' | 'adjustment' | 'damage' | 'shipment' | 'cycle_count';

/** A webhook event the warehouse emits (payload without signature). */
export interface EmittedEvent {
  type: WarehouseTopic;
  payload: Record<string, unknown> & { eventId: string };
}

/** What the warehouse state needs from its emulator. */
export interface WarehouseStateOptions {
  location: string;
  now: () => number;
  random: () => number;
  behaviour: () => Behaviour;
  substitutes: Record<string, string>;
  scheduler: Scheduler;
  emit(event: EmittedEvent): void;
}

/** The result of a create: the order, and whether it is new, an identical repeat, or a conflict. */
export type CreateResult = { kind: 'created' | 'identical'; order: ShipmentOrder } | { kind: 'conflict'; existingId: string };

/** The result of a cancel. */
export type CancelResult = { kind: 'cancelled'; order: ShipmentOrder } | { kind: 'not_found' } | { kind: 'shipped'; order: ShipmentOrder };

/** The result of a line cancellation: applied, or refused as a whole. */
export type LineCancelResult =
  | { kind: 'cancelled'; order: ShipmentOrder }
  | { kind: 'not_found' }
  | { kind: 'invalid'; errors: { pointer: string; detail: string }[] }
  | { kind: 'not_open'; code: 'already_shipped' | 'already_cancelled'; detail: string; order: ShipmentOrder };

const pad = (n: number) => String(n).padStart(6, '0');

/** Orders by `updatedAt`, then id (ids are zero-padded, so they sort as created). */
export function byUpdate(a: Pick<ShipmentOrder, 'id' | 'updatedAt'>, b: Pick<ShipmentOrder, 'id' | 'updatedAt'>): number {
  return Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The emulated warehouse: stock per SKU at one location, shipment orders that allocate stock and
 * ship after a delay (sometimes in two parcels, sometimes with a substitute SKU), backorders that
 * wait for stock, and the webhooks each change emits.
 */
export class WarehouseState {
  private readonly stock = new Map<string, StockRecord>();
  private readonly orders = new Map<string, OrderRecord>();
  private readonly byReference = new Map<string, OrderRecord>();
  private seq = { order: 0, shipment: 0, event: 0, cancellation: 0 };

  constructor(private readonly options: WarehouseStateOptions) {}

  get location(): string {
    return this.options.location;
  }

  /** Draws only for a rate strictly between 0 and 1, so seeded runs stay comparable. */
  private chance(rate: number): boolean {
    return rate > 0 && (rate >= 1 || this.options.random() < rate);
  }

  private iso(): string {
    return new Date(this.options.now()).toISOString();
  }

  private stockOf(sku: string): StockRecord {
    let record = this.stock.get(sku);
    if (!record) {
      record = { sku, onHand: 0, allocated: 0, version: 0 };
      this.stock.set(sku, record);
    }
    return record;
  }

  /** Emits a webhook event with the next event id. */
  emit(type: WarehouseTopic, payload: Record<string, unknown>): void {
    this.seq.event += 1;
    this.options.emit({ type, payload: { type, eventId: `evt_${pad(this.seq.event)}`, ...payload } });
  }

  private stockChanged(record: StockRecord, delta: number, reason: StockReason): void {
    record.version += 1;
    this.emit('stock.adjusted', {
      sku: record.sku,
      location: this.location,
      onHand: record.onHand,
      delta,
      reason,
      occurredAt: this.iso(),
      version: record.version,
    });
  }

  /** Sets initial stock without webhooks. */
  seed(stock: Record<string, number>): void {
    for (const [sku, onHand] of Object.entries(stock)) this.stockOf(sku).onHand = onHand;
  }

  /** Sets the on-hand count of a SKU (a receipt or a count), emits `stock.adjusted` and feeds backorders. */
  setStock(sku: string, onHand: number, reason?: StockReason): StockLevel {
    const record = this.stockOf(sku);
    const delta = onHand - record.onHand;
    record.onHand = onHand;
    this.stockChanged(record, delta, reason ?? (delta > 0 ? 'receipt' : 'cycle_count'));
    this.allocateBackorders();
    return this.levelOf(record);
  }

  private levelOf(record: StockRecord): StockLevel {
    return { sku: record.sku, location: this.location, onHand: record.onHand, allocated: record.allocated, available: record.onHand - record.allocated };
  }

  /** Adds received units to on-hand stock (one `stock.adjusted` each, reason `receipt`) and feeds backorders. */
  restock(units: readonly { sku: string; quantity: number }[]): void {
    for (const { sku, quantity } of units) {
      const record = this.stockOf(sku);
      record.onHand += quantity;
      this.stockChanged(record, quantity, 'receipt');
    }
    if (units.length > 0) this.allocateBackorders();
  }

  /** Stock levels, by SKU, optionally of one SKU. */
  levels(sku?: string): StockLevel[] {
    const records = sku !== undefined ? [this.stock.get(sku)].filter((r): r is StockRecord => r !== undefined) : [...this.stock.values()];
    return records.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)).map((r) => this.levelOf(r));
  }

  /** Creates a shipment order, or finds the one with this reference (identical or conflicting). */
  create(input: z.output<typeof NewShipmentOrder>): CreateResult {
    const fingerprint = fingerprintOf(input);
    const known = this.byReference.get(input.reference);
    if (known) return known.fingerprint === fingerprint ? { kind: 'identical', order: viewOf(known) } : { kind: 'conflict', existingId: known.id };
    this.seq.order += 1;
    const at = this.iso();
    const order: OrderRecord = {
      id: `so_${pad(this.seq.order)}`,
      reference: input.reference,
      orderNumber: input.orderNumber ?? null,
      serviceLevel: input.serviceLevel,
      requestedShipDate: input.requestedShipDate ?? null,
      shipTo: input.shipTo,
      notes: input.notes ?? null,
      lines: input.lines.map((l) => ({ ...l, allocated: 0, shipped: 0, cancelled: 0 })),
      shipments: [],
      cancellations: [],
      createdAt: at,
      updatedAt: at,
      cancelledAt: null,
      backordered: false,
      cancelShipment: null,
      fingerprint,
    };
    this.orders.set(order.id, order);
    this.byReference.set(order.reference, order);
    this.allocate(order);
    this.scheduleShipment(order);
    return { kind: 'created', order: viewOf(order) };
  }

  private allocate(order: OrderRecord): number {
    let allocated = 0;
    for (const line of order.lines) {
      const need = remaining(line) - line.allocated;
      const stock = this.stockOf(line.sku);
      const take = Math.max(0, Math.min(need, stock.onHand - stock.allocated));
      line.allocated += take;
      stock.allocated += take;
      allocated += take;
    }
    return allocated;
  }

  private allocateBackorders(): void {
    for (const order of this.orders.values()) {
      if (order.cancelledAt || order.cancelShipment || !order.lines.some((l) => remaining(l) > l.allocated)) continue;
      if (this.allocate(order) > 0) {
        order.backordered = false;
        order.updatedAt = this.iso();
        this.scheduleShipment(order);
      }
    }
  }

  /** Ships every order waiting for its next shipment now, as if the delay had passed; answers how many shipped. */
  shipWaitingNow(): number {
    let shipped = 0;
    for (const order of this.orders.values()) {
      if (!order.cancelShipment) continue;
      order.cancelShipment();
      this.ship(order);
      shipped += 1;
    }
    return shipped;
  }

  private scheduleShipment(order: OrderRecord): void {
    order.cancelShipment = this.options.scheduler.after(this.options.behaviour().shipDelayMs, () => this.ship(order));
  }

  private ship(order: OrderRecord): void {
    order.cancelShipment = null;
    if (order.cancelledAt) return;
    this.allocate(order);
    const ready = order.lines.filter((l) => l.allocated > 0).map((line) => ({ line, quantity: line.allocated }));
    const units = ready.reduce((sum, r) => sum + r.quantity, 0);
    order.updatedAt = this.iso();
    if (units === 0) {
      order.backordered = order.lines.some((l) => remaining(l) > 0);
      return;
    }
    const behaviour = this.options.behaviour();
    if (order.shipments.length === 0 && units >= 2 && this.chance(behaviour.partialRate)) {
      let budget = Math.ceil(units / 2);
      for (const r of ready) {
        r.quantity = Math.min(r.quantity, budget);
        budget -= r.quantity;
      }
    }
    const moved = new Map<string, number>();
    const lines = ready
      .filter((r) => r.quantity > 0)
      .map(({ line, quantity }) => {
        const ordered = this.stockOf(line.sku);
        const substitute = this.options.substitutes[line.sku];
        const substituteStock = substitute !== undefined && substitute !== line.sku ? this.stockOf(substitute) : undefined;
        const substitutes =
          substituteStock !== undefined && substituteStock.onHand - substituteStock.allocated >= quantity && this.chance(behaviour.substitutionRate);
        const sent = substitutes ? substituteStock : ordered;
        ordered.allocated -= quantity;
        line.allocated -= quantity;
        line.shipped += quantity;
        sent.onHand -= quantity;
        moved.set(sent.sku, (moved.get(sent.sku) ?? 0) - quantity);
        return { lineId: line.lineId, sku: line.sku, quantity, ...(substitutes ? { substitutedSku: sent.sku } : {}) };
      });
    this.seq.shipment += 1;
    const carrier = carrierFor(order.serviceLevel, this.seq.shipment);
    const shipment: Shipment = { id: `shp_${pad(this.seq.shipment)}`, ...carrier, shippedAt: this.iso(), lines };
    order.shipments.push(shipment);
    const left = order.lines.some((l) => remaining(l) > 0);
    this.emit('shipment.confirmed', {
      shipmentOrderId: order.id,
      reference: order.reference,
      orderNumber: order.orderNumber,
      shipmentId: shipment.id,
      location: this.location,
      lines,
      carrier: shipment.carrier,
      service: shipment.service,
      trackingNumber: shipment.trackingNumber,
      trackingUrl: shipment.trackingUrl,
      shippedAt: shipment.shippedAt,
      partial: left,
    });
    for (const [sku, delta] of moved) this.stockChanged(this.stockOf(sku), delta, 'shipment');
    if (order.lines.some((l) => l.allocated > 0)) this.scheduleShipment(order);
    else order.backordered = left;
  }

  /** Cancels what has not shipped: idempotent, refused once everything shipped. */
  cancel(id: string, reason: string | undefined): CancelResult {
    const order = this.orders.get(id);
    if (!order) return { kind: 'not_found' };
    if (order.cancelledAt) return { kind: 'cancelled', order: viewOf(order) };
    if (!order.lines.some((l) => remaining(l) > 0)) return { kind: 'shipped', order: viewOf(order) };
    order.cancelShipment?.();
    order.cancelShipment = null;
    const lines: { lineId: string; sku: string; cancelledQuantity: number }[] = [];
    for (const line of order.lines) {
      const cancelledQuantity = remaining(line);
      this.stockOf(line.sku).allocated -= line.allocated;
      line.allocated = 0;
      line.cancelled += cancelledQuantity;
      if (cancelledQuantity > 0) lines.push({ lineId: line.lineId, sku: line.sku, cancelledQuantity });
    }
    order.cancelledAt = this.iso();
    order.updatedAt = order.cancelledAt;
    order.backordered = false;
    const cancellation = { cancelledAt: order.cancelledAt, reason: reason ?? null, lines, partial: order.lines.some((l) => l.shipped > 0) };
    order.cancellations.push(cancellation);
    this.emit('shipment-order.cancelled', { shipmentOrderId: order.id, reference: order.reference, ...cancellation });
    this.allocateBackorders();
    return { kind: 'cancelled', order: viewOf(order) };
  }

  /**
   * Takes units off the open quantity of some lines, all or nothing: releases their allocation, so
   * only the rest ships, and emits `shipment-order.cancelled` with a `cancellationId`. When nothing
   * remains open the order is `cancelled`, or `shipped` if some units had shipped.
   */
  cancelLines(id: string, requested: readonly { lineId: string; quantity: number }[], reason: string | undefined): LineCancelResult {
    const order = this.orders.get(id);
    if (!order) return { kind: 'not_found' };
    const plan = planLineCancellation(order.lines, requested);
    if (plan.kind === 'invalid') return plan;
    if (plan.kind === 'not_open') return { ...plan, order: viewOf(order) };
    for (const { lineId, quantity } of plan.lines) {
      const line = order.lines.find((l) => l.lineId === lineId)!;
      line.cancelled += quantity;
      const release = Math.max(0, line.allocated - remaining(line));
      line.allocated -= release;
      this.stockOf(line.sku).allocated -= release;
    }
    const at = this.iso();
    const open = order.lines.some((l) => remaining(l) > 0);
    const shipped = order.lines.some((l) => l.shipped > 0);
    if (!open) {
      order.cancelShipment?.();
      order.cancelShipment = null;
      order.backordered = false;
      if (!shipped) order.cancelledAt = at;
    }
    order.updatedAt = at;
    this.seq.cancellation += 1;
    const cancellation = {
      cancellationId: `can_${pad(this.seq.cancellation)}`,
      cancelledAt: at,
      reason: reason ?? null,
      lines: plan.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, cancelledQuantity: l.quantity })),
      partial: open || shipped,
    };
    order.cancellations.push(cancellation);
    this.emit('shipment-order.cancelled', { shipmentOrderId: order.id, reference: order.reference, ...cancellation });
    this.allocateBackorders();
    return { kind: 'cancelled', order: viewOf(order) };
  }

  get(id: string): ShipmentOrder | undefined {
    const order = this.orders.get(id);
    return order ? viewOf(order) : undefined;
  }

  /**
   * Shipment orders filtered by reference and status, in creation order; with `updatedSince` (epoch
   * ms, inclusive) only those updated since then, ordered by `updatedAt` then id.
   */
  list(filter: { reference?: string; status?: ShipmentOrderStatus; updatedSince?: number }): ShipmentOrder[] {
    const records = filter.reference !== undefined ? [this.byReference.get(filter.reference)].filter((o): o is OrderRecord => o !== undefined) : [...this.orders.values()];
    const since = filter.updatedSince;
    const views = records.map((o) => viewOf(o)).filter((o) => filter.status === undefined || o.status === filter.status);
    return since === undefined ? views : views.filter((o) => Date.parse(o.updatedAt) >= since).sort(byUpdate);
  }

  /** Orders by status, shipments and stock, for `GET /_sandbox/state`. */
  snapshot() {
    const orders = [...this.orders.values()].map((o) => viewOf(o));
    const ordersByStatus: Record<string, ShipmentOrder[]> = {};
    for (const order of orders) (ordersByStatus[order.status] ??= []).push(order);
    return {
      location: this.location,
      counts: { orders: orders.length, shipments: this.seq.shipment, events: this.seq.event },
      ordersByStatus,
      shipments: orders.flatMap((o) => o.shipments.map((s) => ({ ...s, shipmentOrderId: o.id, reference: o.reference }))),
      stock: this.levels(),
    };
  }
}
