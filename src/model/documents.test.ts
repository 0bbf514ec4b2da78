import { describe, expect, it } from 'vitest';
import { Customer } from './customer.js';
import { Fulfillment } from './fulfillment.js';
import { PaymentTransaction } from './payment-transaction.js';
import { Refund } from './refund.js';
import { Return } from './return.js';

describe('order document schemas', () => {
  it('supports partial shipments and substitutions', () => {
    const shipment = Fulfillment.parse({
      orderId: 'ord_1',
      locationId: 'wh-1',
      status: 'shipped',
      lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 1, substitutedSku: 'TEE-RED-L' }],
      tracking: [{ carrier: 'UPS', number: '1Z999', url: 'https://ups.example/1Z999' }],
      shippedAt: '2026-11-27T09:00:00Z',
    });
    expect(shipment.lines[0]?.substitutedSku).toBe('TEE-RED-L');
    expect(Fulfillment.parse({ orderId: 'o', status: 'pending', lines: [{ lineId: '1', sku: 'A', quantity: 2 }] }).tracking).toEqual([]);
    expect(Fulfillment.safeParse({ orderId: 'o', status: 'lost', lines: [] }).error?.issues.map((i) => i.path[0])).toEqual([
      'status',
      'lines',
    ]);
  });

  it('parses returns with reasons and dispositions', () => {
    const ret = {
      orderId: 'ord_1',
      rma: 'RMA-7',
      status: 'received',
      lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 1, reason: 'too small', disposition: 'restock' }],
      createdAt: '2026-12-01T12:00:00+02:00',
    };
    expect(Return.parse(ret).lines[0]?.disposition).toBe('restock');
    expect(Return.safeParse({ ...ret, lines: [{ ...ret.lines[0], disposition: 'burn' }] }).success).toBe(false);
    expect(Return.safeParse({ ...ret, lines: [{ ...ret.lines[0], quantity: 0 }] }).success).toBe(false);
  });

  it('parses refunds', () => {
    const refund = {
      orderId: 'ord_1',
      reference: 're_1',
      currency: 'USD',
      amount: 2640,
      lines: [{ lineId: '1', quantity: 1, amount: 2140 }],
      shipping: 500,
      reason: 'return',
      createdAt: '2026-12-02T00:00:00Z',
    };
    expect(Refund.parse(refund)).toEqual(refund);
    expect(Refund.safeParse({ ...refund, amount: -1 }).success).toBe(false);
    expect(Refund.safeParse({ ...refund, currency: 'ZZZ' }).error?.issues[0]?.message).toBe('unknown currency code ZZZ');
  });

  it('parses payment transactions with Money amounts', () => {
    const tx = {
      id: 'ptx_1',
      provider: 'stripe',
      reference: 'ch_1',
      orderId: 'ord_1',
      kind: 'capture',
      status: 'succeeded',
      amount: { amount: 5281, currency: 'USD' },
      occurredAt: '2026-11-26T10:16:00Z',
      parentReference: 'pi_123',
    };
    expect(PaymentTransaction.parse(tx)).toEqual(tx);
    expect(PaymentTransaction.safeParse({ ...tx, kind: 'chargeback_reversal' }).success).toBe(true);
    expect(PaymentTransaction.safeParse({ ...tx, amount: { amount: 52.81, currency: 'USD' } }).error?.issues[0]?.path).toEqual([
      'amount',
      'amount',
    ]);
  });

  it('parses customers, all fields optional', () => {
    expect(Customer.parse({})).toEqual({});
    expect(Customer.safeParse({ email: 'not-an-email' }).success).toBe(false);
    expect(Customer.parse({ email: 'ana@example.com', addresses: [{ line1: 'x', city: 'y', country: 'PT' }] }).addresses).toHaveLength(1);
  });
});
