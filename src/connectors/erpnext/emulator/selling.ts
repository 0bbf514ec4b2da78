import { currencyExponent, isCurrencyCode } from '../../../model/index.js';
import { decOf as decFromUnits, divDec, mulDec, percentDec, pyFloat, roundDec, sumDec, type Dec } from './decimal.js';
import { bold, frappeThrow } from './errors.js';
import { applyReturnToInvoice, invoiceStatus, openingOutstanding } from './invoices.js';
import { validateReturn } from './returns.js';
import { adjustBin, checkNegativeStock, defaultWarehouse, isStockItem } from './stock.js';
import type { DocTypeHooks, DocumentStore } from './store.js';
import { decOf, rowsOf, textOf, type Doc } from './values.js';

const HUNDRED = decFromUnits(100);

function placesOf(currency: string): number {
  return isCurrencyCode(currency) ? currencyExponent(currency) : 2;
}

/** Customer name, currency and price list of a selling document, as ERPNext fills them. */
function fillHeader(doc: Doc, store: DocumentStore): void {
  const customer = store.get('Customer', textOf(doc, 'customer'));
  if (customer) doc['customer_name'] = textOf(customer, 'customer_name');
  const company = store.get('Company', textOf(doc, 'company'));
  if (!textOf(doc, 'currency')) doc['currency'] = (customer && textOf(customer, 'default_currency')) || (company ? textOf(company, 'default_currency') : undefined);
  if (!textOf(doc, 'selling_price_list')) doc['selling_price_list'] = store.all('Price List').find((p) => p['selling'] === 1 && p['enabled'] === 1)?.name;
}

/** Item details of a row: name, UOMs, warehouse and (when no rate was given) the price list rate. */
function fillItems(doc: Doc, store: DocumentStore): void {
  for (const row of rowsOf(doc, 'items')) {
    const code = textOf(row, 'item_code');
    const item = store.get('Item', code);
    if (!item) continue;
    if (!textOf(row, 'item_name')) row['item_name'] = textOf(item, 'item_name');
    if (!textOf(row, 'stock_uom')) row['stock_uom'] = textOf(item, 'stock_uom');
    if (!textOf(row, 'uom')) row['uom'] = textOf(item, 'stock_uom');
    if (!textOf(row, 'warehouse') && isStockItem(store, code)) row['warehouse'] = defaultWarehouse(store, doc, code);
    if (decOf(row, 'rate') === 0n && decOf(row, 'price_list_rate') === 0n) {
      const price = store
        .all('Item Price')
        .find((p) => p['item_code'] === code && p['price_list'] === doc['selling_price_list'] && (!p['currency'] || p['currency'] === doc['currency']));
      if (price) row['price_list_rate'] = decOf(price, 'price_list_rate');
    }
    if (decOf(row, 'rate') === 0n) row['rate'] = decOf(row, 'price_list_rate');
  }
}

function checkItems(doc: Doc, store: DocumentStore): void {
  for (const row of rowsOf(doc, 'items')) {
    const item = store.get('Item', textOf(row, 'item_code'));
    if (decOf(row, 'qty') === 0n && doc['is_return'] !== 1) frappeThrow('ValidationError', 'Item quantity can not be zero');
    if (item?.['disabled'] === 1) frappeThrow('ValidationError', `Item ${bold(item.name)} is disabled`);
    if (item?.['has_variants'] === 1) frappeThrow('ValidationError', `Item ${bold(item.name)} is a template, please select one of its variants`);
  }
}

/** Warehouses and charge accounts must belong to the document's company (validate_warehouse_company, validate_tax_account_company). */
function checkCompany(doc: Doc, store: DocumentStore): void {
  const company = textOf(doc, 'company');
  const warehouses = new Set([textOf(doc, 'set_warehouse'), ...rowsOf(doc, 'items').map((r) => textOf(r, 'warehouse'))].filter(Boolean));
  for (const name of warehouses) {
    const warehouse = store.get('Warehouse', name);
    if (warehouse && textOf(warehouse, 'company') !== company) frappeThrow('InvalidWarehouseCompany', `Warehouse ${name} does not belong to company ${company}`);
  }
  for (const tax of rowsOf(doc, 'taxes')) {
    const account = store.get('Account', textOf(tax, 'account_head'));
    if (account && textOf(account, 'company') !== company) frappeThrow('ValidationError', `Row #${String(tax['idx'])}: Account ${account.name} does not belong to company ${company}`);
  }
}

