import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../connectors/framework/index.js';
import { createDispatcher, inOutboxTransaction, type Dispatcher } from '../../messaging/index.js';
import { newId, systemClock, validatePayout, type Payout, type SettlementLine } from '../../model/index.js';
import { insertWorkflowRun, recordWorkflowStep, testStores, type HubCaptureRow, type Store } from '../../store/index.js';
import { waitFor } from '../../testing/index.js';
import { payoutBookkeeping } from '../finance/payout-bookkeeping.js';
import { testPostingConfig } from '../finance/testing.js';
import { createLedger, type Ledger } from '../ledger/index.js';
import { createSettlement, type Settlement, type SettlementSource } from '../settlement/index.js';
import type { StoredDrift } from './ports.js';
import { capturesNotSettled, fetchPayoutsCorrection, rematchCorrection, settlementCheck, unmatchedSettlementDrift, type UnmatchedSettlementLine } from './settlement-check.js';

const stores = await testStores();
const day = 86_400_000;
const stripe = { id: 'stripe-main', system: 'stripe', settings: {} } as unknown as Connection;

describe('capturesNotSettled', () => {
  const capture = (reference: string, at: number): HubCaptureRow => ({ provider: 'stripe', reference, orderId: `ord_${reference}`, at, amount: 4200, currency: 'USD' });

  it('answers the captures no payout line shows, with when they were due and the correction named', () => {
    const drift = capturesNotSettled([capture('pi_1', 0), capture('pi_2', 1000)], new Set(['pi_2']), { connectionId: 'stripe-main', delayMs: 7 * day, fix: { correction: 'fetch-payouts' } });
    expect(drift).toEqual([
      {
        kind: 'capture_not_settled',
        entity: 'capture:stripe:pi_1',
        systems: ['hub', 'stripe-main'],
        expected: { settledBy: new Date(7 * day).toISOString(), orderId: 'ord_pi_1', amount: 4200, currency: 'USD' },
        actual: null,
        severity: 'warning',
        correction: 'fetch-payouts',
        detail: { connectionId: 'stripe-main', reference: 'pi_1', orderId: 'ord_pi_1', capturedAt: 0 },
      },
    ]);
  });

  it('says why there is no correction when the provider cannot list its payouts', () => {
    const [drift] = capturesNotSettled([capture('pi_1', 0)], new Set(), { connectionId: 'stripe-main', delayMs: day, fix: { note: 'cannot list payouts' } });
    expect(drift!.correction).toBeUndefined();
    expect(drift!.detail).toMatchObject({ note: 'cannot list payouts' });
  });
});

describe('unmatchedSettlementDrift', () => {
  const waiting = (lineId: string, reason: string, extra: Partial<UnmatchedSettlementLine> = {}): UnmatchedSettlementLine => ({ payoutId: 'po_hub', payoutReference: 'po_1', lineId, kind: 'charge', reference: `ch_${lineId}`, gross: 1234, currency: 'USD', reason, orderId: null, expected: null, actual: 1234, firstSeenAt: 0, ...extra });

  it('answers each waiting line with what was expected, what was settled and why, to be matched again', () => {
    const drift = unmatchedSettlementDrift([waiting('txn_1', 'no_order_for_charge'), waiting('txn_2', 'amount_differs: expected 4200 got 4100', { orderId: 'ord_b', expected: 4200, actual: 4100 })], 'stripe-main');
    expect(drift).toEqual([
      {
        kind: 'settlement_unmatched',
        entity: 'settlement:po_1:txn_1',
        systems: ['stripe-main', 'hub'],
        expected: null,
        actual: { kind: 'charge', reference: 'ch_txn_1', amount: 1234, currency: 'USD', reason: 'no_order_for_charge' },
        severity: 'warning',
        correction: 'rematch',
        detail: { connectionId: 'stripe-main', payoutId: 'po_hub', payoutReference: 'po_1', lineId: 'txn_1', reason: 'no_order_for_charge' },
      },
      expect.objectContaining({ entity: 'settlement:po_1:txn_2', expected: { amount: 4200, currency: 'USD', orderId: 'ord_b' }, actual: expect.objectContaining({ amount: 4100 }), severity: 'critical' }),
    ]);
  });
});

