import type { z } from 'zod';
import type { NewReturn, ReceivedLine, ReturnCondition, ReturnStatus, ShipmentOrder, WarehouseReturn } from '../wire.js';
import type { Behaviour } from './behaviour.js';
import { fingerprintOf } from './idempotency.js';
import type { Scheduler } from './scheduler.js';
import type { WarehouseState } from './state.js';

type FieldError = { pointer: string; detail: string };

interface ReturnRecord {
  id: string;
  reference: string;
  shipmentOrderId: string;
  shipmentOrderReference: string;
  status: ReturnStatus;
  lines: { lineId: string; sku: string; quantity: number; reason: string | null }[];
  notes: string | null;
  receivedAt: string | null;
  receivedLines: ReceivedLine[];
  createdAt: string;
  updatedAt: string;
  /** The normalised create body, to tell an identical repeat from a conflicting one. */
  fingerprint: string;
  /** Cancels the receipt waiting for its delay, when one is. */
  cancelReceipt: (() => void) | null;
}

/** What arrived of one return line in a forced receipt (`POST /_sandbox/returns/{id}/receive`). */
export interface ReceiptSpec {
  lineId: string;
  /** Units received in this condition (default: the authorised quantity). */
  quantity?: number | undefined;
  condition?: ReturnCondition | undefined;
}

/** The result of a return create. */
export type CreateReturnResult =
  | { kind: 'created' | 'identical'; value: WarehouseReturn }
  | { kind: 'conflict'; existingId: string }
  | { kind: 'invalid'; errors: FieldError[] };

/** The result of a receipt. */
export type ReceiveResult =
  | { kind: 'received'; value: WarehouseReturn }
  | { kind: 'not_found' }
  | { kind: 'not_authorized'; value: WarehouseReturn }
  | { kind: 'invalid'; errors: FieldError[] };

/** What the returns need from the emulator. */
export interface ReturnsOptions {
  warehouse: WarehouseState;
  now: () => number;
  behaviour: () => Behaviour;
  /** Receipts waiting for `returnDelayMs` (apart from shipments, so each can be counted). */
  scheduler: Scheduler;
}

const pad = (n: number) => String(n).padStart(6, '0');

/**
 * Checks a return against the shipment order it comes from (pure): every line must be on the order,
 * with its SKU or a SKU shipped in its place, for no more units than shipped and not already on
 * another return.
 */
export function checkReturn(input: z.output<typeof NewReturn>, order: ShipmentOrder | undefined, otherReturns: readonly WarehouseReturn[]): FieldError[] {
  if (!order) return [{ pointer: '/shipmentOrderReference', detail: `no shipment order has reference ${input.shipmentOrderReference}` }];
  const errors: FieldError[] = [];
  for (const [index, line] of input.lines.entries()) {
    const ordered = order.lines.find((l) => l.lineId === line.lineId);
    if (!ordered) {
      errors.push({ pointer: `/lines/${index}/lineId`, detail: `shipment order ${order.reference} has no line ${line.lineId}` });
      continue;
    }
    const shippedSkus = new Set([ordered.sku, ...order.shipments.flatMap((s) => s.lines.filter((l) => l.lineId === line.lineId && l.substitutedSku).map((l) => l.substitutedSku!))]);
    if (!shippedSkus.has(line.sku)) errors.push({ pointer: `/lines/${index}/sku`, detail: `line ${line.lineId} shipped ${[...shippedSkus].join(' or ')}, not ${line.sku}` });
    const onOtherReturns = otherReturns
      .filter((r) => r.status !== 'closed')
      .flatMap((r) => r.lines)
      .filter((l) => l.lineId === line.lineId)
      .reduce((sum, l) => sum + l.quantity, 0);
    const returnable = ordered.shippedQuantity - onOtherReturns;
    if (line.quantity > returnable) {
      errors.push({
        pointer: `/lines/${index}/quantity`,
        detail: `line ${line.lineId} has ${returnable} returnable unit${returnable === 1 ? '' : 's'} (${ordered.shippedQuantity} shipped, ${onOtherReturns} on other returns)`,
      });
    }
  }
  return errors;
}

/** What a receipt takes in: the lines as specified (default: everything authorised, sellable), or errors. */
export function receiptLines(record: Pick<ReturnRecord, 'lines'>, specs: readonly ReceiptSpec[] | undefined, condition: ReturnCondition = 'sellable'): ReceivedLine[] | FieldError[] {
  if (specs === undefined) return record.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, condition }));
  const errors: FieldError[] = [];
  const received = new Map<string, number>();
  const lines: ReceivedLine[] = [];
  for (const [index, spec] of specs.entries()) {
    const line = record.lines.find((l) => l.lineId === spec.lineId);
    if (!line) {
      errors.push({ pointer: `/lines/${index}/lineId`, detail: `the return has no line ${spec.lineId}` });
      continue;
    }
    const quantity = spec.quantity ?? line.quantity;
    const total = (received.get(line.lineId) ?? 0) + quantity;
    received.set(line.lineId, total);
    if (total > line.quantity) errors.push({ pointer: `/lines/${index}/quantity`, detail: `line ${line.lineId} authorises ${line.quantity} units, not ${total}` });
    lines.push({ lineId: line.lineId, sku: line.sku, quantity, condition: spec.condition ?? condition });
  }
  return errors.length > 0 ? errors : lines;
}

