import { describe, expect, it } from 'vitest';
import { SettlementLine, validatePayout } from '../../model/index.js';
import { balanceTransactionsToSettlementLines, balanceTransactionToSettlementLine, payoutToCanonical, settlementLineKind, settlementTotals } from './mapping.js';
import { fixture } from './test-support.js';

const payoutId = 'po_1Pgc79B7WZ01zgkWu1KToYf4';
const txn = (changes: Record<string, unknown>) => fixture('balance_transaction', changes);

/** The fixture payout (1100 usd) and balance transactions that add up to it. */
function payoutTransactions() {
  return [
    txn({ id: 'txn_payout', type: 'payout', reporting_category: 'payout', amount: -1100, fee: 0, net: -1100, source: payoutId }),
    txn({ id: 'txn_refund', type: 'refund', reporting_category: 'refund', amount: -35, fee: 0, net: -35, source: fixture('refund', { amount: 35 }) }),
    txn({
      id: 'txn_charge',
      amount: 1200,
      fee: 65,
      net: 1135,
      fee_details: [{ amount: 65, application: null, currency: 'usd', description: 'Stripe processing fees', type: 'stripe_fee' }],
      source: fixture('charge', { amount: 1200, amount_captured: 1200, captured: true, metadata: { order_id: '1001' } }),
    }),
  ];
}

