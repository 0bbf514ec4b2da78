import { afterEach, describe, expect, it } from 'vitest';
import type { ErpnextClient } from './client.js';
import { creditedQuantities, planCreditNote } from './credit-notes.js';
import type { SalesInvoice } from './selling-docs.js';
import { closeEmulators, setup } from './test-support.js';

afterEach(closeEmulators);

const now = () => Date.parse('2026-11-26T10:15:00Z');

/** A submitted order and its submitted invoice: 2 × 25.00 + 1 × 14.50, 4.50 discount, 4.00 tax, 5.00 shipping = 69.00. */
async function billedOrder(erp: ErpnextClient, reference = 'ord_cn') {
  const order = await erp.salesOrders.ensure({
    reference,
    customer: 'Walk-in Customer',
    currency: 'USD',
    transactionDate: '2026-11-26',
    deliveryDate: '2026-11-28',
    lines: [
      { itemCode: 'TEE-RED-M', qty: 2, rate: 2500 },
      { itemCode: 'MUG-LOGO', qty: 1, rate: 1450 },
    ],
    charges: [
      { account: 'Sales Tax - TB', description: 'IL state', amount: 400 },
      { account: 'Shipping Income - TB', description: 'Shipping', amount: 500 },
    ],
    discount: 450,
  });
  await erp.salesOrders.submit(order.doc.name);
  const draft = await erp.salesInvoices.ensure({ reference: `inv_${reference}`, salesOrder: order.doc.name, postingDate: '2026-11-27', dueDate: '2026-12-27' });
  const invoice = await erp.salesInvoices.submit(draft.doc.name);
  expect(invoice).toMatchObject({ grandTotal: 6900, outstanding: 6900, status: 'Unpaid', isReturn: false });
  return { order: order.doc, invoice };
}

