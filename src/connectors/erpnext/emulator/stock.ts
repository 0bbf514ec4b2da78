import type { Dec } from './decimal.js';
import { pyFloat } from './decimal.js';
import { bold, frappeThrow } from './errors.js';
import type { DocumentStore } from './store.js';
import { decOf, rowsOf, textOf, type Doc } from './values.js';

/** The Bin of an item in a warehouse, if any stock transaction touched it. */
export function findBin(store: DocumentStore, itemCode: string, warehouse: string): Doc | undefined {
  return store.all('Bin').find((bin) => bin['item_code'] === itemCode && bin['warehouse'] === warehouse);
}

/** True when the item keeps stock (Maintain Stock). */
export function isStockItem(store: DocumentStore, itemCode: string): boolean {
  return store.get('Item', itemCode)?.['is_stock_item'] === 1;
}

/**
 * Moves a Bin's quantities by deltas (creating the Bin on first use) and recomputes
 * projected_qty = actual + ordered + indented + planned − reserved, as ERPNext does.
 */
export function adjustBin(store: DocumentStore, itemCode: string, warehouse: string, delta: { actual?: Dec; reserved?: Dec; set?: Dec }): Doc {
  const item = store.get('Item', itemCode);
  const bin = findBin(store, itemCode, warehouse) ?? store.putSystem('Bin', { item_code: itemCode, warehouse, stock_uom: item?.['stock_uom'] });
  const actual = delta.set !== undefined ? delta.set : decOf(bin, 'actual_qty') + (delta.actual ?? 0n);
  const reserved = decOf(bin, 'reserved_qty') + (delta.reserved ?? 0n);
  bin['actual_qty'] = actual;
  bin['reserved_qty'] = reserved < 0n ? 0n : reserved;
  bin['projected_qty'] = actual + decOf(bin, 'ordered_qty') + decOf(bin, 'indented_qty') + decOf(bin, 'planned_qty') - (bin['reserved_qty'] as Dec);
  store.touch(bin);
  return bin;
}

/** The default warehouse of a row: the document's, the item's default for the company, else the company's Stores. */
export function defaultWarehouse(store: DocumentStore, doc: Doc, itemCode: string): string | undefined {
  const set = textOf(doc, 'set_warehouse');
  if (set) return set;
  const item = store.get('Item', itemCode);
  const itemDefault = item ? rowsOf(item, 'item_defaults').find((d) => d['company'] === doc['company']) : undefined;
  if (itemDefault && textOf(itemDefault, 'default_warehouse')) return textOf(itemDefault, 'default_warehouse');
  const company = store.get('Company', textOf(doc, 'company'));
  const stores = company ? `Stores - ${textOf(company, 'abbr')}` : '';
  return store.get('Warehouse', stores) ? stores : undefined;
}

/** Refuses a delivery that would take a Bin below zero (ERPNext's NegativeStockError). */
export function checkNegativeStock(store: DocumentStore, doc: Doc, rows: readonly Doc[]): void {
  const needed = new Map<string, { item: string; warehouse: string; qty: Dec }>();
  for (const row of rows) {
    const item = textOf(row, 'item_code');
    if (!isStockItem(store, item)) continue;
    const warehouse = textOf(row, 'warehouse');
    const key = `${item}\u0000${warehouse}`;
    const entry = needed.get(key) ?? { item, warehouse, qty: 0n };
    entry.qty += decOf(row, 'qty');
    needed.set(key, entry);
  }
  for (const { item, warehouse, qty } of needed.values()) {
    const bin = findBin(store, item, warehouse);
    const available = bin ? decOf(bin, 'actual_qty') : 0n;
    if (available - qty < 0n) {
      frappeThrow(
        'NegativeStockError',
        `${bold(pyFloat(qty - available))} units of ${bold(`Item ${item}`)} needed in ${bold(`Warehouse ${warehouse}`)} on ${doc['posting_date'] ?? store.today()} for ${bold(`${doc.doctype} ${doc.name}`)} to complete this transaction.`,
      );
    }
  }
}