/**
 * ERPNext's calculate_taxes_and_totals for 'Actual' and 'On Net Total' charges (inclusive or not),
 * with the additional discount on the net or grand total, and rounded_total unless disabled; exact
 * decimal arithmetic rounded to the currency's precision.
 */
export function computeTotals(doc: Doc): void {
  const places = placesOf(textOf(doc, 'currency'));
  const round = (value: Dec) => roundDec(value, places);
  for (const row of rowsOf(doc, 'items')) {
    row['amount'] = round(mulDec(decOf(row, 'qty'), decOf(row, 'rate')));
    row['net_rate'] = decOf(row, 'rate');
    row['net_amount'] = row['amount'];
  }
  const total = sumDec(rowsOf(doc, 'items').map((r) => decOf(r, 'amount')));
  const discount = round(decOf(doc, 'discount_amount'));
  const onNet = doc['apply_discount_on'] === 'Net Total';
  let net = onNet ? total - discount : total;
  const inclusive = rowsOf(doc, 'taxes').filter((t) => t['included_in_print_rate'] === 1);
  const inclusiveRate = sumDec(inclusive.map((t) => decOf(t, 'rate')));
  const netBeforeInclusive = net;
  if (inclusive.length > 0) net = net - round(divDec(mulDec(netBeforeInclusive, inclusiveRate), HUNDRED + inclusiveRate));
  let running = net;
  for (const tax of rowsOf(doc, 'taxes')) {
    const type = textOf(tax, 'charge_type');
    const idx = String(tax['idx']);
    if (type === 'Actual') {
      if (tax['included_in_print_rate'] === 1) frappeThrow('ValidationError', `Actual type tax cannot be included in Item rate in row ${idx}`);
      tax['tax_amount'] = round(decOf(tax, 'tax_amount'));
    } else if (type === 'On Net Total') {
      const base = tax['included_in_print_rate'] === 1 ? netBeforeInclusive : net;
      tax['tax_amount'] =
        tax['included_in_print_rate'] === 1
          ? round(divDec(mulDec(base, decOf(tax, 'rate')), HUNDRED + inclusiveRate))
          : round(divDec(mulDec(net, decOf(tax, 'rate')), HUNDRED));
    } else {
      frappeThrow('ValidationError', `Row ${idx}: the emulator computes only Actual and On Net Total charges, not ${type}`);
    }
    running += decOf(tax, 'tax_amount');
    tax['total'] = running;
  }
  const taxes = sumDec(rowsOf(doc, 'taxes').map((t) => decOf(t, 'tax_amount')));
  doc['total'] = total;
  doc['total_qty'] = sumDec(rowsOf(doc, 'items').map((r) => decOf(r, 'qty')));
  doc['net_total'] = net;
  doc['total_taxes_and_charges'] = taxes;
  const grand = net + taxes - (onNet ? 0n : discount);
  doc['grand_total'] = grand;
  doc['base_grand_total'] = round(mulDec(grand, decOf(doc, 'conversion_rate') || decFromUnits(1)));
  if (doc['disable_rounded_total'] === 1) {
    doc['rounded_total'] = 0n;
    doc['rounding_adjustment'] = 0n;
  } else {
    doc['rounded_total'] = roundDec(grand, 0);
    doc['rounding_adjustment'] = (doc['rounded_total'] as Dec) - grand;
  }
}

