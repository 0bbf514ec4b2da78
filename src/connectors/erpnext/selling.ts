import { permanentError } from '../../model/index.js';
import { submittableOps, type Ensured, type SubmittableOps } from './documents.js';
import { creditNoteOp, type NewCreditNote } from './credit-notes.js';
import { updateItemsOp, type RowQuantity } from './order-updates.js';
import {
  chargeRows,
  deliveryNoteOf,
  salesInvoiceOf,
  salesOrderOf,
  type DeliveryNote,
  type LineSelection,
  type NewDeliveryNote,
  type NewSalesInvoice,
  type NewSalesOrder,
  type SalesInvoice,
  type SalesOrder,
  type SalesOrderLine,
  type SellingContext,
  submitOnInsert,
} from './selling-docs.js';
import { frappeDate, frappeMoney } from './values.js';

export type {
  Charge,
  DeliveryNote,
  LineSelection,
  NewDeliveryNote,
  NewSalesInvoice,
  NewSalesOrder,
  OrderLine,
  SalesInvoice,
  SalesInvoiceLine,
  SalesOrder,
  SalesOrderLine,
  SellingTotals,
} from './selling-docs.js';

/** Sales Orders (OrderSink). */
export interface SalesOrderOps extends SubmittableOps<SalesOrder> {
  /** Finds the order by reference, creating it (a draft, or submitted with `submit`) only when absent. */
  ensure(input: NewSalesOrder, signal?: AbortSignal): Promise<Ensured<SalesOrder>>;
  /**
   * Lowers quantities of a submitted order's rows (partial cancellation; qty 0 removes a row) with
   * ERPNext's update_child_qty_rate; rows not named keep theirs. Idempotent: absolute quantities.
   */
  updateItems(name: string, rows: RowQuantity[], signal?: AbortSignal): Promise<SalesOrder>;
}

/** Delivery Notes (FulfillmentSink). */
export interface DeliveryNoteOps extends SubmittableOps<DeliveryNote> {
  ensure(input: NewDeliveryNote, signal?: AbortSignal): Promise<Ensured<DeliveryNote>>;
}

/** Sales Invoices, and credit notes against them. */
export interface SalesInvoiceOps extends SubmittableOps<SalesInvoice> {
  ensure(input: NewSalesInvoice, signal?: AbortSignal): Promise<Ensured<SalesInvoice>>;
  /** Creates (once per reference) a credit note, a draft unless `submit`: a return Sales Invoice against a submitted one, never crediting more than was billed. */
  ensureCreditNote(input: NewCreditNote, signal?: AbortSignal): Promise<Ensured<SalesInvoice>>;
}

/**
 * Spreads the selected quantities over the order's rows (by row name, else the item's rows with
 * quantity still open); an item that is not on the order is a permanent error. Quantity beyond
 * what is open is left on the last row for ERPNext to refuse with its own message.
 */
export function allocateLines(order: SalesOrder, selection: readonly LineSelection[] | undefined, open: (line: SalesOrderLine) => number): { line: SalesOrderLine; qty: number }[] {
  if (!selection) return order.lines.filter((line) => open(line) > 0).map((line) => ({ line, qty: open(line) }));
  const taken = new Map<string, number>();
  const out: { line: SalesOrderLine; qty: number }[] = [];
  for (const wanted of selection) {
    const rows = order.lines.filter((line) => (wanted.rowName ? line.rowName === wanted.rowName : line.itemCode === wanted.itemCode));
    if (rows.length === 0) throw permanentError('erpnext_line_not_on_order', `${wanted.itemCode}${wanted.rowName ? ` (row ${wanted.rowName})` : ''} is not on Sales Order ${order.name}`, 422);
    let remaining = wanted.qty;
    rows.forEach((line, index) => {
      const free = Math.max(0, open(line) - (taken.get(line.rowName) ?? 0));
      const qty = index === rows.length - 1 ? remaining : Math.min(free, remaining);
      if (qty <= 0) return;
      taken.set(line.rowName, (taken.get(line.rowName) ?? 0) + qty);
      out.push({ line, qty });
      remaining -= qty;
    });
  }
  return out;
}

