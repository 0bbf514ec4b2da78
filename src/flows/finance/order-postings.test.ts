import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PostingConfig } from './config.js';
import { draftOf } from './draft.js';
import { toJournalLines } from './entry.js';
import { OrderPostingData } from './messages.js';
import { invoicedOrder, orderPostings, postPaymentReturn, splitByCreditNote } from './order-postings.js';
import { postPayout } from './payout.js';
import { postRefund } from './refund.js';
import { ledgerBalances, signedLines, testOrder, testPostingConfig as config, testTrace as trace } from './testing.js';

const order = testOrder({
  lines: [
    { lineId: 'A', sku: 'TEE', quantity: 2, unitPrice: 2500, discount: 300, taxes: [{ name: 'CA State Tax', amount: 400 }] },
    { lineId: 'B', sku: 'CAP', quantity: 3, unitPrice: 1000, taxes: [{ name: 'CA State Tax', amount: 241 }] },
  ],
  shipping: [{ method: 'standard', price: 500 }],
  payments: [{ provider: 'stripe', reference: 'pi_1', status: 'authorized', amount: 8341 }],
  totals: { subtotal: 8000, discount: 300, shipping: 500, tax: 641, total: 8841 },
});

const posting = (data: Record<string, unknown>) => OrderPostingData.parse({ orderId: 'ord_1', ...data });

describe('invoicedOrder', () => {
  it('takes cancelled units out of their line (with their discount and tax shares) and out of the totals', () => {
    const invoiced = invoicedOrder(order, [{ lineId: 'B', quantity: 1 }, { lineId: 'A', quantity: 2 }]);
    expect(invoiced.lines).toEqual([{ lineId: 'B', sku: 'CAP', quantity: 2, unitPrice: 1000, discount: 0, taxes: [{ name: 'CA State Tax', amount: 161 }] }]);
    // A: 5000 − 300 + 400 = 5100; one unit of B: 1000 + round(241 / 3) = 1080.
    expect(invoiced.totals).toEqual({ subtotal: 2000, discount: 0, shipping: 500, tax: 161, total: 8841 - 5100 - 1080 });
    expect(invoicedOrder(order, [])).toBe(order);
  });

  it('refuses to cancel more than was ordered, or everything', () => {
    expect(() => invoicedOrder(order, [{ lineId: 'B', quantity: 4 }])).toThrow(expect.objectContaining({ code: 'cancelled_exceeds_ordered' }));
    expect(() => invoicedOrder(order, [{ lineId: 'A', quantity: 2 }, { lineId: 'B', quantity: 3 }])).toThrow(expect.objectContaining({ code: 'nothing_invoiced' }));
  });
});

