import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventGroup } from '../src/connectors/amazon/test-support.js';
import { startAmazonEmulator, type RunningAmazonEmulator } from '../src/connectors/amazon/emulator/server.js';
import { waitFor } from '../src/testing/index.js';
import type { apiClient } from './support/http.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';

/**
 * Amazon settlements end to end: a financial event group that closes and is transferred at the
 * Amazon emulator is polled by the hub as one payout with its lines, stored, matched (the hub has
 * no Amazon orders, so its lines wait with a reason) and explained line by line; a group still open
 * is not a payout yet.
 */
const key = 'amazon-settlement-bootstrap-key-0123456789';
let env: SandboxHub | undefined;
let amazon: RunningAmazonEmulator | undefined;
let api: ReturnType<typeof apiClient>;

interface PayoutRow {
  id: string;
  provider: string;
  reference: string;
  amount: number;
  currency: string;
}

beforeAll(async () => {
  const start = Date.now() - 20 * 86_400_000;
  amazon = await startAmazonEmulator({ groups: [eventGroup('grp-closed', start, { processing: 'Closed', transfer: 'Succeeded' }), eventGroup('grp-open', start + 86_400_000, { processing: 'Open' })] });
  process.env['TB_TEST_AMAZON_CLIENT_ID'] = amazon.credentials.clientId;
  process.env['TB_TEST_AMAZON_CLIENT_SECRET'] = amazon.credentials.clientSecret;
  process.env['TB_TEST_AMAZON_REFRESH_TOKEN'] = amazon.credentials.refreshToken;
  env = await startSandboxHub({
    name: 'amazon-settlement',
    key,
    configure: (config) => {
      const connections = config['connections'] as unknown as Record<string, unknown>[];
      connections.push({
        id: 'amazon-us',
        system: 'amazon',
        settings: { baseUrl: amazon!.url, tokenUrl: amazon!.tokenUrl, marketplaceId: 'ATVPDKIKX0DER', pollIntervalMs: 200 },
        secrets: { clientId: 'env:TB_TEST_AMAZON_CLIENT_ID', clientSecret: 'env:TB_TEST_AMAZON_CLIENT_SECRET', refreshToken: 'env:TB_TEST_AMAZON_REFRESH_TOKEN' },
      });
    },
  });
  ({ api } = env);
}, 60_000);

afterAll(async () => {
  await env?.stop();
  await amazon?.close();
});

describe('Amazon settlements', () => {
  it('takes a closed, transferred event group as a payout with its lines, explains it, and leaves an open group alone', async () => {
    const payout = (await waitFor(async () => ((await api('GET', '/v1/payouts?limit=50')).body['data'] as PayoutRow[]).find((p) => p.reference === 'grp-closed'), { timeoutMs: 20_000, what: 'the Amazon payout' }))!;
    expect(payout).toMatchObject({ provider: 'amazon' });
    const explain = (await api('GET', `/v1/payouts/${payout.id}/explain`)).body as { payout: { violations: { pointer: string; detail: string }[] }; lines: { kind: string; match: { status: string; reason: string | null } }[]; totals: { net: number; amount: number; reconciles: boolean } };
    expect(explain.lines.length).toBeGreaterThan(0);
    // The corpus group's total (10.34) is not the sum of its corpus events: the payout is kept, and says so.
    expect(explain.totals.reconciles).toBe(false);
    expect(explain.payout.violations).toEqual([{ pointer: '/amount', detail: `amount is ${explain.totals.amount} but Σ line net is ${explain.totals.net}` }]);
    // The hub has no Amazon orders: the group's chargebacks, fees and adjustments wait in the unmatched queue, each with its reason.
    const lines = explain.lines.filter((l) => l.kind !== 'payout');
    expect(new Set(lines.map((l) => l.kind))).toEqual(new Set(['chargeback', 'fee', 'adjustment']));
    expect(lines.map((l) => [l.kind, l.match.status, l.match.reason])).toEqual(lines.map((l) => [l.kind, 'unmatched', { chargeback: 'no_order_for_chargeback', fee: 'no_charge_for_fee', adjustment: 'unexplained_adjustment' }[l.kind]]));
    const unmatched = (await api('GET', '/v1/settlements/unmatched?connection=amazon-us&limit=100')).body['data'] as unknown[];
    expect(unmatched).toHaveLength(lines.length);
    const payouts = (await api('GET', '/v1/payouts?limit=50')).body['data'] as PayoutRow[];
    expect(payouts.filter((p) => p.provider === 'amazon').map((p) => p.reference)).toEqual(['grp-closed']);
  }, 60_000);
});
