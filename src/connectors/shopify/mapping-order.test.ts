import { describe, expect, it } from 'vitest';
import { decimalToMinor, minorToDecimal, parseOrder } from '../../model/index.js';
import { parseShopifyJson } from './json.js';
import { shopifyOrderCancellation, shopifyOrderChannelStatus, shopifyOrderToCanonical } from './mapping.js';
import { failure, readShopifyCorpus, type Json } from './test-support.js';

const read = readShopifyCorpus;
const webhookBody = (topicFile: string): Json => read(`webhooks-2026-04/${topicFile}.json`).response;


const orderFiles = ['orders_create', 'orders_updated', 'orders_paid', 'orders_fulfilled', 'orders_partially_fulfilled', 'orders_cancelled'];

describe('shopifyOrderToCanonical on the 2026-04 orders/* samples', () => {
  /*
   * The sample (the same body for every orders/* topic) needs the order-level discount spread to
   * reconcile: total_discounts is 20.00 but no line carries a discount allocation. 10.00 of it is
   * the shipping discount ("Generic Shipping" price 10.00, discounted_price 0.00); the other 10.00
   * (which Shopify's subtotal_price 404.95 = 414.95 − 10.00 confirms is on the lines) is spread
   * over the five lines by largest remainder, weighted by price:
   *   1000 × [8999, 1999, 2499, 15999, 11999] / 41495 = 216.87, 48.17, 60.22, 385.56, 289.17
   *   floors 216 + 48 + 60 + 385 + 289 = 998; the 2 left go to the largest remainders (.87, .56)
   *   → [217, 48, 60, 386, 289]. Total 414.95 − 20.00 + 10.00 = 404.95 = Shopify's total_price.
   */
  for (const file of orderFiles) {
    it(`${file}: exact ids, amounts and totals`, () => {
      const order = shopifyOrderToCanonical('shop-main', webhookBody(file));
      expect(parseOrder(order)).toMatchObject({ ok: true });
      expect(order).toEqual({
        source: 'shop-main',
        externalId: '820982911946154508',
        number: '#9999',
        placedAt: '2021-12-31T19:00:00-05:00',
        currency: 'USD',
        taxesIncluded: false,
        customer: { externalId: '115310627314723954', email: 'john@example.com', name: 'John Smith' },
        shippingAddress: {
          name: 'Steve Shipper',
          company: 'Shipping Company',
          line1: '123 Shipping Street',
          city: 'Shippington',
          region: 'KY',
          postalCode: '40003',
          country: 'US',
          phone: '555-555-SHIP',
        },
        billingAddress: expect.objectContaining({ line1: '123 Shipping Street', country: 'US' }),
        lines: [
          { lineId: '487817672276298554', sku: 'SKU2006-001', title: 'Aviator sunglasses', quantity: 1, unitPrice: 8999, discount: 217, taxes: [] },
          { lineId: '789012345678901234', sku: 'LENS-PROTECT-2YR', title: 'Lens Protection Plan (2 Year)', quantity: 1, unitPrice: 1999, discount: 48, taxes: [] },
          { lineId: '890123456789012345', sku: 'CASE-LEATHER-PREM', title: 'Premium Leather Case', quantity: 1, unitPrice: 2499, discount: 60, taxes: [] },
          { lineId: '976318377106520349', sku: 'SKU2006-020', title: 'Mid-century lounger', quantity: 1, unitPrice: 15999, discount: 386, taxes: [] },
          { lineId: '315789986012684393', sku: 'SKU2006-035', title: 'Coffee table', quantity: 1, unitPrice: 11999, discount: 289, taxes: [] },
        ],
        shipping: [{ method: 'Generic Shipping', price: 1000, discount: 1000, taxes: [] }],
        payments: [{ provider: 'visa', reference: '820982911946154508', status: 'voided', amount: 40495 }],
        totals: { subtotal: 41495, discount: 2000, shipping: 1000, tax: 0, total: 40495 },
        tags: ['tag1', 'tag2'],
      });
    });
  }

  it('takes the exact id from admin_graphql_api_id although the corpus id was rounded upstream', () => {
    const body = webhookBody('orders_create');
    expect(body.id).toBe('820982911946154500');
    expect(shopifyOrderToCanonical('shop-main', body).externalId).toBe('820982911946154508');
  });

  it('reports channel statuses and the cancellation', () => {
    const body = webhookBody('orders_cancelled');
    expect(shopifyOrderChannelStatus(body)).toEqual({ financial_status: 'voided', cancelled_at: '2021-12-31T19:00:00-05:00' });
    expect(shopifyOrderCancellation(body)).toEqual({
      kind: 'order-cancelled',
      orderExternalId: '820982911946154508',
      cancelledAt: '2021-12-31T19:00:00-05:00',
      reason: 'customer',
    });
  });
});

