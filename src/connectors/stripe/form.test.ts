import { describe, expect, it } from 'vitest';
import { decodeStripeFormText, encodeStripeForm, StripeFormError } from './form.js';

describe('Stripe form encoding', () => {
  it('encodes hashes and lists in bracket notation, leaving brackets readable', () => {
    expect(encodeStripeForm({ amount: 1099, currency: 'usd', metadata: { order_id: '1001', note: 'a b&c' }, expand: ['data.source', 'latest_charge'] })).toBe(
      'amount=1099&currency=usd&metadata[order_id]=1001&metadata[note]=a%20b%26c&expand[]=data.source&expand[]=latest_charge',
    );
  });

  it('indexes lists of hashes, sends booleans as words, null as empty and leaves undefined out', () => {
    expect(encodeStripeForm({ items: [{ price: 'p_1', quantity: 2 }, { price: 'p_2' }], confirm: true, description: null, reason: undefined })).toBe(
      'items[0][price]=p_1&items[0][quantity]=2&items[1][price]=p_2&confirm=true&description=',
    );
  });

  it('escapes what Stripe SDKs escape (!\'()*) and refuses non-integer numbers', () => {
    expect(encodeStripeForm({ description: "it's (50%)*!" })).toBe('description=it%27s%20%2850%25%29%2A%21');
    expect(() => encodeStripeForm({ amount: 10.5 })).toThrow(/integers/);
  });

  it('decodes what it encodes, and both list styles', () => {
    const params = { amount: '1099', metadata: { order_id: '1001', note: 'a b&c' }, expand: ['data.source', 'latest_charge'], items: [{ price: 'p_1', quantity: '2' }] };
    expect(decodeStripeFormText(encodeStripeForm(params))).toEqual(params);
    expect(decodeStripeFormText('expand%5B0%5D=a&expand%5B1%5D=b&metadata%5Border_id%5D=7')).toEqual({ expand: ['a', 'b'], metadata: { order_id: '7' } });
  });

  it('refuses conflicting keys and prototype keys', () => {
    expect(() => decodeStripeFormText('metadata=x&metadata[a]=1')).toThrow(StripeFormError);
    expect(() => decodeStripeFormText('metadata[a]=1&metadata=x')).toThrow(StripeFormError);
    expect(() => decodeStripeFormText('__proto__[polluted]=1')).toThrow(StripeFormError);
    expect(() => decodeStripeFormText('metadata[constructor]=1')).toThrow(StripeFormError);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
