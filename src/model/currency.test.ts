import { describe, expect, it } from 'vitest';
import { CurrencyCode, currencyCodes, currencyExponent, isCurrencyCode } from './currency.js';
import { TillbridgeError } from './errors.js';

describe('currency table', () => {
  it('knows the exponents of common and unusual currencies', () => {
    const expected: Record<string, number> = {
      USD: 2, EUR: 2, GBP: 2, JPY: 0, KRW: 0, KWD: 3, BHD: 3, OMR: 3, JOD: 3, TND: 3, LYD: 3, IQD: 3,
      CLF: 4, UYW: 4, CLP: 0, ISK: 0, VND: 0, XOF: 0, XAF: 0, XPF: 0, UGX: 0, PYG: 0, RWF: 0, VUV: 0,
      BIF: 0, DJF: 0, GNF: 0, KMF: 0, UYI: 0,
    };
    for (const [code, exponent] of Object.entries(expected)) expect(currencyExponent(code), code).toBe(exponent);
  });

  it('lists every active code once, sorted, as three upper-case letters', () => {
    expect(currencyCodes.length).toBeGreaterThanOrEqual(155);
    expect(currencyCodes.length).toBeLessThanOrEqual(180);
    expect(new Set(currencyCodes).size).toBe(currencyCodes.length);
    expect([...currencyCodes].sort()).toEqual(currencyCodes);
    for (const code of currencyCodes) expect(code).toMatch(/^[A-Z]{3}$/);
  });

  it('leaves out codes without a minor unit and withdrawn codes', () => {
    for (const code of ['XAU', 'XXX', 'XTS', 'XDR', 'HRK', 'usd', 'US', '']) expect(isCurrencyCode(code)).toBe(false);
    expect(isCurrencyCode(undefined)).toBe(false);
    expect(isCurrencyCode('USD')).toBe(true);
  });

  it('throws a typed error for an unknown code', () => {
    try {
      currencyExponent('XYZ');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TillbridgeError);
      expect((err as TillbridgeError).code).toBe('unknown_currency');
      expect((err as TillbridgeError).message).toBe('unknown currency code XYZ');
      expect((err as TillbridgeError).retryable).toBe(false);
    }
  });

  it('the zod schema accepts known codes and names the unknown one', () => {
    expect(CurrencyCode.parse('EUR')).toBe('EUR');
    const result = CurrencyCode.safeParse('XYZ');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('unknown currency code XYZ');
    expect(CurrencyCode.safeParse('eur').success).toBe(false);
    expect(CurrencyCode.safeParse(840).success).toBe(false);
  });
});
