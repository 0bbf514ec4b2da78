import { allocate, type Order } from '../../model/index.js';
import { revenueAccount, taxAccount } from './accounts.js';
import type { PostingConfig } from './config.js';
import { buildEntry, utcDate, type EventTrace, type Posting, type PostingEntry } from './entry.js';

/** A tax amount by its title or jurisdiction. */
export interface TaxShare {
  name: string;
  amount: number;
}

/** What one order line contributes to the sale. */
export interface SaleLineShare {
  lineId: string;
  /** quantity × unitPrice. */
  gross: number;
  /** The line's own discount plus its largest-remainder share of the order-level discount. */
  discount: number;
  /** The part of `discount` that came from the order-level discount. */
  allocatedDiscount: number;
  taxes: TaxShare[];
  /** Revenue after discount and net of tax: gross − discount − (taxes when prices include them). */
  net: number;
}

/** What one shipping charge contributes to the sale. */
export interface ShippingShare {
  method: string;
  price: number;
  discount: number;
  taxes: TaxShare[];
  /** Shipping income after discount and net of tax. */
  net: number;
}

/** An order split into the amounts the sale entry posts. */
export interface SaleBreakdown {
  currency: string;
  channel: string;
  taxesIncluded: boolean;
  lines: SaleLineShare[];
  shipping: ShippingShare[];
  /** totals.discount not already on a line or shipping charge, spread over the lines by largest remainder. */
  orderDiscount: number;
  /** What the customer owes: the order's total. */
  receivable: number;
}

function taxTotal(taxes: readonly TaxShare[]): number {
  return taxes.reduce((sum, t) => sum + t.amount, 0);
}

/** Splits an order into per-line and per-shipping amounts, spreading any order-level discount over the lines in proportion to their discounted price. */
export function saleBreakdown(order: Order): SaleBreakdown {
  const ownDiscounts = order.lines.reduce((sum, l) => sum + l.discount, 0) + order.shipping.reduce((sum, s) => sum + s.discount, 0);
  const orderDiscount = Math.max(0, order.totals.discount - ownDiscounts);
  const weights = order.lines.map((l) => Math.max(0, l.quantity * l.unitPrice - l.discount));
  const shares = allocate(orderDiscount, weights);
  const lines = order.lines.map((line, index): SaleLineShare => {
    const gross = line.quantity * line.unitPrice;
    const allocatedDiscount = shares[index] ?? 0;
    const discount = line.discount + allocatedDiscount;
    const taxes = line.taxes.map((t) => ({ name: t.name, amount: t.amount }));
    return { lineId: line.lineId, gross, discount, allocatedDiscount, taxes, net: gross - discount - (order.taxesIncluded ? taxTotal(taxes) : 0) };
  });
  const shipping = order.shipping.map((charge): ShippingShare => {
    const taxes = charge.taxes.map((t) => ({ name: t.name, amount: t.amount }));
    return { method: charge.method, price: charge.price, discount: charge.discount, taxes, net: charge.price - charge.discount - (order.taxesIncluded ? taxTotal(taxes) : 0) };
  });
  return { currency: order.currency, channel: order.source, taxesIncluded: order.taxesIncluded, lines, shipping, orderDiscount, receivable: order.totals.total };
}

/** An order accepted or invoiced: the customer owes its total. */
export interface SaleEvent {
  order: Order;
  /** The hub's order id, recorded on the entry. */
  orderId?: string;
}

/** The key of an order's sale entry (one per order). */
export function saleKey(order: Pick<Order, 'source' | 'externalId'>): string {
  return `sale:${order.source}:${order.externalId}`;
}

/** The sale entry: receivable against revenue by channel, tax payable by jurisdiction, shipping income and discounts (contra revenue); any difference to the declared total goes to rounding. */
export function postSale(event: SaleEvent, trace: EventTrace, config: PostingConfig): PostingEntry | null {
  const { order } = event;
  const { accounts } = config;
  const sale = saleBreakdown(order);
  const currency = order.currency;
  const postings: Posting[] = [{ account: accounts.receivables, amount: sale.receivable, currency }];
  const revenue = revenueAccount(accounts, order.source);
  const taxes = (list: readonly TaxShare[]): void => {
    for (const t of list) postings.push({ account: taxAccount(accounts, t.name), amount: -t.amount, currency });
  };
  for (const line of sale.lines) {
    postings.push({ account: revenue, amount: -(line.net + line.discount), currency });
    postings.push({ account: accounts.discounts, amount: line.discount, currency });
    taxes(line.taxes);
  }
  for (const charge of sale.shipping) {
    postings.push({ account: accounts.shippingIncome, amount: -(charge.net + charge.discount), currency });
    postings.push({ account: accounts.discounts, amount: charge.discount, currency });
    taxes(charge.taxes);
  }
  const name = order.number ?? order.externalId;
  return buildEntry(
    { key: saleKey(order), kind: 'sale', date: utcDate(order.placedAt), memo: `Sale: order ${name} (${order.source})`, orderId: event.orderId },
    postings,
    trace,
    config,
  );
}
