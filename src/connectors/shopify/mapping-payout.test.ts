import { describe, expect, it } from 'vitest';
import { Payout, validatePayout, type SettlementLine } from '../../model/index.js';
import { InboundEvent } from '../framework/index.js';
import {
  shopifyBalanceTransactionKind,
  shopifyPayoutSummary,
  shopifyPayoutToCanonical,
  shopifyPayoutTransactionsToLines,
} from './mapping-payout.js';
import { failure, readShopifyCorpus, type Json } from './test-support.js';

const payoutBody: Json = readShopifyCorpus('rest-fixtures/payout.json');
const transactionsBody: Json = readShopifyCorpus('rest-fixtures/payouts_transactions.json');
const transactions: Json[] = transactionsBody.transactions;
/** The one corpus transaction whose net is not amount − fee (−1.50 − −0.25 = −1.25, but net says −1.75). */
const inconsistentId = 758509248;
const consistent = transactions.filter((txn) => txn.id !== inconsistentId);

describe('Shopify Payments payouts', () => {
  it('maps payout.json: id, amount in minor units, status, arrival date', () => {
    const payout = shopifyPayoutToCanonical(payoutBody);
    expect(payout).toEqual({ id: '623721858', provider: 'shopify_payments', reference: '623721858', currency: 'USD', amount: 4190, status: 'paid', arrivalDate: '2019-11-12', lines: [] });
    expect(InboundEvent.parse({ kind: 'payout', payout })).toEqual({ kind: 'payout', payout });
  });

  it('maps every payout in payouts.json with Shopify statuses (scheduled → pending)', () => {
    const payouts = (payoutsBody().payouts as Json[]).map((payout) => shopifyPayoutToCanonical(payout));
    expect(payouts.map((payout) => [payout.id, payout.status, payout.currency, payout.amount])).toEqual([
      ['854088011', 'pending', 'USD', 4312],
      ['512467833', 'failed', 'USD', 4312],
      ['39438702', 'in_transit', 'USD', 4312],
      ['710174591', 'paid', 'USD', 4190],
      ['974708905', 'paid', 'CAD', 5169],
      ['623721858', 'paid', 'USD', 4190],
    ]);
    for (const payout of payouts) expect(Payout.safeParse(payout).success).toBe(true);
  });

  it('payout.json summary is self-consistent (Σ gross − fee = amount); the payouts.json samples are not', () => {
    const summary = shopifyPayoutSummary(payoutBody);
    expect(summary).toMatchObject({ currency: 'USD', charges: { gross: 4452, fee: 132 }, refunds: { gross: -354, fee: -23 }, adjustments: { gross: 213, fee: 12 }, net: 4190 });
    // 45.52 − 1.32 − 3.54 + 0.23 + 2.13 − 0.12 = 42.90, but those payouts say 43.12 (and the CAD one 50.39 vs 51.69).
    const mismatched = (payoutsBody().payouts as Json[]).map((payout) => [shopifyPayoutSummary(payout).net, shopifyPayoutToCanonical(payout).amount]);
    expect(mismatched).toEqual([[4290, 4312], [4290, 4312], [4290, 4312], [4190, 4190], [5039, 5169], [4190, 4190]]);
  });

  it('rejects the corpus transaction whose net is not amount − fee, naming its path', () => {
    const error = failure(() => shopifyPayoutTransactionsToLines(payoutBody, transactionsBody));
    expect(error).toMatchObject({ code: 'invalid_payload', retryable: false, details: { pointer: '/transactions/4/net' } });
    expect(error.message).toBe('/transactions/4/net is "-1.75" but amount − fee is -125 minor units of USD');
  });

  it('maps the other 24 corpus transactions: kinds, references, order ids, fees on their own lines', () => {
    const lines = shopifyPayoutTransactionsToLines(payoutBody, consistent);
    expect(lines.filter((line) => line.kind === 'payout')).toEqual([
      { id: '854848137', kind: 'payout', reference: '623721858', gross: -4190, fee: 0, net: -4190, currency: 'USD' },
    ]);
    expect(lines.filter((line) => line.id.startsWith('567994517'))).toEqual([
      { id: '567994517', kind: 'charge', reference: '204289877', orderReference: '217130470', gross: 1150, fee: 0, net: 1150, currency: 'USD' },
      { id: '567994517:fee', kind: 'fee', reference: '204289877', orderReference: '217130470', gross: 0, fee: 65, net: -65, currency: 'USD' },
    ]);
    expect(lines.filter((line) => line.id.startsWith('726130462'))).toEqual([
      { id: '726130462', kind: 'chargeback', reference: '598735659', orderReference: '625362839', gross: -1150, fee: 0, net: -1150, currency: 'USD' },
      { id: '726130462:fee', kind: 'fee', reference: '598735659', orderReference: '625362839', gross: 0, fee: 1500, net: -1500, currency: 'USD' },
    ]);
    expect(lines.find((line) => line.id === '400852343')).toEqual({ id: '400852343', kind: 'adjustment', reference: '400852343', gross: -4200, fee: 0, net: -4200, currency: 'USD' });
    expect(lines.find((line) => line.id === '777128868')).toMatchObject({ kind: 'refund', reference: '777128868' });
    expect(lines.find((line) => line.id === '777128868')).not.toHaveProperty('orderReference');
    const kinds = new Set(lines.map((line) => line.kind));
    expect([...kinds].sort()).toEqual(['adjustment', 'chargeback', 'charge', 'fee', 'payout', 'refund'].sort());
    // The sample is not self-consistent: its lines net 83.13 against a 41.90 payout.
    expect(settlementTotals(lines).net).toBe(8313);
    expect(validatePayout(shopifyPayoutToCanonical(payoutBody, consistent))).toEqual([{ pointer: '/amount', detail: 'amount is 4190 but Σ line net is 8313' }]);
  });

  it('gives the same totals with fees inline as with fees on separate lines', () => {
    const separate = shopifyPayoutTransactionsToLines(payoutBody, consistent);
    const inline = shopifyPayoutTransactionsToLines(payoutBody, consistent, { fees: 'inline' });
    expect(inline).toHaveLength(24);
    expect(separate.length).toBeGreaterThan(inline.length);
    expect(settlementTotals(inline)).toEqual(settlementTotals(separate));
    expect(inline.find((line) => line.id === '567994517')).toMatchObject({ kind: 'charge', gross: 1150, fee: 65, net: 1085 });
  });

  it('reconciles a payout built from corpus rows that add up (charge, refund, dispute with fee, payout)', () => {
    const pick = (id: number) => transactions.find((txn) => txn.id === id);
    // 11.50 − 0.65 (charge) − 3.45 (refund) + 150.00 (credit) − 26.50 (dispute) = 130.90
    const rows = [pick(567994517), pick(1006917261), pick(427940661), pick(726130462), { ...pick(854848137), amount: '-130.90', net: '-130.90' }];
    const body = { payout: { ...payoutBody.payout, amount: '130.90' } };
    for (const fees of ['separate', 'inline'] as const) {
      const payout = shopifyPayoutToCanonical(body, { transactions: rows }, { fees });
      expect(validatePayout(payout)).toEqual([]);
      expect(settlementTotals(payout.lines)).toEqual({ gross: 14655, fees: 1565, net: 13090 });
    }
  });

  it('converts zero-decimal currencies and keeps negative amounts and fees signed', () => {
    const body = { payout: { id: 1, status: 'paid', date: '2024-01-02', currency: 'JPY', amount: '4820' } };
    const rows = [
      { id: 10, type: 'charge', payout_id: 1, currency: 'JPY', amount: '5000', fee: '180', net: '4820', source_id: 10, source_order_id: 77 },
      { id: 11, type: 'adjustment', payout_id: 1, currency: 'JPY', amount: '-100', fee: '-100', net: '0', source_id: null },
      { id: 12, type: 'payout', payout_id: 1, currency: 'JPY', amount: '-4820', fee: '0', net: '-4820', source_id: 1 },
    ];
    const payout = shopifyPayoutToCanonical(body, rows);
    expect(payout.lines.map((line) => [line.id, line.kind, line.gross, line.fee, line.net, line.orderReference])).toEqual([
      ['10', 'charge', 5000, 0, 5000, '77'],
      ['10:fee', 'fee', 0, 180, -180, '77'],
      ['11', 'adjustment', -100, 0, -100, undefined],
      ['11:fee', 'fee', 0, -100, 100, undefined],
      ['12', 'payout', -4820, 0, -4820, undefined],
    ]);
    expect(validatePayout(payout)).toEqual([]);
    expect(failure(() => shopifyPayoutToCanonical(body, [{ ...rows[0], amount: '50.5', net: '50.5', fee: '0' }])).message).toMatch(/^\/0\/amount is not a valid JPY amount/);
  });

  it('names the path of missing or wrong fields', () => {
    expect(failure(() => shopifyPayoutToCanonical({ payout: { id: 1, status: 'paid', currency: 'USD' } })).details).toEqual({ pointer: '/payout/amount' });
    expect(failure(() => shopifyPayoutToCanonical({ payout: { id: 1, status: 'sent', currency: 'USD', amount: '1.00' } })).message).toBe('/payout/status is "sent", not a known payout status');
    const body = { payout: { id: 1, status: 'paid', currency: 'USD', amount: '1.00' } };
    expect(failure(() => shopifyPayoutTransactionsToLines(body, [{ id: 5, type: 'charge', amount: '1.00', fee: '0.00', net: '1.00', currency: 'CAD' }])).message).toBe('/0/currency is CAD, expected the payout currency USD');
    expect(failure(() => shopifyPayoutTransactionsToLines(body, [{ id: 5, type: 'charge', payout_id: 2, amount: '1.00' }])).message).toBe('/0/payout_id is 2, not payout 1');
    expect(failure(() => shopifyPayoutTransactionsToLines(body, [{ id: 5, amount: '1.00' }])).details).toEqual({ pointer: '/0/type' });
    expect(failure(() => shopifyPayoutTransactionsToLines(body, { transactions: [{ id: 5, type: 'charge' }] })).details).toEqual({ pointer: '/transactions/0/amount' });
    expect(failure(() => shopifyPayoutTransactionsToLines(body, {})).details).toEqual({ pointer: '/transactions' });
  });

  it('chooses line kinds from the transaction type', () => {
    expect(['charge', 'refund', 'dispute', 'reserve', 'credit', 'debit', 'payout', 'payout_failure', 'application_fee'].map(shopifyBalanceTransactionKind)).toEqual([
      'charge', 'refund', 'chargeback', 'adjustment', 'adjustment', 'adjustment', 'payout', 'adjustment', 'fee',
    ]);
  });
});

/** Σ gross, fee and net of the lines other than the payout's own. */
function settlementTotals(lines: readonly SettlementLine[]): { gross: number; fees: number; net: number } {
  return lines
    .filter((line) => line.kind !== 'payout')
    .reduce((sum, line) => ({ gross: sum.gross + line.gross, fees: sum.fees + line.fee, net: sum.net + line.net }), { gross: 0, fees: 0, net: 0 });
}

function payoutsBody(): Json {
  return readShopifyCorpus('rest-fixtures/payouts.json');
}