describe('balance transactions as settlement lines', () => {
  it('maps the fixtures3 balance_transaction (a 100 usd charge, no fee) exactly', () => {
    const line = balanceTransactionToSettlementLine(fixture('balance_transaction'));
    expect(line).toEqual({ id: 'txn_1PgaxNB7WZ01zgkWEV3TLf40', kind: 'charge', reference: 'ch_1PgafuB7WZ01zgkWXYmPNZs8', gross: 100, fee: 0, net: 100, currency: 'USD' });
    expect(SettlementLine.safeParse(line).success).toBe(true);
  });

  it('chooses the line kind from the type (and the reporting category of adjustments)', () => {
    expect(settlementLineKind('charge')).toBe('charge');
    expect(settlementLineKind('payment')).toBe('charge');
    expect(settlementLineKind('refund')).toBe('refund');
    expect(settlementLineKind('payment_refund')).toBe('refund');
    expect(settlementLineKind('adjustment', 'dispute')).toBe('chargeback');
    expect(settlementLineKind('adjustment', 'dispute_reversal')).toBe('chargeback');
    expect(settlementLineKind('dispute')).toBe('chargeback');
    expect(settlementLineKind('adjustment', 'other_adjustment')).toBe('adjustment');
    expect(settlementLineKind('stripe_fee')).toBe('fee');
    expect(settlementLineKind('application_fee')).toBe('fee');
    expect(settlementLineKind('payout')).toBe('payout');
    expect(settlementLineKind('reserve_transaction')).toBe('adjustment');
  });

  it('takes the reference from the source and the order from an expanded source’s metadata', () => {
    const lines = balanceTransactionsToSettlementLines(fixture('payout'), payoutTransactions());
    expect(lines).toEqual([
      { id: 'txn_payout', kind: 'payout', reference: payoutId, gross: -1100, fee: 0, net: -1100, currency: 'USD' },
      { id: 'txn_refund', kind: 'refund', reference: 're_1Pgc72B7WZ01zgkWqPvrRrPE', gross: -35, fee: 0, net: -35, currency: 'USD' },
      { id: 'txn_charge', kind: 'charge', reference: 'ch_1PgafuB7WZ01zgkWXYmPNZs8', orderReference: '1001', gross: 1200, fee: 65, net: 1135, currency: 'USD' },
    ]);
    expect(settlementTotals(lines)).toEqual({ gross: 1165, fees: 65, net: 1100 });
  });

  it('gives a payout that passes validatePayout when its transactions add up to it', () => {
    const payout = payoutToCanonical(fixture('payout', { status: 'paid' }), payoutTransactions());
    expect(payout).toMatchObject({ id: payoutId, amount: 1100, currency: 'USD', status: 'paid', arrivalDate: '2009-02-13' });
    expect(payout.lines).toHaveLength(3);
    expect(validatePayout(payout)).toEqual([]);
  });

  it('reports a payout whose transactions do not add up', () => {
    const short = payoutTransactions().slice(0, 2);
    expect(validatePayout(payoutToCanonical(fixture('payout'), short))).toEqual([{ pointer: '/amount', detail: 'amount is 1100 but Σ line net is -35' }]);
  });

  it('books a dispute (adjustment with the dispute fee) as a chargeback line, and converts zero-decimal currencies', () => {
    const dispute = txn({ id: 'txn_dp', type: 'adjustment', reporting_category: 'dispute', amount: -1000, fee: 1500, net: -2500, source: 'dp_1Pgc71B7WZ01zgkWMevJiAUx' });
    expect(balanceTransactionToSettlementLine(dispute)).toEqual({ id: 'txn_dp', kind: 'chargeback', reference: 'dp_1Pgc71B7WZ01zgkWMevJiAUx', gross: -1000, fee: 1500, net: -2500, currency: 'USD' });
    const yen = [
      txn({ id: 'txn_y1', currency: 'jpy', amount: 5000, fee: 180, net: 4820 }),
      txn({ id: 'txn_y2', currency: 'jpy', type: 'payout', amount: -4820, fee: 0, net: -4820, source: 'po_yen' }),
    ];
    const payout = payoutToCanonical(fixture('payout', { id: 'po_yen', currency: 'jpy', amount: 4820 }), yen);
    expect(payout.lines.map((line) => [line.kind, line.gross, line.fee, line.net, line.currency])).toEqual([
      ['charge', 5000, 180, 4820, 'JPY'],
      ['payout', -4820, 0, -4820, 'JPY'],
    ]);
    expect(validatePayout(payout)).toEqual([]);
  });

  it('a line without a source is referenced by the transaction itself', () => {
    expect(balanceTransactionToSettlementLine(txn({ id: 'txn_fee', type: 'stripe_fee', amount: -200, fee: 0, net: -200, source: null }))).toMatchObject({ kind: 'fee', reference: 'txn_fee', net: -200 });
  });

  it('a converted transaction keeps the source’s own amount and currency, and Stripe’s exchange rate as an exact decimal string', () => {
    const charge = fixture('charge', { id: 'ch_eur', currency: 'eur', amount: 10000, amount_captured: 9000, captured: true, metadata: { order_id: '1001' } });
    // Read from the wire text with JSON.parse, as the client does: the JSON number becomes the same decimal text again.
    const wire = JSON.parse(JSON.stringify(txn({ id: 'txn_eur', amount: 9758, fee: 313, net: 9445, source: charge })).replace('"exchange_rate":null', '"exchange_rate":1.0842')) as unknown;
    expect(balanceTransactionToSettlementLine(wire)).toEqual({
      id: 'txn_eur',
      kind: 'charge',
      reference: 'ch_eur',
      orderReference: '1001',
      gross: 9758,
      fee: 313,
      net: 9445,
      currency: 'USD',
      original: { amount: 9000, currency: 'EUR' },
      exchangeRate: '1.0842',
    });
    const refund = fixture('refund', { id: 're_yen', currency: 'jpy', amount: 5000 });
    const tiny = JSON.parse(JSON.stringify(txn({ id: 'txn_re', type: 'refund', amount: -33, fee: 0, net: -33, source: refund })).replace('"exchange_rate":null', '"exchange_rate":6.6e-7')) as unknown;
    expect(balanceTransactionToSettlementLine(tiny)).toMatchObject({ kind: 'refund', gross: -33, original: { amount: -5000, currency: 'JPY' }, exchangeRate: '0.00000066' });
    const unexpanded = balanceTransactionToSettlementLine(txn({ id: 'txn_x', amount: 9758, fee: 313, net: 9445, exchange_rate: '1.0842', source: 'ch_eur' }));
    expect(unexpanded).toMatchObject({ exchangeRate: '1.0842' });
    expect(unexpanded.original).toBeUndefined();
    expect(SettlementLine.safeParse(balanceTransactionToSettlementLine(wire)).success).toBe(true);
  });
});
