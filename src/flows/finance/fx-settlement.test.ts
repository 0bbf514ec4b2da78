import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBalancedPerCurrency, journalViolations, SettlementLine } from '../../model/index.js';
import { convertMinor, fxDifference, postFxDifference } from './fx.js';
import { fxSettlementEvents } from './fx-settlement.js';
import { postCapture } from './payments.js';
import { ledgerBalances, signedLines, testPostingConfig as config, testTrace as trace, testTransaction } from './testing.js';

const context = { provider: 'stripe', occurredAt: '2026-11-23T16:00:00Z' };
const eurOrder = { id: 'ord_9', currency: 'EUR' };

/** A USD settlement line of a EUR charge, as the Stripe mapping makes it. */
function line(changes: Partial<SettlementLine> = {}): SettlementLine {
  return SettlementLine.parse({
    id: 'txn_eur_1',
    kind: 'charge',
    reference: 'ch_1',
    orderReference: 'ord_9',
    gross: 10842,
    fee: 344,
    net: 10498,
    currency: 'USD',
    original: { amount: 10000, currency: 'EUR' },
    exchangeRate: '1.0842',
    ...changes,
  });
}

describe('fxSettlementEvents', () => {
  it('turns a charge settled in USD for a EUR order into an FX event: booked the EUR original, settled the USD gross, at Stripe’s rate', () => {
    const events = fxSettlementEvents(line(), eurOrder, context);
    expect(events).toEqual([
      { provider: 'stripe', reference: 'txn_eur_1', orderId: 'ord_9', booked: { amount: 10000, currency: 'EUR' }, settled: { amount: 10842, currency: 'USD' }, rate: '1.0842', occurredAt: context.occurredAt },
    ]);
    const entry = postFxDifference(events[0]!, trace, config)!;
    expect(fxDifference(events[0]!)).toEqual({ converted: 10842, difference: 0 });
    expect(signedLines(entry)).toEqual({
      'Stripe Clearing EUR EUR': -10000,
      'Currency Exchange Clearing EUR': 10000,
      'Stripe Clearing USD': 10842,
      'Currency Exchange Clearing USD': -10842,
    });
    // The EUR capture left 100.00 EUR in EUR clearing; the FX entry moves it to USD clearing, where the payout picks it up.
    expect(ledgerBalances([postCapture(testTransaction('capture', 10000, 'EUR'), trace, config), entry])).toMatchObject({ 'Stripe Clearing USD': 10842 });
    expect(ledgerBalances([postCapture(testTransaction('capture', 10000, 'EUR'), trace, config), entry])['Stripe Clearing EUR EUR']).toBeUndefined();
  });

  it('posts the difference to FX gain/loss when the order was booked at another rate than Stripe converted at', () => {
    const [loss] = fxSettlementEvents(line(), eurOrder, { ...context, bookingRate: '1.0900' });
    expect(fxDifference(loss!)).toEqual({ converted: 10900, difference: 58 });
    expect(signedLines(postFxDifference(loss!, trace, config))['Exchange Gain/Loss USD']).toBe(58);
    const [gain] = fxSettlementEvents(line(), eurOrder, { ...context, bookingRate: '1.08' });
    expect(signedLines(postFxDifference(gain!, trace, config))['Exchange Gain/Loss USD']).toBe(-42);
  });

  it('turns a refund into a negative FX event that reverses the exchange', () => {
    const refund = line({ id: 'txn_re_1', kind: 'refund', reference: 're_1', gross: -2711, fee: 0, net: -2711, original: { amount: -2500, currency: 'EUR' } });
    const [event] = fxSettlementEvents(refund, eurOrder, context);
    expect(event).toMatchObject({ reference: 'txn_re_1', booked: { amount: -2500, currency: 'EUR' }, settled: { amount: -2711, currency: 'USD' } });
    expect(signedLines(postFxDifference(event!, trace, config))).toEqual({
      'Stripe Clearing EUR EUR': 2500,
      'Currency Exchange Clearing EUR': -2500,
      'Stripe Clearing USD': -2711,
      'Currency Exchange Clearing USD': 2711,
    });
  });

  it('makes none for a line in the order currency, or for fees, chargebacks and the payout itself', () => {
    expect(fxSettlementEvents(line(), { id: 'ord_1', currency: 'USD' }, context)).toEqual([]);
    for (const kind of ['fee', 'chargeback', 'payout', 'adjustment'] as const) expect(fxSettlementEvents(line({ kind }), eurOrder, context)).toEqual([]);
    expect(fxSettlementEvents(line({ gross: 0, fee: 0, net: 0, original: { amount: 0, currency: 'EUR' } }), eurOrder, context)).toEqual([]);
  });

  it('refuses a converted line it cannot post: no original amount, an original in another currency than the order, no rate', () => {
    const { original: _original, ...withoutOriginal } = line();
    expect(() => fxSettlementEvents(withoutOriginal, eurOrder, context)).toThrow(expect.objectContaining({ code: 'fx_original_missing', retryable: false }));
    expect(() => fxSettlementEvents(line({ original: { amount: 8600, currency: 'GBP' } }), eurOrder, context)).toThrow(expect.objectContaining({ code: 'fx_currency_mismatch' }));
    const { exchangeRate: _rate, ...withoutRate } = line();
    expect(() => fxSettlementEvents(withoutRate, eurOrder, context)).toThrow(expect.objectContaining({ code: 'fx_rate_missing' }));
    expect(fxSettlementEvents(withoutRate, eurOrder, { ...context, bookingRate: '1.0842' })).toHaveLength(1);
  });
});