describe('shopifyOrderToCanonical on the REST fixtures (older shapes, no price_set)', () => {
  it('order.json: refuses it, because Shopify\'s own figures disagree (total_line_items_price 398.00 vs three lines of 199.00)', () => {
    const error = failure(() => shopifyOrderToCanonical('shop-main', read('rest-fixtures/order.json').order));
    expect(error.code).toBe('mapping_mismatch');
    expect(error.message).toBe(
      'Shopify total_price 409.94 USD does not match the mapped total 608.94 USD (subtotal 597.00 USD − discount 0.00 USD + shipping 0.00 USD + tax 11.94 USD)' +
        "; Shopify's own total_line_items_price 398.00 USD differs from Σ line_items price × quantity 597.00 USD",
    );
    expect(error.details).toMatchObject({ shopifyTotal: 40994, mappedTotal: 60894 });
  });

  it('order.json with two lines (as its totals were computed): spreads the order-level tax_lines over the lines', () => {
    // The fixture's lines carry no tax_lines; the order's single "State Tax" 11.94 is split 597/597.
    // Its discount_codes TENOFF 10.00 is not applied: total_discounts is 0.00 and total_price agrees.
    const raw = read('rest-fixtures/order.json').order;
    raw.line_items = raw.line_items.filter((line: Json) => line.sku !== 'IPOD2008RED');
    const order = shopifyOrderToCanonical('shop-main', raw);
    expect(parseOrder(order)).toMatchObject({ ok: true });
    expect(order).toMatchObject({
      externalId: '450789469',
      number: '#1001',
      placedAt: '2008-01-10T11:00:00-05:00',
      currency: 'USD',
      customer: { externalId: '207119551', email: 'bob.norman@hostmail.com', name: 'Bob Norman' },
      shippingAddress: { name: 'Bob Norman', line1: 'Chestnut Street 92', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US', phone: '555-625-1199' },
      lines: [
        { lineId: '466157049', sku: 'IPOD2008GREEN', title: 'IPod Nano - 8gb', quantity: 1, unitPrice: 19900, discount: 0, taxes: [{ name: 'State Tax', rate: '0.06', amount: 597 }] },
        { lineId: '703073504', sku: 'IPOD2008BLACK', title: 'IPod Nano - 8gb', quantity: 1, unitPrice: 19900, discount: 0, taxes: [{ name: 'State Tax', rate: '0.06', amount: 597 }] },
      ],
      shipping: [{ method: 'Free Shipping', price: 0, discount: 0, taxes: [] }],
      payments: [{ provider: 'authorize_net', reference: '450789469', status: 'authorized', amount: 40994 }],
      totals: { subtotal: 39800, discount: 0, shipping: 0, tax: 1194, total: 40994 },
      attributes: { 'custom engraving': 'Happy Birthday', colour: 'green' },
    });
    expect(order.shippingAddress).not.toHaveProperty('line2');
    expect(order).not.toHaveProperty('tags');
  });

  it('orders.json: each order is refused with a clear error, because the fixture has no line_items', () => {
    const { orders } = read('rest-fixtures/orders.json');
    expect(orders).toHaveLength(1);
    for (const raw of orders) {
      expect(failure(() => shopifyOrderToCanonical('shop-main', raw))).toMatchObject({ code: 'invalid_payload', message: '/line_items is required' });
    }
  });
});

/** Every `*_set` money bag of a Shopify payload, so variants can be derived from the corpus. */
function eachMoneyBag(node: Json, visit: (bag: Json) => void): void {
  if (Array.isArray(node)) return node.forEach((item) => eachMoneyBag(item, visit));
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key.endsWith('_set') && value && typeof value === 'object' && 'shop_money' in value) visit(value);
    else eachMoneyBag(value, visit);
  }
}

function eachPlainAmount(node: Json, visit: (value: string) => string): void {
  if (Array.isArray(node)) return node.forEach((item) => eachPlainAmount(item, visit));
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key.endsWith('_set')) continue;
    if (typeof value === 'string' && /^-?\d+\.\d{2}$/.test(value)) node[key] = visit(value);
    else eachPlainAmount(value, visit);
  }
}