/** Sales Order, Delivery Note and Sales Invoice operations. */
export function createSellingOps(context: SellingContext): { salesOrders: SalesOrderOps; deliveryNotes: DeliveryNoteOps; salesInvoices: SalesInvoiceOps } {
  const { resources, settings } = context;
  const orders = submittableOps(resources, 'Sales Order', (doc) => salesOrderOf(doc, context));
  const deliveries = submittableOps(resources, 'Delivery Note', (doc) => deliveryNoteOf(doc, context));
  const invoices = submittableOps(resources, 'Sales Invoice', (doc) => salesInvoiceOf(doc, context));
  // The configured default warehouse belongs to the configured company: another company's orders use ERPNext's own defaults.
  const defaultWarehouseFor = (company: string) => (company === settings.company ? settings.defaultWarehouse : undefined);

  return {
    salesOrders: {
      ...orders,
      updateItems: updateItemsOp(context, orders),
      async ensure(input, signal) {
        const company = input.company ?? settings.company;
        const warehouse = input.warehouse ?? defaultWarehouseFor(company);
        const result = await resources.ensureDoc(
          'Sales Order',
          input.reference,
          () => ({
            customer: input.customer,
            company,
            transaction_date: frappeDate(input.transactionDate),
            delivery_date: frappeDate(input.deliveryDate),
            currency: input.currency,
            selling_price_list: settings.priceList,
            disable_rounded_total: 1,
            apply_discount_on: 'Net Total',
            discount_amount: frappeMoney(input.discount ?? 0, input.currency),
            ...(warehouse ? { set_warehouse: warehouse } : {}),
            ...(input.poNo ? { po_no: input.poNo } : {}),
            items: input.lines.map((line) => ({
              item_code: line.itemCode,
              qty: line.qty,
              rate: frappeMoney(line.rate, input.currency),
              ...(line.warehouse ?? warehouse ? { warehouse: line.warehouse ?? warehouse } : {}),
              ...(line.deliveryDate ? { delivery_date: frappeDate(line.deliveryDate) } : {}),
            })),
            taxes: chargeRows(input.charges ?? [], input.currency),
            ...submitOnInsert(input),
          }),
          signal,
        );
        return { doc: salesOrderOf(result.doc, context), outcome: result.outcome };
      },
    },

    deliveryNotes: {
      ...deliveries,
      async ensure(input, signal) {
        const result = await resources.ensureDoc(
          'Delivery Note',
          input.reference,
          async () => {
            const order = await orders.get(input.salesOrder, signal);
            const rows = allocateLines(order, input.lines, (line) => line.qty - line.deliveredQty);
            if (rows.length === 0) throw permanentError('erpnext_nothing_to_deliver', `Sales Order ${order.name} has nothing left to deliver`, 422);
            const warehouse = input.warehouse ?? defaultWarehouseFor(order.company);
            return {
              customer: order.customer,
              company: order.company,
              posting_date: frappeDate(input.postingDate),
              currency: order.currency,
              selling_price_list: settings.priceList,
              disable_rounded_total: 1,
              items: rows.map(({ line, qty }) => ({
                item_code: line.itemCode,
                qty,
                rate: frappeMoney(line.rate, order.currency),
                ...(line.warehouse ?? warehouse ? { warehouse: line.warehouse ?? warehouse } : {}),
                against_sales_order: order.name,
                so_detail: line.rowName,
              })),
              ...submitOnInsert(input),
            };
          },
          signal,
        );
        return { doc: deliveryNoteOf(result.doc, context), outcome: result.outcome };
      },
    },

    salesInvoices: {
      ...invoices,
      ensureCreditNote: creditNoteOp(context, invoices),
      async ensure(input, signal) {
        const result = await resources.ensureDoc(
          'Sales Invoice',
          input.reference,
          async () => {
            const order = await orders.get(input.salesOrder, signal);
            const openQty = (line: SalesOrderLine) => (line.rate > 0 ? Math.floor((line.amount - line.billedAmount) / line.rate) : line.billedAmount === 0 ? line.qty : 0);
            const rows = allocateLines(order, input.lines, openQty);
            if (rows.length === 0) throw permanentError('erpnext_nothing_to_bill', `Sales Order ${order.name} has nothing left to bill`, 422);
            const whole = order.lines.every((line) => line.billedAmount === 0 && rows.filter((r) => r.line.rowName === line.rowName).reduce((sum, r) => sum + r.qty, 0) === line.qty);
            const charges = input.charges ?? (whole ? order.charges : []);
            const discount = input.discount ?? (whole ? order.discount : 0);
            return {
              customer: order.customer,
              company: order.company,
              posting_date: frappeDate(input.postingDate),
              due_date: frappeDate(input.dueDate ?? input.postingDate),
              currency: order.currency,
              selling_price_list: settings.priceList,
              disable_rounded_total: 1,
              apply_discount_on: 'Net Total',
              discount_amount: frappeMoney(discount, order.currency),
              items: rows.map(({ line, qty }) => ({
                item_code: line.itemCode,
                qty,
                rate: frappeMoney(line.rate, order.currency),
                sales_order: order.name,
                so_detail: line.rowName,
                ...(line.warehouse ? { warehouse: line.warehouse } : {}),
              })),
              taxes: chargeRows(charges, order.currency),
              ...submitOnInsert(input),
            };
          },
          signal,
        );
        return { doc: salesInvoiceOf(result.doc, context), outcome: result.outcome };
      },
    },
  };
}
