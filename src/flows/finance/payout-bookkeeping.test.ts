import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, inOutboxTransaction, type Dispatcher } from '../../messaging/index.js';
import { isBalancedPerCurrency, newId, systemClock, type JournalLine, type SettlementLine } from '../../model/index.js';
import { insertOrders, replaceSettlementLines, saveSettlementMatches, testStores, upsertPayout, type SettlementLineRow, type Store } from '../../store/index.js';
import { waitFor } from '../../testing/index.js';
import { createLedger, type Ledger } from '../ledger/index.js';
import { PostingConfig } from './config.js';
import { payoutPosting } from './messages.js';
import { payoutBookkeeping } from './payout-bookkeeping.js';

const stores = await testStores();

/** Stripe clearing per currency, a bank, fees, and the exchange and FX gain/loss accounts, all named. */
const config = PostingConfig.parse({
  baseCurrency: 'USD',
  accounts: {
    paymentClearing: { default: 'Clearing', byProvider: { stripe: 'Stripe Clearing USD', 'stripe:EUR': 'Stripe Clearing EUR' } },
    processorFees: { default: 'Fees', byProvider: { stripe: 'Stripe Fees' } },
    bank: { default: 'Bank', byCurrency: { USD: 'Bank USD' }, byDestination: {} },
    currencyExchange: 'Currency Exchange',
    fxGainLoss: 'FX Gain/Loss',
  },
});

const connectionId = 'stripe-main';
const payoutId = 'pay_fx';
const reference = 'po_fx';

/** A USD settlement line as the Stripe mapping makes it (net = gross − fee). */
const line = (id: string, kind: SettlementLine['kind'], lineReference: string, gross: number, fee: number, extra: Partial<SettlementLine> = {}): SettlementLine => ({
  id,
  kind,
  reference: lineReference,
  gross,
  fee,
  net: gross - fee,
  currency: 'USD',
  ...extra,
});

/** The stored rows of a payout's lines, in report order (what the settlement flow writes after fetching them). */
const rowsOf = (lines: readonly SettlementLine[]): SettlementLineRow[] =>
  lines.map((l, position) => ({
    payout_id: payoutId,
    line_id: l.id,
    position,
    kind: l.kind,
    reference: l.reference,
    order_reference: l.orderReference ?? null,
    related: '[]',
    gross: l.gross,
    fee: l.fee,
    net: l.net,
    currency: l.currency,
    original_amount: l.original?.amount ?? null,
    original_currency: l.original?.currency ?? null,
    exchange_rate: l.exchangeRate ?? null,
  }));

/** Debits − credits per `account currency` over journal lines, zeros left out. */
function balances(lines: readonly JournalLine[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) {
    const key = `${l.account} ${l.currency}`;
    out[key] = (out[key] ?? 0) + l.debit - l.credit;
    if (out[key] === 0) delete out[key];
  }
  return out;
}

