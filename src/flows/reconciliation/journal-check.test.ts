import { describe, expect, it } from 'vitest';
import { inOutboxTransaction, type HandlerTransaction } from '../../messaging/index.js';
import { newId } from '../../model/index.js';
import { getJournalEntryByKey, setJournalPosting, testStores, type Store } from '../../store/index.js';
import { createLedger, type JournalDraft } from '../ledger/index.js';
import { cancelAndRepostCorrection, compareJournalWithErp, erpJournalCheck, repostEntryCorrection, type ErpJournalRecord, type ErpJournalSide, type HubJournalPosting } from './journal-check.js';
import type { StoredDrift } from './ports.js';

const stores = await testStores();

const line = (account: string, debit: number, credit: number, currency = 'USD') => ({ account, debit, credit, currency });
const posting = (id: string, date: string, lines: HubJournalPosting['lines'], documents: Record<string, string>): HubJournalPosting => ({ id, date, lines, documents });
const doc = (name: string, postingDate: string, lines: ErpJournalRecord['lines'], state: ErpJournalRecord['state'] = 'submitted'): ErpJournalRecord => ({ name, state, postingDate, lines });

describe('compareJournalWithErp', () => {
  const payout = posting('je_1', '2026-11-26', [line('Bank', 9_700, 0), line('Fees', 300, 0), line('Clearing', 0, 10_000)], { USD: 'JV-1' });
  const capture = posting('je_2', '2026-11-26', [line('Clearing', 10_000, 0), line('Debtors', 0, 10_000)], { USD: 'JV-2' });
  const erpOf = (docs: ErpJournalRecord[]) => new Map(docs.map((d) => [d.name, d]));
  const asPosted = (p: HubJournalPosting) => doc(p.documents['USD']!, p.date, p.lines.map(({ account, debit, credit }) => ({ account, debit, credit })));

  it('finds nothing when the ERP holds what the hub posted, however the lines are split across documents', () => {
    expect(compareJournalWithErp([payout, capture], erpOf([asPosted(payout), asPosted(capture)]))).toEqual([]);
    const split = doc('JV-1', '2026-11-26', [line('Bank', 9_000, 0), line('Bank', 700, 0), line('Fees', 300, 0), line('Clearing', 0, 10_000)]);
    expect(compareJournalWithErp([payout], erpOf([split]))).toEqual([]);
  });

  it('counts a cancelled or deleted document as zero: one mismatch per account of it on its date, naming the stale posting', () => {
    for (const erp of [erpOf([{ ...asPosted(payout), state: 'cancelled' }, asPosted(capture)]), erpOf([asPosted(capture)])]) {
      const found = compareJournalWithErp([payout, capture], erp);
      expect(found.map((m) => [m.account, m.hub, m.erp])).toEqual([
        ['Bank', { debit: 9_700, credit: 0 }, { debit: 0, credit: 0 }],
        ['Clearing', { debit: 10_000, credit: 10_000 }, { debit: 10_000, credit: 0 }],
        ['Fees', { debit: 300, credit: 0 }, { debit: 0, credit: 0 }],
      ]);
      expect(found.find((m) => m.account === 'Clearing')!.entries).toEqual(['je_1', 'je_2']);
      for (const m of found) expect(m.stale).toEqual([{ entryId: 'je_1', currency: 'USD', document: 'JV-1' }]);
    }
  });

  it('puts ERP amounts under the ERP posting date, and reports an edited amount without a stale posting', () => {
    const moved = compareJournalWithErp([capture], erpOf([{ ...asPosted(capture), postingDate: '2026-11-27' }]));
    expect(moved.map((m) => `${m.date} ${m.account}`)).toEqual(['2026-11-26 Clearing', '2026-11-26 Debtors', '2026-11-27 Clearing', '2026-11-27 Debtors']);
    expect(moved.every((m) => m.stale.length === 0 && m.entries.join() === 'je_2')).toBe(true);
    const edited = compareJournalWithErp([capture], erpOf([doc('JV-2', '2026-11-26', [line('Clearing', 10_001, 0), line('Debtors', 0, 10_001)])]));
    expect(edited.map((m) => [m.account, m.hub, m.erp])).toEqual([
      ['Clearing', { debit: 10_000, credit: 0 }, { debit: 10_001, credit: 0 }],
      ['Debtors', { debit: 0, credit: 10_000 }, { debit: 0, credit: 10_001 }],
    ]);
    for (const m of edited) expect(m.differing).toEqual([{ entryId: 'je_2', currency: 'USD', document: 'JV-2', erpDocument: 'JV-2' }]);
    expect(moved.every((m) => m.differing.length === 1 && m.differing[0]!.erpDocument === 'JV-2')).toBe(true);
  });

  it('counts the amendment a person made of a cancelled document in its place, naming it as the differing document', () => {
    const amendment = doc('JV-1-1', '2026-11-26', [line('Bank', 9_600, 0), line('Fees', 300, 0), line('Clearing', 0, 9_900)]);
    const found = compareJournalWithErp([payout, capture], erpOf([{ ...asPosted(payout), state: 'cancelled', amendment }, asPosted(capture)]));
    expect(found.map((m) => [m.account, m.hub, m.erp])).toEqual([
      ['Bank', { debit: 9_700, credit: 0 }, { debit: 9_600, credit: 0 }],
      ['Clearing', { debit: 10_000, credit: 10_000 }, { debit: 10_000, credit: 9_900 }],
    ]);
    for (const m of found) {
      expect(m.stale).toEqual([]);
      expect(m.differing).toEqual([{ entryId: 'je_1', currency: 'USD', document: 'JV-1', erpDocument: 'JV-1-1' }]);
    }
    // An amendment with the hub's amounts is no drift; a cancelled amendment leaves the posting stale.
    expect(compareJournalWithErp([payout], erpOf([{ ...asPosted(payout), state: 'cancelled', amendment: { ...asPosted(payout), name: 'JV-1-1' } }]))).toEqual([]);
    const gone = compareJournalWithErp([payout], erpOf([{ ...asPosted(payout), state: 'cancelled', amendment: { ...amendment, state: 'cancelled' } }]));
    expect(gone.every((m) => m.stale.length === 1 && m.differing.length === 0)).toBe(true);
  });

  it('keeps currencies apart, in exact minor units (JPY, KWD)', () => {
    const multi = posting('je_3', '2026-11-26', [line('Bank', 1_000, 0, 'JPY'), line('Sales', 0, 1_000, 'JPY'), line('Bank', 1_500, 0, 'KWD'), line('Sales', 0, 1_500, 'KWD')], { JPY: 'JV-3', KWD: 'JV-4' });
    const found = compareJournalWithErp([multi], erpOf([doc('JV-3', '2026-11-26', [line('Bank', 1_000, 0), line('Sales', 0, 1_000)]), doc('JV-4', '2026-11-26', [], 'cancelled')]));
    expect(found.map((m) => `${m.account}:${m.currency}`)).toEqual(['Bank:KWD', 'Sales:KWD']);
    expect(found[0]!.stale).toEqual([{ entryId: 'je_3', currency: 'KWD', document: 'JV-4' }]);
  });
});