describe.each(stores)('settlement check on $name', (factory) => {
  let store: Store | undefined;
  let dispatcher: Dispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.stop(1000);
    dispatcher = undefined;
    await store?.close();
  });

  const line = (id: string, kind: SettlementLine['kind'], reference: string, gross: number, fee = 0): SettlementLine => ({ id, kind, reference, gross, fee, net: gross - fee, currency: 'USD' });
  const payoutOf = (reference: string, lines: SettlementLine[]): Payout => ({ id: reference, provider: 'stripe', reference, currency: 'USD', amount: lines.filter((l) => l.kind !== 'payout').reduce((s, l) => s + l.net, 0), status: 'paid', arrivalDate: '2026-11-20', lines });

  async function setup(payouts: Record<string, { payout: Payout; related?: Record<string, string[]> }> = {}) {
    store = await factory.open();
    const ledger: Ledger = createLedger({ store, clock: systemClock, newId });
    const fetched: string[] = [];
    const source: SettlementSource = {
      connectionId: 'stripe-main',
      async fetch(reference) {
        fetched.push(reference);
        const found = payouts[reference]!;
        return { payout: found.payout, violations: validatePayout(found.payout), related: found.related };
      },
    };
    const sources = (id: string) => (id === 'stripe-main' ? source : undefined);
    const settlement: Settlement = createSettlement({ store, clock: systemClock, newId, sources, ledger });
    dispatcher = createDispatcher({ store, handlers: [...settlement.handlers, ...ledger.handlers, payoutBookkeeping({ store, config: testPostingConfig, ledger })], clock: systemClock, newId, pollMs: 10 });
    dispatcher.start();
    return { ledger, settlement, sources, fetched };
  }

  /** A capture booked in the journal at `at` (order to cash books `capture:<provider>:<payment>`). */
  async function bookedCapture(ledger: Ledger, reference: string, orderId: string, at: number) {
    await inOutboxTransaction(store!, { origin: { source: 'test', correlationId: `cor_${orderId}` }, now: at, newId }, (tx) =>
      ledger.record(tx, { key: `capture:stripe:${reference}`, date: new Date(at).toISOString().slice(0, 10), lines: [{ account: 'Stripe Clearing', debit: 4200, credit: 0, currency: 'USD' }, { account: 'Debtors', debit: 0, credit: 4200, currency: 'USD' }], sourceEvents: ['msg_1'], correlationId: `cor_${orderId}`, orderId }),
    );
  }

  /** A capture recorded only by an order's payment step, finished at `at`. */
  async function capturedStep(reference: string, orderId: string, at: number, amount = 3000) {
    const runId = `run_${orderId}`;
    await insertWorkflowRun(store!.db, { id: runId, workflow: 'order-completion', key: `completion:${orderId}`, order_id: orderId, status: 'completed', step: 'capture', input: '{}', outputs: '{}', correlation_id: `cor_${orderId}`, error: null, started_at: at, step_started_at: at, step_deadline: null, updated_at: at });
    await recordWorkflowStep(store!.db, { run_id: runId, phase: 'forward', step: 'capture', position: 1, status: 'done', system: 'stripe', attempts: 1, started_at: at, finished_at: at, output: JSON.stringify({ documents: { payment: reference, capture: reference }, output: { amount, authorized: amount } }), error: null, message_id: null });
  }

  const deliver = (settlement: Settlement, payout: Payout) =>
    inOutboxTransaction(store!, { origin: { source: 'test', correlationId: 'cor_payout' }, now: Date.now(), newId }, (tx) => settlement.sink.apply(tx, { kind: 'payout', payout }, { connection: stripe, inboxId: newId('inb'), correlationId: 'cor_payout' }));

  const stored = (drift: { kind: string; entity: string; systems: string[]; expected: unknown; actual: unknown; severity: 'info' | 'warning' | 'critical'; detail?: Record<string, unknown> | undefined; correction?: string | undefined }): StoredDrift => ({ ...drift, id: newId('drift'), runId: 'rec_1' });

  it.skipIf(factory.skipReason !== null)('finds captures past their settlement delay in no payout line, and settled lines still unmatched', async () => {
    const { ledger, settlement } = await setup();
    const now = Date.now();
    await bookedCapture(ledger, 'pi_settled', 'ord_1', now - 10 * day);
    await bookedCapture(ledger, 'pi_lost', 'ord_2', now - 9 * day);
    await capturedStep('pi_step', 'ord_3', now - 8 * day);
    await bookedCapture(ledger, 'pi_recent', 'ord_4', now - 2 * day);
    await bookedCapture(ledger, 'pi_old', 'ord_5', now - 33 * day);
    // A payout whose charge names the settled capture's PaymentIntent (its order unknown here, so it waits too), and a charge the hub never saw.
    await deliver(settlement, payoutOf('po_1', [{ ...line('txn_1', 'charge', 'pi_settled', 4200, 152) }, line('txn_2', 'charge', 'ch_stray', 1234, 66), line('txn_3', 'payout', 'po_1', -(4200 - 152 + 1234 - 66))]));

    const check = settlementCheck({ store: store!, clock: { now: () => now }, connectionId: 'stripe-main', providers: ['stripe'], delayMs: 7 * day, fix: { correction: 'fetch-payouts' } });
    expect(check).toMatchObject({ name: 'payments:stripe-main:settlement', scope: 'payments' });
    const drift = await check.run({ from: now - 7 * day, to: now }, AbortSignal.timeout(5000));
    expect(drift.map((d) => [d.kind, d.entity]).sort()).toEqual([
      ['capture_not_settled', 'capture:stripe:pi_lost'],
      ['capture_not_settled', 'capture:stripe:pi_step'],
      ['settlement_unmatched', 'settlement:po_1:txn_1'],
      ['settlement_unmatched', 'settlement:po_1:txn_2'],
    ]);
    expect(drift.find((d) => d.entity === 'capture:stripe:pi_step')).toMatchObject({ expected: { orderId: 'ord_3', amount: 3000 }, detail: { capturedAt: now - 8 * day } });
    expect(drift.find((d) => d.entity === 'settlement:po_1:txn_2')).toMatchObject({ actual: { reference: 'ch_stray', amount: 1234, reason: 'no_order_for_charge' }, correction: 'rematch' });

    // A longer delay: the captures are not due yet.
    const patient = settlementCheck({ store: store!, clock: { now: () => now }, connectionId: 'stripe-main', providers: ['stripe'], delayMs: 30 * day, fix: { note: 'none' } });
    expect((await patient.run({ from: now - 7 * day, to: now }, AbortSignal.timeout(5000))).map((d) => d.entity)).toEqual(['capture:stripe:pi_old', 'settlement:po_1:txn_1', 'settlement:po_1:txn_2']);
  });

  it.skipIf(factory.skipReason !== null)('re-reads the payouts the hub lacks, which settles the capture and books the payout from the stored lines', async () => {
    const lines = [line('txn_9', 'charge', 'ch_9', 4200, 152), line('txn_10', 'payout', 'po_missed', -(4200 - 152))];
    const { ledger, settlement, sources, fetched } = await setup({ po_missed: { payout: payoutOf('po_missed', lines), related: { txn_9: ['pi_lost'] } } });
    const now = Date.now();
    await bookedCapture(ledger, 'pi_lost', 'ord_2', now - 9 * day);
    await deliver(settlement, payoutOf('po_known', [line('txn_1', 'charge', 'ch_1', 100, 3), line('txn_2', 'payout', 'po_known', -97)]));
    const check = settlementCheck({ store: store!, clock: { now: () => now }, connectionId: 'stripe-main', providers: ['stripe'], delayMs: 7 * day, fix: { correction: 'fetch-payouts' } });
    const window = { from: now - 7 * day, to: now };
    const found = (await check.run(window, AbortSignal.timeout(5000))).find((d) => d.kind === 'capture_not_settled')!;
    expect(found.entity).toBe('capture:stripe:pi_lost');

    const listed: number[] = [];
    const correction = fetchPayoutsCorrection({ store: store!, sources, recent: () => async (since) => (listed.push(since), ['po_known', 'po_missed']), settlement });
    const drift = stored(found);
    const prepared = await correction.prepare!(drift, AbortSignal.timeout(5000));
    expect(listed).toEqual([now - 9 * day]);
    expect(fetched).toEqual(['po_missed']);
    const outcome = await inOutboxTransaction(store!, { origin: { source: 'reconciliation', correlationId: 'rec_1' }, now: Date.now(), newId }, (tx) => correction.commit(tx, drift, prepared));
    expect(outcome.summary).toContain('po_missed');

    expect((await check.run(window, AbortSignal.timeout(5000))).filter((d) => d.kind === 'capture_not_settled')).toEqual([]);
    const entry = await waitFor(() => ledger.byKey(store!.db, 'payout:stripe:po_missed'), { timeoutMs: 10_000, what: 'payout booked' });
    expect(entry!.lines).toEqual([
      { account: 'Bank', debit: 4048, credit: 0, currency: 'USD' },
      { account: 'Stripe Fees', debit: 152, credit: 0, currency: 'USD' },
      { account: 'Stripe Clearing', debit: 0, credit: 4200, currency: 'USD' },
    ]);
    expect(fetched).toEqual(['po_missed']);

    // Nothing left to read back: the correction fails saying so.
    await expect(correction.prepare!(drift, AbortSignal.timeout(5000))).rejects.toMatchObject({ code: 'no_missing_payouts' });
  });

  it.skipIf(factory.skipReason !== null)('matches a waiting line again once its order is known', async () => {
    const { settlement } = await setup();
    await deliver(settlement, payoutOf('po_1', [line('txn_1', 'charge', 'pi_late', 900), line('txn_2', 'payout', 'po_1', -900)]));
    const check = settlementCheck({ store: store!, clock: systemClock, connectionId: 'stripe-main', providers: ['stripe'], delayMs: 7 * day, fix: { note: 'none' } });
    const [waiting] = await check.run({ from: 0, to: Date.now() }, AbortSignal.timeout(5000));
    expect(waiting).toMatchObject({ kind: 'settlement_unmatched', entity: 'settlement:po_1:txn_1' });

    await capturedStep('pi_late', 'ord_late', Date.now(), 900);
    const now = Date.now();
    await store!.db.insertInto('orders').values({ id: 'ord_late', source: 'shop-main', external_id: '5009', number: '#5009', status: 'accepted', hold_reason: null, currency: 'USD', total: 900, placed_at: new Date(now).toISOString(), body_hash: 'h', data: '{}', correlation_id: 'cor_late', created_at: now, updated_at: now }).execute();
    const outcome = await inOutboxTransaction(store!, { origin: { source: 'reconciliation', correlationId: 'rec_1' }, now, newId }, (tx) => rematchCorrection().commit(tx, stored(waiting!), undefined));
    expect(outcome.summary).toContain('po_1');
    await waitFor(async () => (await check.run({ from: 0, to: Date.now() }, AbortSignal.timeout(5000))).length === 0, { timeoutMs: 10_000, what: 'line matched again' });
  });
});
