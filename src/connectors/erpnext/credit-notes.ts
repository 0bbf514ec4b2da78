import { permanentError } from '../../model/index.js';
import type { Ensured, SubmittableOps } from './documents.js';
import { chargeRows, salesInvoiceOf, submitOnInsert, type Charge, type SalesInvoice, type SalesInvoiceLine, type SellingContext } from './selling-docs.js';
import { frappeDate, frappeMoney } from './values.js';

/** A credit note to create against a submitted Sales Invoice (a draft to submit with `salesInvoices.submit`, unless `submit`). */
export interface NewCreditNote {
  /** The hub's reference (e.g. the refund id), kept in the reference field: one credit note per reference. */
  reference: string;
  /** The Sales Invoice credited (ERPNext's `return_against`). */
  returnAgainst: string;
  postingDate: string;
  /** Positive quantities to credit, by item (spread over the invoice's rows); default: everything billed and not yet credited. */
  lines?: { itemCode: string; qty: number }[];
  /** Minor units of shipping to credit (default none). */
  shipping?: number;
  /** The invoice's charge account that holds shipping; default: its one charge whose account or description says shipping or freight. */
  shippingAccount?: string;
  /**
   * Other charges to credit (positive minor units, accounts of the invoice's charges), e.g. the
   * tax on the credited lines. Default: the invoice's charges other than shipping when the whole
   * invoice is credited, else none.
   */
  charges?: Charge[];
  /** Minor units of the invoice's discount to take back; default: all of it when the whole invoice is credited, else none. */
  discount?: number;
  /** Why the credit is given: the credit note's remarks. */
  reason?: string;
  /** Also lower the Sales Order's billed amount (ERPNext's `update_billed_amount_in_sales_order`; default false, as in ERPNext). */
  updateOrderBilling?: boolean;
  /** Create it submitted (docstatus 1) in the same call. Default: a draft. */
  submit?: boolean;
}

/** What a credit note credits: invoice rows with positive quantities, and positive charge and discount amounts. */
export interface CreditPlan {
  rows: { line: SalesInvoiceLine; qty: number }[];
  charges: Charge[];
  discount: number;
}

const SHIPPING = /shipping|freight/i;

function exceeds(message: string, details: Record<string, unknown>) {
  return permanentError('erpnext_credit_exceeds_billed', message, 422, details);
}

function earlierNames(earlier: readonly SalesInvoice[]): string {
  return earlier.length > 0 ? ` (credit notes ${earlier.map((e) => e.name).join(', ')})` : '';
}

/**
 * Quantity already credited per invoice row: rows of earlier credit notes that name the row
 * (`sales_invoice_item`), then the rest by item code, first come first served.
 */
export function creditedQuantities(invoice: SalesInvoice, earlier: readonly SalesInvoice[]): Map<string, number> {
  const credited = new Map<string, number>(invoice.lines.map((line) => [line.rowName, 0]));
  const unlinked: { itemCode: string; qty: number }[] = [];
  for (const line of earlier.flatMap((note) => note.lines)) {
    const qty = Math.abs(line.qty);
    if (line.salesInvoiceItem && credited.has(line.salesInvoiceItem)) credited.set(line.salesInvoiceItem, (credited.get(line.salesInvoiceItem) ?? 0) + qty);
    else unlinked.push({ itemCode: line.itemCode, qty });
  }
  for (const { itemCode, qty } of unlinked) {
    let left = qty;
    for (const line of invoice.lines.filter((l) => l.itemCode === itemCode)) {
      const take = Math.min(left, line.qty - (credited.get(line.rowName) ?? 0));
      if (take <= 0) continue;
      credited.set(line.rowName, (credited.get(line.rowName) ?? 0) + take);
      left -= take;
    }
  }
  return credited;
}

function selectRows(invoice: SalesInvoice, earlier: readonly SalesInvoice[], lines: NewCreditNote['lines']): CreditPlan['rows'] {
  const credited = creditedQuantities(invoice, earlier);
  const open = (line: SalesInvoiceLine) => Math.max(0, line.qty - (credited.get(line.rowName) ?? 0));
  if (!lines) return invoice.lines.filter((line) => open(line) > 0).map((line) => ({ line, qty: open(line) }));
  const wanted = new Map<string, number>();
  for (const { itemCode, qty } of lines) {
    if (!(Number.isFinite(qty) && qty > 0)) throw permanentError('erpnext_invalid_quantity', `credit note for ${invoice.name}: ${itemCode} has quantity ${qty}; quantities to credit are positive`, 422);
    wanted.set(itemCode, (wanted.get(itemCode) ?? 0) + qty);
  }
  const rows: CreditPlan['rows'] = [];
  for (const [itemCode, qty] of wanted) {
    const candidates = invoice.lines.filter((line) => line.itemCode === itemCode);
    if (candidates.length === 0) {
      throw permanentError('erpnext_line_not_on_invoice', `${itemCode} is not on Sales Invoice ${invoice.name} (it bills ${[...new Set(invoice.lines.map((l) => l.itemCode))].join(', ')})`, 422, { invoice: invoice.name, itemCode });
    }
    const billed = candidates.reduce((sum, line) => sum + line.qty, 0);
    const creditable = candidates.reduce((sum, line) => sum + open(line), 0);
    if (qty > creditable) {
      throw exceeds(`cannot credit ${qty} × ${itemCode} against Sales Invoice ${invoice.name}: ${billed} billed, ${billed - creditable} already credited${earlierNames(earlier)}, ${creditable} left to credit`, {
        invoice: invoice.name,
        itemCode,
        billed,
        credited: billed - creditable,
        requested: qty,
      });
    }
    let left = qty;
    for (const line of candidates) {
      const take = Math.min(left, open(line));
      if (take <= 0) continue;
      rows.push({ line, qty: take });
      left -= take;
    }
  }
  return rows;
}