/** Recomputes a Sales Order's % delivered, % billed and status from its rows. */
export function updateOrderStatus(order: Doc, store: DocumentStore): void {
  const rows = rowsOf(order, 'items');
  const min = (a: Dec, b: Dec) => (a < b ? a : b);
  const perDelivered = percentDec(sumDec(rows.map((r) => min(decOf(r, 'delivered_qty'), decOf(r, 'qty')))), sumDec(rows.map((r) => decOf(r, 'qty'))));
  const perBilled = percentDec(sumDec(rows.map((r) => min(decOf(r, 'billed_amt'), decOf(r, 'amount')))), sumDec(rows.map((r) => decOf(r, 'amount'))));
  const full = HUNDRED;
  order['per_delivered'] = perDelivered;
  order['per_billed'] = perBilled;
  order['delivery_status'] = perDelivered === 0n ? 'Not Delivered' : perDelivered >= full ? 'Fully Delivered' : 'Partly Delivered';
  order['billing_status'] = perBilled === 0n ? 'Not Billed' : perBilled >= full ? 'Fully Billed' : 'Partly Billed';
  if (order.docstatus === 1) {
    order['status'] = perDelivered >= full && perBilled >= full ? 'Completed' : perDelivered >= full ? 'To Bill' : perBilled >= full ? 'To Deliver' : 'To Deliver and Bill';
  }
  store.touch(order);
}

function orderRow(store: DocumentStore, orderName: string, rowName: string): { order: Doc; row: Doc } | undefined {
  const order = store.get('Sales Order', orderName);
  const row = order ? rowsOf(order, 'items').find((r) => r.name === rowName) : undefined;
  return order && row ? { order, row } : undefined;
}

function linkedRows(doc: Doc, store: DocumentStore, orderField: string, rowField: string): { line: Doc; order: Doc; row: Doc }[] {
  const out: { line: Doc; order: Doc; row: Doc }[] = [];
  for (const line of rowsOf(doc, 'items')) {
    const orderName = textOf(line, orderField);
    if (!orderName) continue;
    const found = orderRow(store, orderName, textOf(line, rowField));
    if (!found) frappeThrow('ValidationError', `Row #${String(line['idx'])}: ${rowField} ${textOf(line, rowField) || '(empty)'} is not a row of Sales Order ${bold(orderName)}`);
    if (found.order.docstatus !== 1) frappeThrow('ValidationError', `Sales Order ${bold(orderName)} is not submitted`);
    if (found.order['customer'] !== doc['customer']) frappeThrow('ValidationError', `Customer ${bold(textOf(doc, 'customer'))} does not match Sales Order ${bold(orderName)} (${textOf(found.order, 'customer')})`);
    if (found.row['item_code'] !== line['item_code']) frappeThrow('ValidationError', `Row #${String(line['idx'])}: Item ${textOf(line, 'item_code')} does not match the Sales Order row's item ${textOf(found.row, 'item_code')}`);
    out.push({ line, ...found });
  }
  return out;
}

function copyRateFromOrder(doc: Doc, store: DocumentStore, orderField: string, rowField: string): void {
  for (const line of rowsOf(doc, 'items')) {
    const found = textOf(line, orderField) ? orderRow(store, textOf(line, orderField), textOf(line, rowField)) : undefined;
    if (found && decOf(line, 'rate') === 0n) line['rate'] = decOf(found.row, 'rate');
  }
}

function overLimit(kind: 'Qty' | 'Amount', over: Dec, item: string, doctype: string): never {
  return frappeThrow(
    'OverAllowanceError',
    `This document is over limit by ${bold(`${kind} ${pyFloat(over)}`)} for item ${bold(item)}. Are you making another ${doctype} against the same Sales Order Item?`,
  );
}

