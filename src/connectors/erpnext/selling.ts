import { permanentError } from '../../model/index.js';
import type { ErpnextSettings } from './config.js';
import { optional, parseWire, stateOf, submittableOps, type DocState, type Ensured, type SubmittableOps } from './documents.js';
import type { FrappeDoc, FrappeResources } from './resources.js';
import { decimalTextOf, frappeDate, frappeMoney, minorFromFrappe, quantityOf } from './values.js';
import { DeliveryNoteWire, SalesInvoiceWire, SalesOrderWire } from './wire.js';

/** One order line: quantity and unit rate (minor units of the order's currency). */
export interface OrderLine {
  itemCode: string;
  qty: number;
  rate: number;
  warehouse?: string;
  deliveryDate?: string;
}

/** A charge of a fixed amount (ERPNext's 'Actual' charge type): tax or shipping, in minor units. */
export interface Charge {
  account: string;
  description: string;
  amount: number;
}

/** A Sales Order to create (draft). */
export interface NewSalesOrder {
  /** The hub's reference (e.g. the hub order id), kept in the reference field. */
  reference: string;
  /** The Customer's document name. */
  customer: string;
  currency: string;
  transactionDate: string;
  deliveryDate: string;
  lines: OrderLine[];
  charges?: Charge[];
  /** Order-level discount in minor units, applied on the net total. */
  discount?: number;
  /** Shown as the customer's purchase order number (e.g. the channel's order number). */
  poNo?: string;
  warehouse?: string;
}

/** A Sales Order row. */
export interface SalesOrderLine {
  /** The row's name: what a Delivery Note's so_detail points to. */
  rowName: string;
  itemCode: string;
  qty: number;
  rate: number;
  amount: number;
  deliveredQty: number;
  billedAmount: number;
  warehouse?: string;
}

/** Totals of a selling document, in minor units. */
export interface SellingTotals {
  total: number;
  discount: number;
  netTotal: number;
  chargesTotal: number;
  grandTotal: number;
}

/** A Sales Order. */
export interface SalesOrder extends SellingTotals {
  name: string;
  reference?: string;
  state: DocState;
  /** Draft, To Deliver and Bill, To Bill, To Deliver, Completed, Cancelled, … */
  status: string;
  customer: string;
  currency: string;
  transactionDate: string;
  deliveryDate?: string;
  /** Percentages as decimal strings ("50", "33.33"). */
  perDelivered: string;
  perBilled: string;
  lines: SalesOrderLine[];
  charges: Charge[];
  modified: string;
}

/** Which order rows to deliver or bill: by item (spread over its open rows) or by row name. */
export interface LineSelection {
  itemCode: string;
  qty: number;
  rowName?: string;
}

/** A Delivery Note against a Sales Order (draft). */
export interface NewDeliveryNote {
  reference: string;
  salesOrder: string;
  postingDate: string;
  /** Default: everything not yet delivered. */
  lines?: LineSelection[];
  /** Warehouse to ship from when the order row names none. */
  warehouse?: string;
}

/** A Delivery Note. */
export interface DeliveryNote {
  name: string;
  reference?: string;
  state: DocState;
  status: string;
  customer: string;
  currency: string;
  postingDate: string;
  grandTotal: number;
  lines: { rowName: string; itemCode: string; qty: number; warehouse?: string; salesOrder?: string; soDetail?: string }[];
  modified: string;
}

/** A Sales Invoice against a Sales Order (draft). */
export interface NewSalesInvoice {
  reference: string;
  salesOrder: string;
  postingDate: string;
  /** Default: the posting date. */
  dueDate?: string;
  /** Default: everything not yet billed. */
  lines?: LineSelection[];
  /** Default: the order's charges and discount when the invoice bills the whole order, else none. */
  charges?: Charge[];
  discount?: number;
}

/** A Sales Invoice. */
export interface SalesInvoice extends SellingTotals {
  name: string;
  reference?: string;
  state: DocState;
  /** Draft, Unpaid, Partly Paid, Paid, Overdue, Cancelled, … */
  status: string;
  customer: string;
  currency: string;
  postingDate: string;
  dueDate?: string;
  debitTo?: string;
  outstanding: number;
  lines: { rowName: string; itemCode: string; qty: number; rate: number; amount: number; salesOrder?: string; soDetail?: string }[];
  modified: string;
}

