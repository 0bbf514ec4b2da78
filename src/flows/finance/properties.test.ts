import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, isBalancedPerCurrency, JournalEntry, journalViolations, type Order, type PaymentTransaction, type Payout, type Refund } from '../../model/index.js';
import type { PostingEntry } from './entry.js';
import { convertMinor, fxDifference, postFxDifference } from './fx.js';
import { postPaymentTransaction, postCapture } from './payments.js';
import { postPayout } from './payout.js';
import { postingDate } from './period.js';
import { postRefund, refundSplit } from './refund.js';
import { postSale, saleBreakdown } from './sale.js';
import { ledgerBalances, testOrder, testPostingConfig as config, testTrace as trace, testTransaction } from './testing.js';

const runs = { numRuns: 300 };
const currencies = ['USD', 'EUR', 'GBP', 'JPY', 'KWD', 'BHD', 'ISK', 'CLF'] as const;
const currency = fc.constantFrom(...currencies);
const pct = (max: number) => fc.integer({ min: 0, max });
const taxes = fc.array(fc.record({ name: fc.constantFrom('CA State Tax', 'CA County Tax', 'VAT', 'GST'), pct: pct(25) }), { maxLength: 2 });
const price = fc.record({ major: fc.integer({ min: 0, max: 5000 }), minor: fc.integer({ min: 0, max: 9999 }) });

/** A well-formed entry: at least two lines, integer non-negative amounts with exactly one side above zero, balanced per currency. */
function expectWellFormed(entry: PostingEntry): void {
  expect(entry.lines.length).toBeGreaterThanOrEqual(2);
  for (const line of entry.lines) {
    expect(Number.isSafeInteger(line.debit) && Number.isSafeInteger(line.credit)).toBe(true);
    expect(line.debit >= 0 && line.credit >= 0).toBe(true);
    expect(line.debit > 0 !== line.credit > 0).toBe(true);
  }
  expect(isBalancedPerCurrency(entry)).toBe(true);
  expect(journalViolations(entry)).toEqual([]);
  expect(JournalEntry.safeParse({ id: 'je_1', ...entry }).success).toBe(true);
  expect(entry).toMatchObject({ correlationId: trace.correlationId, causationId: trace.causationId });
  expect(entry.sourceEvents.length).toBeGreaterThan(0);
}

/** Σ balances of the accounts whose name starts with `prefix`. */
function sumOf(balances: Record<string, number>, prefix: string): number {
  return Object.entries(balances).filter(([k]) => k.startsWith(prefix)).reduce((a, [, v]) => a + v, 0);
}

interface GeneratedOrder {
  order: Order;
  jitter: number;
}

const orderArb = fc
  .record({
    currency,
    channel: fc.constantFrom('shop-main', 'pos', 'amazon'),
    taxesIncluded: fc.boolean(),
    lines: fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 5 }), price, discountPct: pct(100), taxes }), { minLength: 1, maxLength: 5 }),
    shipping: fc.array(fc.record({ price, discountPct: pct(100), taxes }), { maxLength: 2 }),
    orderDiscountPct: fc.oneof(fc.constant(0), pct(50)),
    jitter: fc.oneof(fc.constant(0), fc.integer({ min: -config.maxRounding, max: config.maxRounding })),
  })
  .map((g): GeneratedOrder => {
    const scale = 10 ** currencyExponent(g.currency);
    const amountOf = (p: { major: number; minor: number }) => p.major * scale + (p.minor % scale);
    const taxLines = (base: number, list: { name: string; pct: number }[]) => list.map((t) => ({ name: t.name, amount: Math.floor((base * t.pct) / 100) }));
    const lines = g.lines.map((l, i) => {
      const unitPrice = amountOf(l.price);
      const extended = l.quantity * unitPrice;
      const discount = Math.floor((extended * l.discountPct) / 100);
      return { lineId: `L${i}`, sku: `SKU-${i}`, quantity: l.quantity, unitPrice, discount, taxes: taxLines(extended - discount, l.taxes) };
    });
    const shipping = g.shipping.map((s, i) => {
      const p = amountOf(s.price);
      const discount = Math.floor((p * s.discountPct) / 100);
      return { method: `m${i}`, price: p, discount, taxes: taxLines(p - discount, s.taxes) };
    });
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const merchandise = sum(lines.map((l) => l.quantity * l.unitPrice - l.discount));
    const orderDiscount = Math.floor((merchandise * g.orderDiscountPct) / 100);
    const subtotal = sum(lines.map((l) => l.quantity * l.unitPrice));
    const discount = sum(lines.map((l) => l.discount)) + sum(shipping.map((s) => s.discount)) + orderDiscount;
    const shippingTotal = sum(shipping.map((s) => s.price));
    const tax = sum([...lines, ...shipping].flatMap((x) => x.taxes.map((t) => t.amount)));
    const total = subtotal - discount + shippingTotal + (g.taxesIncluded ? 0 : tax) + g.jitter;
    const order = testOrder({
      source: g.channel,
      currency: g.currency,
      taxesIncluded: g.taxesIncluded,
      lines,
      shipping,
      payments: [{ provider: 'stripe', reference: 'pi_1', status: 'captured', amount: Math.max(0, total) }],
      totals: { subtotal, discount, shipping: shippingTotal, tax, total: Math.max(0, total) },
    });
    return { order, jitter: Math.max(0, total) - (total - g.jitter) };
  });