function shippingAccountOf(invoice: SalesInvoice, given: string | undefined): string {
  if (given) return given;
  const accounts = [...new Set(invoice.charges.filter((c) => c.amount > 0 && (SHIPPING.test(c.account) || SHIPPING.test(c.description))).map((c) => c.account))];
  if (accounts.length === 1 && accounts[0]) return accounts[0];
  const listed = invoice.charges.map((c) => `${c.account} "${c.description}"`).join(', ') || 'none';
  throw permanentError(
    'erpnext_shipping_charge_unknown',
    `cannot tell which charge of Sales Invoice ${invoice.name} is shipping (charges: ${listed}): pass shippingAccount`,
    422,
    { invoice: invoice.name },
  );
}

function checkCharges(invoice: SalesInvoice, earlier: readonly SalesInvoice[], charges: readonly Charge[]): void {
  const byAccount = (list: readonly Charge[]) => list.reduce((map, c) => map.set(c.account, (map.get(c.account) ?? 0) + c.amount), new Map<string, number>());
  const billed = byAccount(invoice.charges);
  const creditedBefore = byAccount(earlier.flatMap((note) => note.charges.map((c) => ({ ...c, amount: -c.amount }))));
  for (const charge of charges) {
    if (!Number.isSafeInteger(charge.amount) || charge.amount <= 0) {
      throw permanentError('erpnext_invalid_amount', `credit note for ${invoice.name}: ${charge.amount} on ${charge.account} is not a positive integer of minor units`, 422);
    }
  }
  for (const [account, amount] of byAccount(charges)) {
    if (!billed.has(account)) {
      throw permanentError('erpnext_charge_not_on_invoice', `Sales Invoice ${invoice.name} has no charge on ${account} to credit (its charges: ${[...billed.keys()].join(', ') || 'none'})`, 422, { invoice: invoice.name, account });
    }
    const left = (billed.get(account) ?? 0) - (creditedBefore.get(account) ?? 0);
    if (amount > left) {
      throw exceeds(`cannot credit ${amount} (minor units) of ${account} against Sales Invoice ${invoice.name}: ${billed.get(account)} billed, ${creditedBefore.get(account) ?? 0} already credited${earlierNames(earlier)}`, {
        invoice: invoice.name,
        account,
        billed: billed.get(account),
        credited: creditedBefore.get(account) ?? 0,
        requested: amount,
      });
    }
  }
}

/**
 * Works out a credit note (pure): the rows and quantities credited (each at the invoice row's
 * rate), the charges and the discount taken back. A line not on the invoice, or more than was
 * billed minus what earlier credit notes credited, is a permanent error naming the numbers.
 */