/** Sales Orders (OrderSink). */
export interface SalesOrderOps extends SubmittableOps<SalesOrder> {
  /** Finds the order by reference, creating the draft only when absent. */
  ensure(input: NewSalesOrder, signal?: AbortSignal): Promise<Ensured<SalesOrder>>;
}

/** Delivery Notes (FulfillmentSink). */
export interface DeliveryNoteOps extends SubmittableOps<DeliveryNote> {
  ensure(input: NewDeliveryNote, signal?: AbortSignal): Promise<Ensured<DeliveryNote>>;
}

/** Sales Invoices. */
export interface SalesInvoiceOps extends SubmittableOps<SalesInvoice> {
  ensure(input: NewSalesInvoice, signal?: AbortSignal): Promise<Ensured<SalesInvoice>>;
}

interface Context {
  resources: FrappeResources;
  settings: ErpnextSettings;
  connectionId: string;
}

function referenceOf(doc: FrappeDoc, context: Context): { reference?: string } {
  const value = doc[context.settings.referenceField];
  return typeof value === 'string' && value ? { reference: value } : {};
}

function totalsOf(wire: { currency: string; total?: number | null; net_total?: number | null; total_taxes_and_charges?: number | null; discount_amount?: number | null; grand_total?: number | null }, what: string): SellingTotals {
  const money = (value: unknown, field: string) => minorFromFrappe(value, wire.currency, `${what} ${field}`);
  return {
    total: money(wire.total, 'total'),
    discount: money(wire.discount_amount, 'discount_amount'),
    netTotal: money(wire.net_total, 'net_total'),
    chargesTotal: money(wire.total_taxes_and_charges, 'total_taxes_and_charges'),
    grandTotal: money(wire.grand_total, 'grand_total'),
  };
}

function chargesOf(rows: { charge_type: string; account_head: string; description?: string | null; tax_amount?: number | null }[] | null | undefined, currency: string, what: string): Charge[] {
  return (rows ?? []).map((row) => ({ account: row.account_head, description: row.description ?? '', amount: minorFromFrappe(row.tax_amount, currency, `${what} tax_amount`) }));
}

function salesOrderOf(doc: FrappeDoc, context: Context): SalesOrder {
  const wire = parseWire(SalesOrderWire, doc, context.connectionId, 'Sales Order');
  const what = `Sales Order ${wire.name}`;
  const money = (value: unknown, field: string) => minorFromFrappe(value, wire.currency, `${what} ${field}`);
  return {
    name: wire.name,
    ...referenceOf(doc, context),
    state: stateOf(wire.docstatus),
    status: wire.status ?? '',
    customer: wire.customer,
    currency: wire.currency,
    transactionDate: wire.transaction_date,
    ...(optional(wire.delivery_date) ? { deliveryDate: wire.delivery_date as string } : {}),
    perDelivered: decimalTextOf(wire.per_delivered ?? 0) ?? '0',
    perBilled: decimalTextOf(wire.per_billed ?? 0) ?? '0',
    ...totalsOf(wire, what),
    lines: wire.items.map((row) => ({
      rowName: row.name,
      itemCode: row.item_code,
      qty: quantityOf(row.qty),
      rate: money(row.rate, 'rate'),
      amount: money(row.amount, 'amount'),
      deliveredQty: quantityOf(row.delivered_qty),
      billedAmount: money(row.billed_amt, 'billed_amt'),
      ...(optional(row.warehouse) ? { warehouse: row.warehouse as string } : {}),
    })),
    charges: chargesOf(wire.taxes, wire.currency, what),
    modified: wire.modified,
  };
}