describe('sale postings (property)', () => {
  it('balance per currency, post the total as receivable, send any declared-total difference to rounding, and split discounts exactly', () => {
    fc.assert(
      fc.property(orderArb, ({ order, jitter }) => {
        const sale = saleBreakdown(order);
        const allocated = sale.lines.map((l) => l.allocatedDiscount);
        expect(allocated.reduce((a, b) => a + b, 0)).toBe(sale.orderDiscount);
        sale.lines.forEach((l, i) => {
          const source = order.lines[i]!;
          const weight = source.quantity * source.unitPrice - source.discount;
          expect(l.allocatedDiscount).toBeLessThanOrEqual(weight);
          expect(l.allocatedDiscount).toBeGreaterThanOrEqual(0);
        });
        const entry = postSale({ order }, trace, config);
        if (entry === null) {
          expect(order.totals.total).toBe(0);
          expect(order.totals.subtotal + order.totals.shipping).toBe(0);
          return;
        }
        expectWellFormed(entry);
        expect(entry.lines.every((l) => l.currency === order.currency)).toBe(true);
        const balances = ledgerBalances([entry]);
        expect(balances[`Accounts Receivable ${order.currency}`] ?? 0).toBe(order.totals.total);
        expect((balances[`Rounding ${order.currency}`] ?? 0) + jitter).toBe(0);
      }),
      runs,
    );
  });
});

const refundCase = orderArb
  .filter(({ jitter, order }) => jitter === 0 && order.totals.total > 0)
  .chain(({ order }) =>
    fc.record({
      order: fc.constant(order),
      linePcts: fc.array(fc.option(pct(100), { nil: undefined }), { minLength: order.lines.length, maxLength: order.lines.length }),
      shippingPct: pct(100),
      restPct: fc.oneof(fc.constant(0), pct(100)),
    }),
  )
  .map(({ order, linePcts, shippingPct, restPct }) => {
    const sale = saleBreakdown(order);
    const value = (x: { net: number; taxes: { amount: number }[] }) => x.net + x.taxes.reduce((a, t) => a + t.amount, 0);
    const lines = sale.lines.flatMap((l, i) => {
      const p = linePcts[i];
      return p === undefined ? [] : [{ lineId: l.lineId, quantity: 1, amount: Math.floor((value(l) * p) / 100) }];
    });
    const shipping = Math.floor((sale.shipping.reduce((a, s) => a + value(s), 0) * shippingPct) / 100);
    const itemised = lines.reduce((a, l) => a + l.amount, 0) + shipping;
    const amount = itemised + Math.floor(((order.totals.total - itemised) * restPct) / 100);
    const refund: Refund = { id: 're_1', orderId: 'ord_1', currency: order.currency, amount, lines, shipping, createdAt: '2026-11-24T09:00:00Z' };
    return { order, refund };
  });

