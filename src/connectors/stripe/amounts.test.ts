import { describe, expect, it } from 'vitest';
import { currencyExponent } from '../../model/index.js';
import { minorToStripeAmount, stripeAmountToMinor, stripeCurrency, stripeCurrencyExponent, stripeMoney } from './amounts.js';

describe('Stripe amounts and canonical minor units', () => {
  it('takes two-decimal amounts as they are (1099 usd is 10.99 USD)', () => {
    expect(stripeMoney(1099, 'usd')).toEqual({ amount: 1099, currency: 'USD' });
    expect(minorToStripeAmount(1099, 'USD')).toBe(1099);
  });

  it('takes zero-decimal currencies as whole units, matching ISO 4217 (¥500 is 500)', () => {
    expect(stripeCurrencyExponent('jpy')).toBe(0);
    expect(currencyExponent('JPY')).toBe(0);
    expect(stripeMoney(500, 'jpy')).toEqual({ amount: 500, currency: 'JPY' });
    expect(stripeMoney(1_000_000, 'krw')).toEqual({ amount: 1_000_000, currency: 'KRW' });
  });

  it('takes three-decimal currencies in fils (5.120 KWD is 5120)', () => {
    expect(stripeCurrencyExponent('KWD')).toBe(3);
    expect(currencyExponent('KWD')).toBe(3);
    expect(stripeMoney(5120, 'kwd')).toEqual({ amount: 5120, currency: 'KWD' });
    expect(minorToStripeAmount(5120, 'KWD')).toBe(5120);
  });

  it('rescales where Stripe and ISO 4217 disagree: ISK is two-decimal at Stripe, MGA zero-decimal', () => {
    expect(stripeAmountToMinor(50_000, 'isk')).toBe(500);
    expect(minorToStripeAmount(500, 'ISK')).toBe(50_000);
    expect(stripeAmountToMinor(5_000, 'mga')).toBe(500_000);
    expect(minorToStripeAmount(500_000, 'MGA')).toBe(5_000);
  });

  it('refuses a fraction that the other side cannot hold, and unknown currencies', () => {
    expect(() => stripeAmountToMinor(50_050, 'isk')).toThrow(expect.objectContaining({ code: 'stripe_fractional_amount' }));
    expect(() => minorToStripeAmount(500_001, 'MGA')).toThrow(expect.objectContaining({ code: 'stripe_fractional_amount' }));
    expect(() => stripeCurrency('xyz')).toThrow(expect.objectContaining({ code: 'stripe_unknown_currency' }));
    expect(() => stripeAmountToMinor(10.5, 'usd')).toThrow(expect.objectContaining({ code: 'stripe_invalid_amount' }));
  });
});
