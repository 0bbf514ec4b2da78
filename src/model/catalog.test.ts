import { describe, expect, it } from 'vitest';
import { Location } from './location.js';
import { Price } from './price.js';
import { Product } from './product.js';
import { Variant } from './variant.js';

const product = {
  productId: 'p-1',
  handle: 'tee',
  title: 'Tee',
  status: 'active',
  variants: [
    { sku: 'TEE-RED-M', options: { color: 'red', size: 'M' }, weight: { value: 180, unit: 'g' } },
    { sku: 'TEE-RED-L', barcode: '0123456789012' },
  ],
};

describe('catalog schemas', () => {
  it('parses a product and fills defaults', () => {
    const parsed = Product.parse(product);
    expect(parsed.attributes).toEqual({});
    expect(parsed.images).toEqual([]);
    expect(parsed.variants[1]?.options).toEqual({});
  });

  it('rejects unknown statuses, missing variants and duplicate SKUs', () => {
    expect(Product.safeParse({ ...product, status: 'live' }).error?.issues[0]?.path).toEqual(['status']);
    expect(Product.safeParse({ ...product, variants: [] }).error?.issues[0]?.message).toBe('a product has at least one variant');
    const dup = { ...product, variants: [{ sku: 'A' }, { sku: 'A' }] };
    expect(Product.safeParse(dup).error?.issues).toMatchObject([{ path: ['variants', 1, 'sku'], message: 'duplicate sku A' }]);
  });

  it('checks variant weights and image URLs', () => {
    expect(Variant.safeParse({ sku: 'A', weight: { value: 1.5, unit: 'g' } }).success).toBe(false);
    expect(Variant.safeParse({ sku: 'A', weight: { value: 1, unit: 'stone' } }).success).toBe(false);
    expect(Product.safeParse({ ...product, images: [{ url: 'not a url' }] }).success).toBe(false);
    expect(Product.safeParse({ ...product, images: [{ url: 'https://cdn.example.com/a.jpg', alt: 'a' }] }).success).toBe(true);
  });

  it('parses prices per channel with an ordered validity window', () => {
    const price = { sku: 'TEE-RED-M', channel: 'default', currency: 'USD', amount: 2500, compareAt: 3000 };
    expect(Price.parse(price)).toEqual(price);
    expect(Price.safeParse({ ...price, channel: 'Shop Main' }).success).toBe(false);
    expect(Price.safeParse({ ...price, amount: 25.5 }).success).toBe(false);
    const window = { validFrom: '2026-11-26T20:00:00Z', validTo: '2026-11-27T00:00:00+05:00' };
    expect(Price.safeParse({ ...price, ...window }).error?.issues[0]?.path).toEqual(['validTo']);
    expect(Price.safeParse({ ...price, validFrom: window.validFrom, validTo: '2026-12-01T00:00:00Z' }).success).toBe(true);
  });

  it('parses locations', () => {
    expect(Location.parse({ id: 'wh-1', name: 'Main DC', type: '3pl' }).type).toBe('3pl');
    expect(Location.safeParse({ id: 'wh-1', name: 'Main DC', type: 'garage' }).success).toBe(false);
    const withAddress = { id: 's-1', name: 'Store', type: 'store', address: { line1: '1 Main St', city: 'X', country: 'us' } };
    expect(Location.safeParse(withAddress).error?.issues[0]?.path).toEqual(['address', 'country']);
  });
});
