import type { Dec } from './decimal.js';
import type { DocumentStore } from './store.js';
import { decOf, textOf, type Doc } from './values.js';

/** What a receivable still waits for (rounded total unless rounding is disabled). */
export function invoicePayable(doc: Doc): Dec {
  return doc['disable_rounded_total'] === 1 || decOf(doc, 'rounded_total') === 0n ? decOf(doc, 'grand_total') : decOf(doc, 'rounded_total');
}

/** True for a credit note made against an invoice (is_return with return_against). */
export function isReturnAgainst(doc: Doc): boolean {
  return doc['is_return'] === 1 && textOf(doc, 'return_against') !== '';
}

/** True when the credit note settles its invoice (update_outstanding_for_self unticked) rather than carrying its own balance. */
export function settlesInvoice(doc: Doc): boolean {
  return isReturnAgainst(doc) && doc['update_outstanding_for_self'] !== 1;
}

/** Submitted credit notes against an invoice, other than `except`. */
export function submittedReturns(store: DocumentStore, invoice: string, except?: string): Doc[] {
  return store.all('Sales Invoice').filter((doc) => doc['is_return'] === 1 && doc['return_against'] === invoice && doc.docstatus === 1 && doc.name !== except);
}

/**
 * A Sales Invoice's status as ERPNext's SalesInvoice.set_status decides it: Overdue, Partly Paid
 * and Unpaid while something is outstanding, then Credit Note Issued (a submitted credit note
 * exists), Return (it is one), else Paid.
 */
export function invoiceStatus(invoice: Doc, store: DocumentStore): string {
  if (invoice.docstatus === 0) return 'Draft';
  if (invoice.docstatus === 2) return 'Cancelled';
  const outstanding = decOf(invoice, 'outstanding_amount');
  if (outstanding > 0n && textOf(invoice, 'due_date') < store.today()) return 'Overdue';
  if (outstanding > 0n && outstanding < invoicePayable(invoice)) return 'Partly Paid';
  if (outstanding > 0n) return 'Unpaid';
  if (invoice['is_return'] !== 1 && submittedReturns(store, invoice.name).length > 0) return 'Credit Note Issued';
  if (invoice['is_return'] === 1) return 'Return';
  return 'Paid';
}

/** The outstanding amount a Sales Invoice opens on submit: none on a credit note that settles its invoice. */
export function openingOutstanding(doc: Doc): Dec {
  return settlesInvoice(doc) ? 0n : invoicePayable(doc);
}

/**
 * A credit note that settles its invoice moves the invoice's outstanding amount by its (negative)
 * total on submit, and back on cancel, as the GL entries against the invoice do in ERPNext; the
 * invoice's status follows either way.
 */
export function applyReturnToInvoice(doc: Doc, store: DocumentStore, sign: 1n | -1n): void {
  const original = isReturnAgainst(doc) ? store.get('Sales Invoice', textOf(doc, 'return_against')) : undefined;
  if (!original) return;
  if (settlesInvoice(doc)) original['outstanding_amount'] = decOf(original, 'outstanding_amount') + sign * invoicePayable(doc);
  original['status'] = invoiceStatus(original, store);
  store.touch(original);
}
