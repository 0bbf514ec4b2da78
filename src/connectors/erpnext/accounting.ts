import { journalViolations, permanentError } from '../../model/index.js';
import type { ErpnextSettings } from './config.js';
import { optional, parseWire, stateOf, submittableOps, type DocState, type Ensured, type SubmittableOps } from './documents.js';
import type { FrappeDoc, FrappeResources } from './resources.js';
import type { SalesInvoice } from './selling.js';
import { frappeDate, frappeMoney, minorFromFrappe } from './values.js';
import { JournalEntryWire, PaymentEntryWire } from './wire.js';

/** Money received against a Sales Invoice (a Receive Payment Entry), in the invoice's currency: what the invoice still owes is allocated to it, the rest stays an advance of the customer. */
export interface NewPaymentEntry {
  reference: string;
  /** The Sales Invoice's name. */
  invoice: string;
  /** Minor units of the invoice's currency. */
  amount: number;
  postingDate: string;
  /** The bank, cash or clearing account the money went to (paid_to). */
  account: string;
  modeOfPayment?: string;
  /** The payment provider's reference (default: the hub's reference); bank accounts require one. */
  referenceNo?: string;
  referenceDate?: string;
}

/** A Payment Entry. */
export interface PaymentEntry {
  name: string;
  reference?: string;
  state: DocState;
  status: string;
  paymentType: string;
  party?: string;
  postingDate: string;
  currency: string;
  /** Minor units of `currency`. */
  amount: number;
  paidFrom: string;
  paidTo: string;
  referenceNo?: string;
  allocations: { doctype: string; name: string; amount: number }[];
  modified: string;
}

/** One journal line: a debit or a credit in the account's currency (minor units). */
export interface JournalLineInput {
  account: string;
  debit: number;
  credit: number;
  partyType?: 'Customer' | 'Supplier';
  party?: string;
  remark?: string;
}

/** A Journal Entry to create (draft); debits must equal credits. */
export interface NewJournalEntry {
  reference: string;
  postingDate: string;
  /** The accounts' currency (the company currency unless multiCurrency). */
  currency: string;
  lines: JournalLineInput[];
  memo?: string;
  /** Default "Journal Entry". */
  voucherType?: string;
  chequeNo?: string;
  chequeDate?: string;
  multiCurrency?: boolean;
}

/** A Journal Entry. */
export interface JournalEntry {
  name: string;
  reference?: string;
  state: DocState;
  postingDate: string;
  voucherType?: string;
  memo?: string;
  currency: string;
  totalDebit: number;
  totalCredit: number;
  lines: { account: string; debit: number; credit: number; currency: string; partyType?: string; party?: string }[];
  modified: string;
}

/** Payment Entries (LedgerSink: money received against invoices). */
export interface PaymentEntryOps extends SubmittableOps<PaymentEntry> {
  ensure(input: NewPaymentEntry, signal?: AbortSignal): Promise<Ensured<PaymentEntry>>;
}

/** Journal Entries (LedgerSink: fees, payouts, adjustments). */
export interface JournalEntryOps extends SubmittableOps<JournalEntry> {
  /** Refuses an unbalanced entry before sending it; else finds it by reference or creates the draft. */
  ensure(input: NewJournalEntry, signal?: AbortSignal): Promise<Ensured<JournalEntry>>;
}

interface Context {
  resources: FrappeResources;
  settings: ErpnextSettings;
  connectionId: string;
  getInvoice(name: string, signal?: AbortSignal): Promise<SalesInvoice>;
}

function referenceOf(doc: FrappeDoc, context: Context): { reference?: string } {
  const value = doc[context.settings.referenceField];
  return typeof value === 'string' && value ? { reference: value } : {};
}

function paymentEntryOf(doc: FrappeDoc, context: Context): PaymentEntry {
  const wire = parseWire(PaymentEntryWire, doc, context.connectionId, 'Payment Entry');
  const currency = optional(wire.paid_to_account_currency) ?? optional(wire.paid_from_account_currency) ?? context.settings.currency;
  if (!currency) throw permanentError('erpnext_unknown_currency', `${context.connectionId}: Payment Entry ${wire.name} names no account currency`, 502);
  const what = `Payment Entry ${wire.name}`;
  return {
    name: wire.name,
    ...referenceOf(doc, context),
    state: stateOf(wire.docstatus),
    status: wire.status ?? '',
    paymentType: wire.payment_type,
    ...(optional(wire.party) ? { party: wire.party as string } : {}),
    postingDate: wire.posting_date,
    currency,
    amount: minorFromFrappe(wire.paid_amount, currency, `${what} paid_amount`),
    paidFrom: wire.paid_from,
    paidTo: wire.paid_to,
    ...(optional(wire.reference_no) ? { referenceNo: wire.reference_no as string } : {}),
    allocations: (wire.references ?? []).map((row) => ({
      doctype: row.reference_doctype,
      name: row.reference_name,
      amount: minorFromFrappe(row.allocated_amount, currency, `${what} allocated_amount`),
    })),
    modified: wire.modified,
  };
}

