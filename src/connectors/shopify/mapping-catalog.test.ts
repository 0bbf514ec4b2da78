import { describe, expect, it } from 'vitest';
import { Price } from '../../model/index.js';
import { InboundEvent } from '../framework/index.js';
import { parseShopifyJson } from './json.js';
import { shopifyInventoryLevelToEvent, shopifyProductPrices, shopifyProductToEvent } from './mapping.js';
import { failure, readShopifyCorpus, type Json } from './test-support.js';

const read = readShopifyCorpus;


const ipodDescription = read('rest-fixtures/product.json').product.body_html as string;

describe('shopifyProductToEvent', () => {
  it('products_update (2026-04): exact ids, variant ids as SKUs when the SKU is blank', () => {
    const event = shopifyProductToEvent(read('webhooks-2026-04/products_update.json').response);
    expect(InboundEvent.parse(event)).toEqual(event);
    expect(event).toEqual({
      kind: 'product',
      product: {
        productId: '788032119674292922',
        handle: 'example-t-shirt',
        title: 'Example T-Shirt',
        description: 'An example T-Shirt',
        status: 'active',
        attributes: { vendor: 'Acme', productType: 'Shirts', tags: 'example, mens, t-shirt' },
        images: [],
        variants: [
          { sku: '642667041472713922', title: 'Small', options: { option1: 'Small' } },
          { sku: '757650484644203962', title: 'Medium', options: { option1: 'Medium' } },
        ],
      },
    });
  });

  it('products_create (2026-04): the same example product, with its 18-digit ids exact', () => {
    const event = shopifyProductToEvent(read('webhooks-2026-04/products_create.json').response);
    expect(InboundEvent.parse(event)).toEqual(event);
    expect(event.product).toMatchObject({
      productId: '788032119674292922',
      handle: 'example-t-shirt',
      status: 'active',
      variants: [{ sku: '642667041472713922' }, { sku: '757650484644203962' }],
    });
  });

  it('product.json (REST, no status): published → active, option names, weights in grams', () => {
    const event = shopifyProductToEvent(read('rest-fixtures/product.json').product);
    expect(InboundEvent.parse(event)).toEqual(event);
    const variant = (sku: string, colour: string) => ({ sku, title: colour, options: { Title: colour }, weight: { value: 200, unit: 'g' } });
    expect(event.product).toEqual({
      productId: '632910392',
      handle: 'ipod-nano',
      title: 'IPod Nano - 8GB',
      description: ipodDescription,
      status: 'active',
      attributes: { vendor: 'Apple', productType: 'Cult Products', tags: 'Emotive, Flash Memory, MP3, Music' },
      images: [{ url: 'http://static.shopify.com/s/files/1/6909/3384/products/ipod-nano.png?0' }],
      variants: [variant('IPOD2008PINK', 'Pink'), variant('IPOD2008RED', 'Red'), variant('IPOD2008GREEN', 'Green'), variant('IPOD2008BLACK', 'Black')],
    });
  });

  it('products.json (REST): every product, status null → active because published', () => {
    const products = read('rest-fixtures/products.json');
    expect(products).toHaveLength(4);
    products.forEach((raw: Json, index: number) => {
      const event = shopifyProductToEvent(raw);
      expect(InboundEvent.parse(event)).toEqual(event);
      expect(event.product).toMatchObject({
        productId: String(index + 1),
        status: 'active',
        variants: [{ sku: 'IPOD2008PINK', title: 'Pink', options: { Title: 'Pink' }, weight: { value: 200, unit: 'g' } }],
      });
    });
  });

  it('maps draft and archived, unpublished products without status to draft, and refuses unknown statuses', () => {
    const raw = read('rest-fixtures/product.json').product;
    raw.published_at = null;
    expect(shopifyProductToEvent(raw).product.status).toBe('draft');
    raw.status = 'archived';
    expect(shopifyProductToEvent(raw).product.status).toBe('archived');
    raw.status = 'gone';
    expect(failure(() => shopifyProductToEvent(raw))).toMatchObject({ code: 'invalid_payload', message: '/status is "gone", not a known Shopify product status' });
  });

  it('refuses a product without variants', () => {
    const raw = read('rest-fixtures/product.json').product;
    raw.variants = [];
    expect(failure(() => shopifyProductToEvent(raw))).toMatchObject({ code: 'invalid_payload', message: '/variants must hold at least one variant' });
  });
});

describe('shopifyProductPrices', () => {
  it('reads variant prices and compare-at prices exactly', () => {
    const prices = shopifyProductPrices('shop-main', read('webhooks-2026-04/products_update.json').response, 'USD');
    expect(prices).toEqual([
      { sku: '642667041472713922', channel: 'shop-main', currency: 'USD', amount: 1999, compareAt: 2499 },
      { sku: '757650484644203962', channel: 'shop-main', currency: 'USD', amount: 1999, compareAt: 2499 },
    ]);
    for (const price of prices) expect(Price.safeParse(price).success).toBe(true);
    expect(shopifyProductPrices('shop-main', read('rest-fixtures/product.json').product, 'USD').map((p) => [p.sku, p.amount, p.compareAt])).toEqual([
      ['IPOD2008PINK', 19900, undefined],
      ['IPOD2008RED', 19900, undefined],
      ['IPOD2008GREEN', 19900, undefined],
      ['IPOD2008BLACK', 19900, undefined],
    ]);
  });
});

describe('shopifyInventoryLevelToEvent', () => {
  it('inventory_levels_update exemplar: exact ids, a space-separated timestamp normalised', () => {
    const event = shopifyInventoryLevelToEvent(read('webhooks-2026-04/inventory_levels_update.exemplar.json'));
    expect(InboundEvent.parse(event)).toEqual(event);
    expect(event).toEqual({ kind: 'inventory-level', itemId: '123', locationId: '123', available: 123, occurredAt: '2019-01-01T00:00:00.000Z' });
  });

  it('REST inventory_levels.json and inventory_level.json: every level maps, per item and location', () => {
    const levels = read('rest-fixtures/inventory_levels.json').inventory_levels.map(shopifyInventoryLevelToEvent);
    for (const event of levels) expect(InboundEvent.parse(event)).toEqual(event);
    expect(levels.map((e: Json) => [e.itemId, e.locationId, e.available])).toEqual([
      ['39072856', '487838322', 27],
      ['808950810', '905684977', 1],
      ['808950810', '487838322', 9],
      ['39072856', '905684977', 3],
    ]);
    expect(shopifyInventoryLevelToEvent(read('rest-fixtures/inventory_level.json').inventory_level)).toEqual({
      kind: 'inventory-level',
      itemId: '808950810',
      locationId: '905684977',
      available: 6,
      occurredAt: '2018-05-07T15:51:26-04:00',
    });
  });

  it('inventory_levels_update (2026-04): the sample body is empty, so it is refused with the missing field', () => {
    const body = read('webhooks-2026-04/inventory_levels_update.json').response;
    expect(body).toEqual({});
    expect(failure(() => shopifyInventoryLevelToEvent(body))).toMatchObject({ code: 'invalid_payload', message: '/inventory_item_id is required' });
  });

  it('keeps big ids exact and leaves untracked availability out', () => {
    const event = shopifyInventoryLevelToEvent(
      parseShopifyJson('{"inventory_item_id": 49148385000000000017, "location_id": 9007199254740993, "available": null, "updated_at": "2026-04-01T12:00:00+02:00"}'),
    );
    expect(event).toEqual({ kind: 'inventory-level', itemId: '49148385000000000017', locationId: '9007199254740993', occurredAt: '2026-04-01T12:00:00+02:00' });
  });
});
