import { describe, expect, it } from 'vitest';
import { isTillbridgeError } from '../../model/index.js';
import { parseShopifyJson, shopifyGidToId } from './json.js';

function failure(run: () => unknown): { code: string; message: string; retryable: boolean } {
  try {
    run();
  } catch (err) {
    if (isTillbridgeError(err)) return { code: err.code, message: err.message, retryable: err.retryable };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('parseShopifyJson', () => {
  it('keeps integers beyond 2^53 as exact decimal strings', () => {
    const parsed = parseShopifyJson('{"id": 820982911946154508, "order_id": 9007199254740993, "neg": -9007199254740993}');
    expect(parsed).toEqual({ id: '820982911946154508', order_id: '9007199254740993', neg: '-9007199254740993' });
    expect(JSON.parse('{"id": 820982911946154508}').id).toBe(820982911946154500);
  });

  it('keeps safe integers as numbers, up to and including MAX_SAFE_INTEGER', () => {
    expect(parseShopifyJson('[0, -0, 450789469, 9007199254740991, 9007199254740992]')).toEqual([0, 0, 450789469, 9007199254740991, '9007199254740992']);
  });

  it('keeps non-integers as their source text, so no float holds an amount or a rate', () => {
    expect(parseShopifyJson('{"subtotal": 89.99, "rate": 0.06, "price": "19.90", "x": 1.10, "e": 1e3}')).toEqual({
      subtotal: '89.99',
      rate: '0.06',
      price: '19.90',
      x: '1.10',
      e: '1e3',
    });
  });

  it('leaves strings, booleans and null alone', () => {
    expect(parseShopifyJson('{"a": "820982911946154508", "b": true, "c": null}')).toEqual({ a: '820982911946154508', b: true, c: null });
  });

  it('rejects malformed JSON, duplicate keys and non-text with a permanent invalid_payload', () => {
    for (const bad of ['{"id": ', '', 'not json', '{"a": 1, "a": 2}']) {
      const error = failure(() => parseShopifyJson(bad));
      expect(error).toMatchObject({ code: 'invalid_payload', retryable: false });
      expect(error.message).toMatch(/^payload is not valid JSON: /);
    }
    expect(failure(() => parseShopifyJson(undefined as unknown as string)).message).toBe('payload must be JSON text, got undefined');
  });
});

describe('shopifyGidToId', () => {
  it('reads the exact numeric id of any resource gid', () => {
    expect(shopifyGidToId('gid://shopify/Order/820982911946154508')).toBe('820982911946154508');
    expect(shopifyGidToId('gid://shopify/LineItem/487817672276298554')).toBe('487817672276298554');
    expect(shopifyGidToId('gid://shopify/InventoryLevel/123?inventory_item_id=456')).toBe('123');
  });

  it('refuses anything that is not a Shopify gid', () => {
    for (const value of ['https://www.example.com/', 'gid://other/Order/1', 'gid://shopify/Order/', 'gid://shopify/Order/12a', 123, null, undefined]) {
      expect(shopifyGidToId(value)).toBeUndefined();
    }
  });
});