export function planCreditNote(invoice: SalesInvoice, earlier: readonly SalesInvoice[], input: NewCreditNote): CreditPlan {
  if (input.lines && input.lines.length === 0) {
    throw permanentError('erpnext_credit_note_needs_items', `a credit note against ${invoice.name} needs at least one item row (ERPNext refuses a return without one): credit shipping or fees alone with a Journal Entry`, 422);
  }
  const rows = selectRows(invoice, earlier, input.lines);
  if (rows.length === 0) throw permanentError('erpnext_nothing_to_credit', `everything on Sales Invoice ${invoice.name} has been credited already${earlierNames(earlier)}`, 422, { invoice: invoice.name });
  const whole = earlier.length === 0 && invoice.lines.every((line) => rows.filter((r) => r.line.rowName === line.rowName).reduce((sum, r) => sum + r.qty, 0) === line.qty);
  // Shipping is credited only when asked for: a whole-invoice default reverses the other charges.
  const isShipping = (c: Charge) => (input.shippingAccount ? c.account === input.shippingAccount : SHIPPING.test(c.account) || SHIPPING.test(c.description));
  let charges: Charge[] = input.charges ? [...input.charges] : whole ? invoice.charges.filter((c) => c.amount > 0 && !isShipping(c)) : [];
  if (input.shipping !== undefined) {
    if (!Number.isSafeInteger(input.shipping) || input.shipping < 0) throw permanentError('erpnext_invalid_amount', `credit note for ${invoice.name}: shipping ${input.shipping} is not a non-negative integer of minor units`, 422);
    const account = shippingAccountOf(invoice, input.shippingAccount);
    const description = invoice.charges.find((c) => c.account === account)?.description || 'Shipping';
    charges = charges.filter((c) => c.account !== account);
    if (input.shipping > 0) charges.push({ account, description, amount: input.shipping });
  }
  checkCharges(invoice, earlier, charges);
  const discountLeft = invoice.discount + earlier.reduce((sum, note) => sum + note.discount, 0);
  const discount = input.discount ?? (whole ? invoice.discount : 0);
  if (!Number.isSafeInteger(discount) || discount < 0) throw permanentError('erpnext_invalid_amount', `credit note for ${invoice.name}: discount ${discount} is not a non-negative integer of minor units`, 422);
  if (discount > discountLeft) {
    throw exceeds(`cannot take back ${discount} (minor units) of discount on Sales Invoice ${invoice.name}: ${invoice.discount} given, ${invoice.discount - discountLeft} already taken back${earlierNames(earlier)}`, {
      invoice: invoice.name,
      discount: invoice.discount,
      requested: discount,
    });
  }
  return { rows, charges, discount };
}

/** The credit note document ERPNext expects: a Sales Invoice with is_return, negative rows pointing at the invoice's rows, negative charges and discount. */
export function creditNoteDoc(invoice: SalesInvoice, plan: CreditPlan, input: NewCreditNote, context: SellingContext): Record<string, unknown> {
  const { settings } = context;
  const money = (minor: number) => frappeMoney(minor, invoice.currency);
  return {
    customer: invoice.customer,
    company: invoice.company ?? settings.company,
    is_return: 1,
    return_against: invoice.name,
    // Settle the invoice (its outstanding goes down) instead of leaving a balance on the credit note.
    update_outstanding_for_self: 0,
    update_billed_amount_in_sales_order: input.updateOrderBilling ? 1 : 0,
    posting_date: frappeDate(input.postingDate),
    due_date: frappeDate(input.postingDate),
    currency: invoice.currency,
    selling_price_list: settings.priceList,
    ...(invoice.debitTo ? { debit_to: invoice.debitTo } : {}),
    disable_rounded_total: 1,
    apply_discount_on: 'Net Total',
    discount_amount: money(-plan.discount),
    ...(input.reason ? { remarks: input.reason } : {}),
    items: plan.rows.map(({ line, qty }) => ({
      item_code: line.itemCode,
      qty: -qty,
      rate: money(line.rate),
      sales_invoice_item: line.rowName,
      ...(line.salesOrder ? { sales_order: line.salesOrder } : {}),
      ...(line.soDetail ? { so_detail: line.soDetail } : {}),
      ...(line.warehouse ? { warehouse: line.warehouse } : {}),
    })),
    taxes: chargeRows(
      plan.charges.map((c) => ({ ...c, amount: -c.amount })),
      invoice.currency,
    ),
    ...submitOnInsert(input),
  };
}

/** `salesInvoices.ensureCreditNote`: reads the invoice and its live credit notes, checks what is left to credit, and creates the credit note once per reference. */
export function creditNoteOp(context: SellingContext, invoices: SubmittableOps<SalesInvoice>) {
  const { resources } = context;
  return async (input: NewCreditNote, signal?: AbortSignal): Promise<Ensured<SalesInvoice>> => {
    const result = await resources.ensureDoc(
      'Sales Invoice',
      input.reference,
      async () => {
        const invoice = await invoices.get(input.returnAgainst, signal);
        if (invoice.isReturn) throw permanentError('erpnext_not_an_invoice', `Sales Invoice ${invoice.name} is itself a credit note: credit the invoice it returns (${invoice.returnAgainst ?? 'unknown'})`, 422);
        if (invoice.state !== 'submitted') {
          throw permanentError('erpnext_invoice_not_submitted', `Sales Invoice ${invoice.name} is ${invoice.state}: only a submitted invoice can be credited`, 422, { invoice: invoice.name, state: invoice.state });
        }
        const names = await resources.listDocs('Sales Invoice', {
          filters: [
            ['is_return', '=', 1],
            ['return_against', '=', invoice.name],
            ['docstatus', '!=', 2],
          ],
          orderBy: 'creation asc',
          limit: 0,
          ...(signal ? { signal } : {}),
        });
        const earlier = await Promise.all(names.map((doc) => invoices.get(doc.name, signal)));
        return creditNoteDoc(invoice, planCreditNote(invoice, earlier, input), input, context);
      },
      signal,
    );
    return { doc: salesInvoiceOf(result.doc, context), outcome: result.outcome };
  };
}
