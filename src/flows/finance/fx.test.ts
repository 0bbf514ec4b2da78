import { describe, expect, it } from 'vitest';
import { isBalancedPerCurrency } from '../../model/index.js';
import { convertMinor, fxDifference, postFxDifference, type FxSettlementEvent } from './fx.js';
import { postCapture } from './payments.js';
import { postSale } from './sale.js';
import { ledgerBalances, signedLines, testOrder, testPostingConfig as config, testTrace as trace, testTransaction } from './testing.js';

describe('convertMinor', () => {
  it('converts between currencies with different minor units, exactly, rounding half away from zero', () => {
    expect(convertMinor(10000, 'EUR', 'USD', '1.0850')).toBe(10850);
    expect(convertMinor(10000, 'JPY', 'KWD', '0.002')).toBe(20000);
    expect(convertMinor(1234, 'USD', 'JPY', '150.5')).toBe(1857);
    expect(convertMinor(1235, 'USD', 'JPY', '150')).toBe(1853);
    expect(convertMinor(-1235, 'USD', 'JPY', '150')).toBe(-1853);
    expect(convertMinor(1, 'KWD', 'USD', '3.25')).toBe(0);
    expect(convertMinor(2, 'KWD', 'USD', '3.25')).toBe(1);
  });

  it('refuses rates that are not positive decimal strings', () => {
    for (const rate of ['0', '-1.2', '1e3', 'abc', '0.000']) {
      expect(() => convertMinor(100, 'EUR', 'USD', rate)).toThrow(expect.objectContaining({ code: 'invalid_rate' }));
    }
  });
});

describe('postFxDifference', () => {
  const event: FxSettlementEvent = {
    provider: 'stripe',
    reference: 'txn_eur_1',
    orderId: 'ord_9',
    booked: { amount: 10000, currency: 'EUR' },
    settled: { amount: 10820, currency: 'USD' },
    rate: '1.0850',
    occurredAt: '2026-11-23T16:00:00Z',
  };

  it('exchanges clearing through the currency-exchange account, each currency balancing alone, the shortfall an FX loss', () => {
    const entry = postFxDifference(event, trace, config)!;
    expect(fxDifference(event)).toEqual({ converted: 10850, difference: 30 });
    expect(signedLines(entry)).toEqual({
      'Stripe Clearing EUR EUR': -10000,
      'Currency Exchange Clearing EUR': 10000,
      'Stripe Clearing USD': 10820,
      'Currency Exchange Clearing USD': -10850,
      'Exchange Gain/Loss USD': 30,
    });
    expect(isBalancedPerCurrency({ lines: entry.lines.filter((l) => l.currency === 'EUR') })).toBe(true);
    expect(isBalancedPerCurrency({ lines: entry.lines.filter((l) => l.currency === 'USD') })).toBe(true);
    expect(entry).toMatchObject({ key: 'fx:stripe:txn_eur_1', kind: 'fx', orderId: 'ord_9', date: '2026-11-23' });
  });

  it('credits a gain when more was settled than the rate gives', () => {
    expect(signedLines(postFxDifference({ ...event, settled: { amount: 10900, currency: 'USD' } }, trace, config))['Exchange Gain/Loss USD']).toBe(-50);
  });

  it('leaves a EUR order fully settled in USD with only revenue, the exchange account per currency, and the FX loss', () => {
    const order = testOrder({ currency: 'EUR', lines: [{ lineId: '1', sku: 'X', quantity: 1, unitPrice: 10000 }], totals: { subtotal: 10000, discount: 0, shipping: 0, tax: 0, total: 10000 } });
    const entries = [postSale({ order }, trace, config), postCapture(testTransaction('capture', 10000, 'EUR'), trace, config), postFxDifference(event, trace, config)];
    expect(ledgerBalances(entries)).toEqual({
      'Sales - Web EUR': -10000,
      'Currency Exchange Clearing EUR': 10000,
      'Stripe Clearing USD': 10820,
      'Currency Exchange Clearing USD': -10850,
      'Exchange Gain/Loss USD': 30,
    });
  });

  it('handles JPY booked and KWD settled', () => {
    const entry = postFxDifference({ ...event, booked: { amount: 15000, currency: 'JPY' }, settled: { amount: 29990, currency: 'KWD' }, rate: '0.002' }, trace, config)!;
    expect(signedLines(entry)).toEqual({
      'Stripe Clearing JPY': -15000,
      'Currency Exchange Clearing JPY': 15000,
      'Stripe Clearing KWD': 29990,
      'Currency Exchange Clearing KWD': -30000,
      'Exchange Gain/Loss KWD': 10,
    });
  });

  it('refuses an exchange within one currency', () => {
    expect(() => postFxDifference({ ...event, settled: { amount: 1, currency: 'EUR' } }, trace, config)).toThrow(expect.objectContaining({ code: 'same_currency' }));
  });
});
