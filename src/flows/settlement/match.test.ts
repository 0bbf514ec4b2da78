import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchSettlementLines, settlementTotalsOf, type LineToMatch, type SettlementFacts } from './match.js';

const line = (id: string, kind: LineToMatch['kind'], reference: string, gross: number, fee = 0, extra: Partial<LineToMatch> = {}): LineToMatch => ({
  id,
  kind,
  reference,
  gross,
  fee,
  net: gross - fee,
  currency: 'USD',
  related: [],
  ...extra,
});

const orderA = { id: 'ord_a', externalId: '5001', number: '#1001', total: 4200, currency: 'USD' };
const orderB = { id: 'ord_b', externalId: '5002', number: '#1002', total: 4200, currency: 'USD' };
const orderEur = { id: 'ord_e', externalId: '5003', number: '#1003', total: 3000, currency: 'EUR' };
const facts: SettlementFacts = {
  orders: [orderA, orderB, orderEur],
  captures: [
    { orderId: 'ord_a', references: ['pi_a'], amount: 4200, currency: null },
    { orderId: 'ord_b', references: ['pi_b'], amount: 4200, currency: null },
  ],
  refunds: [{ orderId: 'ord_a', references: ['re_a'], amount: 1000, currency: 'USD' }],
};
const payout = { reference: 'po_1', amount: 0, currency: 'USD' };