describe('currencies', () => {
  it('JPY (no minor units): a corpus order re-denominated, with "8999" and "8999.00"-style amounts', () => {
    const raw = webhookBody('orders_create');
    raw.currency = 'JPY';
    raw.presentment_currency = 'JPY';
    eachPlainAmount(raw, (value) => value.replace('.', ''));
    eachMoneyBag(raw, (bag) => {
      for (const side of [bag.shop_money, bag.presentment_money]) {
        side.currency_code = 'JPY';
        side.amount = `${side.amount.replace('.', '')}.00`;
      }
    });
    const order = shopifyOrderToCanonical('shop-main', raw);
    expect(parseOrder(order)).toMatchObject({ ok: true });
    expect(order.currency).toBe('JPY');
    expect(order.lines.map((line) => [line.unitPrice, line.discount])).toEqual([
      [8999, 217],
      [1999, 48],
      [2499, 60],
      [15999, 386],
      [11999, 289],
    ]);
    expect(order.totals).toEqual({ subtotal: 41495, discount: 2000, shipping: 1000, tax: 0, total: 40495 });

    raw.line_items[0].price_set.shop_money.amount = '8999.5';
    expect(failure(() => shopifyOrderToCanonical('shop-main', raw))).toMatchObject({
      code: 'invalid_payload',
      message: '/line_items/0/price_set/shop_money/amount is not a valid JPY amount: 8999.5 has more than 0 decimal places, the minor unit of JPY',
    });
  });

  it('presentment money: a corpus order whose buyer paid in EUR at twice the USD figures', () => {
    const raw = webhookBody('orders_create');
    raw.presentment_currency = 'EUR';
    eachMoneyBag(raw, (bag) => {
      bag.presentment_money.currency_code = 'EUR';
      bag.presentment_money.amount = minorToDecimal(decimalToMinor(bag.shop_money.amount, 'USD') * 2, 'EUR');
    });
    const order = shopifyOrderToCanonical('shop-main', raw, { money: 'presentment' });
    expect(parseOrder(order)).toMatchObject({ ok: true });
    expect(order.currency).toBe('EUR');
    // The unallocated 20.00 EUR of line discount is spread afresh, not doubled from the USD split:
    // 2000 × [17998, 3998, 4998, 31998, 23998] / 82990 = 433.74, 96.35, 120.45, 771.13, 578.33.
    expect(order.lines.map((line) => [line.unitPrice, line.discount])).toEqual([
      [17998, 434],
      [3998, 96],
      [4998, 121],
      [31998, 771],
      [23998, 578],
    ]);
    expect(order.shipping).toEqual([{ method: 'Generic Shipping', price: 2000, discount: 2000, taxes: [] }]);
    expect(order.totals).toEqual({ subtotal: 82990, discount: 4000, shipping: 2000, tax: 0, total: 80990 });
    expect(order.payments).toEqual([{ provider: 'visa', reference: '820982911946154508', status: 'voided', amount: 80990 }]);

    const shop = shopifyOrderToCanonical('shop-main', raw);
    expect(shop.currency).toBe('USD');
    expect(shop.totals.total).toBe(40495);
  });

  it('presentment money cannot be read from plain fields when the currencies differ', () => {
    const raw = read('rest-fixtures/order.json').order;
    raw.line_items = raw.line_items.slice(0, 1);
    raw.presentment_currency = 'EUR';
    expect(failure(() => shopifyOrderToCanonical('shop-main', raw, { money: 'presentment' }))).toMatchObject({
      code: 'invalid_payload',
      message: '/line_items/0/price_set is required to read EUR presentment amounts (price is in the shop currency)',
    });
  });
});

/** A small older-shape order: lines of (price, quantity), an order-level discount, no allocations. */
function minimalOrder(lines: [string, number][], totalDiscounts: string, totalPrice: string): Json {
  return {
    id: 1001,
    name: '#1001',
    created_at: '2026-11-26T10:15:00Z',
    currency: 'USD',
    total_discounts: totalDiscounts,
    total_price: totalPrice,
    line_items: lines.map(([price, quantity], index) => ({ id: index + 1, sku: `SKU-${index + 1}`, title: `Item ${index + 1}`, price, quantity })),
  };
}

