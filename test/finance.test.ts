import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/runtime/sandbox/index.js';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';

/**
 * Finance end to end: a Stripe payout, paid, is booked in the hub's journal (bank against payment
 * clearing, with the webhook behind it) and posted to ERPNext as one submitted Journal Entry.
 */
const key = 'finance-bootstrap-key-0123456789';
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let api: ReturnType<typeof apiClient>;

const url = (id: string) => sandbox.connections[id]!.baseUrl;

beforeAll(async () => {
  env = await startSandboxHub({ name: 'finance', key });
  ({ sandbox, api } = env);
}, 60_000);

afterAll(() => env?.stop());

interface Entry {
  date: string;
  lines: { account: string; debit: number; credit: number; currency: string }[];
  sourceEvents: string[];
  memo: string;
  status: string;
  erpDocument: string | null;
}

describe('finance', () => {
  it('books a paid Stripe payout once and posts it to ERPNext as a Journal Entry', async () => {
    expect((await call('POST', `${url('stripe-main')}/_sandbox/payments`, { amount: 4200, count: 3 })).status).toBe(200);
    const payout = await call('POST', `${url('stripe-main')}/_sandbox/payouts`, {});
    expect(payout.status).toBe(200);
    const reference = String(payout.body['id']);
    const amount = Number(payout.body['amount']);
    expect(amount).toBeGreaterThan(0);

    const entry = (await waitFor(async () => {
      const entries = (await api('GET', '/v1/journal')).body['data'] as Entry[];
      const found = entries.find((e) => e.memo.includes(reference));
      return found?.status === 'posted' ? found : undefined;
    }, { timeoutMs: 30_000, what: `payout ${reference} posted` }))!;
    const abbr = entry.lines[0]!.account.split(' - ').at(-1);
    expect(entry.lines).toEqual([
      { account: `Bank - ${abbr}`, debit: amount, credit: 0, currency: 'USD' },
      { account: `Stripe Clearing - ${abbr}`, debit: 0, credit: amount, currency: 'USD' },
    ]);
    expect(entry.sourceEvents).toEqual([expect.stringMatching(/^stripe-main:inb_/)]);

    const journals = (await call('GET', `${url('erp-main')}/_sandbox/documents?doctype=${encodeURIComponent('Journal Entry')}`)).body['data'] as Record<string, unknown>[];
    const posted = journals.filter((j) => j['name'] === entry.erpDocument);
    expect(posted).toEqual([expect.objectContaining({ docstatus: 1, total_debit: amount / 100 })]);
    // The payout's other webhooks (created, updated) book nothing more.
    const again = ((await api('GET', '/v1/journal')).body['data'] as Entry[]).filter((e) => e.memo.includes(reference));
    expect(again).toHaveLength(1);
  });
});