/** Sales Order: totals, delivery dates, reservation of stock on submit, release on cancel. */
export const salesOrderHooks: DocTypeHooks = {
  beforeValidate(doc, store) {
    fillHeader(doc, store);
    fillItems(doc, store);
  },
  validate(doc, store) {
    checkItems(doc, store);
    checkCompany(doc, store);
    const rows = rowsOf(doc, 'items');
    if (!textOf(doc, 'delivery_date')) {
      const dates = rows.map((r) => textOf(r, 'delivery_date')).filter(Boolean).sort();
      if (dates.length === 0) frappeThrow('ValidationError', 'Please enter Delivery Date');
      doc['delivery_date'] = dates[0];
    }
    for (const row of rows) {
      if (!textOf(row, 'delivery_date')) row['delivery_date'] = doc['delivery_date'];
      if (textOf(row, 'delivery_date') < textOf(doc, 'transaction_date')) frappeThrow('ValidationError', `Row #${String(row['idx'])}: Expected Delivery Date cannot be before Sales Order Date`);
    }
    computeTotals(doc);
    doc['status'] = doc.docstatus === 1 ? 'To Deliver and Bill' : 'Draft';
    doc['per_delivered'] = 0n;
    doc['per_billed'] = 0n;
    doc['delivery_status'] = 'Not Delivered';
    doc['billing_status'] = 'Not Billed';
  },
  validateSubmit(doc, store) {
    for (const row of rowsOf(doc, 'items')) {
      if (isStockItem(store, textOf(row, 'item_code')) && !textOf(row, 'warehouse')) {
        frappeThrow('ValidationError', `Reserved warehouse required for stock Item ${bold(textOf(row, 'item_code'))} in row ${String(row['idx'])}`);
      }
    }
  },
  onSubmit(doc, store) {
    doc['status'] = 'To Deliver and Bill';
    for (const row of rowsOf(doc, 'items')) {
      if (isStockItem(store, textOf(row, 'item_code'))) adjustBin(store, textOf(row, 'item_code'), textOf(row, 'warehouse'), { reserved: decOf(row, 'qty') });
    }
  },
  onCancel(doc, store) {
    doc['status'] = 'Cancelled';
    for (const row of rowsOf(doc, 'items')) {
      const open = decOf(row, 'qty') - decOf(row, 'delivered_qty');
      if (open > 0n && isStockItem(store, textOf(row, 'item_code'))) adjustBin(store, textOf(row, 'item_code'), textOf(row, 'warehouse'), { reserved: -open });
    }
  },
};

/** Delivery Note: against Sales Order rows; submit takes stock out, releases the reservation and marks the order delivered. */
export const deliveryNoteHooks: DocTypeHooks = {
  beforeValidate(doc, store) {
    fillHeader(doc, store);
    copyRateFromOrder(doc, store, 'against_sales_order', 'so_detail');
    fillItems(doc, store);
  },
  validate(doc, store) {
    checkItems(doc, store);
    checkCompany(doc, store);
    linkedRows(doc, store, 'against_sales_order', 'so_detail');
    computeTotals(doc);
    doc['status'] = 'Draft';
    doc['per_billed'] = 0n;
  },
  validateSubmit(doc, store) {
    for (const row of rowsOf(doc, 'items')) {
      if (isStockItem(store, textOf(row, 'item_code')) && !textOf(row, 'warehouse')) {
        frappeThrow('ValidationError', `Warehouse is mandatory for stock Item ${bold(textOf(row, 'item_code'))} in row ${String(row['idx'])}`);
      }
    }
    const delivering = new Map<string, Dec>();
    for (const { line, row } of linkedRows(doc, store, 'against_sales_order', 'so_detail')) {
      const total = (delivering.get(row.name) ?? 0n) + decOf(line, 'qty');
      delivering.set(row.name, total);
      const over = decOf(row, 'delivered_qty') + total - decOf(row, 'qty');
      if (over > 0n) overLimit('Qty', over, textOf(line, 'item_code'), 'Delivery Note');
    }
    checkNegativeStock(store, doc, rowsOf(doc, 'items'));
  },
  onSubmit(doc, store) {
    doc['status'] = 'To Bill';
    const orders = new Set<Doc>();
    for (const line of rowsOf(doc, 'items')) {
      const code = textOf(line, 'item_code');
      const found = textOf(line, 'against_sales_order') ? orderRow(store, textOf(line, 'against_sales_order'), textOf(line, 'so_detail')) : undefined;
      if (found) {
        found.row['delivered_qty'] = decOf(found.row, 'delivered_qty') + decOf(line, 'qty');
        orders.add(found.order);
        if (isStockItem(store, code)) adjustBin(store, code, textOf(found.row, 'warehouse'), { reserved: -decOf(line, 'qty') });
      }
      if (isStockItem(store, code)) adjustBin(store, code, textOf(line, 'warehouse'), { actual: -decOf(line, 'qty') });
    }
    for (const order of orders) updateOrderStatus(order, store);
  },
  onCancel(doc, store) {
    doc['status'] = 'Cancelled';
    const orders = new Set<Doc>();
    for (const line of rowsOf(doc, 'items')) {
      const code = textOf(line, 'item_code');
      const found = textOf(line, 'against_sales_order') ? orderRow(store, textOf(line, 'against_sales_order'), textOf(line, 'so_detail')) : undefined;
      if (found) {
        found.row['delivered_qty'] = decOf(found.row, 'delivered_qty') - decOf(line, 'qty');
        orders.add(found.order);
        if (found.order.docstatus === 1 && isStockItem(store, code)) adjustBin(store, code, textOf(found.row, 'warehouse'), { reserved: decOf(line, 'qty') });
      }
      if (isStockItem(store, code)) adjustBin(store, code, textOf(line, 'warehouse'), { actual: decOf(line, 'qty') });
    }
    for (const order of orders) updateOrderStatus(order, store);
  },
};