const isErrors = (value: ReceivedLine[] | FieldError[]): value is FieldError[] => value.some((v) => 'pointer' in v);

/**
 * Returns (RMAs) of the emulated warehouse: authorised against a shipped order, received after
 * `returnDelayMs` (or at once through the sandbox), when sellable units go back to stock and
 * `return.received` is sent.
 */
export class WarehouseReturns {
  private readonly returns = new Map<string, ReturnRecord>();
  private readonly byReference = new Map<string, ReturnRecord>();
  private seq = 0;

  constructor(private readonly options: ReturnsOptions) {}

  private iso(): string {
    return new Date(this.options.now()).toISOString();
  }

  /** Authorises a return, or finds the one with this reference (identical or conflicting). */
  create(input: z.output<typeof NewReturn>): CreateReturnResult {
    const fingerprint = fingerprintOf(input);
    const known = this.byReference.get(input.reference);
    if (known) return known.fingerprint === fingerprint ? { kind: 'identical', value: viewOf(known) } : { kind: 'conflict', existingId: known.id };
    const order = this.options.warehouse.list({ reference: input.shipmentOrderReference })[0];
    const others = [...this.returns.values()].filter((r) => r.shipmentOrderReference === input.shipmentOrderReference).map(viewOf);
    const errors = checkReturn(input, order, others);
    if (errors.length > 0 || !order) return { kind: 'invalid', errors };
    this.seq += 1;
    const at = this.iso();
    const record: ReturnRecord = {
      id: `rma_${pad(this.seq)}`,
      reference: input.reference,
      shipmentOrderId: order.id,
      shipmentOrderReference: input.shipmentOrderReference,
      status: 'authorized',
      lines: input.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, reason: l.reason ?? null })),
      notes: input.notes ?? null,
      receivedAt: null,
      receivedLines: [],
      createdAt: at,
      updatedAt: at,
      fingerprint,
      cancelReceipt: null,
    };
    this.returns.set(record.id, record);
    this.byReference.set(record.reference, record);
    record.cancelReceipt = this.options.scheduler.after(this.options.behaviour().returnDelayMs, () => {
      record.cancelReceipt = null;
      this.receive(record.id);
    });
    return { kind: 'created', value: viewOf(record) };
  }

  /**
   * Receives an authorised return now: what arrived (everything, sellable, unless `specs` says),
   * `return.received`, then sellable units back on hand (`stock.adjusted`, reason `receipt`).
   */
  receive(id: string, specs?: readonly ReceiptSpec[], condition?: ReturnCondition): ReceiveResult {
    const record = this.returns.get(id);
    if (!record) return { kind: 'not_found' };
    if (record.status !== 'authorized') return { kind: 'not_authorized', value: viewOf(record) };
    const lines = receiptLines(record, specs, condition);
    if (isErrors(lines)) return { kind: 'invalid', errors: lines };
    record.cancelReceipt?.();
    record.cancelReceipt = null;
    record.status = 'received';
    record.receivedAt = this.iso();
    record.updatedAt = record.receivedAt;
    record.receivedLines = lines;
    const { warehouse } = this.options;
    warehouse.emit('return.received', {
      return: {
        id: record.id,
        reference: record.reference,
        shipmentOrderReference: record.shipmentOrderReference,
        location: warehouse.location,
        receivedAt: record.receivedAt,
        lines,
      },
    });
    const sellable = new Map<string, number>();
    for (const line of lines) if (line.condition === 'sellable') sellable.set(line.sku, (sellable.get(line.sku) ?? 0) + line.quantity);
    warehouse.restock([...sellable].map(([sku, quantity]) => ({ sku, quantity })));
    return { kind: 'received', value: viewOf(record) };
  }

  /** One return as the API shows it. */
  get(id: string): WarehouseReturn | undefined {
    const record = this.returns.get(id);
    return record ? viewOf(record) : undefined;
  }

  /** Returns in creation order, filtered by reference and status. */
  list(filter: { reference?: string; status?: ReturnStatus }): WarehouseReturn[] {
    const records = filter.reference !== undefined ? [this.byReference.get(filter.reference)].filter((r): r is ReturnRecord => r !== undefined) : [...this.returns.values()];
    return records.map(viewOf).filter((r) => filter.status === undefined || r.status === filter.status);
  }

  /** Returns by status, for `GET /_sandbox/state`. */
  snapshot(): Record<string, WarehouseReturn[]> {
    const byStatus: Record<string, WarehouseReturn[]> = {};
    for (const record of this.returns.values()) (byStatus[record.status] ??= []).push(viewOf(record));
    return byStatus;
  }
}

function viewOf(record: ReturnRecord): WarehouseReturn {
  return {
    id: record.id,
    reference: record.reference,
    shipmentOrderId: record.shipmentOrderId,
    shipmentOrderReference: record.shipmentOrderReference,
    status: record.status,
    lines: record.lines.map((l) => ({ ...l })),
    notes: record.notes,
    receivedAt: record.receivedAt,
    receivedLines: record.receivedLines.map((l) => ({ ...l })),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
