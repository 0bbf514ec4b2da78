import { afterEach, describe, expect, it } from 'vitest';
import type { ErpnextClient } from './client.js';
import { updateChildQtyRateMethod } from './order-updates.js';
import { closeEmulators, setup } from './test-support.js';

afterEach(closeEmulators);

const now = () => Date.parse('2026-11-26T10:15:00Z');

/** A submitted order: 3 × TEE-RED-M at 25.00 and 2 × MUG-LOGO at 14.50, 5.00 shipping = 109.00. */
async function submittedOrder(erp: ErpnextClient, reference = 'ord_ui') {
  const order = await erp.salesOrders.ensure({
    reference,
    customer: 'Walk-in Customer',
    currency: 'USD',
    transactionDate: '2026-11-26',
    deliveryDate: '2026-11-28',
    lines: [
      { itemCode: 'TEE-RED-M', qty: 3, rate: 2500 },
      { itemCode: 'MUG-LOGO', qty: 2, rate: 1450 },
    ],
    charges: [{ account: 'Shipping Income - TB', description: 'Shipping', amount: 500 }],
  });
  const submitted = await erp.salesOrders.submit(order.doc.name);
  expect(submitted).toMatchObject({ grandTotal: 10900, status: 'To Deliver and Bill' });
  const [tee, mug] = submitted.lines;
  if (!tee || !mug) throw new Error('expected two rows');
  return { order: submitted, tee, mug };
}