describe('order-level discounts without allocations', () => {
  it('splits 10.00 over three equal lines as 3.34 / 3.33 / 3.33', () => {
    const order = shopifyOrderToCanonical('shop-main', minimalOrder([['10.00', 1], ['10.00', 1], ['10.00', 1]], '10.00', '20.00'));
    expect(order.lines.map((line) => line.discount)).toEqual([334, 333, 333]);
    expect(order.totals).toEqual({ subtotal: 3000, discount: 1000, shipping: 0, tax: 0, total: 2000 });
    expect(parseOrder(order)).toMatchObject({ ok: true });
  });

  it('weights by extended price and never discounts a line beyond it', () => {
    const order = shopifyOrderToCanonical('shop-main', minimalOrder([['10.00', 1], ['0.25', 2]], '10.30', '0.20'));
    expect(order.lines.map((line) => line.discount)).toEqual([981, 49]);
    expect(parseOrder(order)).toMatchObject({ ok: true });
  });

  it('adds the unallocated part to lines that already carry allocations', () => {
    const raw = minimalOrder([['30.00', 1], ['10.00', 1]], '6.00', '34.00');
    raw.line_items[0].discount_allocations = [{ amount: '2.00' }];
    raw.line_items[1].discount_allocations = [];
    const order = shopifyOrderToCanonical('shop-main', raw);
    // 4.00 unallocated, weighted by 28.00 and 10.00 → 2.947 and 1.053 → 295 + 105.
    expect(order.lines.map((line) => line.discount)).toEqual([495, 105]);
  });

  it('refuses a discount larger than the lines can carry', () => {
    const error = failure(() => shopifyOrderToCanonical('shop-main', minimalOrder([['10.00', 1]], '12.00', '0.00')));
    expect(error.code).toBe('mapping_mismatch');
    expect(error.message).toMatch(/^Shopify total_discounts 12\.00 USD cannot be reconciled/);
  });
});

describe('reconciliation with Shopify\'s own total_price', () => {
  it('names both figures and the tip Shopify charged when total_price includes a tip', () => {
    const raw = webhookBody('orders_create');
    raw.total_price = '409.95';
    raw.total_price_set.shop_money.amount = '409.95';
    raw.total_tip_received = '5.00';
    const error = failure(() => shopifyOrderToCanonical('shop-main', raw));
    expect(error.code).toBe('mapping_mismatch');
    expect(error.message).toBe(
      'Shopify total_price 409.95 USD does not match the mapped total 404.95 USD (subtotal 414.95 USD − discount 20.00 USD + shipping 10.00 USD + tax 0.00 USD)' +
        '; Shopify also charged total_tip_received 5.00 USD, which the canonical order has no place for',
    );
  });

  it('refuses taxes that do not add up to total_tax', () => {
    const raw = webhookBody('orders_create');
    raw.total_tax = '1.00';
    raw.total_tax_set.shop_money.amount = '1.00';
    expect(failure(() => shopifyOrderToCanonical('shop-main', raw))).toMatchObject({
      code: 'mapping_mismatch',
      message: 'Shopify total_tax 1.00 USD does not match the mapped taxes 0.00 USD (Σ line and shipping tax_lines)',
    });
  });

  it('maps line and shipping tax_lines, taxes included (VAT style)', () => {
    const raw = minimalOrder([['12.00', 2]], '0.00', '29.00');
    raw.taxes_included = true;
    raw.total_tax = '4.83';
    raw.line_items[0].tax_lines = [{ title: 'VAT', rate: '0.2', price: '4.00' }];
    raw.shipping_lines = [{ title: 'Standard', price: '5.00', tax_lines: [{ title: 'VAT', rate: '0.2', price: '0.83' }] }];
    const order = shopifyOrderToCanonical('shop-main', raw);
    expect(order.lines[0]!.taxes).toEqual([{ name: 'VAT', rate: '0.2', amount: 400 }]);
    expect(order.shipping).toEqual([{ method: 'Standard', price: 500, discount: 0, taxes: [{ name: 'VAT', rate: '0.2', amount: 83 }] }]);
    expect(order.totals).toEqual({ subtotal: 2400, discount: 0, shipping: 500, tax: 483, total: 2900 });
    expect(parseOrder(order)).toMatchObject({ ok: true });
  });
});

