import { describe, expect, it } from 'vitest';
import { JournalEntry } from '../../model/index.js';
import { PostingConfig } from './config.js';
import { postSale, saleBreakdown } from './sale.js';
import { signedLines, testOrder, testPostingConfig as config, testTrace as trace } from './testing.js';

const line = (lineId: string, unitPrice: number, extra: Record<string, unknown> = {}) => ({ lineId, sku: `SKU-${lineId}`, quantity: 1, unitPrice, ...extra });

describe('sale breakdown', () => {
  it('spreads a 10.00 order discount over three equal lines as 3.34/3.33/3.33', () => {
    const order = testOrder({
      lines: [line('1', 2000), line('2', 2000), line('3', 2000)],
      totals: { subtotal: 6000, discount: 1000, shipping: 0, tax: 0, total: 5000 },
    });
    const sale = saleBreakdown(order);
    expect(sale.orderDiscount).toBe(1000);
    expect(sale.lines.map((l) => l.allocatedDiscount)).toEqual([334, 333, 333]);
    expect(sale.lines.map((l) => l.net)).toEqual([1666, 1667, 1667]);
  });

  it('weights the order discount by each line’s price after its own discount', () => {
    const order = testOrder({
      lines: [line('1', 1000), line('2', 2500, { discount: 500 }), line('3', 3000)],
      totals: { subtotal: 6500, discount: 1500, shipping: 0, tax: 0, total: 5000 },
    });
    const sale = saleBreakdown(order);
    expect(sale.orderDiscount).toBe(1000);
    expect(sale.lines.map((l) => l.allocatedDiscount)).toEqual([167, 333, 500]);
    expect(sale.lines.map((l) => l.discount)).toEqual([167, 833, 500]);
  });
});

describe('postSale', () => {
  const order = testOrder({
    lines: [
      line('1', 2500, { quantity: 2, discount: 500, taxes: [{ name: 'CA State Tax', amount: 270 }, { name: 'CA County Tax', amount: 45 }] }),
      line('2', 1000, { taxes: [{ name: 'CA State Tax', amount: 60 }] }),
    ],
    shipping: [{ method: 'standard', price: 800, discount: 300, taxes: [{ name: 'CA State Tax', amount: 30 }] }],
    totals: { subtotal: 6000, discount: 800, shipping: 800, tax: 405, total: 6405 },
  });

  it('debits the receivable and credits revenue by channel, tax by jurisdiction and shipping; discounts are contra revenue', () => {
    const entry = postSale({ order, orderId: 'ord_1' }, { ...trace, sourceEvents: ['inbox-7', 'msg-1'] }, config)!;
    expect(signedLines(entry)).toEqual({
      'Accounts Receivable USD': 6405,
      'Sales - Web USD': -6000,
      'Sales Discounts USD': 800,
      'CA Tax Payable USD': -360,
      'Tax Payable USD': -45,
      'Shipping Income USD': -800,
    });
    expect(entry).toMatchObject({
      key: 'sale:shop-main:1001',
      kind: 'sale',
      date: '2026-11-20',
      orderId: 'ord_1',
      correlationId: 'corr-1',
      causationId: 'msg-1',
      sourceEvents: ['inbox-7', 'msg-1'],
    });
    expect(entry.memo).toContain('#1001');
    expect(JournalEntry.safeParse({ id: 'je_1', ...entry }).success).toBe(true);
  });

  it('merges lines of the same account and side', () => {
    const entry = postSale({ order }, trace, config)!;
    expect(entry.lines.filter((l) => l.account === 'CA Tax Payable')).toEqual([{ account: 'CA Tax Payable', debit: 0, credit: 360, currency: 'USD' }]);
    expect(entry.sourceEvents).toEqual(['msg-1']);
  });

  it('takes tax out of revenue and shipping when prices include it', () => {
    const included = testOrder({
      taxesIncluded: true,
      currency: 'EUR',
      source: 'pos',
      lines: [line('1', 12000, { discount: 2000, taxes: [{ name: 'VAT', amount: 1667 }] })],
      shipping: [{ method: 'post', price: 600, taxes: [{ name: 'VAT', amount: 100 }] }],
      totals: { subtotal: 12000, discount: 2000, shipping: 600, tax: 1767, total: 10600 },
    });
    expect(signedLines(postSale({ order: included }, trace, config))).toEqual({
      'Accounts Receivable EUR': 10600,
      'Sales EUR': -10333,
      'Sales Discounts EUR': 2000,
      'Tax Payable EUR': -1767,
      'Shipping Income EUR': -500,
    });
  });

  it('posts a small difference to the declared total to the rounding account', () => {
    const off = testOrder({ ...order, totals: { ...order.totals, total: 6406 } });
    const lines = signedLines(postSale({ order: off }, trace, config));
    expect(lines['Accounts Receivable USD']).toBe(6406);
    expect(lines['Rounding USD']).toBe(-1);
  });

  it('refuses a difference larger than the rounding limit', () => {
    const off = testOrder({ ...order, totals: { ...order.totals, total: 7405 } });
    expect(() => postSale({ order: off }, trace, config)).toThrow(expect.objectContaining({ code: 'posting_out_of_balance' }));
    const loose = PostingConfig.parse({ baseCurrency: 'USD', maxRounding: 1000 });
    expect(signedLines(postSale({ order: off }, trace, loose))['Rounding USD']).toBe(-1000);
  });

  it('books JPY and KWD in their own minor units', () => {
    const yen = testOrder({ currency: 'JPY', lines: [line('1', 1500, { quantity: 3 })], totals: { subtotal: 4500, discount: 100, shipping: 0, tax: 0, total: 4400 } });
    expect(signedLines(postSale({ order: yen }, trace, config))).toEqual({ 'Accounts Receivable JPY': 4400, 'Sales - Web JPY': -4500, 'Sales Discounts JPY': 100 });
    const dinar = testOrder({ currency: 'KWD', lines: [line('1', 1250), line('2', 1250), line('3', 1250)], totals: { subtotal: 3750, discount: 1000, shipping: 0, tax: 0, total: 2750 } });
    expect(saleBreakdown(dinar).lines.map((l) => l.allocatedDiscount)).toEqual([334, 333, 333]);
  });

  it('posts nothing for an order that moves no money', () => {
    const free = testOrder({ lines: [line('1', 0)], totals: { subtotal: 0, discount: 0, shipping: 0, tax: 0, total: 0 } });
    expect(postSale({ order: free }, trace, config)).toBeNull();
  });

  it('moves a sale dated in a closed period to the next open month, with a note', () => {
    const closed = { ...config, closedPeriods: ['2026-11'] };
    const entry = postSale({ order }, trace, closed)!;
    expect(entry.date).toBe('2026-12-01');
    expect(entry.movedFrom).toBe('2026-11-20');
    expect(entry.memo).toContain('period 2026-11 is closed: posted on 2026-12-01 instead of 2026-11-20');
  });
});