describe.each(stores)('payout bookkeeping with FX on $name', (factory) => {
  let store: Store | undefined;
  let dispatcher: Dispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.stop(1000);
    dispatcher = undefined;
    await store?.close();
    store = undefined;
  });

  async function start() {
    store = await factory.open();
    const ledger: Ledger = createLedger({ store, clock: systemClock, newId });
    dispatcher = createDispatcher({ store, handlers: [payoutBookkeeping({ store, config, ledger })], clock: systemClock, newId, pollMs: 10 });
    dispatcher.start();
    return ledger;
  }

  async function order(id: string, currency: string, total: number) {
    const now = Date.now();
    await insertOrders(store!.db, [{ id, source: 'shop-main', external_id: id, number: `#${id}`, status: 'accepted', hold_reason: null, currency, total, placed_at: new Date(now).toISOString(), body_hash: id, data: '{}', correlation_id: `cor_${id}`, created_at: now, updated_at: now }]);
  }

  /** The order's capture as order to cash records it: the money sits in Stripe clearing in the order currency. */
  async function captured(ledger: Ledger, orderId: string, amount: number, currency: string) {
    const clearing = currency === 'EUR' ? 'Stripe Clearing EUR' : 'Stripe Clearing USD';
    await inOutboxTransaction(store!, { origin: { source: 'test', correlationId: `cor_${orderId}` }, now: Date.now(), newId }, (tx) =>
      ledger.record(tx, { key: `capture:stripe:pi_${orderId}`, date: '2026-11-25', lines: [{ account: clearing, debit: amount, credit: 0, currency }, { account: 'Accounts Receivable', debit: 0, credit: amount, currency }], sourceEvents: ['msg_capture'], correlationId: `cor_${orderId}`, orderId }),
    );
  }

  /** A paid payout whose lines the settlement flow fetched, stored and matched (line → order). */
  async function storedPayout(lines: readonly SettlementLine[], orderOfLine: Record<string, string>) {
    const now = Date.now();
    const amount = lines.filter((l) => l.kind !== 'payout').reduce((sum, l) => sum + l.net, 0);
    await upsertPayout(store!.db, { id: payoutId, provider: 'stripe', connection_id: connectionId, reference, currency: 'USD', amount, status: 'paid', arrival_date: '2026-11-28', lines_state: 'fetched', violations: null, correlation_id: 'cor_payout', created_at: now, updated_at: now });
    await replaceSettlementLines(store!.db, payoutId, rowsOf(lines));
    await saveSettlementMatches(
      store!.db,
      lines.map((l) => ({ payout_id: payoutId, line_id: l.id, connection_id: connectionId, status: orderOfLine[l.id] || l.kind === 'payout' || l.kind === 'fee' ? 'matched' : 'unmatched', reason: null, order_id: orderOfLine[l.id] ?? null, target_kind: orderOfLine[l.id] ? 'capture' : null, target_reference: orderOfLine[l.id] ? `pi_${orderOfLine[l.id]}` : null, expected: null, actual: null, tolerance: 0, updated_at: now })),
      now,
    );
    return amount;
  }

  /** Emits the payout's posting message (as the settlement flow does once the lines are stored) and waits until the handler ran it. */
  async function post(amount: number) {
    const messageId = newId('msg');
    await inOutboxTransaction(store!, { origin: { source: 'test', correlationId: 'cor_payout' }, now: Date.now(), newId: () => messageId }, async (tx) => {
      tx.emit(payoutPosting, { connectionId, payout: { id: reference, provider: 'stripe', reference, currency: 'USD', amount, status: 'paid', arrivalDate: '2026-11-28', lines: [] }, causationId: 'msg_fetch', sourceEvents: ['stripe-main:inb_1'] }, { subject: reference });
    });
    return waitFor(async () => {
      const row = await store!.db.selectFrom('messages').select(['status', 'last_error', 'dead_reason']).where('id', '=', messageId).executeTakeFirst();
      return row && (row.status === 'done' || row.status === 'dead') ? row : undefined;
    }, { timeoutMs: 10_000, what: 'payout posting handled' });
  }

  const journal = async () => (await store!.db.selectFrom('journal_entries').select(['key', 'lines']).orderBy('key').execute()).map((r) => ({ key: r.key, lines: JSON.parse(r.lines) as JournalLine[] }));

  it.skipIf(factory.skipReason !== null)('books a USD payout of a EUR order’s charge: the payout entry, and an FX entry from EUR clearing into USD clearing under the order’s correlation id, once', async () => {
    const ledger = await start();
    await order('ord_eur', 'EUR', 9000);
    await order('ord_eur2', 'EUR', 3333);
    await order('ord_usd', 'USD', 5000);
    await captured(ledger, 'ord_eur', 9000, 'EUR');
    await captured(ledger, 'ord_eur2', 3333, 'EUR');
    await captured(ledger, 'ord_usd', 5000, 'USD');
    const lines = [
      // 90.00 EUR at 1.0842 = 97.578 → 97.58 USD: no rounding.
      line('txn_eur', 'charge', 'ch_eur', 9758, 313, { original: { amount: 9000, currency: 'EUR' }, exchangeRate: '1.0842' }),
      // 33.33 EUR at 1.0842 = 36.136… → 36.14 USD, Stripe settled 36.13: one cent to FX gain/loss.
      line('txn_eur2', 'charge', 'ch_eur2', 3613, 135, { original: { amount: 3333, currency: 'EUR' }, exchangeRate: '1.0842' }),
      // A charge in the order's own currency: no FX.
      line('txn_usd', 'charge', 'ch_usd', 5000, 175),
    ];
    const amount = await storedPayout([...lines, line('txn_po', 'payout', reference, -(9758 - 313 + 3613 - 135 + 5000 - 175), 0)], { txn_eur: 'ord_eur', txn_eur2: 'ord_eur2', txn_usd: 'ord_usd' });
    expect(amount).toBe(9758 - 313 + 3613 - 135 + 5000 - 175);

    expect(await post(amount)).toMatchObject({ status: 'done' });

    const payout = await ledger.byKey(store!.db, `payout:stripe:${reference}`);
    expect(payout).toMatchObject({ correlationId: 'cor_payout', causationId: 'msg_fetch', sourceEvents: ['stripe-main:inb_1'] });
    expect(balances(payout!.lines)).toEqual({ 'Bank USD USD': amount, 'Stripe Fees USD': 313 + 135 + 175, 'Stripe Clearing USD USD': -(9758 + 3613 + 5000) });

    const fx = await ledger.byKey(store!.db, 'fx:stripe:txn_eur');
    expect(fx).toMatchObject({ correlationId: 'cor_ord_eur', orderId: 'ord_eur', causationId: 'msg_fetch', date: '2026-11-28' });
    expect(isBalancedPerCurrency(fx!)).toBe(true);
    expect(balances(fx!.lines)).toEqual({
      'Stripe Clearing EUR EUR': -9000,
      'Currency Exchange EUR': 9000,
      'Stripe Clearing USD USD': 9758,
      'Currency Exchange USD': -9758,
    });

    const rounded = await ledger.byKey(store!.db, 'fx:stripe:txn_eur2');
    expect(rounded).toMatchObject({ correlationId: 'cor_ord_eur2', orderId: 'ord_eur2' });
    expect(isBalancedPerCurrency(rounded!)).toBe(true);
    expect(balances(rounded!.lines)).toEqual({
      'Stripe Clearing EUR EUR': -3333,
      'Currency Exchange EUR': 3333,
      'Stripe Clearing USD USD': 3613,
      'Currency Exchange USD': -3614,
      'FX Gain/Loss USD': 1,
    });

    // No FX for the line in its order's currency, nor for the payout line.
    const entries = await journal();
    expect(entries.map((e) => e.key)).toEqual(['capture:stripe:pi_ord_eur', 'capture:stripe:pi_ord_eur2', 'capture:stripe:pi_ord_usd', 'fx:stripe:txn_eur', 'fx:stripe:txn_eur2', `payout:stripe:${reference}`]);
    // Captures, exchanges and payout together leave nothing in clearing: EUR moved to USD, and the payout relieved USD of the gross.
    const all = balances(entries.flatMap((e) => e.lines));
    expect(all['Stripe Clearing EUR EUR']).toBeUndefined();
    expect(all['Stripe Clearing USD USD']).toBeUndefined();
    expect(all['Currency Exchange EUR']).toBe(9000 + 3333);

    // Delivered again: nothing more is booked.
    expect(await post(amount)).toMatchObject({ status: 'done' });
    expect(await journal()).toEqual(entries);
  });

  it.skipIf(factory.skipReason !== null)('books no FX entry for a converted line whose order is in the settlement currency', async () => {
    const ledger = await start();
    await order('ord_usd', 'USD', 5000);
    // Stripe converted from EUR, but the order was booked in USD: its clearing is already in USD.
    const amount = await storedPayout([line('txn_usd', 'charge', 'ch_usd', 5000, 175, { original: { amount: 4612, currency: 'EUR' }, exchangeRate: '1.0842' })], { txn_usd: 'ord_usd' });
    expect(await post(amount)).toMatchObject({ status: 'done' });
    expect((await journal()).map((e) => e.key)).toEqual([`payout:stripe:${reference}`]);
    expect(await ledger.byKey(store!.db, 'fx:stripe:txn_usd')).toBeUndefined();
  });
  // KNOWN BUG (expected to fail until fixed): postPayout with feesFromLines sums only `fee` of the lines, so a Stripe fee
  // line (stripe_fee: gross −200, fee 0, net −200) is charged to clearing instead of the fee account and leaves 2.00 in
  // clearing. Fix in payout.ts: count a 'fee' line's −net as fees. Remove `.fails` once fixed.
  it.skipIf(factory.skipReason !== null)('books a Stripe fee line to the fee account, relieving clearing of the charges’ gross', async () => {
    const ledger = await start();
    await order('ord_usd', 'USD', 5000);
    await captured(ledger, 'ord_usd', 5000, 'USD');
    const amount = await storedPayout([line('txn_usd', 'charge', 'ch_usd', 5000, 175), line('txn_fee', 'fee', 'txn_fee', -200, 0)], { txn_usd: 'ord_usd' });
    expect(await post(amount)).toMatchObject({ status: 'done' });
    const payout = await ledger.byKey(store!.db, `payout:stripe:${reference}`);
    expect(balances(payout!.lines)).toEqual({ 'Bank USD USD': 5000 - 175 - 200, 'Stripe Fees USD': 175 + 200, 'Stripe Clearing USD USD': -5000 });
  });
});