describe('refund postings (property)', () => {
  it('split into parts that sum to the refund, never give back more of a share than the sale booked, and balance', () => {
    fc.assert(
      fc.property(refundCase, ({ order, refund }) => {
        const parts = refundSplit(order, refund);
        expect(parts.reduce((a, p) => a + p.amount, 0)).toBe(refund.amount);
        expect(parts.every((p) => p.amount > 0)).toBe(true);
        const sale = saleBreakdown(order);
        const booked = new Map<string, number>();
        const add = (key: string, amount: number) => booked.set(key, (booked.get(key) ?? 0) + amount);
        for (const l of sale.lines) {
          add(`merchandise|${l.lineId}|`, l.net);
          for (const t of l.taxes) add(`tax|${l.lineId}|${t.name}`, t.amount);
        }
        for (const s of sale.shipping) {
          add('shipping||', s.net);
          for (const t of s.taxes) add(`tax||${t.name}`, t.amount);
        }
        const refunded = new Map<string, number>();
        for (const p of parts) {
          const key = `${p.component}|${p.lineId ?? ''}|${p.name ?? ''}`;
          refunded.set(key, (refunded.get(key) ?? 0) + p.amount);
        }
        for (const [key, amount] of refunded) expect(amount).toBeLessThanOrEqual(booked.get(key) ?? 0);
        const entry = postRefund({ order, refund }, trace, config);
        if (refund.amount === 0) {
          expect(entry).toBeNull();
          return;
        }
        expectWellFormed(entry!);
        const clearing = entry!.lines.filter((l) => l.account.startsWith('Stripe Clearing'));
        expect(clearing).toEqual([{ account: clearing[0]?.account, debit: 0, credit: refund.amount, currency: order.currency }]);
        const afterCapture = ledgerBalances([postSale({ order }, trace, config), postCapture(testTransaction('capture', order.totals.total, order.currency), trace, config), entry]);
        expect(afterCapture[`Accounts Receivable ${order.currency}`]).toBeUndefined();
        expect(sumOf(afterCapture, 'Stripe Clearing')).toBe(order.totals.total - refund.amount);
      }),
      runs,
    );
  });
});

const amount = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }).filter((n) => n !== 0);

