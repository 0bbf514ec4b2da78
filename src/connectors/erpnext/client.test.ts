import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../model/index.js';
import { closeEmulators, setup } from './test-support.js';
import { corpusUrl } from '../../testing/index.js';

afterEach(closeEmulators);

/** The Shopify orders/create sample: five lines, a 20.00 discount, 10.00 shipping, total 404.95 USD. */
const corpusOrder = JSON.parse(fs.readFileSync(corpusUrl('shopify/webhooks-2026-04/orders_create.json'), 'utf8')).response as {
  line_items: { sku: string; title: string; quantity: number; price: string }[];
  total_discounts: string;
  total_price: string;
  total_shipping_price_set: { shop_money: { amount: string } };
};
const cents = (value: string) => Math.round(Number(value) * 100);

describe('ERPNext client: order to cash over real HTTP', () => {
  it('creates customer, items and a sales order with exact totals, then delivers, invoices, takes payment and posts a journal entry', async () => {
    const { erp, emulator, state } = await setup({ now: () => Date.parse('2026-11-26T10:15:00Z') });

    const first = await erp.customers.ensure({ reference: 'shop-main:c-42', name: 'Ana Silva', email: 'ana@example.com' });
    expect(first).toMatchObject({ outcome: 'created', customer: { name: 'Ana Silva', customerName: 'Ana Silva', email: 'ana@example.com', reference: 'shop-main:c-42' } });
    expect((await erp.customers.ensure({ reference: 'shop-main:c-42', name: 'Ana Silva' })).outcome).toBe('existing');
    const namesake = await erp.customers.ensure({ reference: 'shop-main:c-77', name: 'Ana Silva' });
    expect(namesake.customer.name).toBe('Ana Silva - 1');

    // The protection plan is a service: an ERPNext item that keeps no stock.
    for (const line of corpusOrder.line_items) {
      const stocked = line.sku !== 'LENS-PROTECT-2YR';
      const created = await erp.items.ensure({ itemCode: line.sku, itemName: line.title, isStockItem: stocked });
      expect(created).toMatchObject({ outcome: 'created', item: { itemCode: line.sku, itemName: line.title, stockUom: 'Nos', isStockItem: stocked, reference: `item:${line.sku}` } });
    }
    expect((await erp.items.ensure({ itemCode: 'SKU2006-001' })).outcome).toBe('existing');

    const lines = corpusOrder.line_items.map((line) => ({ itemCode: line.sku, qty: line.quantity, rate: cents(line.price) }));
    const order = await erp.salesOrders.ensure({
      reference: 'ord_1001',
      customer: first.customer.name,
      currency: 'USD',
      transactionDate: '2026-11-26T10:15:00Z',
      deliveryDate: '2026-11-30',
      lines: lines.filter((l) => l.itemCode !== 'LENS-PROTECT-2YR'),
      charges: [{ account: 'Shipping Income - TB', description: 'Shipping', amount: cents(corpusOrder.total_shipping_price_set.shop_money.amount) }],
      discount: cents(corpusOrder.total_discounts),
      poNo: '#1001',
    });
    expect(order.outcome).toBe('created');
    expect(order.doc).toMatchObject({ name: 'SAL-ORD-2026-00001', state: 'draft', status: 'Draft', total: 39496, discount: 2000, netTotal: 37496, chargesTotal: 1000, grandTotal: 38496 });

    // A draft can be edited: the service line is added (rates as Frappe decimals) and the total is the channel's.
    const withService = await erp.updateDoc('Sales Order', order.doc.name, {
      items: [...order.doc.lines.map((l) => ({ name: l.rowName, item_code: l.itemCode, qty: l.qty, rate: l.rate / 100 })), { item_code: 'LENS-PROTECT-2YR', qty: 1, rate: 19.99 }],
    });
    expect(withService['grand_total']).toBe(Number(corpusOrder.total_price));

    const submitted = await erp.salesOrders.submit(order.doc.name);
    expect(submitted).toMatchObject({ state: 'submitted', status: 'To Deliver and Bill', grandTotal: 40495, perDelivered: '0' });
    expect((await erp.salesOrders.submit(order.doc.name)).state).toBe('submitted');
    expect(await erp.bins.get('SKU2006-001', 'Stores - TB')).toMatchObject({ actualQty: 0, reservedQty: 1, projectedQty: -1 });
    expect((await erp.salesOrders.ensure({ reference: 'ord_1001', customer: 'x', currency: 'USD', transactionDate: '2026-11-26', deliveryDate: '2026-11-30', lines: [] })).outcome).toBe('existing');
    expect((await state()).counts['Sales Order']).toBe(1);

    // No stock yet: ERPNext refuses the delivery with NegativeStockError, a permanent error.
    const noStock = await erp.deliveryNotes.ensure({ reference: 'ful_1', salesOrder: order.doc.name, postingDate: '2026-11-27', lines: [{ itemCode: 'SKU2006-001', qty: 1 }] });
    await expect(erp.deliveryNotes.submit(noStock.doc.name)).rejects.toMatchObject({ code: 'erpnext_validation', retryable: false, details: { excType: 'NegativeStockError' } });
    for (const sku of ['SKU2006-001', 'CASE-LEATHER-PREM', 'SKU2006-020', 'SKU2006-035']) {
      await fetch(`${emulator.url}/_sandbox/stock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item_code: sku, warehouse: 'Stores - TB', qty: 5 }) });
    }
    const partial = await erp.deliveryNotes.submit(noStock.doc.name);
    expect(partial).toMatchObject({ state: 'submitted', status: 'To Bill', lines: [{ itemCode: 'SKU2006-001', qty: 1, salesOrder: order.doc.name }] });
    expect(await erp.salesOrders.get(order.doc.name)).toMatchObject({ perDelivered: '20', status: 'To Deliver and Bill' });
    expect(await erp.bins.get('SKU2006-001', 'Stores - TB')).toMatchObject({ actualQty: 4, reservedQty: 0, projectedQty: 4 });

    const rest = await erp.deliveryNotes.ensure({ reference: 'ful_2', salesOrder: order.doc.name, postingDate: '2026-11-27' });
    expect(rest.doc.lines.map((l) => l.itemCode)).toEqual(['CASE-LEATHER-PREM', 'SKU2006-020', 'SKU2006-035', 'LENS-PROTECT-2YR']);
    await erp.deliveryNotes.submit(rest.doc.name);
    expect(await erp.salesOrders.get(order.doc.name)).toMatchObject({ perDelivered: '100', status: 'To Bill' });
    await expect(erp.deliveryNotes.ensure({ reference: 'ful_3', salesOrder: order.doc.name, postingDate: '2026-11-27' })).rejects.toMatchObject({ code: 'erpnext_nothing_to_deliver' });

    const invoice = await erp.salesInvoices.ensure({ reference: 'inv_1001', salesOrder: order.doc.name, postingDate: '2026-11-27', dueDate: '2026-12-27' });
    expect(invoice.doc).toMatchObject({ name: 'ACC-SINV-2026-00001', state: 'draft', grandTotal: 40495, discount: 2000, chargesTotal: 1000, debitTo: 'Debtors - TB' });
    expect(await erp.salesInvoices.submit(invoice.doc.name)).toMatchObject({ state: 'submitted', status: 'Unpaid', outstanding: 40495 });
    expect(await erp.salesOrders.get(order.doc.name)).toMatchObject({ perBilled: '100', status: 'Completed' });

    const payment = await erp.paymentEntries.ensure({ reference: 'pi_123', invoice: invoice.doc.name, amount: 40495, postingDate: '2026-11-27', account: 'Stripe Clearing - TB', referenceNo: 'pi_123' });
    expect(payment.doc).toMatchObject({ name: 'ACC-PAY-2026-00001', state: 'draft', paymentType: 'Receive', party: 'Ana Silva', amount: 40495, currency: 'USD', paidFrom: 'Debtors - TB' });
    expect(await erp.paymentEntries.submit(payment.doc.name)).toMatchObject({ state: 'submitted', allocations: [{ doctype: 'Sales Invoice', name: invoice.doc.name, amount: 40495 }] });
    expect(await erp.salesInvoices.get(invoice.doc.name)).toMatchObject({ status: 'Paid', outstanding: 0 });

    const journal = await erp.journalEntries.ensure({
      reference: 'po_1',
      postingDate: '2026-11-28',
      currency: 'USD',
      memo: 'Stripe payout: fees',
      lines: [
        { account: 'Payment Processing Fees - TB', debit: 1204, credit: 0 },
        { account: 'Bank - TB', debit: 39291, credit: 0 },
        { account: 'Stripe Clearing - TB', debit: 0, credit: 40495 },
      ],
    });
    expect(journal.doc).toMatchObject({ name: 'ACC-JV-2026-00001', state: 'draft', totalDebit: 40495, totalCredit: 40495, memo: 'Stripe payout: fees' });
    expect((await erp.journalEntries.submit(journal.doc.name)).state).toBe('submitted');

    // Cancel in reverse: the invoice is linked from the payment, so the payment goes first.
    await expect(erp.salesInvoices.cancel(invoice.doc.name)).rejects.toMatchObject({ code: 'erpnext_validation', details: { excType: 'LinkExistsError' } });
    expect((await erp.paymentEntries.cancel(payment.doc.name)).state).toBe('cancelled');
    expect(await erp.salesInvoices.get(invoice.doc.name)).toMatchObject({ status: 'Unpaid', outstanding: 40495 });
    expect((await erp.paymentEntries.cancel(payment.doc.name)).state).toBe('cancelled');
    expect((await erp.journalEntries.cancel(journal.doc.name)).state).toBe('cancelled');
    expect((await state()).counts).toMatchObject({ 'Sales Order': 1, 'Delivery Note': 2, 'Sales Invoice': 1, 'Payment Entry': 1, 'Journal Entry': 1 });
  });

  it('sets item prices exactly and reads them back, in minor units', async () => {
    const { erp } = await setup();
    expect(await erp.itemPrices.set({ itemCode: 'SOCKS-3PK', amount: 1299, currency: 'USD' })).toMatchObject({ outcome: 'unchanged', price: { amount: 1299, priceList: 'Standard Selling' } });
    expect(await erp.itemPrices.set({ itemCode: 'SOCKS-3PK', amount: 1349, currency: 'USD' })).toMatchObject({ outcome: 'updated', price: { amount: 1349 } });
    await erp.items.ensure({ itemCode: 'GIFT-CARD', isStockItem: false });
    expect(await erp.itemPrices.set({ itemCode: 'GIFT-CARD', amount: 100001, currency: 'USD' })).toMatchObject({ outcome: 'created', price: { amount: 100001, currency: 'USD' } });
    expect((await erp.itemPrices.list({ itemCode: 'GIFT-CARD' })).map((p) => p.amount)).toEqual([100001]);
  });
});

describe('ERPNext client: Frappe errors', () => {
  it('reports mandatory, link, docstatus and balance errors as permanent errors with Frappe messages', async () => {
    const { erp } = await setup();
    const order = { company: 'Tillbridge Retail', transaction_date: '2026-11-26', delivery_date: '2026-11-30', items: [{ item_code: 'TEE-RED-M', qty: 1, rate: 25 }] };

    const missing = await erp.insertDoc('Sales Order', order).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TillbridgeError);
    expect(missing).toMatchObject({ code: 'erpnext_validation', retryable: false, httpStatus: 422, details: { status: 417, excType: 'MandatoryError', messages: ['Error: Value missing for Sales Order: Customer'] } });
    expect((missing as Error).message).toContain('MandatoryError: Error: Value missing for Sales Order: Customer');
    expect((missing as Error).message).not.toContain('Traceback');

    await expect(erp.insertDoc('Sales Order', { ...order, customer: 'Nobody' })).rejects.toMatchObject({
      code: 'erpnext_validation',
      details: { excType: 'LinkValidationError', messages: ['Could not find Customer: Nobody'] },
    });
    await expect(erp.insertDoc('Sales Order', { ...order, customer: 'Walk-in Customer', items: [{ item_code: 'NOPE', qty: 1 }] })).rejects.toMatchObject({
      details: { excType: 'LinkValidationError', messages: ['Could not find Row #1: Item Code: NOPE'] },
    });

    const draft = await erp.insertDoc('Sales Order', { ...order, customer: 'Walk-in Customer' });
    await expect(erp.cancelDoc('Sales Order', draft.name)).rejects.toMatchObject({ code: 'erpnext_validation', details: { excType: 'DocstatusTransitionError', messages: ['Cannot change docstatus from 0 to 2'] } });
    await erp.submitDoc('Sales Order', draft.name);
    await expect(erp.updateDoc('Sales Order', draft.name, { customer: 'Ana Silva' })).rejects.toMatchObject({
      code: 'erpnext_validation',
      details: { excType: 'UpdateAfterSubmitError', messages: ['Not allowed to change Customer after submission from Walk-in Customer to Ana Silva'] },
    });
    expect((await erp.updateDoc('Sales Order', draft.name, { po_no: 'PO-9' }))['po_no']).toBe('PO-9');

    await expect(
      erp.insertDoc('Journal Entry', {
        company: 'Tillbridge Retail',
        posting_date: '2026-11-26',
        accounts: [
          { account: 'Cash - TB', debit_in_account_currency: 10 },
          { account: 'Sales - TB', credit_in_account_currency: 9.99 },
        ],
      }),
    ).rejects.toMatchObject({ details: { excType: 'ValidationError', messages: ['Total Debit must be equal to Total Credit. The difference is 0.01'] } });
    await expect(
      erp.journalEntries.ensure({ reference: 'je_bad', postingDate: '2026-11-26', currency: 'USD', lines: [{ account: 'Cash - TB', debit: 1000, credit: 0 }, { account: 'Sales - TB', debit: 0, credit: 999 }] }),
    ).rejects.toMatchObject({ code: 'erpnext_unbalanced_journal', retryable: false });
    expect(await erp.listDocs('Journal Entry')).toEqual([]);

    await expect(erp.getDoc('Sales Order', 'SAL-ORD-2026-99999')).rejects.toMatchObject({ code: 'erpnext_not_found', httpStatus: 404, details: { excType: 'DoesNotExistError', messages: ['Sales Order SAL-ORD-2026-99999 not found'] } });
    await expect(erp.insertDoc('Item', { item_code: 'TEE-RED-M', item_group: 'Products', stock_uom: 'Nos' })).rejects.toMatchObject({ code: 'erpnext_duplicate', httpStatus: 409, details: { excType: 'DuplicateEntryError', messages: ['Item TEE-RED-M already exists'] } });
  });

  it('refuses over-delivery with ERPNext message, and bad credentials as unauthorized', async () => {
    const { erp, emulator } = await setup();
    const order = await erp.salesOrders.ensure({ reference: 'ord_7', customer: 'Walk-in Customer', currency: 'USD', transactionDate: '2026-11-26', deliveryDate: '2026-11-26', lines: [{ itemCode: 'MUG-LOGO', qty: 2, rate: 1450 }] });
    await erp.salesOrders.submit(order.doc.name);
    const note = await erp.deliveryNotes.ensure({ reference: 'ful_7', salesOrder: order.doc.name, postingDate: '2026-11-26', lines: [{ itemCode: 'MUG-LOGO', qty: 3 }] });
    await expect(erp.deliveryNotes.submit(note.doc.name)).rejects.toMatchObject({
      details: { excType: 'OverAllowanceError', messages: ['This document is over limit by Qty 1.0 for item MUG-LOGO. Are you making another Delivery Note against the same Sales Order Item?'] },
    });
    await expect(erp.deliveryNotes.ensure({ reference: 'ful_8', salesOrder: order.doc.name, postingDate: '2026-11-26', lines: [{ itemCode: 'CAP-NAVY', qty: 1 }] })).rejects.toMatchObject({ code: 'erpnext_line_not_on_order' });

    const { erp: stranger } = await setup({}, { baseUrl: emulator.url }, { secrets: { apiKey: emulator.credentials.apiKey, apiSecret: 'nope' } });
    await expect(stranger.getDoc('Company', 'Tillbridge Retail')).rejects.toMatchObject({ code: 'erpnext_unauthorized', httpStatus: 401, retryable: false });
  });

  it('honours a 503 with Retry-After (throttled, then retried) and answers once the site is back', async () => {
    const { erp, sandbox } = await setup();
    await sandbox('faults', { outageSeconds: 0.5 });
    const started = Date.now();
    const company = await erp.getDoc('Company', 'Tillbridge Retail');
    expect(company['abbr']).toBe('TB');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(erp.health()).toMatchObject({ failures: 1, lastFailure: { code: 'outbound_throttled' }, circuit: { state: 'closed' } });
  });

  it('names the missing reference custom field instead of creating blindly', async () => {
    const { erp, state } = await setup({ referenceField: null });
    await expect(erp.customers.ensure({ reference: 'c-1', name: 'Bo' })).rejects.toMatchObject({ code: 'erpnext_reference_field_missing', retryable: false, message: expect.stringContaining('add a Custom Field "tillbridge_ref"') });
    expect((await state()).counts['Customer']).toBe(1);
  });
});

describe('ERPNext client: listDocs', () => {
  it('pages with limit_start and limit_page_length, filters (also on child rows) and picks fields', async () => {
    const { erp } = await setup();
    for (let n = 1; n <= 7; n++) await erp.insertDoc('Customer', { customer_name: `Shopper ${n}`, customer_type: 'Individual' });
    const page = (start: number) => erp.listDocs('Customer', { filters: [['customer_name', 'like', 'Shopper%']], fields: ['name', 'customer_group'], limit: 3, start, orderBy: 'creation asc' });
    expect(await page(0)).toEqual([1, 2, 3].map((n) => ({ name: `Shopper ${n}`, customer_group: 'Individual' })));
    expect((await page(3)).map((c) => c.name)).toEqual(['Shopper 4', 'Shopper 5', 'Shopper 6']);
    expect((await page(6)).map((c) => c.name)).toEqual(['Shopper 7']);
    const all = await erp.listAll('Customer', { filters: { customer_type: 'Individual' }, pageSize: 3 });
    expect(all.map((c) => c.name)).toEqual(['Walk-in Customer', ...[1, 2, 3, 4, 5, 6, 7].map((n) => `Shopper ${n}`)]);
    expect(await erp.listDocs('Customer', { fields: ['name'], limit: 0, filters: [['name', 'in', ['Shopper 2', 'Shopper 5']]], orderBy: 'name desc' })).toEqual([{ name: 'Shopper 5' }, { name: 'Shopper 2' }]);

    const order = await erp.salesOrders.ensure({ reference: 'o1', customer: 'Shopper 1', currency: 'USD', transactionDate: '2026-11-26', deliveryDate: '2026-11-27', lines: [{ itemCode: 'CAP-NAVY', qty: 1, rate: 1800 }] });
    await erp.salesOrders.ensure({ reference: 'o2', customer: 'Shopper 2', currency: 'USD', transactionDate: '2026-11-26', deliveryDate: '2026-11-27', lines: [{ itemCode: 'MUG-LOGO', qty: 1, rate: 1450 }] });
    expect(await erp.listDocs('Sales Order', { filters: [['Sales Order Item', 'item_code', '=', 'CAP-NAVY']], fields: ['name', 'grand_total'] })).toEqual([{ name: order.doc.name, grand_total: 18 }]);
    await expect(erp.listDocs('Sales Order', { fields: ['name', 'nope'] })).rejects.toMatchObject({ code: 'erpnext_validation', details: { excType: 'DataError', messages: ['Field not permitted in query: nope'] } });
  });
});
