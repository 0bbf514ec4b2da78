import { pyFloat, type Dec } from './decimal.js';
import { bold, frappeThrow } from './errors.js';
import { isReturnAgainst, submittedReturns } from './invoices.js';
import type { DocumentStore } from './store.js';
import { decOf, rowsOf, textOf, type Doc } from './values.js';

const rowKey = (item: string, row: string) => `${item}\u0000${row}`;

/** "dd-mm-yyyy 00:00:00", as format_datetime shows a posting date. */
function formatPosting(date: string): string {
  const [y = '', m = '', d = ''] = date.split('-');
  return `${d}-${m}-${y} 00:00:00`;
}

/** What the invoice billed, by row (item and row name) and by item: quantity and highest rate. */
function billedOf(original: Doc): Map<string, { qty: Dec; rate: Dec }> {
  const billed = new Map<string, { qty: Dec; rate: Dec }>();
  const add = (key: string, row: Doc) => {
    const entry = billed.get(key) ?? { qty: 0n, rate: 0n };
    entry.qty += decOf(row, 'qty');
    if (decOf(row, 'rate') > entry.rate) entry.rate = decOf(row, 'rate');
    billed.set(key, entry);
  };
  for (const row of rowsOf(original, 'items')) {
    add(rowKey(textOf(row, 'item_code'), row.name), row);
    add(textOf(row, 'item_code'), row);
  }
  return billed;
}

/** Quantities credited by submitted credit notes, by row and by item. */
function returnedOf(store: DocumentStore, original: Doc, except: string): Map<string, Dec> {
  const returned = new Map<string, Dec>();
  const add = (key: string, qty: Dec) => returned.set(key, (returned.get(key) ?? 0n) + qty);
  for (const note of submittedReturns(store, original.name, except)) {
    for (const row of rowsOf(note, 'items')) {
      const qty = decOf(row, 'qty');
      if (qty >= 0n) continue;
      const item = textOf(row, 'item_code');
      if (textOf(row, 'sales_invoice_item')) add(rowKey(item, textOf(row, 'sales_invoice_item')), -qty);
      add(item, -qty);
    }
  }
  return returned;
}

/**
 * ERPNext's validate_returned_items for a credit note: each negative row must match a row (by
 * sales_invoice_item, else by item) of the invoice, at no higher rate, and together with submitted
 * credit notes credit no more than was billed (StockOverReturnError); at least one row is negative.
 * ERPNext v15 runs this for Sales Invoices only with Update Stock ticked; the emulator always does.
 */
function validateReturnedItems(doc: Doc, store: DocumentStore, original: Doc): void {
  const billed = billedOf(original);
  const returned = returnedOf(store, original, doc.name);
  let negative = false;
  for (const row of rowsOf(doc, 'items')) {
    const item = textOf(row, 'item_code');
    const qty = decOf(row, 'qty');
    const idx = String(row['idx']);
    if (qty > 0n) frappeThrow('ValidationError', `Row # ${idx}: Qty must be negative in return document`);
    if (qty === 0n) continue;
    negative = true;
    const key = textOf(row, 'sales_invoice_item') ? rowKey(item, textOf(row, 'sales_invoice_item')) : item;
    const ref = billed.get(key);
    if (!ref) frappeThrow('ValidationError', `Row # ${idx}: Returned Item ${item} does not exist in Sales Invoice ${original.name}`);
    const before = returned.get(key) ?? 0n;
    if (before >= ref.qty) frappeThrow('StockOverReturnError', `Item ${item} has already been returned`);
    if (-qty > ref.qty - before) frappeThrow('StockOverReturnError', `Row # ${idx}: Cannot return more than ${pyFloat(ref.qty - before)} for Item ${item}`);
    returned.set(key, before - qty);
    if (ref.rate > 0n && decOf(row, 'rate') > ref.rate) frappeThrow('ValidationError', `Row # ${idx}: Rate cannot be greater than the rate used in Sales Invoice ${original.name}`);
  }
  if (!negative) frappeThrow('ValidationError', 'Atleast one item should be entered with negative quantity in return document');
}

/**
 * ERPNext's validate_return for a Sales Invoice credit note: the invoice it returns against is
 * submitted and posted no later than the credit note, and the rows are a valid return of it.
 */
export function validateReturn(doc: Doc, store: DocumentStore): void {
  if (!isReturnAgainst(doc)) return;
  const against = textOf(doc, 'return_against');
  const original = store.get('Sales Invoice', against);
  if (!original) return frappeThrow('ValidationError', `Invalid Return Against: ${against}`);
  if (original.docstatus !== 1) frappeThrow('ValidationError', `Return Against Sales Invoice ${bold(against)} is not submitted`);
  if (textOf(doc, 'posting_date') < textOf(original, 'posting_date')) frappeThrow('ValidationError', `Posting timestamp must be after ${formatPosting(textOf(original, 'posting_date'))}`);
  validateReturnedItems(doc, store, original);
}