describe('ERPNext credit notes (return Sales Invoices)', () => {
  it('credits a whole invoice once per reference: negative rows at the same rates, charges and discount reversed; submit settles the invoice', async () => {
    const { erp, state } = await setup({ now });
    const { invoice } = await billedOrder(erp);

    const credit = await erp.salesInvoices.ensureCreditNote({ reference: 'rf_1', returnAgainst: invoice.name, postingDate: '2026-11-28', shipping: 500, reason: 'order cancelled by the customer' });
    expect(credit.outcome).toBe('created');
    expect(credit.doc).toMatchObject({
      name: 'ACC-SINV-2026-00002',
      state: 'draft',
      isReturn: true,
      returnAgainst: invoice.name,
      company: 'Tillbridge Retail',
      total: -6450,
      discount: -450,
      chargesTotal: -900,
      grandTotal: -6900,
      outstanding: 0,
      charges: [
        { account: 'Sales Tax - TB', amount: -400 },
        { account: 'Shipping Income - TB', amount: -500 },
      ],
    });
    expect(credit.doc.lines).toEqual([
      expect.objectContaining({ itemCode: 'TEE-RED-M', qty: -2, rate: 2500, amount: -5000, salesInvoiceItem: invoice.lines[0]?.rowName }),
      expect.objectContaining({ itemCode: 'MUG-LOGO', qty: -1, rate: 1450, amount: -1450, salesInvoiceItem: invoice.lines[1]?.rowName }),
    ]);
    const raw = await erp.getDoc('Sales Invoice', credit.doc.name);
    expect(raw).toMatchObject({ is_return: 1, return_against: invoice.name, update_outstanding_for_self: 0, remarks: 'order cancelled by the customer' });

    expect(await erp.salesInvoices.ensureCreditNote({ reference: 'rf_1', returnAgainst: invoice.name, postingDate: '2026-11-28' })).toMatchObject({ outcome: 'existing', doc: { name: credit.doc.name } });
    expect((await state()).byReference['Sales Invoice']).toEqual({ inv_ord_cn: 1, rf_1: 1 });

    expect(await erp.salesInvoices.submit(credit.doc.name)).toMatchObject({ state: 'submitted', status: 'Return', outstanding: 0 });
    expect(await erp.salesInvoices.get(invoice.name)).toMatchObject({ outstanding: 0, status: 'Credit Note Issued' });
    await expect(erp.salesInvoices.ensureCreditNote({ reference: 'rf_2', returnAgainst: invoice.name, postingDate: '2026-11-28' })).rejects.toMatchObject({ code: 'erpnext_nothing_to_credit', retryable: false });

    // ERPNext refuses to cancel an invoice a submitted credit note returns against; cancelling the credit note reopens the receivable.
    await expect(erp.salesInvoices.cancel(invoice.name)).rejects.toMatchObject({ code: 'erpnext_validation', details: { excType: 'LinkExistsError' } });
    expect((await erp.salesInvoices.cancel(credit.doc.name)).state).toBe('cancelled');
    expect(await erp.salesInvoices.get(invoice.name)).toMatchObject({ outstanding: 6900, status: 'Unpaid' });
  });

  it('credits part of an invoice with shipping, then the rest, and never more than was billed', async () => {
    const { erp } = await setup({ now });
    const { invoice } = await billedOrder(erp);

    const first = await erp.salesInvoices.ensureCreditNote({ reference: 'rf_a', returnAgainst: invoice.name, postingDate: '2026-11-28', lines: [{ itemCode: 'TEE-RED-M', qty: 1 }], shipping: 500 });
    expect(first.doc).toMatchObject({ total: -2500, discount: 0, chargesTotal: -500, grandTotal: -3000, charges: [{ account: 'Shipping Income - TB', description: 'Shipping', amount: -500 }] });
    expect(first.doc.lines).toEqual([expect.objectContaining({ itemCode: 'TEE-RED-M', qty: -1, rate: 2500 })]);
    await erp.salesInvoices.submit(first.doc.name);
    expect(await erp.salesInvoices.get(invoice.name)).toMatchObject({ outstanding: 3900, status: 'Partly Paid' });

    // More than is left: the connector refuses before calling ERPNext, naming the numbers.
    const over = erp.salesInvoices.ensureCreditNote({ reference: 'rf_b', returnAgainst: invoice.name, postingDate: '2026-11-28', lines: [{ itemCode: 'TEE-RED-M', qty: 2 }] });
    await expect(over).rejects.toMatchObject({ code: 'erpnext_credit_exceeds_billed', retryable: false, details: { billed: 2, credited: 1, requested: 2 } });
    await expect(over).rejects.toThrow(`cannot credit 2 × TEE-RED-M against Sales Invoice ${invoice.name}: 2 billed, 1 already credited (credit notes ${first.doc.name}), 1 left to credit`);
    await expect(erp.salesInvoices.ensureCreditNote({ reference: 'rf_b', returnAgainst: invoice.name, postingDate: '2026-11-28', lines: [{ itemCode: 'MUG-LOGO', qty: 1 }], shipping: 1 })).rejects.toMatchObject({
      code: 'erpnext_credit_exceeds_billed',
      details: { account: 'Shipping Income - TB', billed: 500, credited: 500, requested: 1 },
    });
    await expect(erp.salesInvoices.ensureCreditNote({ reference: 'rf_b', returnAgainst: invoice.name, postingDate: '2026-11-28', lines: [{ itemCode: 'CAP-NAVY', qty: 1 }] })).rejects.toMatchObject({
      code: 'erpnext_line_not_on_invoice',
      message: `CAP-NAVY is not on Sales Invoice ${invoice.name} (it bills TEE-RED-M, MUG-LOGO)`,
    });
    await expect(erp.salesInvoices.ensureCreditNote({ reference: 'rf_b', returnAgainst: invoice.name, postingDate: '2026-11-28', lines: [] })).rejects.toMatchObject({ code: 'erpnext_credit_note_needs_items' });
    await expect(erp.salesInvoices.ensureCreditNote({ reference: 'rf_b', returnAgainst: invoice.name, postingDate: '2026-11-28', lines: [{ itemCode: 'MUG-LOGO', qty: 1 }], discount: 451 })).rejects.toMatchObject({ code: 'erpnext_credit_exceeds_billed' });

    // The rest (lines omitted), with the tax and the discount taken back: the invoice is settled.
    const rest = await erp.salesInvoices.ensureCreditNote({
      reference: 'rf_b',
      returnAgainst: invoice.name,
      postingDate: '2026-11-29',
      charges: [{ account: 'Sales Tax - TB', description: 'IL state', amount: 400 }],
      discount: 450,
    });
    expect(rest.doc.lines.map((l) => [l.itemCode, l.qty])).toEqual([
      ['TEE-RED-M', -1],
      ['MUG-LOGO', -1],
    ]);
    expect(rest.doc).toMatchObject({ total: -3950, discount: -450, chargesTotal: -400, grandTotal: -3900 });
    await erp.salesInvoices.submit(rest.doc.name);
    expect(await erp.salesInvoices.get(invoice.name)).toMatchObject({ outstanding: 0, status: 'Credit Note Issued' });
  });

  it('refuses to credit a credit note, and credits a paid invoice below zero', async () => {
    const { erp } = await setup({ now });
    const { invoice } = await billedOrder(erp);
    const credit = await erp.salesInvoices.ensureCreditNote({ reference: 'rf_1', returnAgainst: invoice.name, postingDate: '2026-11-28', lines: [{ itemCode: 'MUG-LOGO', qty: 1 }] });
    await expect(erp.salesInvoices.ensureCreditNote({ reference: 'rf_2', returnAgainst: credit.doc.name, postingDate: '2026-11-28' })).rejects.toMatchObject({ code: 'erpnext_not_an_invoice' });

    const second = await billedOrder(erp, 'ord_cn2');
    const payment = await erp.paymentEntries.ensure({ reference: 'pay_1', invoice: second.invoice.name, amount: 6900, postingDate: '2026-11-27', account: 'Cash - TB' });
    await erp.paymentEntries.submit(payment.doc.name);
    expect((await erp.salesInvoices.get(second.invoice.name)).status).toBe('Paid');

    // A paid invoice can be credited: its outstanding goes below zero (the customer is owed a refund).
    const refund = await erp.salesInvoices.ensureCreditNote({ reference: 'rf_3', returnAgainst: second.invoice.name, postingDate: '2026-11-28', lines: [{ itemCode: 'MUG-LOGO', qty: 1 }] });
    await erp.salesInvoices.submit(refund.doc.name);
    expect(await erp.salesInvoices.get(second.invoice.name)).toMatchObject({ outstanding: -1450, status: 'Credit Note Issued' });
  });
});

