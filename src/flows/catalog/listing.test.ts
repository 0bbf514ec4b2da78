import { describe, expect, it } from 'vitest';
import { CatalogConfig, defaultMapping } from './config.js';
import { handleOfSku, mapListing, mappingInput } from './listing.js';
import { compileMapping } from './mapping-expression.js';

const product = {
  sku: 'TEE-RED-M',
  status: 'approved',
  version: 3,
  title: 'Tee red M',
  description: 'Cotton tee',
  attributes: { brand: 'Acme', material: 'cotton', size: 'M', itemGroup: 'Shirts' },
  images: [{ url: 'https://cdn.example.com/tee.jpg' }],
  prices: [{ currency: 'USD', amount: 2500, compareAt: 3000 }, { currency: 'EUR', amount: 2300 }, { currency: 'USD', amount: 2700, channel: 'shop-main' }],
};
const shop = { connection: 'shop-main', currency: 'USD' };

describe('channel mapping (JSONata)', () => {
  it('maps with the default mapping: the channel price in its currency, handle from the SKU', async () => {
    const listing = await mapListing(compileMapping(defaultMapping), mappingInput(product, { connection: 'amazon-us', currency: 'USD' }));
    expect(listing).toEqual({
      title: 'Tee red M',
      handle: 'tee-red-m',
      description: 'Cotton tee',
      vendor: 'Acme',
      price: { amount: 2500, currency: 'USD' },
      compareAtPrice: { amount: 3000, currency: 'USD' },
      images: [{ url: 'https://cdn.example.com/tee.jpg' }],
      attributes: product.attributes,
    });
    expect((await mapListing(compileMapping(defaultMapping), mappingInput(product, shop))).price).toEqual({ amount: 2700, currency: 'USD' });
  });

  it('transforms titles and attributes and picks a price list by channel and currency', async () => {
    const mapping = compileMapping(`{
      "title": $uppercase(attributes.brand) & " " & title,
      "tags": [attributes.material, "size-" & $lowercase(attributes.size)],
      "productType": attributes.itemGroup,
      "price": prices[currency = "EUR" and $not($exists(channel))],
      "description": "<p>" & description & "</p>"
    }`);
    const listing = await mapListing(mapping, mappingInput(product, { connection: 'shop-eu', currency: 'EUR' }));
    expect(listing).toEqual({ title: 'ACME Tee red M', tags: ['cotton', 'size-m'], productType: 'Shirts', price: { currency: 'EUR', amount: 2300 }, description: '<p>Cotton tee</p>' });
  });

  it('fails permanently, naming the channel and the violation, when the listing is not valid', async () => {
    const noPrice = mapListing(compileMapping(defaultMapping), mappingInput({ ...product, prices: [] }, shop));
    await expect(noPrice).rejects.toMatchObject({ code: 'catalog_mapping_invalid', retryable: false, message: expect.stringMatching(/shop-main listing of TEE-RED-M.*\/price: no price in USD/) });
    const fractional = mapListing(compileMapping('{ "title": title, "price": { "amount": price.amount * 0.333, "currency": "USD" } }'), mappingInput(product, shop));
    await expect(fractional).rejects.toMatchObject({ code: 'catalog_mapping_invalid', message: expect.stringContaining('/price/amount') });
    const wrongCurrency = mapListing(compileMapping('{ "title": title, "price": prices[currency = "EUR"] }'), mappingInput(product, shop));
    await expect(wrongCurrency).rejects.toMatchObject({ message: expect.stringContaining('sells in USD') });
    await expect(mapListing(compileMapping('[title]'), mappingInput(product, shop))).rejects.toMatchObject({ code: 'catalog_mapping_invalid' });
    await expect(mapListing(compileMapping('$error("no listing for " & sku)'), mappingInput(product, shop))).rejects.toMatchObject({ code: 'catalog_mapping_failed', message: expect.stringContaining('no listing for TEE-RED-M') });
  });

  it('derives URL handles from SKUs', () => {
    expect(handleOfSku('TEE-RED-M')).toBe('tee-red-m');
    expect(handleOfSku('Socks 3PK / Navy')).toBe('socks-3pk-navy');
    expect(handleOfSku('--')).toBe('product');
  });

  it('rejects a mapping that does not compile when the configuration loads, with its path', () => {
    const parsed = CatalogConfig.safeParse({ channels: [{ connection: 'shop-main', currency: 'USD', mapping: '{ "title": title, ' }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['channels', 0, 'mapping'], message: expect.stringMatching(/^the JSONata mapping does not compile: S0\d+ at character \d+/) });
  });

  it('rejects merge rules naming unknown sources and duplicate channels', () => {
    const parsed = CatalogConfig.safeParse({ sources: [{ id: 'erp', connection: 'erp-main' }], merge: { title: ['erp', 'pim'] }, channels: [{ connection: 'shop-main', currency: 'USD' }, { connection: 'shop-main', currency: 'EUR' }] });
    expect(parsed.error?.issues.map((i) => [i.path.join('/'), i.message])).toEqual([
      ['merge/title/1', 'names source pim, which is not configured (sources: api, erp)'],
      ['channels/1/connection', 'channel shop-main is configured twice'],
    ]);
    expect(CatalogConfig.safeParse({ sources: [{ id: 'api' }] }).error?.issues[0]?.message).toBe('api is the built-in API source');
  });
});
