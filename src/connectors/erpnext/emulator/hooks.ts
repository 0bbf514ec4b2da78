import { journalEntryHooks, paymentEntryHooks } from './accounts.js';
import { customerHooks, itemHooks, itemPriceHooks } from './masters.js';
import { deliveryNoteHooks, salesInvoiceHooks, salesOrderHooks } from './selling.js';
import type { DocTypeHooks } from './store.js';

/** Business rules of every doctype that has some. */
export const doctypeHooks: ReadonlyMap<string, DocTypeHooks> = new Map([
  ['Customer', customerHooks],
  ['Item', itemHooks],
  ['Item Price', itemPriceHooks],
  ['Sales Order', salesOrderHooks],
  ['Delivery Note', deliveryNoteHooks],
  ['Sales Invoice', salesInvoiceHooks],
  ['Payment Entry', paymentEntryHooks],
  ['Journal Entry', journalEntryHooks],
]);
