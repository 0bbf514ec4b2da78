import { parse as losslessParse } from 'lossless-json';
import { flt, mulDec, type Dec } from './decimal.js';
import { bold, frappeThrow } from './errors.js';
import { computeTotals, updateOrderStatus } from './selling.js';
import { adjustBin, isStockItem } from './stock.js';
import type { DocumentStore } from './store.js';
import { decOf, rowsOf, textOf, type Doc } from './values.js';

/** One entry of `trans_items`, as the Update Items dialog sends it. */
interface TransItem {
  docname?: string;
  idx?: unknown;
  item_code?: string;
  qty?: unknown;
  rate?: unknown;
  uom?: string;
  conversion_factor?: unknown;
  delivery_date?: string;
}

function transItemsOf(raw: unknown): TransItem[] {
  // update_child_qty_rate does json.loads(trans_items): anything but a JSON string fails in Python.
  if (typeof raw !== 'string') return frappeThrow('TypeError', `the JSON object must be str, bytes or bytearray, not ${Array.isArray(raw) ? 'list' : raw === undefined || raw === null ? 'NoneType' : typeof raw}`, { status: 500 });
  let parsed: unknown;
  try {
    parsed = losslessParse(raw);
  } catch (error) {
    return frappeThrow('JSONDecodeError', `Expecting value: ${(error as Error).message}`, { status: 500 });
  }
  if (!Array.isArray(parsed)) return frappeThrow('AttributeError', "'dict' object has no attribute 'get'", { status: 500 });
  return parsed.filter((entry): entry is TransItem => typeof entry === 'object' && entry !== null);
}

function unchanged(row: Doc, entry: TransItem, qty: Dec, rate: Dec): boolean {
  return (
    qty === decOf(row, 'qty') &&
    rate === decOf(row, 'rate') &&
    (entry.uom === undefined || entry.uom === textOf(row, 'uom')) &&
    (entry.conversion_factor === undefined || flt(entry.conversion_factor) === decOf(row, 'conversion_factor')) &&
    (entry.delivery_date === undefined || entry.delivery_date === textOf(row, 'delivery_date'))
  );
}

/** Refuses to drop a row that was delivered or billed (validate_child_on_delete). */
function checkRemovable(row: Doc): void {
  const idx = String(row['idx']);
  const item = textOf(row, 'item_code');
  if (decOf(row, 'delivered_qty') > 0n) frappeThrow('ValidationError', `Row #${idx}: Cannot delete item ${item} which has already been delivered`);
  if (decOf(row, 'billed_amt') > 0n) frappeThrow('ValidationError', `Row #${idx}: Cannot delete item ${item} which has already been billed.`);
}

/** Checks a changed row's new quantity and rate (validate_quantity and the billed-amount rule). */
function checkChange(row: Doc, entry: TransItem, qty: Dec, rate: Dec): void {
  const idx = entry.idx !== undefined && entry.idx !== null ? String(entry.idx) : String(row['idx']);
  const item = textOf(row, 'item_code');
  if (qty === 0n) frappeThrow('ValidationError', `Row #${idx}: Quantity for Item ${bold(item)} cannot be zero.`);
  if (qty < decOf(row, 'delivered_qty')) frappeThrow('ValidationError', `Row #${idx}: Cannot set quantity less than delivered quantity.`);
  if (rate > 0n && decOf(row, 'billed_amt') > mulDec(rate, qty)) {
    frappeThrow('ValidationError', `Row #${String(row['idx'])}: Cannot set Rate if amount is greater than billed amount for Item ${item}.`);
  }
}

/**
 * ERPNext's `update_child_qty_rate` ("Update Items") for a Sales Order: rows left out of
 * `trans_items` are deleted (unless delivered or billed), listed rows get their new quantity and
 * rate (never below what was delivered or billed), then totals, reserved stock, % delivered,
 * % billed and status are recomputed. Every check runs before anything changes.
 */
export function updateChildQtyRate(store: DocumentStore, args: Record<string, unknown>): void {
  const parentDoctype = String(args['parent_doctype'] ?? '');
  const childTable = String(args['child_docname'] ?? 'items');
  const entries = transItemsOf(args['trans_items']);
  if (parentDoctype !== 'Sales Order' || childTable !== 'items') {
    frappeThrow('ValidationError', `The emulator updates the items of Sales Orders only (got ${parentDoctype || 'no doctype'}.${childTable})`);
  }
  const order = store.require('Sales Order', String(args['parent_doctype_name'] ?? ''));
  if (order.docstatus === 2) frappeThrow('ValidationError', 'Cannot edit cancelled document');

  const rows = rowsOf(order, 'items');
  const named = new Set(entries.map((e) => e.docname).filter(Boolean));
  const removed = rows.filter((row) => !named.has(row.name));
  removed.forEach(checkRemovable);
  const changes: { row: Doc; entry: TransItem; qty: Dec; rate: Dec }[] = [];
  for (const entry of entries) {
    if (!entry.item_code) continue;
    if (!entry.docname) frappeThrow('ValidationError', 'The emulator does not add rows through Update Items: create the order with every row');
    const row = rows.find((r) => r.name === entry.docname) ?? frappeThrow('DoesNotExistError', `Sales Order Item ${String(entry.docname)} not found`);
    const qty = flt(entry.qty);
    const rate = flt(entry.rate);
    if (unchanged(row, entry, qty, rate)) continue;
    checkChange(row, entry, qty, rate);
    changes.push({ row, entry, qty, rate });
  }
  if (removed.length === rows.length) {
    frappeThrow('MandatoryError', 'Error: Value missing for Sales Order: Items', { exception: `[Sales Order, ${order.name}]: items` });
  }
  if (removed.length === 0 && changes.length === 0) return;

  const open = (row: Doc) => decOf(row, 'qty') - decOf(row, 'delivered_qty');
  const reserve = (row: Doc, delta: Dec) => {
    if (order.docstatus === 1 && delta !== 0n && isStockItem(store, textOf(row, 'item_code'))) adjustBin(store, textOf(row, 'item_code'), textOf(row, 'warehouse'), { reserved: delta });
  };
  for (const row of removed) reserve(row, -open(row));
  for (const { row, entry, qty, rate } of changes) {
    const before = open(row);
    row['qty'] = qty;
    row['rate'] = rate;
    if (entry.uom) row['uom'] = entry.uom;
    if (entry.conversion_factor !== undefined) row['conversion_factor'] = flt(entry.conversion_factor);
    if (entry.delivery_date) row['delivery_date'] = entry.delivery_date;
    reserve(row, open(row) - before);
  }
  const kept = rows.filter((row) => named.has(row.name));
  kept.forEach((row, index) => (row['idx'] = index + 1));
  order['items'] = kept;
  computeTotals(order);
  updateOrderStatus(order, store);
}