function journalEntryOf(doc: FrappeDoc, context: Context): JournalEntry {
  const wire = parseWire(JournalEntryWire, doc, context.connectionId, 'Journal Entry');
  const what = `Journal Entry ${wire.name}`;
  const currency = context.settings.currency ?? optional(wire.accounts[0]?.account_currency);
  if (!currency) throw permanentError('erpnext_unknown_currency', `${context.connectionId}: Journal Entry ${wire.name} names no account currency`, 502);
  return {
    name: wire.name,
    ...referenceOf(doc, context),
    state: stateOf(wire.docstatus),
    postingDate: wire.posting_date,
    ...(optional(wire.voucher_type) ? { voucherType: wire.voucher_type as string } : {}),
    ...(optional(wire.user_remark) ? { memo: wire.user_remark as string } : {}),
    currency,
    totalDebit: minorFromFrappe(wire.total_debit, currency, `${what} total_debit`),
    totalCredit: minorFromFrappe(wire.total_credit, currency, `${what} total_credit`),
    lines: wire.accounts.map((row) => {
      const rowCurrency = optional(row.account_currency) ?? currency;
      return {
        account: row.account,
        debit: minorFromFrappe(row.debit_in_account_currency, rowCurrency, `${what} debit_in_account_currency`),
        credit: minorFromFrappe(row.credit_in_account_currency, rowCurrency, `${what} credit_in_account_currency`),
        currency: rowCurrency,
        ...(optional(row.party_type) ? { partyType: row.party_type as string } : {}),
        ...(optional(row.party) ? { party: row.party as string } : {}),
      };
    }),
    modified: wire.modified,
  };
}

/** Payment Entry and Journal Entry operations. */
export function createAccountingOps(context: Context): { paymentEntries: PaymentEntryOps; journalEntries: JournalEntryOps } {
  const { resources, settings } = context;
  return {
    paymentEntries: {
      ...submittableOps(resources, 'Payment Entry', (doc) => paymentEntryOf(doc, context)),
      async ensure(input, signal) {
        const result = await resources.ensureDoc(
          'Payment Entry',
          input.reference,
          async () => {
            const invoice = await context.getInvoice(input.invoice, signal);
            const amount = frappeMoney(input.amount, invoice.currency);
            // What the invoice still owes is allocated to it; the rest stays with the customer as an advance.
            const allocated = Math.min(input.amount, Math.max(0, invoice.outstanding));
            return {
              payment_type: 'Receive',
              company: settings.company,
              posting_date: frappeDate(input.postingDate),
              party_type: 'Customer',
              party: invoice.customer,
              ...(invoice.debitTo ? { paid_from: invoice.debitTo } : {}),
              paid_to: input.account,
              paid_amount: amount,
              received_amount: amount,
              source_exchange_rate: 1,
              target_exchange_rate: 1,
              ...(input.modeOfPayment ? { mode_of_payment: input.modeOfPayment } : {}),
              reference_no: input.referenceNo ?? input.reference,
              reference_date: frappeDate(input.referenceDate ?? input.postingDate),
              references: allocated > 0 ? [{ reference_doctype: 'Sales Invoice', reference_name: invoice.name, allocated_amount: frappeMoney(allocated, invoice.currency) }] : [],
            };
          },
          signal,
        );
        return { doc: paymentEntryOf(result.doc, context), outcome: result.outcome };
      },
    },

    journalEntries: {
      ...submittableOps(resources, 'Journal Entry', (doc) => journalEntryOf(doc, context)),
      async ensure(input, signal) {
        const violations = journalViolations({ lines: input.lines.map((line) => ({ debit: line.debit, credit: line.credit, currency: input.currency })) });
        if (violations.length > 0) {
          throw permanentError('erpnext_unbalanced_journal', `Journal Entry ${input.reference}: ${violations.map((v) => `${v.pointer}: ${v.detail}`).join('; ')}`, 422, violations);
        }
        const result = await resources.ensureDoc(
          'Journal Entry',
          input.reference,
          () => ({
            voucher_type: input.voucherType ?? 'Journal Entry',
            company: settings.company,
            posting_date: frappeDate(input.postingDate),
            ...(input.memo ? { user_remark: input.memo } : {}),
            ...(input.chequeNo ? { cheque_no: input.chequeNo, cheque_date: frappeDate(input.chequeDate ?? input.postingDate) } : {}),
            multi_currency: input.multiCurrency ? 1 : 0,
            accounts: input.lines.map((line) => ({
              account: line.account,
              debit_in_account_currency: frappeMoney(line.debit, input.currency),
              credit_in_account_currency: frappeMoney(line.credit, input.currency),
              ...(line.partyType ? { party_type: line.partyType } : {}),
              ...(line.party ? { party: line.party } : {}),
              ...(line.remark ? { user_remark: line.remark } : {}),
            })),
          }),
          signal,
        );
        return { doc: journalEntryOf(result.doc, context), outcome: result.outcome };
      },
    },
  };
}