/** An ERP that holds Journal Entries in memory (the end-to-end test uses the ERPNext emulator). */
function memoryErp(docs: Map<string, ErpJournalRecord>): ErpJournalSide & { reads: string[][] } {
  const reads: string[][] = [];
  return {
    connectionId: 'erp-test',
    reads,
    isJournalEntry: (name) => name.startsWith('JV-'),
    journalEntries(names) {
      reads.push([...names]);
      return Promise.resolve(names.flatMap((n) => (docs.has(n) ? [docs.get(n)!] : [])));
    },
  };
}

const draft = (key: string, amount: number, date = '2026-11-26'): JournalDraft => ({
  key,
  date,
  correlationId: `cor_${key}`,
  sourceEvents: [`msg_${key}`],
  lines: [line('Bank', amount, 0), line('Clearing', 0, amount)],
});

async function inTx<T>(store: Store, now: number, work: (tx: HandlerTransaction, posts: unknown[]) => Promise<T>): Promise<{ result: T; posts: unknown[] }> {
  const posts: unknown[] = [];
  const result = await inOutboxTransaction(store, { origin: { source: 'test', correlationId: 'cor' }, now, newId }, async (tx) => {
    const emit = tx.emit.bind(tx);
    tx.emit = (definition, data, options) => {
      if (definition.type === 'ledger.post') posts.push(data);
      emit(definition, data, options);
    };
    return work(tx, posts);
  });
  return { result, posts };
}

