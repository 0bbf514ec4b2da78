import { currencyExponent, isCurrencyCode } from '../../../model/index.js';
import { decOf as units, mulDec, pyFloat, roundDec, sumDec } from './decimal.js';
import { bold, frappeThrow } from './errors.js';
import { invoicePayable, invoiceStatus } from './invoices.js';
import type { DocTypeHooks, DocumentStore } from './store.js';
import { decOf, rowsOf, textOf, type Doc } from './values.js';

function placesOf(currency: string): number {
  return isCurrencyCode(currency) ? currencyExponent(currency) : 2;
}

function account(store: DocumentStore, name: string): Doc | undefined {
  return name ? store.get('Account', name) : undefined;
}

function invoiceReferences(doc: Doc, store: DocumentStore): { reference: Doc; invoice: Doc }[] {
  return rowsOf(doc, 'references')
    .filter((r) => r['reference_doctype'] === 'Sales Invoice')
    .map((reference) => ({ reference, invoice: store.require('Sales Invoice', textOf(reference, 'reference_name')) }));
}

function applyToInvoices(doc: Doc, store: DocumentStore, sign: 1n | -1n): void {
  for (const { reference, invoice } of invoiceReferences(doc, store)) {
    invoice['outstanding_amount'] = decOf(invoice, 'outstanding_amount') - sign * decOf(reference, 'allocated_amount');
    invoice['status'] = invoiceStatus(invoice, store);
    store.touch(invoice);
  }
}

/** Payment Entry (Receive): party and accounts checked, references allocated against invoices' outstanding amounts. */
export const paymentEntryHooks: DocTypeHooks = {
  beforeValidate(doc, store) {
    const from = account(store, textOf(doc, 'paid_from'));
    const to = account(store, textOf(doc, 'paid_to'));
    if (from) doc['paid_from_account_currency'] = textOf(from, 'account_currency');
    if (to) doc['paid_to_account_currency'] = textOf(to, 'account_currency');
    if (decOf(doc, 'received_amount') === 0n && doc['paid_from_account_currency'] === doc['paid_to_account_currency']) doc['received_amount'] = decOf(doc, 'paid_amount');
    const party = textOf(doc, 'party_type') === 'Customer' ? store.get('Customer', textOf(doc, 'party')) : undefined;
    if (party) doc['party_name'] = textOf(party, 'customer_name');
  },
  validate(doc, store) {
    if (doc['payment_type'] !== 'Internal Transfer') {
      if (!textOf(doc, 'party_type')) frappeThrow('ValidationError', 'Party Type is mandatory');
      if (!textOf(doc, 'party')) frappeThrow('ValidationError', 'Party is mandatory');
    }
    const from = account(store, textOf(doc, 'paid_from'));
    const to = account(store, textOf(doc, 'paid_to'));
    if (doc['payment_type'] === 'Receive' && from && from['account_type'] !== 'Receivable') {
      frappeThrow('ValidationError', `Account Paid From ${bold(from.name)} must be a Receivable account for a payment from a Customer`);
    }
    if (to && to['account_type'] === 'Bank' && (!textOf(doc, 'reference_no') || !textOf(doc, 'reference_date'))) {
      frappeThrow('ValidationError', 'Reference No and Reference Date is mandatory for Bank transaction');
    }
    if (decOf(doc, 'paid_amount') <= 0n) frappeThrow('ValidationError', 'Paid Amount must be greater than zero');
    for (const { reference, invoice } of invoiceReferences(doc, store)) {
      const idx = String(reference['idx']);
      if (invoice.docstatus !== 1) frappeThrow('ValidationError', `Sales Invoice ${bold(invoice.name)} must be submitted`);
      if (invoice['customer'] !== doc['party']) frappeThrow('ValidationError', `Row #${idx}: Sales Invoice ${bold(invoice.name)} is not against Customer ${bold(textOf(doc, 'party'))}`);
      reference['total_amount'] = invoicePayable(invoice);
      reference['due_date'] = invoice['due_date'];
      reference['outstanding_amount'] = decOf(invoice, 'outstanding_amount');
      if (decOf(reference, 'allocated_amount') > decOf(invoice, 'outstanding_amount')) {
        frappeThrow('ValidationError', `Row #${idx}: Allocated Amount cannot be greater than outstanding amount.`);
      }
    }
    const allocated = sumDec(rowsOf(doc, 'references').map((r) => decOf(r, 'allocated_amount')));
    if (allocated > decOf(doc, 'paid_amount')) frappeThrow('ValidationError', `Total Allocated Amount (${pyFloat(allocated)}) cannot be greater than Paid Amount (${pyFloat(decOf(doc, 'paid_amount'))})`);
    doc['total_allocated_amount'] = allocated;
    doc['unallocated_amount'] = decOf(doc, 'paid_amount') - allocated;
    doc['difference_amount'] = 0n;
    doc['status'] = 'Draft';
  },
  onSubmit(doc, store) {
    doc['status'] = 'Submitted';
    applyToInvoices(doc, store, 1n);
  },
  onCancel(doc, store) {
    doc['status'] = 'Cancelled';
    applyToInvoices(doc, store, -1n);
  },
};

