import type { ErpnextSettings } from './config.js';
import { optional, parseWire, stateOf, type DocState } from './documents.js';
import type { FrappeDoc, FrappeResources } from './resources.js';
import { decimalTextOf, frappeMoney, minorFromFrappe, quantityOf } from './values.js';
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

/** A Sales Order to create (a draft unless `submit`). */
export interface NewSalesOrder {
  /** The hub's reference (e.g. the hub order id), kept in the reference field. */
  reference: string;
  /** The Customer's document name. */
  customer: string;
  /** The ERPNext Company to book the order in (default: the connection's `company`); deliveries and invoices follow the order. */
  company?: string;
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
  /** Create it submitted (docstatus 1) in the same call: Frappe submits a document inserted with docstatus 1. Default: a draft. */
  submit?: boolean;
}

/** A Sales Order row. */
export interface SalesOrderLine {
  /** The row's name: what a Delivery Note's so_detail points to. */
  rowName: string;
  /** The row's position (1-based), as ERPNext numbers rows in its messages. */
  idx?: number;
  itemCode: string;
  qty: number;
  rate: number;
  amount: number;
  deliveredQty: number;
  billedAmount: number;
  warehouse?: string;
  uom?: string;
  conversionFactor?: number;
  deliveryDate?: string;
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
  /** The Company the order is booked in. */
  company: string;
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

/** A Delivery Note against a Sales Order (a draft unless `submit`). */
export interface NewDeliveryNote {
  reference: string;
  salesOrder: string;
  postingDate: string;
  /** Default: everything not yet delivered. */
  lines?: LineSelection[];
  /** Warehouse to ship from when the order row names none. */
  warehouse?: string;
  /** Create it submitted (docstatus 1) in the same call: Frappe submits a document inserted with docstatus 1. Default: a draft. */
  submit?: boolean;
}

/** A Delivery Note. */
export interface DeliveryNote {
  name: string;
  reference?: string;
  state: DocState;
  status: string;
  customer: string;
  company?: string;
  currency: string;
  postingDate: string;
  grandTotal: number;
  lines: { rowName: string; itemCode: string; qty: number; warehouse?: string; salesOrder?: string; soDetail?: string }[];
  modified: string;
}

/** A Sales Invoice against a Sales Order (a draft unless `submit`). */
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
  /** Create it submitted (docstatus 1) in the same call: Frappe submits a document inserted with docstatus 1. Default: a draft. */
  submit?: boolean;
}

/** A Sales Invoice row. */
export interface SalesInvoiceLine {
  rowName: string;
  itemCode: string;
  /** Negative on a credit note. */
  qty: number;
  rate: number;
  amount: number;
  salesOrder?: string;
  soDetail?: string;
  /** On a credit note: the row of the original invoice this row credits. */
  salesInvoiceItem?: string;
  warehouse?: string;
}

/** A Sales Invoice, or a credit note (`isReturn`, negative quantities and totals). */
export interface SalesInvoice extends SellingTotals {
  name: string;
  reference?: string;
  state: DocState;
  /** Draft, Unpaid, Partly Paid, Paid, Overdue, Credit Note Issued, Return, Cancelled, … */
  status: string;
  customer: string;
  company?: string;
  currency: string;
  postingDate: string;
  dueDate?: string;
  debitTo?: string;
  outstanding: number;
  /** True for a credit note (ERPNext's `is_return`). */
  isReturn: boolean;
  /** The invoice a credit note credits. */
  returnAgainst?: string;
  lines: SalesInvoiceLine[];
  /** Charges ('Actual' rows), negative on a credit note. */
  charges: Charge[];
  modified: string;
}

/** What the selling operations need: the resources, the connection's settings and its id for messages. */
export interface SellingContext {
  resources: FrappeResources;
  settings: ErpnextSettings;
  connectionId: string;
}