describe('fxSettlementEvents (property)', () => {
  const orderCurrency = fc.constantFrom('JPY', 'KWD', 'EUR');
  const settlementCurrency = fc.constantFrom('USD', 'EUR', 'JPY', 'KWD');
  /** Positive rates up to 999.9999…, 4 to 8 decimals, as providers quote them. */
  const rate = fc.record({ digits: fc.integer({ min: 1, max: 9_999_999 }), scale: fc.integer({ min: 4, max: 8 }) }).map(({ digits, scale }) => {
    const text = String(digits).padStart(scale + 1, '0');
    return `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  });

  it('give an FX entry that balances per currency, moves exactly the booked amount out of order-currency clearing, and books converted − settled as gain/loss', () => {
    fc.assert(
      fc.property(
        fc.tuple(orderCurrency, settlementCurrency).filter(([a, b]) => a !== b),
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.boolean(),
        rate,
        fc.option(rate, { nil: undefined }),
        ([from, to], amount, isRefund, providerRate, bookingRate) => {
          const original = isRefund ? -amount : amount;
          const gross = convertMinor(original, from, to, providerRate);
          const settlement = line({ kind: isRefund ? 'refund' : 'charge', gross, fee: 0, net: gross, currency: to, original: { amount: original, currency: from }, exchangeRate: providerRate });
          const events = fxSettlementEvents(settlement, { id: 'ord_p', currency: from }, { ...context, ...(bookingRate !== undefined ? { bookingRate } : {}) });
          expect(events).toHaveLength(1);
          const event = events[0]!;
          expect(event.rate).toBe(bookingRate ?? providerRate);
          const entry = postFxDifference(event, trace, config);
          expect(entry).not.toBeNull();
          expect(journalViolations(entry!)).toEqual([]);
          for (const currency of [from, to]) expect(isBalancedPerCurrency({ lines: entry!.lines.filter((l) => l.currency === currency) })).toBe(true);
          const balances = ledgerBalances([entry]);
          expect(Object.entries(balances).filter(([key]) => key.endsWith(` ${from}`) && key.includes('Clearing') && !key.includes('Exchange')).reduce((sum, [, v]) => sum + v, 0)).toBe(-original);
          const converted = convertMinor(original, from, to, event.rate);
          expect(balances[`Exchange Gain/Loss ${to}`] ?? 0).toBe(converted - gross);
          if (bookingRate === undefined) expect(balances[`Exchange Gain/Loss ${to}`]).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
