import { readFileSync } from 'node:fs';
import { parse, stringify } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { InboundEvent } from '../framework/index.js';
import { interpretShopify, interpretedShopifyTopics } from './interpret.js';
import { corpusUrl } from '../../testing/index.js';
import { failure } from './test-support.js';

const corpus = corpusUrl('shopify/');

/** A corpus webhook body as Shopify's raw text (numbers kept digit for digit). */
function body(file: string): string {
  const text = readFileSync(new URL(`webhooks-2026-04/${file}.json`, corpus), 'utf8');
  const parsed = parse(text) as Record<string, unknown>;
  return stringify('response' in parsed ? parsed.response : parsed)!;
}

function restBody(file: string, key: string): string {
  return stringify((parse(readFileSync(new URL(`rest-fixtures/${file}.json`, corpus), 'utf8')) as Record<string, unknown>)[key])!;
}


function interpret(topic: string, payload: string, options = {}) {
  const events = interpretShopify('shop-main', topic, payload, options);
  for (const event of events) expect(InboundEvent.safeParse(event).success).toBe(true);
  return events;
}

describe('interpretShopify on the 2026-04 samples', () => {
  for (const [file, topic] of [
    ['orders_create', 'orders/create'],
    ['orders_updated', 'orders/updated'],
    ['orders_paid', 'orders/paid'],
    ['orders_fulfilled', 'orders/fulfilled'],
    ['orders_partially_fulfilled', 'orders/partially_fulfilled'],
  ]) {
    it(`${topic}: one order event with channel statuses and channelUpdatedAt`, () => {
      const events = interpret(topic!, body(file!));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        kind: 'order',
        order: { source: 'shop-main', externalId: '820982911946154508', totals: { subtotal: 41495, discount: 2000, shipping: 1000, tax: 0, total: 40495 } },
        channelUpdatedAt: '2021-12-31T19:00:00-05:00',
        channelStatus: { financial_status: 'voided', cancelled_at: '2021-12-31T19:00:00-05:00' },
      });
    });
  }

  it('orders/cancelled: the updated order, then the cancellation', () => {
    const events = interpret('orders/cancelled', body('orders_cancelled'));
    expect(events.map((event) => event.kind)).toEqual(['order', 'order-cancelled']);
    expect(events[1]).toEqual({ kind: 'order-cancelled', orderExternalId: '820982911946154508', cancelledAt: '2021-12-31T19:00:00-05:00', reason: 'customer' });
  });

  it('refunds/create, fulfillments/*, products/update, order_transactions/create', () => {
    expect(interpret('refunds/create', body('refunds_create'))).toMatchObject([{ kind: 'refund', refund: { reference: '890088186047892319', amount: 8500, currency: 'USD' } }]);
    for (const [file, topic] of [
      ['fulfillments_create', 'fulfillments/create'],
      ['fulfillments_update', 'fulfillments/update'],
    ]) {
      expect(interpret(topic!, body(file!))).toMatchObject([{ kind: 'fulfillment', fulfillment: { reference: '123456', status: 'pending' } }]);
    }
    expect(interpret('products/update', body('products_update'))).toMatchObject([{ kind: 'product', product: { productId: '788032119674292922' } }]);
    expect(interpret('products/create', body('products_create'))).toMatchObject([{ kind: 'product', product: { productId: '788032119674292922' } }]);
    expect(interpret('order_transactions/create', body('order_transactions_create'))).toMatchObject([
      { kind: 'payment', transaction: { id: '120560818172775265', amount: { amount: 41995, currency: 'USD' } } },
    ]);
  });

  it('inventory_levels/update: the exemplar maps; the empty 2026-04 sample is refused', () => {
    expect(interpret('inventory_levels/update', body('inventory_levels_update.exemplar'))).toEqual([
      { kind: 'inventory-level', itemId: '123', locationId: '123', available: 123, occurredAt: '2019-01-01T00:00:00.000Z' },
    ]);
    expect(failure(() => interpret('inventory_levels/update', body('inventory_levels_update')))).toMatchObject({
      code: 'invalid_payload',
      message: '/inventory_item_id is required',
    });
  });

  it('keeps ids beyond 2^53 exact from the raw text, and the corpus rounding shows up as written', () => {
    const exact = body('orders_create')
      .replace('"id":820982911946154500,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508",', '"id":820982911946154509,')
      .replace('"id":487817672276298560,"admin_graphql_api_id":"gid://shopify/LineItem/487817672276298554",', '"id":487817672276298561,');
    const [event] = interpret('orders/create', exact);
    if (event?.kind !== 'order') throw new Error('expected an order event');
    expect(event.order.externalId).toBe('820982911946154509');
    expect(event.order.lines[0]!.lineId).toBe('487817672276298561');
    const [refund] = interpret('refunds/create', body('refunds_create').replace('"order_id":820982911946154500', '"order_id":820982911946154508'));
    expect(refund).toMatchObject({ kind: 'refund', orderExternalId: '820982911946154508' });
  });

  it('topics without a canonical meaning give no events, without reading the payload', () => {
    for (const topic of ['returns/approve', 'products/delete', 'inventory_items/update', 'inventory_levels/connect', 'orders/edited', 'orders/delete', 'app/uninstalled']) {
      expect(interpretedShopifyTopics).not.toContain(topic);
      expect(interpretShopify('shop-main', topic, 'not even json')).toEqual([]);
    }
    expect(interpret('order_transactions/create', body('order_transactions_create').replace('"kind":"authorization"', '"kind":"change"'))).toEqual([]);
  });
});

