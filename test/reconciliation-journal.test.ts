import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decimalToMinor } from '../src/model/index.js';
import type { Sandbox } from '../src/runtime/sandbox/index.js';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { runReconciliation as runScope, type Run } from './support/reconciliation.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';

/**
 * Reconciliation of the journal against ERPNext: the Journal Entry of a Stripe payout, cancelled by
 * a person in ERPNext, is found by one run as a mismatch on exactly its accounts and date (nothing
 * else); resolving it posts the entry again as one new submitted Journal Entry, and a second run finds nothing.
 */
const key = 'recon-journal-bootstrap-key-0123456789';
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let api: ReturnType<typeof apiClient>;

const url = (id: string) => sandbox.connections[id]!.baseUrl;

interface Entry {
  id: string;
  date: string;
  memo: string;
  status: string;
  lines: { account: string; debit: number; credit: number; currency: string }[];
  erpDocument: string | null;
}

type Doc = Record<string, unknown>;

const journal = async () => (await api('GET', '/v1/journal')).body['data'] as Entry[];
const journalEntries = async () => (await call('GET', `${url('erp-main')}/_sandbox/documents?doctype=${encodeURIComponent('Journal Entry')}`)).body['data'] as Doc[];

const runReconciliation = (scope: string[], window: { from: string; to: string }): Promise<Run<{ debit: number; credit: number }>> => runScope(api, scope, window);

beforeAll(async () => {
  env = await startSandboxHub({ name: 'recon-journal', key });
  ({ sandbox, api } = env);
}, 60_000);

afterAll(() => env?.stop());