describe('ERPNext emulator: return Sales Invoices as Frappe validates them', () => {
  it('refuses returns against a draft, positive rows, unknown items, higher rates and more than is returnable', async () => {
    const { erp } = await setup({ now });
    const { invoice } = await billedOrder(erp);
    const base = { customer: 'Walk-in Customer', company: 'Tillbridge Retail', posting_date: '2026-11-28', disable_rounded_total: 1, is_return: 1, return_against: invoice.name, update_outstanding_for_self: 0 };
    const row = (qty: number, extra: Record<string, unknown> = {}) => ({ item_code: 'TEE-RED-M', qty, rate: 25, sales_invoice_item: invoice.lines[0]?.rowName, ...extra });
    const refused = async (doc: Record<string, unknown>) => ((await erp.insertDoc('Sales Invoice', doc).catch((e: unknown) => e)) as { details: { excType: string; messages: string[] } }).details;

    expect(await refused({ ...base, items: [row(-3)] })).toMatchObject({ excType: 'StockOverReturnError', messages: ['Row # 1: Cannot return more than 2.0 for Item TEE-RED-M'] });
    expect(await refused({ ...base, items: [row(1)] })).toMatchObject({ excType: 'ValidationError', messages: ['Row # 1: Qty must be negative in return document'] });
    expect(await refused({ ...base, items: [row(-1, { rate: 26 })] })).toMatchObject({ messages: [`Row # 1: Rate cannot be greater than the rate used in Sales Invoice ${invoice.name}`] });
    expect(await refused({ ...base, items: [{ item_code: 'CAP-NAVY', qty: -1, rate: 18 }] })).toMatchObject({ messages: [`Row # 1: Returned Item CAP-NAVY does not exist in Sales Invoice ${invoice.name}`] });
    expect(await refused({ ...base, posting_date: '2026-11-26', items: [row(-1)] })).toMatchObject({ messages: ['Posting timestamp must be after 27-11-2026 00:00:00'] });

    // Two submitted returns of one each use up the row: a third is refused at submit.
    for (const n of [1, 2]) {
      const doc = await erp.insertDoc('Sales Invoice', { ...base, items: [row(-1)] });
      expect(doc).toMatchObject({ grand_total: -25, outstanding_amount: 0, status: 'Draft' });
      expect(await erp.submitDoc('Sales Invoice', doc.name)).toMatchObject({ status: 'Return' });
      expect((await erp.getDoc('Sales Invoice', invoice.name))['outstanding_amount']).toBe(69 - 25 * n);
    }
    expect(await refused({ ...base, items: [row(-1)] })).toMatchObject({ excType: 'StockOverReturnError', messages: ['Item TEE-RED-M has already been returned'] });

    // Without update_outstanding_for_self unticked, the credit note keeps its own (negative) balance.
    const own = await erp.insertDoc('Sales Invoice', { ...base, update_outstanding_for_self: 1, items: [{ item_code: 'MUG-LOGO', qty: -1, rate: 14.5 }] });
    expect(await erp.submitDoc('Sales Invoice', own.name)).toMatchObject({ outstanding_amount: -14.5, status: 'Return' });
    expect((await erp.getDoc('Sales Invoice', invoice.name))['outstanding_amount']).toBe(19);

    const order = await erp.salesOrders.ensure({ reference: 'ord_d', customer: 'Walk-in Customer', currency: 'USD', transactionDate: '2026-11-26', deliveryDate: '2026-11-28', lines: [{ itemCode: 'CAP-NAVY', qty: 1, rate: 1800 }] });
    await erp.salesOrders.submit(order.doc.name);
    const draft = await erp.salesInvoices.ensure({ reference: 'inv_d', salesOrder: order.doc.name, postingDate: '2026-11-27' });
    expect(await refused({ ...base, return_against: draft.doc.name, items: [{ item_code: 'CAP-NAVY', qty: -1, rate: 18 }] })).toMatchObject({
      messages: [`Return Against Sales Invoice ${draft.doc.name} is not submitted`],
    });
    await expect(erp.salesInvoices.ensureCreditNote({ reference: 'rf_d', returnAgainst: draft.doc.name, postingDate: '2026-11-28' })).rejects.toMatchObject({ code: 'erpnext_invoice_not_submitted' });
  });
});

