import { afterEach, describe, expect, it } from 'vitest';
import { createErpnextClient, ErpnextSettings, startErpnextEmulator, type ErpnextClient, type RunningErpnextEmulator } from '../../connectors/erpnext/index.js';
import { newId, systemClock } from '../../model/index.js';
import { createDispatcher, inOutboxTransaction, type Dispatcher } from '../../messaging/index.js';
import { createLedger, type JournalDraft, type Ledger, type RecordOptions } from '../../flows/index.js';
import { testStores, type Store } from '../../store/index.js';
import { waitFor } from '../../testing/index.js';
import { erpnextLedgerPortOf } from './erpnext.js';

const stores = await testStores();

describe.each(stores)('journal entries posted to ERPNext on $name', (factory) => {
  let store: Store | undefined;
  let dispatcher: Dispatcher | undefined;
  let emulator: RunningErpnextEmulator | undefined;
  afterEach(async () => {
    await dispatcher?.stop(1000);
    await store?.close();
    await emulator?.close();
  });

  async function start(): Promise<{ ledger: Ledger; record: (draft: JournalDraft, options?: RecordOptions) => Promise<boolean>; journals: () => Promise<Record<string, unknown>[]>; abbr: string; client: ErpnextClient }> {
    emulator = await startErpnextEmulator({ uniqueReference: true });
    store = await factory.open();
    const client = createErpnextClient({
      connectionId: 'erp-main',
      settings: ErpnextSettings.parse({ baseUrl: emulator.url, company: emulator.company, rateLimit: { capacity: 500, perSecond: 500 } }),
      secrets: emulator.credentials,
      baseDelayMs: 1,
    });
    const ledger = createLedger({ store, clock: systemClock, newId, port: erpnextLedgerPortOf('erp-main', client) });
    for (const handler of ledger.handlers) handler.definition.retry = { ...handler.definition.retry, baseDelayMs: 10, maxDelayMs: 50 };
    dispatcher = createDispatcher({ store, handlers: ledger.handlers, clock: systemClock, newId, pollMs: 10 });
    dispatcher.start();
    const url = emulator.url;
    return {
      ledger,
      abbr: emulator.abbr,
      client,
      record: (draft, options) => inOutboxTransaction(store!, { origin: { source: 'test', correlationId: draft.correlationId }, now: Date.now(), newId }, (tx) => ledger.record(tx, draft, options)),
      journals: async () => ((await (await fetch(`${url}/_sandbox/documents?doctype=${encodeURIComponent('Journal Entry')}`)).json()) as { data: Record<string, unknown>[] }).data,
    };
  }

  it.skipIf(factory.skipReason !== null)('records a balanced entry once per key, posts it as one submitted Journal Entry, and lists it with its lineage', async () => {
    const { ledger, record, journals, abbr } = await start();
    const sale: JournalDraft = {
      key: 'sale:ord_1',
      date: '2026-11-27',
      lines: [
        { account: `Stripe Clearing - ${abbr}`, debit: 5281, credit: 0, currency: 'USD' },
        { account: `Sales - ${abbr}`, debit: 0, credit: 4500, currency: 'USD' },
        { account: `Shipping Income - ${abbr}`, debit: 0, credit: 500, currency: 'USD' },
        { account: `Sales Tax - ${abbr}`, debit: 0, credit: 281, currency: 'USD' },
      ],
      sourceEvents: ['msg_accepted', 'msg_invoiced'],
      correlationId: 'cor_1',
      causationId: 'msg_invoiced',
      orderId: 'ord_1',
      memo: 'Sale #1001',
    };
    expect(await record(sale)).toBe(true);
    expect(await record(sale)).toBe(false);
    const [posted] = await waitFor(async () => {
      const entries = await ledger.list({ orderId: 'ord_1' }, { limit: 10 });
      return entries[0]?.status === 'posted' ? entries : undefined;
    }, { what: 'the entry posted' }).catch(async (error: Error) => {
      const rows = await store!.db.selectFrom('message_attempts').selectAll().execute();
      throw new Error(`${error.message}: ${JSON.stringify(rows).slice(0, 1500)}`);
    }) as Awaited<ReturnType<Ledger['list']>>;
    expect(posted).toMatchObject({ date: '2026-11-27', sourceEvents: ['msg_accepted', 'msg_invoiced'], correlationId: 'cor_1', causationId: 'msg_invoiced', erpDocument: expect.any(String) });
    const inErp = await journals();
    expect(inErp).toHaveLength(1);
    expect(inErp[0]).toMatchObject({ name: posted!.erpDocument, docstatus: 1, total_debit: 52.81, total_credit: 52.81 });
    expect(await ledger.list({ correlationId: 'cor_1', from: '2026-11-01', to: '2026-11-30' }, { limit: 10 })).toHaveLength(1);
    expect(await ledger.list({ from: '2026-12-01' }, { limit: 10 })).toEqual([]);
  });

  it.skipIf(factory.skipReason !== null)('posts a receivable line with its customer as party, which ERPNext requires on Debtors', async () => {
    const { ledger, record, journals, abbr, client } = await start();
    const { customer } = await client.customers.ensure({ reference: 'shop-main:c-7', name: 'Shopper c-7' });
    const capture = (key: string, party?: string): JournalDraft => ({
      key,
      date: '2026-11-27',
      lines: [
        { account: `Stripe Clearing - ${abbr}`, debit: 5281, credit: 0, currency: 'USD' },
        { account: `Debtors - ${abbr}`, debit: 0, credit: 5281, currency: 'USD', ...(party ? { partyType: 'Customer' as const, party } : {}) },
      ],
      sourceEvents: ['msg_capture'],
      correlationId: 'cor_3',
      orderId: 'ord_3',
    });
    expect(await record(capture('capture:stripe:pi_3', customer.name))).toBe(true);
    const posted = await waitFor(async () => (await ledger.list({ orderId: 'ord_3' }, { limit: 10 })).find((e) => e.status === 'posted'), { what: 'the capture posted' });
    expect(posted!.lines[1]).toEqual({ account: `Debtors - ${abbr}`, debit: 0, credit: 5281, currency: 'USD', partyType: 'Customer', party: customer.name });
    const [je] = (await journals()).filter((j) => j['name'] === posted!.erpDocument);
    expect(je).toMatchObject({ docstatus: 1 });
    expect((je!['accounts'] as Record<string, unknown>[]).map((r) => [r['account'], r['party_type'] ?? null, r['party'] ?? null])).toEqual([
      [`Stripe Clearing - ${abbr}`, null, null],
      [`Debtors - ${abbr}`, 'Customer', customer.name],
    ]);
    // Without a party ERPNext refuses the Debtors row: the entry stays unposted, and nothing is made.
    await expect(client.journalEntries.ensure({ reference: 'no-party', postingDate: '2026-11-27', currency: 'USD', lines: capture('x').lines })).rejects.toThrow(/Party Type and Party is required/);
  });

  it.skipIf(factory.skipReason !== null)('records an entry the ERP already holds (a Sales Invoice) as posted to it, making no second document', async () => {
    const { ledger, record, journals, abbr } = await start();
    const sale: JournalDraft = {
      key: 'sale:shop-main:1004',
      date: '2026-11-27',
      lines: [
        { account: `Debtors - ${abbr}`, debit: 5000, credit: 0, currency: 'USD', partyType: 'Customer', party: 'Walk-in Customer' },
        { account: `Sales - ${abbr}`, debit: 0, credit: 5000, currency: 'USD' },
      ],
      sourceEvents: ['msg_invoice'],
      correlationId: 'cor_4',
      orderId: 'ord_4',
    };
    await expect(record(sale, { postedAs: { connectionId: 'erp-main', documents: { EUR: 'ACC-SINV-1' } } })).rejects.toMatchObject({ code: 'posted_document_missing' });
    expect(await record(sale, { postedAs: { connectionId: 'erp-main', documents: { USD: 'ACC-SINV-2026-00001' } } })).toBe(true);
    expect(await record(sale)).toBe(false);
    const [entry] = await ledger.list({ orderId: 'ord_4' }, { limit: 10 });
    expect(entry).toMatchObject({ status: 'posted', erpDocument: 'ACC-SINV-2026-00001', erpDocuments: { USD: 'ACC-SINV-2026-00001' } });
    expect(await ledger.byKey(store!.db, 'sale:shop-main:1004')).toEqual(entry);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await journals()).toEqual([]);
  });

  it.skipIf(factory.skipReason !== null)('refuses an entry that does not balance, naming the currency and the totals', async () => {
    const { record, abbr } = await start();
    await expect(record({ key: 'bad', date: '2026-11-27', lines: [{ account: `Debtors - ${abbr}`, debit: 100, credit: 0, currency: 'JPY' }, { account: `Sales - ${abbr}`, debit: 0, credit: 99, currency: 'JPY' }], sourceEvents: [], correlationId: 'cor_2' })).rejects.toMatchObject({
      code: 'unbalanced_journal_entry',
      message: expect.stringContaining('JPY debits total 100 but credits total 99'),
    });
  });
});
