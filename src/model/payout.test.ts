import { describe, expect, it } from 'vitest';
import { Payout, validatePayout } from './payout.js';

const payout = Payout.parse({
  id: 'po_1',
  provider: 'stripe',
  reference: 'po_1Abc',
  currency: 'USD',
  amount: 9380,
  status: 'paid',
  arrivalDate: '2026-11-28',
  lines: [
    { id: 'sl_1', kind: 'charge', reference: 'ch_1', orderReference: '1001', gross: 5281, fee: 183, net: 5098, currency: 'USD' },
    { id: 'sl_2', kind: 'charge', reference: 'ch_2', gross: 4500, fee: 160, net: 4340, currency: 'USD' },
    { id: 'sl_3', kind: 'refund', reference: 're_1', gross: -58, fee: 0, net: -58, currency: 'USD' },
    { id: 'sl_4', kind: 'payout', reference: 'po_1Abc', gross: -9380, fee: 0, net: -9380, currency: 'USD' },
  ],
});

describe('validatePayout', () => {
  it('accepts a payout whose lines net to its amount (the payout line itself is not summed)', () => {
    expect(validatePayout(payout)).toEqual([]);
  });

  it('reports a payout amount that differs from Σ net', () => {
    expect(validatePayout({ ...payout, amount: 9000 })).toEqual([
      { pointer: '/amount', detail: 'amount is 9000 but Σ line net is 9380' },
    ]);
  });

  it('reports lines whose net is not gross − fee, and foreign-currency lines', () => {
    const lines = payout.lines.map((line) => ({ ...line }));
    lines[1] = { ...lines[1]!, net: 4341 };
    lines[2] = { ...lines[2]!, currency: 'EUR' };
    expect(validatePayout({ ...payout, amount: 9381, lines })).toEqual([
      { pointer: '/lines/1/net', detail: 'net is 4341 but gross − fee is 4340' },
      { pointer: '/lines/2/currency', detail: 'line currency EUR differs from the payout currency USD' },
    ]);
  });

  it('reports schema problems as violations', () => {
    expect(validatePayout({ ...payout, amount: 1.5 })).toEqual([
      { pointer: '/amount', detail: 'amounts are integers in minor units' },
    ]);
  });

  it('an empty payout must be zero', () => {
    expect(validatePayout({ ...payout, lines: [], amount: 0 })).toEqual([]);
    expect(validatePayout({ ...payout, lines: [], amount: 1 })).toHaveLength(1);
  });
});