describe('reconciliation of the journal', () => {
  it('finds a Journal Entry cancelled in ERPNext on exactly its accounts, re-posts it once, and then finds nothing', async () => {
    expect((await call('POST', `${url('stripe-main')}/_sandbox/payments`, { amount: 4321, count: 2 })).status).toBe(200);
    const payout = await call('POST', `${url('stripe-main')}/_sandbox/payouts`, {});
    expect(payout.status).toBe(200);
    const reference = String(payout.body['id']);
    const entry = (await waitFor(async () => (await journal()).find((e) => e.memo.includes(reference) && e.status === 'posted'), { timeoutMs: 30_000, what: `payout ${reference} posted` }))!;
    const original = entry.erpDocument!;
    expect(original).toEqual(expect.any(String));
    // A window of the days around the entry's date (a payout is dated by its arrival).
    const day = Date.parse(`${entry.date}T00:00:00Z`);
    const window = { from: new Date(day - 2 * 86_400_000).toISOString(), to: new Date(day + 2 * 86_400_000).toISOString() };

    const clean = await runReconciliation(['journal'], window);
    expect(clean.status).toBe('succeeded');
    expect(clean.checks.filter((c) => c.error)).toEqual([]);
    expect(clean.checks.map((c) => c.name)).toContain('journal:erp-main');
    expect(clean.drift).toEqual([]);

    const cancelled = await call('POST', `${url('erp-main')}/_sandbox/desk`, { user: 'jane@retailer.example', doctype: 'Journal Entry', name: original, action: 'cancel' });
    expect(cancelled.status).toBe(200);
    expect((cancelled.body['data'] as Doc)['docstatus']).toBe(2);

    const run = await runReconciliation(['journal'], window);
    expect(run.status).toBe('succeeded');
    // Other posted entries share the payout's accounts on that date (the captures against clearing): the hub's totals are theirs plus the payout's.
    const others = (await journal()).filter((e) => e.id !== entry.id && e.date === entry.date && e.status === 'posted' && e.erpDocument?.startsWith('ACC-JV-'));
    const sum = (lines: Entry['lines'], account: string, side: 'debit' | 'credit') => lines.filter((l) => l.account === account).reduce((s, l) => s + l[side], 0);
    const accounts = [...new Set(entry.lines.map((l) => l.account))].sort();
    expect(run.drift.map((d) => d.entity).sort()).toEqual(accounts.map((a) => `journal:${entry.date}:${a}:${entry.lines[0]!.currency}`).sort());
    for (const drift of run.drift) {
      const account = drift.entity.split(':')[2]!;
      const rest = others.flatMap((e) => e.lines);
      expect(drift).toMatchObject({ kind: 'journal_mismatch', systems: ['hub', 'erp-main'], severity: 'critical', correction: 'repost-entry', status: 'open' });
      expect(drift.expected).toEqual({ debit: sum(entry.lines, account, 'debit') + sum(rest, account, 'debit'), credit: sum(entry.lines, account, 'credit') + sum(rest, account, 'credit') });
      expect(drift.actual).toEqual({ debit: sum(rest, account, 'debit'), credit: sum(rest, account, 'credit') });
    }

    for (const drift of run.drift) {
      const resolved = await api('POST', `/v1/reconciliation/drift/${drift.id}/resolve`, {});
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ id: drift.id, status: 'resolved' });
    }
    const reposted = (await waitFor(async () => (await journal()).find((e) => e.id === entry.id && e.status === 'posted' && e.erpDocument !== original), { timeoutMs: 30_000, what: 'payout entry posted again' }))!;
    const live = (await journalEntries()).filter((d) => d['name'] === reposted.erpDocument);
    expect(live).toEqual([expect.objectContaining({ docstatus: 1, posting_date: entry.date })]);
    expect(decimalToMinor(String(live[0]!['total_debit']), entry.lines[0]!.currency)).toBe(entry.lines.reduce((s, l) => s + l.debit, 0));
    // Exactly one new document, whichever drift was resolved first.
    const remarks = (await journalEntries()).filter((d) => String(d['user_remark'] ?? '').includes(reference));
    expect(remarks.map((d) => d['docstatus']).sort()).toEqual([1, 2]);

    const after = await runReconciliation(['journal'], window);
    expect(after.status).toBe('succeeded');
    expect(after.drift).toEqual([]);
  }, 120_000);

  it('finds a Journal Entry a person cancelled and amended in ERPNext with other amounts, cancels the amendment, re-posts the entry, and then finds nothing', async () => {
    // ERPNext keeps a submitted entry's amounts: a person changes them by cancelling it and amending it (a copy, <name>-1,
    // with amended_from); the reference field is Unique on this site, so the person clears it on the copy.
    expect((await call('POST', `${url('stripe-main')}/_sandbox/payments`, { amount: 5555, count: 1 })).status).toBe(200);
    const payout = await call('POST', `${url('stripe-main')}/_sandbox/payouts`, {});
    expect(payout.status).toBe(200);
    const reference = String(payout.body['id']);
    const entry = (await waitFor(async () => (await journal()).find((e) => e.memo.includes(reference) && e.status === 'posted'), { timeoutMs: 30_000, what: `payout ${reference} posted` }))!;
    const original = entry.erpDocument!;
    const currency = entry.lines[0]!.currency;
    const day = Date.parse(`${entry.date}T00:00:00Z`);
    const window = { from: new Date(day - 2 * 86_400_000).toISOString(), to: new Date(day + 2 * 86_400_000).toISOString() };
    expect((await runReconciliation(['journal'], window)).drift).toEqual([]);

    const doc = (await journalEntries()).find((d) => d['name'] === original)!;
    const rows = doc['accounts'] as Doc[];
    const minor = (row: Doc, side: 'debit' | 'credit') => decimalToMinor(String(row[`${side}_in_account_currency`]), currency);
    const debitRow = rows.findIndex((r) => minor(r, 'debit') > 100);
    const creditRow = rows.findIndex((r) => minor(r, 'credit') > 100);
    const less = (row: Doc, side: 'debit' | 'credit') => ({ [`${side}_in_account_currency`]: (minor(row, side) - 100) / 100, [side]: (minor(row, side) - 100) / 100 });
    const edited = rows.map((row, i) => (i === debitRow ? { ...row, ...less(row, 'debit') } : i === creditRow ? { ...row, ...less(row, 'credit') } : row));
    expect((await call('POST', `${url('erp-main')}/_sandbox/desk`, { user: 'jane@retailer.example', doctype: 'Journal Entry', name: original, action: 'cancel' })).status).toBe(200);
    const amended = await call('POST', `${url('erp-main')}/_sandbox/desk`, { user: 'jane@retailer.example', doctype: 'Journal Entry', name: original, action: 'amend', changes: { accounts: edited, tillbridge_ref: null } });
    expect(amended.status).toBe(200);
    const amendment = String((amended.body['data'] as Doc)['name']);
    expect(amended.body['data']).toMatchObject({ name: `${original}-1`, amended_from: original, docstatus: 1 });

    const run = await runReconciliation(['journal'], window);
    expect(run.status).toBe('succeeded');
    const changed = [String(rows[debitRow]!['account']), String(rows[creditRow]!['account'])].sort();
    expect(run.drift.map((d) => d.entity).sort()).toEqual(changed.map((a) => `journal:${entry.date}:${a}:${currency}`));
    for (const drift of run.drift) {
      expect(drift).toMatchObject({ kind: 'journal_mismatch', systems: ['hub', 'erp-main'], severity: 'critical', correction: 'cancel-and-repost', status: 'open' });
      expect(drift.expected!.debit - drift.actual!.debit + drift.expected!.credit - drift.actual!.credit).toBe(100);
    }

    for (const drift of run.drift) {
      const resolved = await api('POST', `/v1/reconciliation/drift/${drift.id}/resolve`, {});
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ id: drift.id, status: 'resolved', resolution: expect.stringContaining(amendment) });
    }
    const reposted = (await waitFor(async () => (await journal()).find((e) => e.id === entry.id && e.status === 'posted' && e.erpDocument !== original), { timeoutMs: 30_000, what: 'payout entry posted again' }))!;
    const docs = await journalEntries();
    expect(docs.find((d) => d['name'] === amendment)).toMatchObject({ docstatus: 2 });
    expect(docs.find((d) => d['name'] === original)).toMatchObject({ docstatus: 2 });
    const live = docs.filter((d) => d['name'] === reposted.erpDocument);
    expect(live).toEqual([expect.objectContaining({ docstatus: 1, posting_date: entry.date })]);
    expect(decimalToMinor(String(live[0]!['total_debit']), currency)).toBe(entry.lines.reduce((s, l) => s + l.debit, 0));
    // Exactly one new document: the original, the person's amendment (both cancelled) and the re-post.
    expect(docs.filter((d) => String(d['user_remark'] ?? '').includes(reference)).map((d) => d['docstatus']).sort()).toEqual([1, 2, 2]);

    const after = await runReconciliation(['journal'], window);
    expect(after.status).toBe('succeeded');
    expect(after.drift).toEqual([]);
  }, 120_000);
});