describe('orderPostings', () => {
  it('records the sale of what was invoiced as posted to the Sales Invoice, the receivable with the customer as party', () => {
    const [sale, ...rest] = orderPostings(posting({ event: 'sale', erp: 'erp-main', salesInvoice: 'ACC-SINV-1', postingDate: '2026-11-25', customer: 'CUST-1', cancelled: [{ lineId: 'B', quantity: 1 }] }), order, trace, config);
    expect(rest).toEqual([]);
    expect(sale!.postedAs).toEqual({ connectionId: 'erp-main', documents: { USD: 'ACC-SINV-1' } });
    expect(sale!.entry).toMatchObject({ key: 'sale:shop-main:1001', date: '2026-11-25', orderId: 'ord_1', memo: expect.stringContaining('ACC-SINV-1') });
    expect(sale!.entry.lines.find((l) => l.account === 'Accounts Receivable')).toEqual({ account: 'Accounts Receivable', debit: 8841 - 1080, credit: 0, currency: 'USD', partyType: 'Customer', party: 'CUST-1' });
    expect(signedLines(sale!.entry)['Sales - Web USD']).toBe(-(5000 + 2000));
  });

  it('books a capture against the customer’s receivable, keyed by the payment reference; nothing for zero', () => {
    const [capture] = orderPostings(posting({ event: 'capture', reference: 'pi_1', amount: 8841, currency: 'USD', occurredAt: '2026-11-26T08:00:00Z', customer: 'CUST-1' }), order, trace, config);
    expect(capture!.entry).toMatchObject({ key: 'capture:stripe:pi_1', kind: 'capture', date: '2026-11-26' });
    expect(capture!.entry.lines).toEqual([
      { account: 'Stripe Clearing', debit: 8841, credit: 0, currency: 'USD' },
      { account: 'Accounts Receivable', debit: 0, credit: 8841, currency: 'USD', partyType: 'Customer', party: 'CUST-1' },
    ]);
    expect(capture!.postedAs).toBeUndefined();
    expect(orderPostings(posting({ event: 'capture', reference: 'pi_1', amount: 0, currency: 'USD', occurredAt: '2026-11-26T08:00:00Z' }), order, trace, config)).toEqual([]);
  });

  it('splits a refund credited in the ERP into the credit note’s part and the money paid back, which add up to the refund', () => {
    const data = posting({ event: 'refund', refundId: 'ret_1', reference: 're_1', amount: 1580, shipping: 500, lines: [{ lineId: 'B', quantity: 1, amount: 1080 }], createdAt: '2026-11-27T09:00:00Z', creditNote: { erp: 'erp-main', document: 'ACC-SINV-2' }, customer: 'CUST-1' });
    const [credit, paid] = orderPostings(data, order, trace, config);
    expect(credit!.postedAs).toEqual({ connectionId: 'erp-main', documents: { USD: 'ACC-SINV-2' } });
    expect(signedLines(credit!.entry)).toEqual({ 'Sales Returns USD': 1000, 'CA Tax Payable USD': 80, 'Shipping Income USD': 500, 'Accounts Receivable USD': -1580 });
    expect(paid!.postedAs).toBeUndefined();
    expect(paid!.entry.lines).toEqual([
      { account: 'Accounts Receivable', debit: 1580, credit: 0, currency: 'USD', partyType: 'Customer', party: 'CUST-1' },
      { account: 'Stripe Clearing', debit: 0, credit: 1580, currency: 'USD' },
    ]);
    expect([credit!.entry.key, paid!.entry.key]).toEqual(['refund:shop-main:1001:ret_1:credit-note', 'refund:shop-main:1001:ret_1:payment']);
    const whole = orderPostings({ ...data, creditNote: undefined } as OrderPostingData, order, trace, config);
    expect(whole).toHaveLength(1);
    expect(ledgerBalances([credit!.entry, paid!.entry])).toEqual(signedLines(whole[0]!.entry));
  });

  it('spreads a channel refund worth less than its units over the order instead of itemising it', () => {
    const [refund] = orderPostings(posting({ event: 'refund', refundId: 'r', amount: 1000, lines: [{ lineId: 'B', quantity: 1, amount: 1080 }], createdAt: '2026-11-27T09:00:00Z' }), order, trace, config);
    expect(refund!.entry.lines.reduce((s, l) => s + l.debit, 0)).toBe(1000);
    expect(signedLines(refund!.entry)['Stripe Clearing USD']).toBe(-1000);
  });

  it('books an advance given back against the receivable, keyed by the provider’s refund', () => {
    const [back] = orderPostings(posting({ event: 'payment-return', reference: 're_9', amount: 1080, currency: 'USD', occurredAt: '2026-11-27T10:00:00Z', customer: 'CUST-1', capturedAs: 'pi_1' }), order, trace, config);
    expect(back!.entry).toMatchObject({ key: 'refund:stripe:re_9', kind: 'refund', orderId: 'ord_1' });
    expect(signedLines(back!.entry)).toEqual({ 'Accounts Receivable USD': 1080, 'Stripe Clearing USD': -1080 });
  });
});

describe('closed periods and parties', () => {
  it('notes a move out of a closed period once in the memo the ledger records', () => {
    const closed = PostingConfig.parse({ ...config, closedPeriods: ['2026-11'] });
    const entry = postPaymentReturn({ provider: 'stripe', reference: 're_1', amount: 100, currency: 'USD', occurredAt: '2026-11-28T10:00:00Z' }, trace, closed)!;
    const draft = draftOf(entry);
    expect(draft.date).toBe('2026-12-01');
    expect(draft.memo).toBe('Payment returned: stripe re_1 (period 2026-11 is closed: posted on 2026-12-01 instead of 2026-11-28)');
    const payout = draftOf(postPayout({ payout: { id: 'p', provider: 'stripe', reference: 'po_1', currency: 'USD', amount: 100, status: 'paid', arrivalDate: '2026-11-30', lines: [] } }, trace, closed)!);
    expect(payout.memo?.match(/is closed/g)).toHaveLength(1);
  });

  it('merges lines of one account and side per party, never across parties', () => {
    expect(toJournalLines([
      { account: 'AR', amount: 100, currency: 'USD', party: 'C1' },
      { account: 'AR', amount: 50, currency: 'USD', party: 'C1' },
      { account: 'AR', amount: 20, currency: 'USD', party: 'C2' },
      { account: 'AR', amount: 5, currency: 'USD' },
      { account: 'Cash', amount: -175, currency: 'USD' },
    ])).toEqual([
      { account: 'AR', debit: 150, credit: 0, currency: 'USD', partyType: 'Customer', party: 'C1' },
      { account: 'AR', debit: 20, credit: 0, currency: 'USD', partyType: 'Customer', party: 'C2' },
      { account: 'AR', debit: 5, credit: 0, currency: 'USD' },
      { account: 'Cash', debit: 0, credit: 175, currency: 'USD' },
    ]);
  });

  it('splits any refund by its credit note into two balanced entries that add up to it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: order.totals.total }), fc.integer({ min: 0, max: 500 }), (amount, shipping) => {
        const refund = postRefund({ order, refund: { id: 'r', orderId: 'ord_1', currency: 'USD', amount, shipping: Math.min(shipping, amount), createdAt: '2026-11-27T09:00:00Z' } }, trace, config)!;
        const { creditNote, payment } = splitByCreditNote(refund, config, 'CUST-1');
        for (const entry of [creditNote, payment]) expect(entry.lines.reduce((s, l) => s + l.debit - l.credit, 0)).toBe(0);
        expect(ledgerBalances([creditNote, payment])).toEqual(signedLines(refund));
      }),
    );
  });
});