function deliveryNoteOf(doc: FrappeDoc, context: Context): DeliveryNote {
  const wire = parseWire(DeliveryNoteWire, doc, context.connectionId, 'Delivery Note');
  return {
    name: wire.name,
    ...referenceOf(doc, context),
    state: stateOf(wire.docstatus),
    status: wire.status ?? '',
    customer: wire.customer,
    currency: wire.currency,
    postingDate: wire.posting_date,
    grandTotal: minorFromFrappe(wire.grand_total, wire.currency, `Delivery Note ${wire.name} grand_total`),
    lines: wire.items.map((row) => ({
      rowName: row.name,
      itemCode: row.item_code,
      qty: quantityOf(row.qty),
      ...(optional(row.warehouse) ? { warehouse: row.warehouse as string } : {}),
      ...(optional(row.against_sales_order) ? { salesOrder: row.against_sales_order as string } : {}),
      ...(optional(row.so_detail) ? { soDetail: row.so_detail as string } : {}),
    })),
    modified: wire.modified,
  };
}

function salesInvoiceOf(doc: FrappeDoc, context: Context): SalesInvoice {
  const wire = parseWire(SalesInvoiceWire, doc, context.connectionId, 'Sales Invoice');
  const what = `Sales Invoice ${wire.name}`;
  const money = (value: unknown, field: string) => minorFromFrappe(value, wire.currency, `${what} ${field}`);
  return {
    name: wire.name,
    ...referenceOf(doc, context),
    state: stateOf(wire.docstatus),
    status: wire.status ?? '',
    customer: wire.customer,
    currency: wire.currency,
    postingDate: wire.posting_date,
    ...(optional(wire.due_date) ? { dueDate: wire.due_date as string } : {}),
    ...(optional(wire.debit_to) ? { debitTo: wire.debit_to as string } : {}),
    ...totalsOf(wire, what),
    outstanding: money(wire.outstanding_amount, 'outstanding_amount'),
    lines: wire.items.map((row) => ({
      rowName: row.name,
      itemCode: row.item_code,
      qty: quantityOf(row.qty),
      rate: money(row.rate, 'rate'),
      amount: money(row.amount, 'amount'),
      ...(optional(row.sales_order) ? { salesOrder: row.sales_order as string } : {}),
      ...(optional(row.so_detail) ? { soDetail: row.so_detail as string } : {}),
    })),
    modified: wire.modified,
  };
}

function chargeRows(charges: readonly Charge[], currency: string): Record<string, unknown>[] {
  return charges.map((charge) => ({ charge_type: 'Actual', account_head: charge.account, description: charge.description, tax_amount: frappeMoney(charge.amount, currency) }));
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
export function createSellingOps(context: Context): { salesOrders: SalesOrderOps; deliveryNotes: DeliveryNoteOps; salesInvoices: SalesInvoiceOps } {
  const { resources, settings } = context;
  const orders = submittableOps(resources, 'Sales Order', (doc) => salesOrderOf(doc, context));
  const deliveries = submittableOps(resources, 'Delivery Note', (doc) => deliveryNoteOf(doc, context));
  const invoices = submittableOps(resources, 'Sales Invoice', (doc) => salesInvoiceOf(doc, context));

  return {
    salesOrders: {
      ...orders,
      async ensure(input, signal) {
        const warehouse = input.warehouse ?? settings.defaultWarehouse;
        const result = await resources.ensureDoc(
          'Sales Order',
          input.reference,
          () => ({
            customer: input.customer,
            company: settings.company,
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
            return {
              customer: order.customer,
              company: settings.company,
              posting_date: frappeDate(input.postingDate),
              currency: order.currency,
              selling_price_list: settings.priceList,
              disable_rounded_total: 1,
              items: rows.map(({ line, qty }) => ({
                item_code: line.itemCode,
                qty,
                rate: frappeMoney(line.rate, order.currency),
                ...(line.warehouse ?? input.warehouse ?? settings.defaultWarehouse ? { warehouse: line.warehouse ?? input.warehouse ?? settings.defaultWarehouse } : {}),
                against_sales_order: order.name,
                so_detail: line.rowName,
              })),
            };
          },
          signal,
        );
        return { doc: deliveryNoteOf(result.doc, context), outcome: result.outcome };
      },
    },

    salesInvoices: {
      ...invoices,
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
              company: settings.company,
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
            };
          },
          signal,
        );
        return { doc: salesInvoiceOf(result.doc, context), outcome: result.outcome };
      },
    },
  };
}