describe('line, payment and customer details', () => {
  it('falls back to the variant id, then shopify-line-<id>, for lines without a SKU', () => {
    const raw = minimalOrder([['1.00', 1], ['1.00', 1]], '0.00', '2.00');
    raw.line_items[0].sku = '';
    raw.line_items[0].variant_id = '39072856000000000001';
    raw.line_items[1].sku = null;
    expect(shopifyOrderToCanonical('shop-main', raw).lines.map((line) => line.sku)).toEqual(['39072856000000000001', 'shopify-line-2']);
  });

  it('maps every financial status, and only the paid part of a partially paid order', () => {
    const expected: Record<string, [string, number]> = {
      pending: ['pending', 200],
      authorized: ['authorized', 200],
      paid: ['captured', 200],
      partially_paid: ['captured', 150],
      partially_refunded: ['partially_refunded', 200],
      refunded: ['refunded', 200],
      voided: ['voided', 200],
      expired: ['voided', 200],
    };
    for (const [financial, [status, amount]] of Object.entries(expected)) {
      const raw = { ...minimalOrder([['2.00', 1]], '0.00', '2.00'), financial_status: financial, payment_gateway_names: ['shopify_payments'], total_outstanding: '0.50' };
      expect(shopifyOrderToCanonical('shop-main', raw).payments).toEqual([{ provider: 'shopify_payments', reference: '1001', status, amount }]);
    }
    const unknown = { ...minimalOrder([['2.00', 1]], '0.00', '2.00'), financial_status: 'mystery', gateway: 'bogus' };
    expect(failure(() => shopifyOrderToCanonical('shop-main', unknown)).message).toBe('/financial_status is "mystery", not a known Shopify financial status');
  });

  it('keeps a guest email as the customer and drops an address without a country code', () => {
    const raw = { ...minimalOrder([['2.00', 1]], '0.00', '2.00'), email: 'guest@example.com', shipping_address: { address1: '1 Main St', city: 'Springfield', country: 'Nowhere' } };
    const order = shopifyOrderToCanonical('shop-main', raw);
    expect(order.customer).toEqual({ email: 'guest@example.com' });
    expect(order).not.toHaveProperty('shippingAddress');
  });

  it('takes the exact id of an order from raw text beyond 2^53 when there is no gid', () => {
    const order = shopifyOrderToCanonical(
      'shop-main',
      parseShopifyJson('{"id": 9007199254740993, "created_at": "2026-01-02 03:04:05 +0100", "currency": "USD", "total_price": "1.00", "line_items": [{"id": 9007199254740995, "sku": "A", "price": "1.00", "quantity": 1}]}'),
    );
    expect(order.externalId).toBe('9007199254740993');
    expect(order.lines[0]!.lineId).toBe('9007199254740995');
    expect(order.placedAt).toBe('2026-01-02T03:04:05+01:00');
  });
});

describe('invalid orders', () => {
  const cases: [string, Json, string][] = [
    ['not an object', [], '(payload) must be an object'],
    ['no id', { currency: 'USD', line_items: [] }, '/id is required'],
    ['no currency', { id: 1, line_items: [] }, '/currency is required'],
    ['empty line_items', { id: 1, currency: 'USD', line_items: [] }, '/line_items must hold at least one line item'],
    ['a bad price', minimalOrderWith((o) => (o.line_items[0].price = 'abc')), '/line_items/0/price must be a decimal number, got "abc"'],
    ['a fractional quantity', minimalOrderWith((o) => (o.line_items[0].quantity = '1.5')), '/line_items/0/quantity must be a whole number, got "1.5"'],
    ['a bad timestamp', minimalOrderWith((o) => (o.created_at = 'yesterday')), '/created_at must be an ISO 8601 date-time with an offset, got "yesterday"'],
    ['a zero quantity', minimalOrderWith((o) => (o.line_items[0].quantity = 0)), 'the mapped order violates the canonical model: /lines/0/quantity quantity must be a positive integer'],
    ['an unknown currency', minimalOrderWith((o) => (o.currency = 'XXX')), '/line_items/0/price is not a valid XXX amount: unknown currency code XXX'],
  ];
  for (const [name, raw, message] of cases) {
    it(`${name} → invalid_payload: ${message}`, () => {
      expect(failure(() => shopifyOrderToCanonical('shop-main', raw))).toMatchObject({ code: 'invalid_payload', message });
    });
  }
});

function minimalOrderWith(change: (order: Json) => void): Json {
  const order = minimalOrder([['1.00', 1]], '0.00', '1.00');
  change(order);
  return order;
}
