import { describe, expect, it } from 'vitest';
import type { TillbridgeError } from './errors.js';
import { Order, type OrderInput } from './order.js';
import { assertOrder, parseOrder, validateOrderArithmetic } from './order-rules.js';
import { exampleOrder } from './example-order.js';

const contractExample = exampleOrder();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into the wire JSON freely
function example(): any {
  return structuredClone(contractExample);
}

function errorsOf(input: unknown): { pointer: string; detail: string }[] {
  const result = parseOrder(input);
  if (result.ok) throw new Error('expected the order to be rejected');
  return result.errors;
}

function pointersOf(input: unknown): string[] {
  return errorsOf(input).map((e) => e.pointer);
}

describe('parseOrder', () => {
  it('accepts the CONTRACT.md example as-is and applies defaults', () => {
    const result = parseOrder(example());
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.order.taxesIncluded).toBe(false);
    expect(result.order.totals.total).toBe(5281);
    expect(result.order.lines[0]?.taxes[0]?.rate).toBe('0.0625');
  });

  it('fills defaults for omitted discount, taxes, shipping and payments', () => {
    const input: OrderInput = {
      source: 'pos_1',
      externalId: 'r-9',
      placedAt: '2026-01-02T03:04:05+01:00',
      currency: 'JPY',
      lines: [{ lineId: 'a', sku: 'MUG', quantity: 3, unitPrice: 1200 }],
      totals: { subtotal: 3600, discount: 0, shipping: 0, tax: 0, total: 3600 },
    };
    const result = parseOrder(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.order.lines[0]).toMatchObject({ discount: 0, taxes: [] });
    expect(result.order.shipping).toEqual([]);
    expect(result.order.payments).toEqual([]);
  });

  it('strips unknown keys instead of rejecting them', () => {
    const result = parseOrder({ ...example(), futureField: 1, lines: [{ ...example().lines[0], extra: true }] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect('futureField' in result.order).toBe(false);
    expect('extra' in (result.order.lines[0] ?? {})).toBe(false);
  });

  it('keeps note, tags and attributes', () => {
    const result = parseOrder({ ...example(), note: 'gift', tags: ['vip'], attributes: { channel: 'app' } });
    expect(result.ok && result.order.tags).toEqual(['vip']);
    expect(result.ok && result.order.attributes).toEqual({ channel: 'app' });
  });

  it('accepts a taxesIncluded order whose total leaves tax out', () => {
    const order = example();
    order.taxesIncluded = true;
    order.totals.total = 5000;
    expect(parseOrder(order).ok).toBe(true);
    order.totals.total = 5281;
    expect(errorsOf(order)).toEqual([
      { pointer: '/totals/total', detail: 'total is 5281 but subtotal − discount + shipping (taxes included) is 5000' },
    ]);
  });

  it('maps an unknown currency to /currency', () => {
    expect(errorsOf({ ...example(), currency: 'XYZ' })).toEqual([{ pointer: '/currency', detail: 'unknown currency code XYZ' }]);
  });

  it('maps fractional quantities and amounts to their pointers', () => {
    const order = example();
    order.lines[0]!.quantity = 1.5;
    order.lines[0]!.unitPrice = 25.5;
    order.lines[0]!.taxes[0]!.amount = 2.81;
    order.shipping[0]!.price = 5.0001;
    order.totals.total = 52.81;
    const errors = errorsOf(order);
    expect(errors.map((e) => e.pointer)).toEqual([
      '/lines/0/quantity',
      '/lines/0/unitPrice',
      '/lines/0/taxes/0/amount',
      '/shipping/0/price',
      '/totals/total',
    ]);
    expect(errors[0]?.detail).toBe('quantity must be a positive integer');
    expect(errors[1]?.detail).toBe('amounts are integers in minor units');
  });

  it('rejects zero and negative quantities and negative prices', () => {
    const order = example();
    order.lines[0]!.quantity = 0;
    expect(pointersOf(order)).toEqual(['/lines/0/quantity']);
    order.lines[0]!.quantity = -2;
    order.lines[0]!.unitPrice = -1;
    expect(pointersOf(order)).toEqual(['/lines/0/quantity', '/lines/0/unitPrice']);
  });

  it('checks source, externalId, placedAt and lines', () => {
    const order = { ...example(), source: 'Web Store', externalId: '', placedAt: '2026-11-26T10:15:00', lines: [] };
    expect(pointersOf(order)).toEqual(['/source', '/externalId', '/placedAt', '/lines']);
    expect(pointersOf({ ...example(), externalId: 'x'.repeat(256) })).toEqual(['/externalId']);
    expect(pointersOf({ ...example(), source: 'a'.repeat(65) })).toEqual(['/source']);
    expect(parseOrder({ ...example(), source: 'a'.repeat(64) }).ok).toBe(true);
  });

  it('says which required fields are missing', () => {
    const { totals: _totals, currency: _currency, ...rest } = example();
    expect(errorsOf(rest)).toEqual([
      { pointer: '/currency', detail: 'is required' },
      { pointer: '/totals', detail: 'is required' },
    ]);
  });

  it('rejects a non-object with the root pointer', () => {
    expect(pointersOf(null)).toEqual(['']);
    expect(pointersOf('order')).toEqual(['']);
  });

  it('escapes keys in pointers (RFC 6901)', () => {
    expect(pointersOf({ ...example(), attributes: { 'a/b~c': 5 } })).toEqual(['/attributes/a~1b~0c']);
  });

  it('still runs the arithmetic rules when only other fields break the schema', () => {
    expect(pointersOf({ ...example(), currency: 'XYZ', totals: { ...example().totals, total: 1 } })).toEqual(['/currency', '/totals/total']);
  });

  it('assertOrder throws a 422 validation_failed error listing violations', () => {
    expect(assertOrder(example()).externalId).toBe('1001');
    try {
      assertOrder({ ...example(), currency: 'XYZ' });
      expect.unreachable();
    } catch (err) {
      const e = err as TillbridgeError;
      expect(e.code).toBe('validation_failed');
      expect(e.httpStatus).toBe(422);
      expect(e.details).toEqual([{ pointer: '/currency', detail: 'unknown currency code XYZ' }]);
    }
  });
});

describe('validateOrderArithmetic', () => {
  const parse = (input: unknown) => Order.parse(input);

  it('finds nothing wrong with the contract example', () => {
    expect(validateOrderArithmetic(parse(example()))).toEqual([]);
  });

  it('reports a wrong subtotal with expected and actual', () => {
    const order = example();
    order.totals.subtotal = 4000;
    order.totals.total = 4281;
    expect(validateOrderArithmetic(parse(order))).toEqual([
      { pointer: '/totals/subtotal', detail: 'subtotal is 4000 but Σ quantity × unitPrice is 5000' },
    ]);
  });

  it('reports wrong discount, shipping, tax and total totals', () => {
    const order = example();
    order.totals = { subtotal: 5000, discount: 400, shipping: 600, tax: 280, total: 9999 };
    expect(validateOrderArithmetic(parse(order))).toEqual([
      { pointer: '/totals/discount', detail: 'discount is 400 but Σ line and shipping discounts is 500' },
      { pointer: '/totals/shipping', detail: 'shipping is 600 but Σ shipping prices is 500' },
      { pointer: '/totals/tax', detail: 'tax is 280 but Σ line and shipping tax amounts is 281' },
      { pointer: '/totals/total', detail: 'total is 9999 but subtotal − discount + shipping + tax is 5480' },
    ]);
  });

  it('counts shipping discounts and shipping taxes', () => {
    const order = example();
    order.shipping = [
      { method: 'standard', price: 500, discount: 100, taxes: [{ name: 'ship tax', rate: '0.0625', amount: 25 }] as never },
      { method: 'gift wrap', price: 300, discount: 0, taxes: [] },
    ];
    order.totals = { subtotal: 5000, discount: 600, shipping: 800, tax: 306, total: 5506 };
    expect(validateOrderArithmetic(parse(order))).toEqual([]);
  });

  it('rejects a line discount above its extended price', () => {
    const order = example();
    order.lines[0]!.discount = 5001;
    order.totals.discount = 5001;
    order.totals.total = 5000 - 5001 + 500 + 281;
    expect(validateOrderArithmetic(parse(order))).toEqual([
      { pointer: '/lines/0/discount', detail: "discount 5001 exceeds the line's extended price 5000 (quantity × unitPrice)" },
    ]);
  });

  it('rejects a shipping discount above the shipping price', () => {
    const order = example();
    order.shipping[0]!.discount = 501;
    order.totals.discount = 1001;
    order.totals.total = 5000 - 1001 + 500 + 281;
    expect(validateOrderArithmetic(parse(order))).toEqual([
      { pointer: '/shipping/0/discount', detail: 'discount 501 exceeds the shipping price 500' },
    ]);
  });

  it('reports every violation at once', () => {
    const order = example();
    order.lines.push({ lineId: '2', sku: 'CAP', title: 'Cap', quantity: 1, unitPrice: 100, discount: 200, taxes: [] });
    order.shipping[0]!.discount = 600;
    order.totals = { subtotal: 1, discount: 2, shipping: 3, tax: 4, total: 5 };
    const pointers = validateOrderArithmetic(parse(order)).map((v) => v.pointer);
    expect(pointers).toEqual([
      '/lines/1/discount',
      '/shipping/0/discount',
      '/totals/subtotal',
      '/totals/discount',
      '/totals/shipping',
      '/totals/tax',
      '/totals/total',
    ]);
  });

  it('parseOrder returns the arithmetic violations of a well-formed order', () => {
    const order = example();
    order.totals.tax = 0;
    expect(pointersOf(order)).toEqual(['/totals/tax', '/totals/total']);
  });

  it('reports sums beyond the safe integer range instead of comparing imprecise numbers', () => {
    const order = example();
    order.lines[0]!.quantity = 1_000_000;
    order.lines[0]!.unitPrice = Number.MAX_SAFE_INTEGER;
    const violations = validateOrderArithmetic(parse(order));
    expect(violations[0]).toEqual({ pointer: '/lines/0/quantity', detail: 'quantity × unitPrice exceeds the safe integer range' });
    expect(violations.some((v) => v.pointer === '/totals/subtotal' && /safe integer/.test(v.detail))).toBe(true);
  });

  it('handles zero-decimal currencies the same way', () => {
    const order = { ...example(), currency: 'JPY' };
    expect(parseOrder(order).ok).toBe(true);
  });
});

describe('parseOrder lists schema and arithmetic violations together', () => {
  it('reports a bad source and a wrong subtotal in one answer', () => {
    const order = exampleOrder({ source: 'Web Store', totals: { subtotal: 4000, discount: 500, shipping: 500, tax: 281, total: 5281 } });
    const result = parseOrder(order);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.pointer).sort()).toEqual(['/source', '/totals/subtotal', '/totals/total']);
  });

  it('skips arithmetic when the amounts themselves are malformed', () => {
    const result = parseOrder(exampleOrder({ totals: { subtotal: 'a lot' } }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.every((e) => e.pointer.startsWith('/totals/'))).toBe(true);
  });
});