describe('interpretShopify options and older shapes', () => {
  it('reads presentment money when asked', () => {
    const eur = body('orders_create')
      .replaceAll('"presentment_money":{"amount":"', '"presentment_money":{"currency_code":"EUR","amount":"')
      .replaceAll(/"currency_code":"EUR","amount":"([\d.]+)","currency_code":"USD"/g, '"currency_code":"EUR","amount":"$1"')
      .replace('"presentment_currency":"USD"', '"presentment_currency":"EUR"');
    const [event] = interpret('orders/create', eur, { money: 'presentment' });
    expect(event).toMatchObject({ kind: 'order', order: { currency: 'EUR', totals: { total: 40495 } } });
  });

  it('takes the shop currency from options for REST transactions without one', () => {
    expect(interpret('order_transactions/create', restBody('transaction', 'transaction'), { currency: 'USD' })).toMatchObject([
      { kind: 'payment', orderExternalId: '450789469', transaction: { amount: { amount: 40994, currency: 'USD' } } },
    ]);
    expect(interpret('refunds/create', restBody('refund', 'refund'))).toMatchObject([{ kind: 'refund', refund: { amount: 20900, currency: 'USD' } }]);
  });
});

describe('interpretShopify refuses malformed payloads permanently, naming what is wrong', () => {
  const cases: [string, string, string][] = [
    ['orders/create', '{"id": 1, "line_items": [', 'payload is not valid JSON: '],
    ['orders/create', '[]', '(payload) must be an object'],
    ['orders/create', '{"id": 1, "currency": "USD", "created_at": "2026-01-01T00:00:00Z"}', '/line_items is required'],
    ['orders/updated', '{"id": 1, "currency": "USD", "line_items": [{"id": 2, "quantity": 1}]}', '/line_items/0/price is required (or price_set)'],
    ['fulfillments/create', '{"id": 1, "order_id": "x1", "status": "success", "line_items": []}', '/order_id must be a numeric id, got "x1"'],
    ['refunds/create', '{"id": 1, "order_id": 2, "refund_line_items": {}}', '/refund_line_items must be an array'],
    ['order_transactions/create', '{"id": 1, "kind": "sale", "status": "success", "amount": "1,00", "currency": "EUR", "created_at": "2026-01-01T00:00:00Z"}', '/amount must be a decimal number, got "1,00"'],
  ];
  for (const [topic, payload, message] of cases) {
    it(`${topic} ${payload.slice(0, 40)} → ${message}`, () => {
      const error = failure(() => interpretShopify('shop-main', topic, payload));
      expect(error).toMatchObject({ code: 'invalid_payload', retryable: false });
      expect(error.message.startsWith(message)).toBe(true);
    });
  }

  it('checks every event against the canonical schema (duplicate SKUs in a product)', () => {
    const duplicate = body('products_update').replaceAll('"sku":null', '"sku":"TEE"');
    expect(failure(() => interpretShopify('shop-main', 'products/update', duplicate))).toMatchObject({
      code: 'invalid_payload',
      message: 'products/update maps to an invalid product event: /product/variants/1/sku duplicate sku TEE',
    });
  });

  it('passes mapping mismatches through as permanent errors', () => {
    const tipped = body('orders_create').replace(
      '"total_price":"404.95","total_price_set":{"shop_money":{"amount":"404.95"',
      '"total_price":"405.95","total_price_set":{"shop_money":{"amount":"405.95"',
    );
    expect(tipped).not.toBe(body('orders_create'));
    expect(failure(() => interpretShopify('shop-main', 'orders/create', tipped))).toMatchObject({ code: 'mapping_mismatch', retryable: false });
  });
});
