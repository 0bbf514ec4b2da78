import { afterEach, describe, expect, it } from 'vitest';
import { closeEmulators, setup } from './test-support.js';

afterEach(closeEmulators);

const now = () => Date.parse('2026-11-26T10:15:00Z');
const outlet = { name: 'Tillbridge Outlet', abbr: 'TO' };

describe('ERPNext: the company per order', () => {
  it('books an order in the company it names; its delivery, invoice and credit note follow the order', async () => {
    const { erp, emulator, state } = await setup({ now, companies: [outlet] }, { defaultWarehouse: 'Stores - TB' });
    const order = await erp.salesOrders.ensure({
      reference: 'ord_outlet',
      customer: 'Walk-in Customer',
      company: outlet.name,
      currency: 'USD',
      transactionDate: '2026-11-26',
      deliveryDate: '2026-11-28',
      lines: [{ itemCode: 'CAP-NAVY', qty: 2, rate: 1800 }],
      charges: [{ account: 'Shipping Income - TO', description: 'Shipping', amount: 500 }],
    });
    // The connection's default warehouse belongs to the other company: ERPNext's default for the outlet is used.
    expect(order.doc).toMatchObject({ company: outlet.name, grandTotal: 4100, lines: [{ itemCode: 'CAP-NAVY', warehouse: 'Stores - TO' }] });
    await erp.salesOrders.submit(order.doc.name);

    const home = await erp.salesOrders.ensure({ reference: 'ord_home', customer: 'Walk-in Customer', currency: 'USD', transactionDate: '2026-11-26', deliveryDate: '2026-11-28', lines: [{ itemCode: 'CAP-NAVY', qty: 1, rate: 1800 }] });
    expect(home.doc).toMatchObject({ company: 'Tillbridge Retail', lines: [{ warehouse: 'Stores - TB' }] });

    await fetch(`${emulator.url}/_sandbox/stock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item_code: 'CAP-NAVY', warehouse: 'Stores - TO', qty: 5 }) });
    const note = await erp.deliveryNotes.ensure({ reference: 'ful_outlet', salesOrder: order.doc.name, postingDate: '2026-11-27' });
    expect(note.doc).toMatchObject({ company: outlet.name, lines: [{ warehouse: 'Stores - TO', qty: 2 }] });
    await erp.deliveryNotes.submit(note.doc.name);
    expect(await erp.bins.get('CAP-NAVY', 'Stores - TO')).toMatchObject({ actualQty: 3 });

    const invoice = await erp.salesInvoices.ensure({ reference: 'inv_outlet', salesOrder: order.doc.name, postingDate: '2026-11-27' });
    expect(invoice.doc).toMatchObject({ company: outlet.name, debitTo: 'Debtors - TO', grandTotal: 4100 });
    await erp.salesInvoices.submit(invoice.doc.name);
    const credit = await erp.salesInvoices.ensureCreditNote({ reference: 'rf_outlet', returnAgainst: invoice.doc.name, postingDate: '2026-11-28', lines: [{ itemCode: 'CAP-NAVY', qty: 1 }], shipping: 500 });
    expect(credit.doc).toMatchObject({ company: outlet.name, debitTo: 'Debtors - TO', grandTotal: -2300 });

    // Counting documents per doctype and reference, for tests and the sandbox.
    expect(await state()).toMatchObject({
      counts: { 'Sales Order': 2, 'Delivery Note': 1, 'Sales Invoice': 2 },
      byReference: { 'Sales Order': { ord_outlet: 1, ord_home: 1 }, 'Delivery Note': { ful_outlet: 1 }, 'Sales Invoice': { inv_outlet: 1, rf_outlet: 1 } },
    });
    const listed = (await (await fetch(`${emulator.url}/_sandbox/documents?doctype=${encodeURIComponent('Sales Order')}&reference=ord_outlet`)).json()) as { count: number; data: { name: string; company: string }[] };
    expect(listed).toMatchObject({ count: 1, data: [{ name: order.doc.name, company: outlet.name }] });
    expect((await fetch(`${emulator.url}/_sandbox/documents?doctype=Widget`)).status).toBe(404);
  });

  it("refuses another company's warehouse or account, as ERPNext does", async () => {
    const { erp } = await setup({ now, companies: [outlet] });
    const order = { reference: 'ord_x', customer: 'Walk-in Customer', company: outlet.name, currency: 'USD', transactionDate: '2026-11-26', deliveryDate: '2026-11-28' };
    await expect(erp.salesOrders.ensure({ ...order, lines: [{ itemCode: 'CAP-NAVY', qty: 1, rate: 1800, warehouse: 'Stores - TB' }] })).rejects.toMatchObject({
      code: 'erpnext_validation',
      details: { excType: 'InvalidWarehouseCompany', messages: ['Warehouse Stores - TB does not belong to company Tillbridge Outlet'] },
    });
    await expect(
      erp.salesOrders.ensure({ ...order, lines: [{ itemCode: 'CAP-NAVY', qty: 1, rate: 1800 }], charges: [{ account: 'Shipping Income - TB', description: 'Shipping', amount: 500 }] }),
    ).rejects.toMatchObject({ details: { messages: ['Row #1: Account Shipping Income - TB does not belong to company Tillbridge Outlet'] } });
  });
});