describe('planCreditNote (pure)', () => {
  const invoice: SalesInvoice = {
    name: 'SINV-1',
    state: 'submitted',
    status: 'Unpaid',
    customer: 'C',
    currency: 'USD',
    postingDate: '2026-11-27',
    outstanding: 3500,
    isReturn: false,
    total: 3000,
    discount: 0,
    netTotal: 3000,
    chargesTotal: 500,
    grandTotal: 3500,
    lines: [
      { rowName: 'r1', itemCode: 'A', qty: 1, rate: 1000, amount: 1000 },
      { rowName: 'r2', itemCode: 'A', qty: 2, rate: 1000, amount: 2000 },
    ],
    charges: [
      { account: 'Freight Out - TB', description: 'Carrier', amount: 300 },
      { account: 'Handling - TB', description: 'Shipping surcharge', amount: 200 },
    ],
    modified: '',
  };
  const note = (lines: SalesInvoice['lines']): SalesInvoice => ({ ...invoice, name: 'SINV-2', isReturn: true, returnAgainst: 'SINV-1', lines, charges: [] });

  it('counts credit notes that name no row against the item, first row first', () => {
    const earlier = [note([{ rowName: 'x', itemCode: 'A', qty: -2, rate: 1000, amount: -2000 }])];
    expect([...creditedQuantities(invoice, earlier)]).toEqual([
      ['r1', 1],
      ['r2', 1],
    ]);
    expect(planCreditNote(invoice, earlier, { reference: 'r', returnAgainst: 'SINV-1', postingDate: '2026-11-28' }).rows.map((r) => [r.line.rowName, r.qty])).toEqual([['r2', 1]]);
  });

  it('reverses the charges and discount of a whole invoice, shipping only when asked for', () => {
    const billed = { ...invoice, discount: 100, charges: [...invoice.charges, { account: 'Sales Tax - TB', description: 'State tax', amount: 250 }] };
    const whole = { reference: 'r', returnAgainst: 'SINV-1', postingDate: '2026-11-28', shippingAccount: 'Freight Out - TB' };
    expect(planCreditNote(billed, [], whole)).toMatchObject({
      charges: [
        { account: 'Handling - TB', amount: 200 },
        { account: 'Sales Tax - TB', amount: 250 },
      ],
      discount: 100,
    });
    expect(planCreditNote(billed, [], { ...whole, shipping: 300 }).charges.map((c) => [c.account, c.amount])).toEqual([
      ['Handling - TB', 200],
      ['Sales Tax - TB', 250],
      ['Freight Out - TB', 300],
    ]);
    // Part of the invoice: nothing but what is asked for.
    expect(planCreditNote(billed, [], { ...whole, lines: [{ itemCode: 'A', qty: 3 }] })).toMatchObject({ discount: 100 });
    expect(planCreditNote(billed, [], { ...whole, lines: [{ itemCode: 'A', qty: 2 }] })).toMatchObject({ charges: [], discount: 0 });
  });

  it('asks for the shipping account when the charges do not say which one it is', () => {
    expect(() => planCreditNote(invoice, [], { reference: 'r', returnAgainst: 'SINV-1', postingDate: '2026-11-28', lines: [{ itemCode: 'A', qty: 1 }], shipping: 100 })).toThrow(/cannot tell which charge .* pass shippingAccount/);
    const plan = planCreditNote(invoice, [], { reference: 'r', returnAgainst: 'SINV-1', postingDate: '2026-11-28', lines: [{ itemCode: 'A', qty: 1 }], shipping: 100, shippingAccount: 'Handling - TB' });
    expect(plan).toEqual({ rows: [{ line: invoice.lines[0], qty: 1 }], charges: [{ account: 'Handling - TB', description: 'Shipping surcharge', amount: 100 }], discount: 0 });
  });
});