describe('ERPNext Sales Order partial cancellation (update_child_qty_rate)', () => {
  it('lowers a row, recomputes totals and reserved stock, and is idempotent', async () => {
    const { erp, state } = await setup({ now });
    const { order, tee, mug } = await submittedOrder(erp);
    expect(await erp.bins.get('TEE-RED-M', 'Stores - TB')).toMatchObject({ reservedQty: 3 });

    const reduced = await erp.salesOrders.updateItems(order.name, [{ rowName: tee.rowName, qty: 1 }]);
    expect(reduced).toMatchObject({ name: order.name, state: 'submitted', total: 5400, grandTotal: 5900, status: 'To Deliver and Bill' });
    expect(reduced.lines.map((l) => [l.rowName, l.itemCode, l.qty, l.rate, l.amount])).toEqual([
      [tee.rowName, 'TEE-RED-M', 1, 2500, 2500],
      [mug.rowName, 'MUG-LOGO', 2, 1450, 2900],
    ]);
    expect(await erp.bins.get('TEE-RED-M', 'Stores - TB')).toMatchObject({ reservedQty: 1 });

    // The same quantities again: nothing is sent, the document is the same (same modified).
    const again = await erp.salesOrders.updateItems(order.name, [{ rowName: tee.rowName, qty: 1 }]);
    expect(again).toEqual(reduced);

    // qty 0 removes a row; the rows left are renumbered.
    const removed = await erp.salesOrders.updateItems(order.name, [{ rowName: mug.rowName, qty: 0 }]);
    expect(removed).toMatchObject({ total: 2500, grandTotal: 3000 });
    expect(removed.lines.map((l) => [l.rowName, l.idx, l.qty])).toEqual([[tee.rowName, 1, 1]]);
    expect(await erp.bins.get('MUG-LOGO', 'Stores - TB')).toMatchObject({ reservedQty: 0 });
    expect((await state()).counts['Sales Order']).toBe(1);

    // Removing every row is refused before calling ERPNext: the caller cancels the order instead.
    await expect(erp.salesOrders.updateItems(order.name, [{ rowName: tee.rowName, qty: 0 }])).rejects.toMatchObject({ code: 'erpnext_order_would_be_empty', retryable: false });
    // ERPNext (here the emulator) refuses it too: an order needs at least one row.
    await expect(
      erp.callMethod(updateChildQtyRateMethod, { httpMethod: 'POST', args: { parent_doctype: 'Sales Order', trans_items: '[]', parent_doctype_name: order.name } }),
    ).rejects.toMatchObject({ code: 'erpnext_validation', details: { excType: 'MandatoryError', messages: ['Error: Value missing for Sales Order: Items'] } });
    expect((await erp.salesOrders.get(order.name)).lines).toHaveLength(1);
  });

  it('refuses a quantity below what was delivered, and deleting a delivered row, with ERPNext messages', async () => {
    const { erp } = await setup({ now });
    const { order, tee, mug } = await submittedOrder(erp);
    const note = await erp.deliveryNotes.ensure({ reference: 'ful_1', salesOrder: order.name, postingDate: '2026-11-27', lines: [{ itemCode: 'TEE-RED-M', qty: 2 }] });
    await erp.deliveryNotes.submit(note.doc.name);

    await expect(erp.salesOrders.updateItems(order.name, [{ rowName: tee.rowName, qty: 1 }])).rejects.toMatchObject({
      code: 'erpnext_validation',
      retryable: false,
      details: { excType: 'ValidationError', messages: ['Row #1: Cannot set quantity less than delivered quantity.'] },
    });
    await expect(erp.salesOrders.updateItems(order.name, [{ rowName: tee.rowName, qty: 0 }])).rejects.toMatchObject({
      details: { messages: ['Row #1: Cannot delete item TEE-RED-M which has already been delivered'] },
    });

    // Cancelling what was not delivered: the order is then fully delivered except the mugs, which go too.
    const trimmed = await erp.salesOrders.updateItems(order.name, [
      { rowName: tee.rowName, qty: 2 },
      { rowName: mug.rowName, qty: 0 },
    ]);
    expect(trimmed).toMatchObject({ grandTotal: 5500, perDelivered: '100', status: 'To Bill' });
    expect(await erp.bins.get('TEE-RED-M', 'Stores - TB')).toMatchObject({ actualQty: 98, reservedQty: 0 });

    await expect(erp.salesOrders.updateItems(order.name, [{ rowName: tee.rowName, qty: 3 }])).rejects.toMatchObject({ code: 'erpnext_invalid_quantity' });
    await expect(erp.salesOrders.updateItems(order.name, [{ rowName: 'nope', qty: 1 }])).rejects.toMatchObject({ code: 'erpnext_row_not_on_order' });
  });

  it('refuses lowering a billed row below its billed amount, unless a credit note takes the billing back', async () => {
    const { erp } = await setup({ now });
    const { order, tee } = await submittedOrder(erp);
    const invoice = await erp.salesInvoices.ensure({ reference: 'inv_1', salesOrder: order.name, postingDate: '2026-11-27', lines: [{ itemCode: 'TEE-RED-M', qty: 3 }] });
    await erp.salesInvoices.submit(invoice.doc.name);
    await expect(erp.salesOrders.updateItems(order.name, [{ rowName: tee.rowName, qty: 1 }])).rejects.toMatchObject({
      details: { messages: ['Row #1: Cannot set Rate if amount is greater than billed amount for Item TEE-RED-M.'] },
    });
    const credit = await erp.salesInvoices.ensureCreditNote({ reference: 'rf_1', returnAgainst: invoice.doc.name, postingDate: '2026-11-28', lines: [{ itemCode: 'TEE-RED-M', qty: 2 }], updateOrderBilling: true });
    await erp.salesInvoices.submit(credit.doc.name);
    expect(await erp.salesOrders.updateItems(order.name, [{ rowName: tee.rowName, qty: 1 }])).toMatchObject({ total: 5400 });
  });

  it('retries an update whose answer was lost, and a later call finds it done', async () => {
    const { erp, sandbox } = await setup({ now }, {}, { maxAttempts: 2 });
    const { order, tee } = await submittedOrder(erp);
    await sandbox('behaviour', { lostResponseRate: 1 });
    // Every answer is lost (504 after the update was made): the call fails as transient.
    await expect(erp.salesOrders.updateItems(order.name, [{ rowName: tee.rowName, qty: 2 }])).rejects.toMatchObject({ retryable: true });
    await sandbox('behaviour', { lostResponseRate: 0 });
    const done = await erp.salesOrders.updateItems(order.name, [{ rowName: tee.rowName, qty: 2 }]);
    expect(done).toMatchObject({ total: 7900 });
    expect(await erp.bins.get('TEE-RED-M', 'Stores - TB')).toMatchObject({ reservedQty: 2 });
  });

  it('refuses orders that are not submitted', async () => {
    const { erp } = await setup({ now });
    const draft = await erp.salesOrders.ensure({ reference: 'ord_d', customer: 'Walk-in Customer', currency: 'USD', transactionDate: '2026-11-26', deliveryDate: '2026-11-28', lines: [{ itemCode: 'CAP-NAVY', qty: 2, rate: 1800 }] });
    await expect(erp.salesOrders.updateItems(draft.doc.name, [{ rowName: draft.doc.lines[0]?.rowName ?? '', qty: 1 }])).rejects.toMatchObject({ code: 'erpnext_order_not_submitted' });
  });
});