describe('matchSettlementLines', () => {
  it('matches a charge to its order through the capture that names its PaymentIntent', () => {
    const [m] = matchSettlementLines([line('txn_1', 'charge', 'ch_a', 4200, 152, { related: ['pi_a'] })], facts, { payout });
    expect(m).toEqual({ lineId: 'txn_1', status: 'matched', reason: null, orderId: 'ord_a', target: { kind: 'capture', reference: 'pi_a' }, expected: 4200, actual: 4200, tolerance: 0 });
  });

  it('matches a charge by its order reference: the hub id or the channel external id', () => {
    const byId = matchSettlementLines([line('t1', 'charge', 'pi_b', 4200, 0, { orderReference: 'ord_b' })], facts, { payout });
    const byExternal = matchSettlementLines([line('t2', 'charge', 'pi_b', 4200, 0, { orderReference: '5002' })], facts, { payout });
    expect(byId[0]).toMatchObject({ status: 'matched', orderId: 'ord_b' });
    expect(byExternal[0]).toMatchObject({ status: 'matched', orderId: 'ord_b' });
  });

  it('gives the reason a charge waits: no order, no capture, another amount, another currency', () => {
    const results = matchSettlementLines(
      [
        line('t1', 'charge', 'ch_x', 4200),
        line('t2', 'charge', 'ch_y', 4200, 0, { orderReference: 'ord_e', currency: 'EUR' }),
        line('t3', 'charge', 'ch_b', 4100, 0, { related: ['pi_b'] }),
        line('t4', 'charge', 'ch_e', 3000, 0, { orderReference: 'ord_e' }),
      ],
      facts,
      { payout },
    );
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ['unmatched', 'no_order_for_charge'],
      ['unmatched', 'no_capture'],
      ['unmatched', 'amount_differs: expected 4200 got 4100'],
      ['unmatched', 'currency_differs: order EUR settled USD'],
    ]);
    expect(results[2]).toMatchObject({ orderId: 'ord_b', expected: 4200, actual: 4100 });
  });

  it('matches an amount within the tolerance and reports the tolerance applied', () => {
    const [m] = matchSettlementLines([line('t3', 'charge', 'ch_b', 4100, 0, { related: ['pi_b'] })], facts, { payout, tolerance: 100 });
    expect(m).toMatchObject({ status: 'matched', tolerance: 100, expected: 4200, actual: 4100 });
    const [outside] = matchSettlementLines([line('t3', 'charge', 'ch_b', 4099, 0, { related: ['pi_b'] })], facts, { payout, tolerance: 100 });
    expect(outside).toMatchObject({ status: 'unmatched', reason: 'amount_differs: expected 4200 got 4099' });
  });

  it('matches refunds to the order refund, fees to their charge, the payout line to the payout, a chargeback to the order', () => {
    const lines = [
      line('t1', 'charge', 'ch_a', 4200, 152, { related: ['pi_a'] }),
      line('t2', 'fee', 'ch_a', 0, 30),
      line('t3', 'refund', 're_a', -1000, 0, { related: ['ch_a', 'pi_a'] }),
      line('t4', 'refund', 're_z', -500, 0, { related: ['pi_b'] }),
      line('t5', 'chargeback', 'dp_1', -4200, 1500, { related: ['ch_b', 'pi_b'] }),
      line('t6', 'fee', 'fee_monthly', 0, 200),
      line('t7', 'payout', 'po_1', -1118, 0),
      line('t8', 'adjustment', 'adj_1', -50),
    ];
    const results = matchSettlementLines(lines, facts, { payout: { ...payout, amount: 1118 } });
    expect(results.map((r) => [r.lineId, r.status, r.reason, r.orderId, r.target?.kind ?? null])).toEqual([
      ['t1', 'matched', null, 'ord_a', 'capture'],
      ['t2', 'matched', null, 'ord_a', 'charge'],
      ['t3', 'matched', null, 'ord_a', 'refund'],
      ['t4', 'unmatched', 'no_refund', 'ord_b', null],
      ['t5', 'matched', null, 'ord_b', 'dispute'],
      ['t6', 'unmatched', 'no_charge_for_fee', null, null],
      ['t7', 'matched', null, null, 'payout'],
      ['t8', 'unmatched', 'unexplained_adjustment', null, null],
    ]);
  });

  it('property: every line gets one outcome; a charge whose capture is known matches iff |difference| ≤ tolerance', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ captured: fc.integer({ min: 1, max: 1_000_000 }), delta: fc.integer({ min: -500, max: 500 }), known: fc.boolean() }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 300 }),
        (cases, tolerance) => {
          const orders = cases.map((_, i) => ({ id: `ord_${i}`, externalId: `ext_${i}`, number: null, total: cases[i]!.captured, currency: 'USD' }));
          const captures = cases.flatMap((c, i) => (c.known ? [{ orderId: `ord_${i}`, references: [`pi_${i}`], amount: c.captured, currency: null }] : []));
          const lines = cases.map((c, i) => line(`t${i}`, 'charge', `ch_${i}`, c.captured + c.delta, 0, { related: [`pi_${i}`] }));
          const results = matchSettlementLines(lines, { orders, captures, refunds: [] }, { payout, tolerance });
          expect(results.map((r) => r.lineId)).toEqual(lines.map((l) => l.id));
          results.forEach((r, i) => {
            const c = cases[i]!;
            const ok = c.known && Math.abs(c.delta) <= tolerance;
            expect(r.status).toBe(ok ? 'matched' : 'unmatched');
            if (ok) expect(r.orderId).toBe(`ord_${i}`);
            else expect(r.reason).toBe(c.known ? `amount_differs: expected ${c.captured} got ${c.captured + c.delta}` : 'no_order_for_charge');
          });
        },
      ),
    );
  });
});

describe('settlementTotalsOf', () => {
  it('property: Σ net = Σ gross − Σ fees, leaving out the payout line', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ gross: fc.integer({ min: -100_000, max: 100_000 }), fee: fc.integer({ min: 0, max: 5000 }), own: fc.boolean() }), { maxLength: 40 }), (items) => {
        const lines = items.map((x, i) => line(`t${i}`, x.own ? 'payout' : 'charge', `r${i}`, x.gross, x.fee));
        const totals = settlementTotalsOf(lines);
        const counted = items.filter((x) => !x.own);
        expect(totals.gross).toBe(counted.reduce((s, x) => s + x.gross, 0));
        expect(totals.fees).toBe(counted.reduce((s, x) => s + x.fee, 0));
        expect(totals.net).toBe(totals.gross - totals.fees);
      }),
    );
  });
});