describe('payment, payout and FX postings (property)', () => {
  it('balance for captures, fees, chargebacks and reversals of any sign and currency', () => {
    fc.assert(
      fc.property(fc.constantFrom<PaymentTransaction['kind']>('capture', 'fee', 'chargeback', 'chargeback_reversal'), amount, currency, fc.constantFrom('stripe', 'paypal'), (kind, value, cur, provider) => {
        const entry = postPaymentTransaction(testTransaction(kind, value, cur, { provider }), trace, config)!;
        expectWellFormed(entry);
        expect(entry.lines.map((l) => l.debit + l.credit)).toEqual([Math.abs(value), Math.abs(value)]);
        expect(entry.kind).toBe(kind);
      }),
      runs,
    );
  });

  it('balance for payouts with or without the lines’ fees, the bank getting the payout amount', () => {
    const line = fc.record({ gross: fc.integer({ min: -1_000_000, max: 10_000_000 }), fee: fc.integer({ min: -1000, max: 100_000 }), kind: fc.constantFrom('charge', 'refund', 'fee', 'adjustment', 'chargeback') as fc.Arbitrary<'charge'> });
    fc.assert(
      fc.property(currency, fc.array(line, { minLength: 1, maxLength: 8 }), fc.boolean(), (cur, raw, feesFromLines) => {
        const lines = raw.map((l, i) => ({ id: `t${i}`, reference: `r${i}`, kind: l.kind, gross: l.gross, fee: l.fee, net: l.gross - l.fee, currency: cur }));
        const payoutAmount = lines.reduce((a, l) => a + l.net, 0);
        const payout: Payout = { id: 'po', provider: 'stripe', reference: 'po', currency: cur, amount: payoutAmount, status: 'paid', arrivalDate: '2026-11-25', lines };
        const entry = postPayout({ payout, feesFromLines }, trace, config);
        // A line's fee, and a fee line's own amount (a provider's fee reported as a line of its own).
        const fees = lines.reduce((a, l) => a + ((l.kind as string) === 'fee' ? l.fee - l.gross : l.fee), 0);
        if (payoutAmount === 0 && (!feesFromLines || fees === 0)) {
          expect(entry).toBeNull();
          return;
        }
        expectWellFormed(entry!);
        const balances = ledgerBalances([entry]);
        expect(sumOf(balances, 'Bank')).toBe(payoutAmount);
        // Clearing is relieved of the payout and its fees (written as a sum, so that nothing is −0).
        expect(sumOf(balances, 'Stripe Clearing') + payoutAmount + (feesFromLines ? fees : 0)).toBe(0);
      }),
      runs,
    );
  });

  const rate = fc.record({ digits: fc.integer({ min: 1, max: 999_999 }), scale: fc.integer({ min: 4, max: 8 }) }).map(({ digits, scale }) => {
    const text = String(digits).padStart(scale + 1, '0');
    return scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  });

  it('convert exactly: the converted amount is within half a minor unit of amount × rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), currency, currency, rate, (value, from, to, r) => {
        const converted = convertMinor(value, from, to, r);
        const [whole = '', fraction = ''] = r.split('.');
        const exact = BigInt(value) * BigInt(whole + fraction) * 10n ** BigInt(Math.max(0, currencyExponent(to) - currencyExponent(from)));
        const denominator = 10n ** BigInt(fraction.length) * 10n ** BigInt(Math.max(0, currencyExponent(from) - currencyExponent(to)));
        const error = BigInt(converted) * denominator - exact;
        expect((error < 0n ? -error : error) * 2n <= denominator).toBe(true);
      }),
      runs,
    );
  });

  it('balance each currency of an FX entry on its own, the gain or loss being converted − settled', () => {
    const pair = fc.tuple(currency, currency).filter(([a, b]) => a !== b);
    fc.assert(
      fc.property(pair, fc.integer({ min: 1, max: 1_000_000_000 }), rate, fc.integer({ min: -20, max: 20 }), ([from, to], booked, r, drift) => {
        const converted = convertMinor(booked, from, to, r);
        const settled = converted + Math.trunc((converted * drift) / 1000);
        const event = { provider: 'stripe', reference: 'txn', booked: { amount: booked, currency: from }, settled: { amount: settled, currency: to }, rate: r, occurredAt: '2026-11-23T16:00:00Z' };
        const entry = postFxDifference(event, trace, config)!;
        expectWellFormed(entry);
        for (const cur of [from, to]) expect(isBalancedPerCurrency({ lines: entry.lines.filter((l) => l.currency === cur) })).toBe(true);
        const { difference } = fxDifference(event);
        expect(difference).toBe(converted - settled);
        expect(ledgerBalances([entry])[`Exchange Gain/Loss ${to}`] ?? 0).toBe(difference);
      }),
      runs,
    );
  });
});

describe('posting periods (property)', () => {
  const month = (year: number, m: number) => `${year}-${String(m).padStart(2, '0')}`;
  it('land on a date in an open month, on or after the event, skipping only closed months', () => {
    const closedMonths = fc.uniqueArray(fc.record({ year: fc.integer({ min: 2025, max: 2027 }), m: fc.integer({ min: 1, max: 12 }) }), { maxLength: 24, selector: (x) => month(x.year, x.m) }).map((xs) => xs.map((x) => month(x.year, x.m)));
    const date = fc.record({ year: fc.integer({ min: 2025, max: 2027 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) }).map(({ year, m, d }) => `${month(year, m)}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(date, closedMonths, (day, closed) => {
        const result = postingDate(day, closed);
        expect(closed).not.toContain(result.date.slice(0, 7));
        expect(result.date >= day).toBe(true);
        if (result.date === day) {
          expect(result.note).toBeUndefined();
          return;
        }
        expect(result.date.endsWith('-01')).toBe(true);
        expect(result.note).toContain(`instead of ${day}`);
        for (let [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))]; month(y, m) < result.date.slice(0, 7); m === 12 ? ((y += 1), (m = 1)) : (m += 1)) {
          expect(closed).toContain(month(y, m));
        }
      }),
      runs,
    );
  });
});
