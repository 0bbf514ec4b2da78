import { describe, expect, it } from 'vitest';
import type { Payout } from '../../model/index.js';
import { postCapture, postChargeback, postChargebackReversal, postPaymentTransaction, postProcessorFee } from './payments.js';
import { postPayout } from './payout.js';
import { postSale } from './sale.js';
import { ledgerBalances, signedLines, testOrder, testPostingConfig as config, testTrace as trace, testTransaction as tx } from './testing.js';

describe('payment transactions', () => {
  it('posts a capture as clearing against receivables, keyed by provider and reference', () => {
    const entry = postCapture(tx('capture', 5000), trace, config)!;
    expect(signedLines(entry)).toEqual({ 'Stripe Clearing USD': 5000, 'Accounts Receivable USD': -5000 });
    expect(entry).toMatchObject({ key: 'capture:stripe:capture_1', kind: 'capture', date: '2026-11-21', orderId: 'ord_1', causationId: 'msg-1' });
  });

  it('uses the provider’s per-currency clearing account when there is one', () => {
    expect(signedLines(postCapture(tx('capture', 900, 'EUR'), trace, config))).toEqual({ 'Stripe Clearing EUR EUR': 900, 'Accounts Receivable EUR': -900 });
  });

  it('posts a processor fee as expense against clearing, and a fee refund the other way', () => {
    expect(signedLines(postProcessorFee(tx('fee', 175), trace, config))).toEqual({ 'Stripe Fees USD': 175, 'Stripe Clearing USD': -175 });
    expect(postProcessorFee(tx('fee', -30), trace, config)!.lines).toEqual([
      { account: 'Stripe Fees', debit: 0, credit: 30, currency: 'USD' },
      { account: 'Stripe Clearing', debit: 30, credit: 0, currency: 'USD' },
    ]);
  });

  it('posts a chargeback and its reversal so that clearing is whole again', () => {
    const order = testOrder({ lines: [{ lineId: '1', sku: 'X', quantity: 1, unitPrice: 8000 }], totals: { subtotal: 8000, discount: 0, shipping: 0, tax: 0, total: 8000 } });
    const chargeback = postChargeback(tx('chargeback', 8000, 'USD', { reference: 'dp_1', occurredAt: '2026-12-02T08:00:00Z' }), trace, config)!;
    expect(signedLines(chargeback)).toEqual({ 'Chargebacks USD': 8000, 'Stripe Clearing USD': -8000 });
    expect(chargeback.key).toBe('chargeback:stripe:dp_1');
    const reversal = postChargebackReversal(tx('chargeback_reversal', 8000, 'USD', { reference: 'dp_1' }), trace, config)!;
    expect(signedLines(reversal)).toEqual({ 'Stripe Clearing USD': 8000, 'Chargebacks USD': -8000 });
    expect(reversal.key).toBe('chargeback_reversal:stripe:dp_1');
    const sale = postSale({ order }, trace, config);
    const capture = postCapture(tx('capture', 8000), trace, config);
    expect(ledgerBalances([sale, capture, chargeback])).toEqual({ 'Sales - Web USD': -8000, 'Chargebacks USD': 8000 });
    expect(ledgerBalances([sale, capture, chargeback, reversal])).toEqual({ 'Sales - Web USD': -8000, 'Stripe Clearing USD': 8000 });
  });

  it('dispatches by kind: nothing for authorizations, voids and failures; refunds need their order', () => {
    expect(postPaymentTransaction(tx('authorization', 100), trace, config)).toBeNull();
    expect(postPaymentTransaction(tx('void', 100), trace, config)).toBeNull();
    expect(postPaymentTransaction(tx('capture', 100, 'USD', { status: 'failed' }), trace, config)).toBeNull();
    expect(postPaymentTransaction(tx('chargeback', 100), trace, config)?.kind).toBe('chargeback');
    expect(() => postPaymentTransaction(tx('refund', 100), trace, config)).toThrow(expect.objectContaining({ code: 'refund_needs_order' }));
    expect(() => postCapture(tx('fee', 100), trace, config)).toThrow(expect.objectContaining({ code: 'wrong_transaction_kind' }));
    expect(() => postCapture(tx('capture', 100, 'USD', { status: 'pending' }), trace, config)).toThrow(expect.objectContaining({ code: 'transaction_not_succeeded' }));
  });
});

describe('postPayout', () => {
  const payout: Payout = {
    id: 'po_1',
    provider: 'stripe',
    reference: 'po_1',
    currency: 'USD',
    amount: 14505,
    status: 'paid',
    arrivalDate: '2026-11-25',
    lines: [
      { id: 'txn_1', kind: 'charge', reference: 'ch_1', orderReference: '1001', gross: 10000, fee: 320, net: 9680, currency: 'USD' },
      { id: 'txn_2', kind: 'charge', reference: 'ch_2', orderReference: '1002', gross: 5000, fee: 175, net: 4825, currency: 'USD' },
    ],
  };

  it('moves a payout net of fees from clearing to the bank, clearing ending at zero when fees were posted one by one', () => {
    const entry = postPayout({ payout }, trace, config)!;
    expect(signedLines(entry)).toEqual({ 'Bank USD': 14505, 'Stripe Clearing USD': -14505 });
    expect(entry).toMatchObject({ key: 'payout:stripe:po_1', kind: 'payout', date: '2026-11-25' });
    const entries = [
      postCapture(tx('capture', 10000, 'USD', { reference: 'ch_1' }), trace, config),
      postCapture(tx('capture', 5000, 'USD', { reference: 'ch_2' }), trace, config),
      postProcessorFee(tx('fee', 320, 'USD', { reference: 'fee_1' }), trace, config),
      postProcessorFee(tx('fee', 175, 'USD', { reference: 'fee_2' }), trace, config),
      entry,
    ];
    expect(ledgerBalances(entries)).toEqual({ 'Bank USD': 14505, 'Stripe Fees USD': 495, 'Accounts Receivable USD': -15000 });
  });

  it('can post the settlement lines’ fees with the payout, relieving clearing of the gross', () => {
    expect(signedLines(postPayout({ payout, feesFromLines: true }, trace, config))).toEqual({ 'Bank USD': 14505, 'Stripe Fees USD': 495, 'Stripe Clearing USD': -15000 });
  });

  it('picks the bank by destination, then currency', () => {
    expect(signedLines(postPayout({ payout, destination: 'ba_main' }, trace, config))['Bank - Main USD']).toBe(14505);
    const eur = { ...payout, currency: 'EUR', lines: [], amount: 700 };
    expect(signedLines(postPayout({ payout: eur }, trace, config))).toEqual({ 'Bank EUR EUR': 700, 'Stripe Clearing EUR EUR': -700 });
  });

  it('refuses payouts that have not left the provider or have no date', () => {
    expect(() => postPayout({ payout: { ...payout, status: 'failed' } }, trace, config)).toThrow(expect.objectContaining({ code: 'payout_not_postable' }));
    const undated: Payout = { ...payout, status: 'in_transit' };
    delete undated.arrivalDate;
    expect(() => postPayout({ payout: undated }, trace, config)).toThrow(expect.objectContaining({ code: 'payout_without_date' }));
    expect(postPayout({ payout: undated }, { ...trace, date: '2026-11-26' }, config)?.date).toBe('2026-11-26');
  });
});
