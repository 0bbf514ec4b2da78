import { describe, expect, it } from 'vitest';
import type { Refund } from '../../model/index.js';
import { postCapture } from './payments.js';
import { postRefund, refundSplit } from './refund.js';
import { postSale } from './sale.js';
import { ledgerBalances, signedLines, testOrder, testPostingConfig as config, testTrace as trace, testTransaction } from './testing.js';

const order = testOrder({
  lines: [
    { lineId: 'A', sku: 'TEE', quantity: 2, unitPrice: 2500, taxes: [{ name: 'CA State Tax', amount: 400 }] },
    { lineId: 'B', sku: 'CAP', quantity: 1, unitPrice: 1000, taxes: [{ name: 'CA State Tax', amount: 80 }] },
  ],
  shipping: [{ method: 'standard', price: 500 }],
  payments: [{ provider: 'stripe', reference: 'pi_1', status: 'captured', amount: 6980 }],
  totals: { subtotal: 6000, discount: 0, shipping: 500, tax: 480, total: 6980 },
});

const refund = (fields: Partial<Refund>): Refund => ({ id: 're_1', orderId: 'ord_1', currency: 'USD', amount: 0, createdAt: '2026-11-24T09:00:00Z', ...fields });

describe('postRefund', () => {
  it('reverses one unit of a line: merchandise to sales returns and its tax, against payment clearing', () => {
    const entry = postRefund({ order, refund: refund({ amount: 2700, lines: [{ lineId: 'A', quantity: 1, amount: 2700 }] }) }, trace, config)!;
    expect(signedLines(entry)).toEqual({ 'Sales Returns USD': 2500, 'CA Tax Payable USD': 200, 'Stripe Clearing USD': -2700 });
    expect(entry).toMatchObject({ key: 'refund:shop-main:1001:re_1', kind: 'refund', date: '2026-11-24', orderId: 'ord_1', correlationId: 'corr-1' });
  });

  it('splits refunded shipping and an unitemised rest by largest remainder, the parts summing to the refund', () => {
    const r = refund({ amount: 1500, shipping: 500 });
    const parts = refundSplit(order, r);
    expect(parts.reduce((s, p) => s + p.amount, 0)).toBe(1500);
    expect(parts).toEqual([
      { component: 'shipping', amount: 500 },
      { component: 'merchandise', lineId: 'A', amount: 772 },
      { component: 'tax', lineId: 'A', name: 'CA State Tax', amount: 62 },
      { component: 'merchandise', lineId: 'B', amount: 154 },
      { component: 'tax', lineId: 'B', name: 'CA State Tax', amount: 12 },
    ]);
    expect(signedLines(postRefund({ order, refund: r }, trace, config))).toEqual({
      'Shipping Income USD': 500,
      'Sales Returns USD': 926,
      'CA Tax Payable USD': 74,
      'Stripe Clearing USD': -1500,
    });
  });

  it('reverses the channel’s revenue account when no sales returns account is configured', () => {
    const plain = { ...config, accounts: { ...config.accounts, refunds: undefined } };
    const entry = postRefund({ order, refund: refund({ amount: 1080, lines: [{ lineId: 'B', quantity: 1, amount: 1080 }] }), provider: 'paypal' }, trace, plain);
    expect(signedLines(entry)).toEqual({ 'Sales - Web USD': 1000, 'CA Tax Payable USD': 80, 'Clearing USD': -1080 });
  });

  it('leaves the books net of the refund after sale, capture and a partial refund', () => {
    const entries = [
      postSale({ order }, trace, config),
      postCapture(testTransaction('capture', 6980), trace, config),
      postRefund({ order, refund: refund({ amount: 2700, lines: [{ lineId: 'A', quantity: 1, amount: 2700 }] }) }, trace, config),
    ];
    expect(ledgerBalances(entries)).toEqual({
      'Sales - Web USD': -6000,
      'Sales Returns USD': 2500,
      'CA Tax Payable USD': -280,
      'Shipping Income USD': -500,
      'Stripe Clearing USD': 4280,
    });
  });

  it('refuses refunds that cannot be attributed', () => {
    expect(() => refundSplit(order, refund({ amount: 100, lines: [{ lineId: 'Z', quantity: 1, amount: 100 }] }))).toThrow(expect.objectContaining({ code: 'unknown_order_line' }));
    expect(() => refundSplit(order, refund({ amount: 100, lines: [{ lineId: 'A', quantity: 1, amount: 200 }] }))).toThrow(expect.objectContaining({ code: 'refund_lines_exceed_amount' }));
    expect(() => refundSplit(order, refund({ amount: 100, currency: 'EUR' }))).toThrow(expect.objectContaining({ code: 'currency_mismatch' }));
    expect(() => refundSplit(order, refund({ amount: 7000 }))).toThrow(expect.objectContaining({ code: 'refund_exceeds_order' }));
    expect(() => refundSplit(order, refund({ amount: 100, shipping: 100 }))).not.toThrow();
    const noShipping = testOrder({ lines: [{ lineId: 'A', sku: 'X', quantity: 1, unitPrice: 100 }], totals: { subtotal: 100, discount: 0, shipping: 0, tax: 0, total: 100 } });
    expect(() => refundSplit(noShipping, refund({ amount: 50, shipping: 50 }))).toThrow(expect.objectContaining({ code: 'refund_not_attributable' }));
  });
});