/** Whether an invoice moves its Sales Orders' billed amounts: always, or for a credit note only when it says so (update_billed_amount_in_sales_order). */
function billsOrders(doc: Doc): boolean {
  return doc['is_return'] !== 1 || doc['update_billed_amount_in_sales_order'] === 1;
}

function applyBilling(doc: Doc, store: DocumentStore, sign: 1n | -1n): void {
  if (!billsOrders(doc)) return;
  const orders = new Set<Doc>();
  for (const line of rowsOf(doc, 'items')) {
    const found = textOf(line, 'sales_order') ? orderRow(store, textOf(line, 'sales_order'), textOf(line, 'so_detail')) : undefined;
    if (!found) continue;
    found.row['billed_amt'] = decOf(found.row, 'billed_amt') + sign * decOf(line, 'amount');
    orders.add(found.order);
  }
  for (const order of orders) updateOrderStatus(order, store);
}

/**
 * Sales Invoice: against Sales Order rows; submit opens the receivable and marks the order billed.
 * A credit note (is_return) returns against a submitted invoice: negative rows, checked against
 * what was billed; on submit it lowers that invoice's outstanding amount (unless it keeps its own).
 */
export const salesInvoiceHooks: DocTypeHooks = {
  beforeValidate(doc, store) {
    fillHeader(doc, store);
    copyRateFromOrder(doc, store, 'sales_order', 'so_detail');
    fillItems(doc, store);
    const company = store.get('Company', textOf(doc, 'company'));
    if (!textOf(doc, 'debit_to') && company) doc['debit_to'] = textOf(company, 'default_receivable_account') || undefined;
    if (!textOf(doc, 'due_date')) doc['due_date'] = doc['posting_date'];
    for (const row of rowsOf(doc, 'items')) if (!textOf(row, 'income_account') && company) row['income_account'] = textOf(company, 'default_income_account') || undefined;
  },
  validate(doc, store) {
    checkItems(doc, store);
    checkCompany(doc, store);
    if (textOf(doc, 'due_date') < textOf(doc, 'posting_date')) frappeThrow('ValidationError', 'Due Date cannot be before Posting Date');
    const debitTo = store.get('Account', textOf(doc, 'debit_to'));
    if (!debitTo) frappeThrow('MandatoryError', `Error: Value missing for Sales Invoice: Debit To`);
    if (debitTo['account_type'] !== 'Receivable') frappeThrow('ValidationError', `Debit To account must be a Receivable account`);
    linkedRows(doc, store, 'sales_order', 'so_detail');
    computeTotals(doc);
    validateReturn(doc, store);
    doc['outstanding_amount'] = openingOutstanding(doc);
    doc['status'] = 'Draft';
  },
  validateSubmit(doc, store) {
    if (doc['is_return'] === 1) return;
    const billing = new Map<string, Dec>();
    for (const { line, row } of linkedRows(doc, store, 'sales_order', 'so_detail')) {
      const total = (billing.get(row.name) ?? 0n) + decOf(line, 'amount');
      billing.set(row.name, total);
      const over = decOf(row, 'billed_amt') + total - decOf(row, 'amount');
      if (over > 0n) overLimit('Amount', over, textOf(line, 'item_code'), 'Sales Invoice');
    }
  },
  onSubmit(doc, store) {
    doc['outstanding_amount'] = openingOutstanding(doc);
    doc['status'] = invoiceStatus(doc, store);
    applyBilling(doc, store, 1n);
    applyReturnToInvoice(doc, store, 1n);
  },
  onCancel(doc, store) {
    doc['status'] = 'Cancelled';
    applyBilling(doc, store, -1n);
    applyReturnToInvoice(doc, store, -1n);
  },
};
