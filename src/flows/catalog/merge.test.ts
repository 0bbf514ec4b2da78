import { describe, expect, it } from 'vitest';
import { CatalogConfig } from './config.js';
import type { SourceFields } from './content.js';
import { channelPrice, mergeSources, withdrawnBySource } from './merge.js';

const rules = CatalogConfig.parse({
  sources: [{ id: 'erp', connection: 'erp-main' }, { id: 'pim' }],
  merge: { title: ['erp', 'api'], description: ['pim', 'erp'], attributes: ['pim', 'erp', 'api'], images: ['pim', 'erp'], prices: ['erp', 'api'] },
}).merge;

const erp: SourceFields = {
  title: 'Tee red M',
  description: 'Cotton tee',
  attributes: { brand: 'Acme', itemGroup: 'Shirts', isStockItem: true },
  images: [{ url: 'https://erp.example.com/tee.jpg' }],
  prices: [{ currency: 'USD', amount: 2500 }, { currency: 'EUR', amount: 2300 }],
};
const pim: SourceFields = {
  title: 'PIM title is not used',
  description: '<p>Soft organic cotton</p>',
  attributes: { brand: 'ACME Apparel', material: 'organic cotton' },
  images: [{ url: 'https://pim.example.com/tee-front.jpg', alt: 'front' }, { url: 'https://pim.example.com/tee-back.jpg' }],
  prices: [{ currency: 'USD', amount: 1 }],
};
const api: SourceFields = { title: 'API title', prices: [{ currency: 'USD', amount: 2900 }, { currency: 'USD', amount: 2700, channel: 'shop-main' }] };

describe('merge rules', () => {
  it('takes each field from its sources in rule order: ERP title and prices, PIM description, images and (winning) attributes', () => {
    const merged = mergeSources(rules, new Map([['erp', erp], ['pim', pim], ['api', api]]));
    expect(merged.title).toBe('Tee red M');
    expect(merged.description).toBe('<p>Soft organic cotton</p>');
    expect(merged.images).toEqual(pim.images);
    expect(merged.attributes).toEqual({ brand: 'ACME Apparel', isStockItem: true, itemGroup: 'Shirts', material: 'organic cotton' });
    // ERP wins USD and EUR for every channel; the API still adds its channel-specific price; the PIM (not a price source) adds none.
    expect(merged.prices).toEqual([
      { currency: 'EUR', amount: 2300 },
      { currency: 'USD', amount: 2500 },
      { currency: 'USD', amount: 2700, channel: 'shop-main' },
    ]);
  });

  it('falls back to the next source when the first has nothing, and to empty values when none has', () => {
    const merged = mergeSources(rules, new Map([['pim', { attributes: { material: 'wool' } }], ['api', api]]));
    expect(merged.title).toBe('API title');
    expect(merged.description).toBeNull();
    expect(merged.images).toEqual([]);
    expect(merged.prices.map((p) => p.amount)).toEqual([2900, 2700]);
    expect(mergeSources(rules, new Map())).toEqual({ title: '', description: null, attributes: {}, images: [], prices: [] });
  });

  it('is independent of the order sources arrived in (same input, same master)', () => {
    const a = mergeSources(rules, new Map([['erp', erp], ['pim', pim], ['api', api]]));
    const b = mergeSources(rules, new Map([['api', api], ['pim', pim], ['erp', erp]]));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('defaults every field to the configured sources in order, then the API', () => {
    const defaults = CatalogConfig.parse({ sources: [{ id: 'erp', connection: 'erp-main' }, { id: 'pim' }] }).merge;
    expect(defaults.title).toEqual(['erp', 'pim', 'api']);
    expect(CatalogConfig.parse({}).merge.prices).toEqual(['api']);
  });

  it('knows when a source withdrew the item, and picks the channel price before the price for every channel', () => {
    expect(withdrawnBySource(new Map([['erp', { ...erp, archived: true }], ['pim', pim]]))).toBe(true);
    expect(withdrawnBySource(new Map([['erp', erp]]))).toBe(false);
    const prices = [{ currency: 'USD', amount: 2500 }, { currency: 'USD', amount: 2700, channel: 'shop-main' }];
    expect(channelPrice(prices, 'shop-main', 'USD')?.amount).toBe(2700);
    expect(channelPrice(prices, 'amazon-us', 'USD')?.amount).toBe(2500);
    expect(channelPrice(prices, 'shop-main', 'EUR')).toBeUndefined();
  });
});