/** Journal Entry: each row debits or credits one account in its currency, and debits must equal credits. */
export const journalEntryHooks: DocTypeHooks = {
  beforeValidate(doc, store) {
    for (const row of rowsOf(doc, 'accounts')) {
      const found = account(store, textOf(row, 'account'));
      if (found) row['account_currency'] = textOf(found, 'account_currency');
    }
  },
  validate(doc, store) {
    const company = store.get('Company', textOf(doc, 'company'));
    const companyCurrency = company ? textOf(company, 'default_currency') : '';
    const places = placesOf(companyCurrency);
    for (const row of rowsOf(doc, 'accounts')) {
      const idx = String(row['idx']);
      const found = account(store, textOf(row, 'account'));
      if (found && textOf(found, 'company') !== textOf(doc, 'company')) frappeThrow('ValidationError', `Account ${bold(found.name)} does not belong to company ${bold(textOf(doc, 'company'))}`);
      if (textOf(row, 'account_currency') !== companyCurrency) {
        if (doc['multi_currency'] !== 1) frappeThrow('ValidationError', 'Please check Multi Currency option to allow accounts with other currency');
      } else row['exchange_rate'] = units(1);
      const debit = decOf(row, 'debit_in_account_currency');
      const credit = decOf(row, 'credit_in_account_currency');
      if (debit < 0n || credit < 0n) frappeThrow('ValidationError', `Row ${idx}: Debit and Credit amounts cannot be negative`);
      if (debit === 0n && credit === 0n) frappeThrow('ValidationError', `Row ${idx}: Both Debit and Credit values cannot be zero`);
      if (debit > 0n && credit > 0n) frappeThrow('ValidationError', 'You cannot credit and debit same account at the same time');
      if (found && (found['account_type'] === 'Receivable' || found['account_type'] === 'Payable') && (!textOf(row, 'party_type') || !textOf(row, 'party'))) {
        frappeThrow('ValidationError', `Row ${idx}: Party Type and Party is required for Receivable / Payable account ${bold(found.name)}`);
      }
      row['debit'] = roundDec(mulDec(debit, decOf(row, 'exchange_rate')), places);
      row['credit'] = roundDec(mulDec(credit, decOf(row, 'exchange_rate')), places);
    }
    const totalDebit = sumDec(rowsOf(doc, 'accounts').map((r) => decOf(r, 'debit')));
    const totalCredit = sumDec(rowsOf(doc, 'accounts').map((r) => decOf(r, 'credit')));
    doc['total_debit'] = totalDebit;
    doc['total_credit'] = totalCredit;
    doc['difference'] = totalDebit - totalCredit;
    if (totalDebit !== totalCredit) frappeThrow('ValidationError', `Total Debit must be equal to Total Credit. The difference is ${pyFloat(totalDebit - totalCredit)}`);
    if (!textOf(doc, 'title')) doc['title'] = textOf(rowsOf(doc, 'accounts')[0] ?? doc, 'account');
  },
};
