import { bold, frappeThrow } from './errors.js';
import type { DocTypeHooks, DocumentStore } from './store.js';
import { decOf, rowsOf, textOf, type Doc } from './values.js';

function firstOf(store: DocumentStore, doctype: string, preferred: string[]): string | undefined {
  return preferred.find((name) => store.get(doctype, name)) ?? store.all(doctype)[0]?.name;
}

/** Customer: group and territory default like a new ERPNext site's Selling Settings. */
export const customerHooks: DocTypeHooks = {
  beforeValidate(doc, store) {
    if (!textOf(doc, 'customer_group')) doc['customer_group'] = firstOf(store, 'Customer Group', [doc['customer_type'] === 'Individual' ? 'Individual' : 'Commercial', 'All Customer Groups']);
    if (!textOf(doc, 'territory')) doc['territory'] = firstOf(store, 'Territory', ['All Territories']);
  },
};

/** Item: name and description default to the code; barcodes are unique; a standard rate becomes an Item Price. */
export const itemHooks: DocTypeHooks = {
  beforeValidate(doc) {
    doc['item_code'] = textOf(doc, 'item_code').trim();
    if (!textOf(doc, 'item_name')) doc['item_name'] = doc['item_code'];
    if (!textOf(doc, 'description')) doc['description'] = doc['item_name'];
  },
  validate(doc, store) {
    for (const row of rowsOf(doc, 'barcodes')) {
      const owner = store.all('Item').find((item) => item['item_code'] !== doc['item_code'] && rowsOf(item, 'barcodes').some((b) => b['barcode'] === row['barcode']));
      if (owner) frappeThrow('ValidationError', `Barcode ${bold(textOf(row, 'barcode'))} already used in Item ${bold(owner.name)}`);
    }
    const template = textOf(doc, 'variant_of');
    if (template && store.get('Item', template)?.['has_variants'] !== 1) frappeThrow('ValidationError', `Item ${bold(template)} is not a template (Has Variants is not set)`);
  },
  afterInsert(doc, store) {
    const rate = decOf(doc, 'standard_rate');
    const priceList = store.all('Price List').find((p) => p['selling'] === 1 && p['enabled'] === 1);
    if (rate > 0n && priceList) store.insert('Item Price', { item_code: doc.name, price_list: priceList.name, price_list_rate: rate });
  },
};

function overlaps(a: Doc, b: Doc): boolean {
  const start = (d: Doc) => textOf(d, 'valid_from') || '0000-00-00';
  const end = (d: Doc) => textOf(d, 'valid_upto') || '9999-12-31';
  return start(a) <= end(b) && start(b) <= end(a);
}

/** Item Price: fetched item name, UOM and currency; one price per item, list, UOM, currency and period. */
export const itemPriceHooks: DocTypeHooks = {
  beforeValidate(doc, store) {
    const item = store.get('Item', textOf(doc, 'item_code'));
    const list = store.get('Price List', textOf(doc, 'price_list'));
    if (item) doc['item_name'] = textOf(item, 'item_name');
    if (item && !textOf(doc, 'uom')) doc['uom'] = textOf(item, 'stock_uom');
    if (list && !textOf(doc, 'currency')) doc['currency'] = textOf(list, 'currency');
    if (list) {
      doc['selling'] = list['selling'];
      doc['buying'] = list['buying'];
    }
  },
  validate(doc, store) {
    if (textOf(doc, 'valid_upto') && textOf(doc, 'valid_upto') < textOf(doc, 'valid_from')) frappeThrow('ValidationError', 'Valid From Date must be lesser than Valid Up To Date.');
    const same = store
      .all('Item Price')
      .find((p) => p.name !== doc.name && ['item_code', 'price_list', 'uom', 'currency'].every((f) => (p[f] ?? '') === (doc[f] ?? '')) && overlaps(p, doc));
    if (same) frappeThrow('ItemPriceDuplicateItem', 'Item Price appears multiple times based on Price List, Supplier/Customer, Currency, Item, Batch, UOM, Qty, and Dates.');
  },
};