describe.each(stores)('journal check on $name', (factory) => {
  it.skipIf(factory.skipReason !== null)('compares the hub\'s own Journal Entries in the window, flags old pending entries, and re-posts a cancelled one exactly once', async () => {
    const store = await factory.open();
    try {
      const day = Date.parse('2026-11-26T12:00:00Z');
      let now = day;
      const clock = { now: () => now };
      const port = { connectionId: 'erp-test', post: () => Promise.reject(new Error('not posted in this test')) };
      const ledger = createLedger({ store, clock, newId, port });
      const docs = new Map<string, ErpJournalRecord>();
      await inTx(store, day, async (tx) => {
        await ledger.record(tx, draft('payout:1', 5_000), { postedAs: { connectionId: 'erp-test', documents: { USD: 'JV-1' } } });
        await ledger.record(tx, draft('sale:1', 7_000), { postedAs: { connectionId: 'erp-test', documents: { USD: 'SINV-1' } } });
        await ledger.record(tx, draft('payout:old', 4_000, '2026-11-01'), { postedAs: { connectionId: 'erp-test', documents: { USD: 'JV-9' } } });
        await ledger.record(tx, draft('capture:1', 3_000));
      });
      docs.set('JV-1', doc('JV-1', '2026-11-26', [line('Bank', 5_000, 0), line('Clearing', 0, 5_000)]));
      const erp = memoryErp(docs);
      const check = erpJournalCheck({ store, clock, erp });
      expect(check).toMatchObject({ name: 'journal:erp-test', scope: 'journal' });
      const window = { from: Date.parse('2026-11-20T00:00:00Z'), to: day };
      const signal = new AbortController().signal;

      // In-flight posting, the sale's invoice and an entry outside the window are not drift.
      expect(await check.run(window, signal)).toEqual([]);
      expect(erp.reads.flat().sort()).toEqual(['JV-1', 'SINV-1']);

      now = day + 2 * 3_600_000;
      const pending = (await getJournalEntryByKey(store.db, 'capture:1'))!;
      expect(await check.run(window, signal)).toEqual([
        expect.objectContaining({ kind: 'journal_not_posted', entity: `journal-entry:${pending.id}`, systems: ['hub', 'erp-test'], correction: 'repost-entry', severity: 'critical' }),
      ]);
      const correction = repostEntryCorrection();
      const stored = (d: object): StoredDrift => ({ ...(d as StoredDrift), id: 'drift_1', runId: 'run_1' });
      const notPosted = stored((await check.run(window, signal))[0]!);
      const requeued = await inTx(store, now, (tx) => correction.commit(tx, notPosted, undefined));
      expect(requeued.posts).toEqual([{ entryId: pending.id }]);
      await setJournalPosting(store.db, pending.id, { status: 'posted', erp_connection: 'erp-test', erp_documents: JSON.stringify({ USD: 'JV-2' }), error: null, posted_at: now });
      docs.set('JV-2', doc('JV-2', '2026-11-26', [line('Bank', 3_000, 0), line('Clearing', 0, 3_000)]));
      expect(await check.run(window, signal)).toEqual([]);

      // Cancelled in the ERP: exactly its accounts on its date, then re-posted once however often the correction runs.
      docs.set('JV-1', { ...docs.get('JV-1')!, state: 'cancelled' });
      const drift = await check.run(window, signal);
      const payout = (await getJournalEntryByKey(store.db, 'payout:1'))!;
      expect(drift.map((d) => [d.kind, d.entity, d.expected, d.actual, d.correction])).toEqual([
        ['journal_mismatch', 'journal:2026-11-26:Bank:USD', { debit: 8_000, credit: 0 }, { debit: 3_000, credit: 0 }, 'repost-entry'],
        ['journal_mismatch', 'journal:2026-11-26:Clearing:USD', { debit: 0, credit: 8_000 }, { debit: 0, credit: 3_000 }, 'repost-entry'],
      ]);
      expect(drift[0]!.detail).toEqual({ connectionId: 'erp-test', entries: [payout.id, pending.id].sort(), stale: [{ entryId: payout.id, currency: 'USD', document: 'JV-1' }], differing: [] });
      const first = await inTx(store, now, (tx) => correction.commit(tx, stored(drift[0]!), undefined));
      expect(first.posts).toEqual([{ entryId: payout.id, replaces: { USD: 'JV-1' } }]);
      expect(first.result.summary).toContain('JV-1');
      expect(await getJournalEntryByKey(store.db, 'payout:1')).toMatchObject({ status: 'pending', erp_documents: null });
      const second = await inTx(store, now, (tx) => correction.commit(tx, stored(drift[1]!), undefined));
      expect(second.posts).toEqual([]);

      // Amended by a person with other amounts: the amendment is cancelled in the ERP, the entry re-posted once.
      await setJournalPosting(store.db, payout.id, { status: 'posted', erp_connection: 'erp-test', erp_documents: JSON.stringify({ USD: 'JV-5' }), error: null, posted_at: now });
      docs.set('JV-5', { ...doc('JV-5', '2026-11-26', [], 'cancelled'), amendment: doc('JV-5-1', '2026-11-26', [line('Bank', 4_900, 0), line('Clearing', 0, 4_900)]) });
      const edited = (await check.run(window, signal)).map(stored);
      expect(edited.map((d) => [d.entity, d.correction])).toEqual([
        ['journal:2026-11-26:Bank:USD', 'cancel-and-repost'],
        ['journal:2026-11-26:Clearing:USD', 'cancel-and-repost'],
      ]);
      const cancelled: string[] = [];
      const ledgerPort = { connectionId: 'erp-test', post: port.post, cancel: (document: string) => Promise.resolve(void cancelled.push(document)) };
      const fix = cancelAndRepostCorrection({ ledger: (id) => (id === 'erp-test' ? ledgerPort : undefined) });
      const prepared = await fix.prepare!(edited[0]!, signal);
      expect(cancelled).toEqual(['JV-5-1']);
      const reposted = await inTx(store, now, (tx) => fix.commit(tx, edited[0]!, prepared));
      expect(reposted.posts).toEqual([{ entryId: payout.id, replaces: { USD: 'JV-5' } }]);
      expect(reposted.result.summary).toContain('JV-5-1');
      const preparedAgain = await fix.prepare!(edited[1]!, signal);
      const again = await inTx(store, now, (tx) => fix.commit(tx, edited[1]!, preparedAgain));
      expect(again.posts).toEqual([]);
      await expect(cancelAndRepostCorrection({ ledger: () => undefined }).prepare!(edited[0]!, signal)).rejects.toMatchObject({ code: 'ledger_cannot_cancel' });
    } finally {
      await store.close();
    }
  });
});
