import { afterEach, describe, expect, it } from 'vitest';
import type { Connection, ParsedInboundEvent } from '../../connectors/framework/index.js';
import { inOutboxTransaction } from '../../messaging/index.js';
import { newId, systemClock, type PaymentTransaction, type Payout } from '../../model/index.js';
import { testStores, type Store } from '../../store/index.js';
import { createLedger, type Ledger } from '../ledger/index.js';
import { providerBookkeeping } from './bookkeeping.js';
import { testPostingConfig as config, testTransaction } from './testing.js';

const stores = await testStores();
const connection = { id: 'stripe-main', system: 'stripe' } as Connection;

describe.each(stores)('provider bookkeeping on $name', (factory) => {
  let store: Store | undefined;
  afterEach(async () => store?.close());

  async function start(fetchesPayoutLines?: (id: string) => boolean) {
    store = await factory.open();
    const ledger: Ledger = createLedger({ store, clock: systemClock, newId });
    const sink = providerBookkeeping({ config, ledger, fetchesPayoutLines });
    let inbox = 0;
    const deliver = (event: ParsedInboundEvent, correlationId = 'cor_webhook') =>
      inOutboxTransaction(store!, { origin: { source: 'test', correlationId }, now: Date.now(), newId }, async (tx) => {
        await sink.apply(tx, event, { connection, inboxId: `inb_${++inbox}`, correlationId });
        return tx;
      });
    const movement = (transaction: PaymentTransaction): ParsedInboundEvent => ({ kind: 'payment', transaction });
    return { ledger, deliver, movement };
  }

  it.skipIf(factory.skipReason !== null)('links a chargeback to the order whose capture it disputes (through the capture webhook’s charge), under its correlation id, once', async () => {
    const { ledger, deliver, movement } = await start();
    // The order's own capture entry (order to cash records it, keyed by the PaymentIntent).
    await inOutboxTransaction(store!, { origin: { source: 'test', correlationId: 'cor_order' }, now: Date.now(), newId }, (tx) =>
      ledger.record(tx, { key: 'capture:stripe:pi_1', date: '2026-11-27', lines: [{ account: 'Stripe Clearing', debit: 5000, credit: 0, currency: 'USD' }, { account: 'Accounts Receivable', debit: 0, credit: 5000, currency: 'USD' }], sourceEvents: ['msg_1'], correlationId: 'cor_order', orderId: 'ord_1' }),
    );
    // payment_intent.succeeded: the capture's id is the charge, its reference the PaymentIntent.
    await deliver(movement(testTransaction('capture', 5000, 'USD', { id: 'ch_1', reference: 'pi_1' })));
    expect(await ledger.list({ orderId: 'ord_1' }, { limit: 10 })).toHaveLength(1);

    const dispute = testTransaction('chargeback', 1500, 'USD', { id: 'dp_1', reference: 'dp_1', parentReference: 'ch_1', orderId: 'channel-9' });
    await deliver(movement({ ...dispute, status: 'pending' }));
    expect(await ledger.list({ orderId: 'ord_1' }, { limit: 10 })).toHaveLength(1);
    await deliver(movement(dispute));
    await deliver(movement(dispute));
    const entries = await ledger.list({ orderId: 'ord_1' }, { limit: 10 });
    expect(entries).toHaveLength(2);
    expect(entries.find((e) => e.memo?.startsWith('Chargeback'))).toMatchObject({
      correlationId: 'cor_order',
      causationId: 'inb_3',
      sourceEvents: ['stripe-main:inb_3'],
      lines: [{ account: 'Chargebacks', debit: 1500, credit: 0, currency: 'USD' }, { account: 'Stripe Clearing', debit: 0, credit: 1500, currency: 'USD' }],
    });

    // Won: the reversal goes back into clearing, on the same order.
    await deliver(movement(testTransaction('chargeback_reversal', 1500, 'USD', { id: 'dp_1:reinstated', reference: 'dp_1', parentReference: 'ch_1' })));
    expect(await ledger.byKey(store!.db, 'chargeback_reversal:stripe:dp_1')).toMatchObject({
      orderId: 'ord_1',
      correlationId: 'cor_order',
      lines: [{ account: 'Stripe Clearing', debit: 1500, credit: 0, currency: 'USD' }, { account: 'Chargebacks', debit: 0, credit: 1500, currency: 'USD' }],
    });

    // A dispute of a charge the hub never captured is booked without an order.
    await deliver(movement(testTransaction('chargeback', 700, 'USD', { id: 'dp_2', reference: 'dp_2', parentReference: 'ch_unknown', orderId: 'channel-9' })));
    expect(await ledger.byKey(store!.db, 'chargeback:stripe:dp_2')).toMatchObject({ orderId: null, correlationId: 'cor_webhook' });
    // A refund seen at Stripe is order to cash's to book: nothing here.
    await deliver(movement(testTransaction('refund', 700, 'USD', { id: 're_1', reference: 're_1', parentReference: 'ch_1' })));
    expect(await ledger.list({}, { limit: 10 })).toHaveLength(4);
  });

  it.skipIf(factory.skipReason !== null)('books a paid payout with its lines’ fees; without lines it asks for them first when the provider can give them', async () => {
    const payout = (reference: string, lines: Payout['lines'] = []): ParsedInboundEvent => ({ kind: 'payout', payout: { id: reference, provider: 'stripe', reference, currency: 'USD', amount: 9405, status: 'paid', arrivalDate: '2026-11-28', lines } });
    const withLines = [{ id: 'l1', kind: 'charge' as const, reference: 'ch_1', gross: 10000, fee: 595, net: 9405, currency: 'USD' }];
    const { ledger, deliver } = await start((id) => id === 'stripe-main');
    await deliver(payout('po_1', withLines));
    expect((await ledger.byKey(store!.db, 'payout:stripe:po_1'))?.lines).toEqual([
      { account: 'Bank', debit: 9405, credit: 0, currency: 'USD' },
      { account: 'Stripe Fees', debit: 595, credit: 0, currency: 'USD' },
      { account: 'Stripe Clearing', debit: 0, credit: 10000, currency: 'USD' },
    ]);
    await deliver(payout('po_2'));
    expect(await ledger.byKey(store!.db, 'payout:stripe:po_2')).toBeUndefined();
    const queued = await store!.db.selectFrom('messages').select(['type', 'data']).where('type', '=', 'finance.payout-posting').execute();
    expect(queued.map((m) => (JSON.parse(m.data) as { payout: { reference: string } }).payout.reference)).toEqual(['po_2']);
  });
});