function referenceOf(doc: FrappeDoc, context: SellingContext): { reference?: string } {
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

/** A Sales Order document in typed form (money in minor units, exactly). */
export function salesOrderOf(doc: FrappeDoc, context: SellingContext): SalesOrder {
  const wire = parseWire(SalesOrderWire, doc, context.connectionId, 'Sales Order');
  const what = `Sales Order ${wire.name}`;
  const money = (value: unknown, field: string) => minorFromFrappe(value, wire.currency, `${what} ${field}`);
  return {
    name: wire.name,
    ...referenceOf(doc, context),
    state: stateOf(wire.docstatus),
    status: wire.status ?? '',
    customer: wire.customer,
    company: wire.company,
    currency: wire.currency,
    transactionDate: wire.transaction_date,
    ...(optional(wire.delivery_date) ? { deliveryDate: wire.delivery_date as string } : {}),
    perDelivered: decimalTextOf(wire.per_delivered ?? 0) ?? '0',
    perBilled: decimalTextOf(wire.per_billed ?? 0) ?? '0',
    ...totalsOf(wire, what),
    lines: wire.items.map((row) => ({
      rowName: row.name,
      ...(typeof row.idx === 'number' ? { idx: row.idx } : {}),
      itemCode: row.item_code,
      qty: quantityOf(row.qty),
      rate: money(row.rate, 'rate'),
      amount: money(row.amount, 'amount'),
      deliveredQty: quantityOf(row.delivered_qty),
      billedAmount: money(row.billed_amt, 'billed_amt'),
      ...(optional(row.warehouse) ? { warehouse: row.warehouse as string } : {}),
      ...(optional(row.uom) ? { uom: row.uom as string } : {}),
      ...(typeof row.conversion_factor === 'number' ? { conversionFactor: quantityOf(row.conversion_factor) } : {}),
      ...(optional(row.delivery_date) ? { deliveryDate: row.delivery_date as string } : {}),
    })),
    charges: chargesOf(wire.taxes, wire.currency, what),
    modified: wire.modified,
  };
}

/** A Delivery Note document in typed form. */
export function deliveryNoteOf(doc: FrappeDoc, context: SellingContext): DeliveryNote {
  const wire = parseWire(DeliveryNoteWire, doc, context.connectionId, 'Delivery Note');
  return {
    name: wire.name,
    ...referenceOf(doc, context),
    state: stateOf(wire.docstatus),
    status: wire.status ?? '',
    customer: wire.customer,
    ...(optional(wire.company) ? { company: wire.company as string } : {}),
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

/** A Sales Invoice (or credit note) document in typed form. */
export function salesInvoiceOf(doc: FrappeDoc, context: SellingContext): SalesInvoice {
  const wire = parseWire(SalesInvoiceWire, doc, context.connectionId, 'Sales Invoice');
  const what = `Sales Invoice ${wire.name}`;
  const money = (value: unknown, field: string) => minorFromFrappe(value, wire.currency, `${what} ${field}`);
  return {
    name: wire.name,
    ...referenceOf(doc, context),
    state: stateOf(wire.docstatus),
    status: wire.status ?? '',
    customer: wire.customer,
    ...(optional(wire.company) ? { company: wire.company as string } : {}),
    currency: wire.currency,
    postingDate: wire.posting_date,
    ...(optional(wire.due_date) ? { dueDate: wire.due_date as string } : {}),
    ...(optional(wire.debit_to) ? { debitTo: wire.debit_to as string } : {}),
    ...totalsOf(wire, what),
    outstanding: money(wire.outstanding_amount, 'outstanding_amount'),
    isReturn: wire.is_return === 1,
    ...(optional(wire.return_against) ? { returnAgainst: wire.return_against as string } : {}),
    lines: wire.items.map((row) => ({
      rowName: row.name,
      itemCode: row.item_code,
      qty: quantityOf(row.qty),
      rate: money(row.rate, 'rate'),
      amount: money(row.amount, 'amount'),
      ...(optional(row.sales_order) ? { salesOrder: row.sales_order as string } : {}),
      ...(optional(row.so_detail) ? { soDetail: row.so_detail as string } : {}),
      ...(optional(row.sales_invoice_item) ? { salesInvoiceItem: row.sales_invoice_item as string } : {}),
      ...(optional(row.warehouse) ? { warehouse: row.warehouse as string } : {}),
    })),
    charges: chargesOf(wire.taxes, wire.currency, what),
    modified: wire.modified,
  };
}

/** `docstatus: 1` when the document is to be created submitted (Frappe submits on insert), else nothing (a draft). */
export function submitOnInsert(input: { submit?: boolean }): { docstatus?: 1 } {
  return input.submit ? { docstatus: 1 } : {};
}

/** Charges as ERPNext 'Actual' tax rows (amounts written exactly). */
export function chargeRows(charges: readonly Charge[], currency: string): Record<string, unknown>[] {
  return charges.map((charge) => ({ charge_type: 'Actual', account_head: charge.account, description: charge.description, tax_amount: frappeMoney(charge.amount, currency) }));
}
