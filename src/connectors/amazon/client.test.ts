import { describe, expect, it } from 'vitest';
import { isTillbridgeError, systemClock } from '../../model/index.js';
import { clientOf, corpusGroupEvents, emulatorsPerTest, eventGroup, sandbox } from './test-support.js';

const day = 86_400_000;
const start = emulatorsPerTest();

async function failure(run: () => Promise<unknown>): Promise<{ code: string; message: string; retryable: boolean }> {
  try {
    await run();
  } catch (error) {
    if (isTillbridgeError(error)) return { code: error.code, message: error.message, retryable: error.retryable };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('Amazon Finances client against the emulator', () => {
  it('pages event groups with NextToken, oldest first, filtered by FinancialEventGroupStartedAfter', async () => {
    const now = Date.now();
    const groups = [5, 4, 3, 2, 1].map((ago) => eventGroup(`G${ago}`, now - ago * day, { processing: 'Closed', transfer: 'Succeeded' }));
    const emulator = await start({ groups });
    const client = clientOf(emulator);
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.listFinancialEventGroups({ startedAfter: new Date(now - 4.5 * day).toISOString(), maxResults: 2, ...(nextToken ? { nextToken } : {}) });
      seen.push(...page.groups.map((record) => record.group.id));
      for (const record of page.groups) expect(record.group.originalTotal).toEqual({ amount: 1034, currency: 'USD' });
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken !== undefined);
    expect(seen).toEqual(['G4', 'G3', 'G2', 'G1']);
    expect(pages).toBe(2);
    expect(emulator.tokensIssued()).toBe(1);
  });

  it('reads a group’s events page by page and merges every page list by list', async () => {
    const events = corpusGroupEvents();
    const serviceFee = (events['ImagingServicesFeeEventList'] ?? [])[0];
    expect(serviceFee).toBeDefined();
    const many: Record<string, unknown[]> = { ...events, ImagingServicesFeeEventList: Array.from({ length: 130 }, () => serviceFee) };
    const total = Object.values(many).reduce((sum, list) => sum + list.length, 0);
    const emulator = await start({ groups: [eventGroup('G1', Date.now() - day, { processing: 'Closed', transfer: 'Succeeded' }, many)] });
    const client = clientOf(emulator);
    const first = await client.listFinancialEventsByGroupId('G1', { maxResults: 3 });
    expect(Object.values(first.financialEvents).reduce((sum, list) => sum + list.length, 0)).toBe(3);
    expect(first.nextToken).toBeDefined();
    const merged = await client.financialEventsOfGroup('G1');
    expect(Object.keys(merged).sort()).toEqual(Object.keys(many).filter((list) => (many[list] ?? []).length > 0).sort());
    for (const [list, items] of Object.entries(merged)) expect(items).toEqual(many[list]);
    expect(Object.values(merged).reduce((sum, list) => sum + list.length, 0)).toBe(total);
  });

  it('caches the access token, and takes a new one when Amazon says it expired', async () => {
    const emulator = await start({ groups: [eventGroup('G1', Date.now() - day, { processing: 'Closed', transfer: 'Succeeded' })] });
    const client = clientOf(emulator);
    const query = { startedAfter: new Date(Date.now() - 2 * day).toISOString() };
    await client.listFinancialEventGroups(query);
    await client.listFinancialEventsByGroupId('G1');
    expect(emulator.tokensIssued()).toBe(1);
    expect((await sandbox(emulator, 'expire-tokens')).status).toBe(200);
    expect((await client.listFinancialEventGroups(query)).groups.map((record) => record.group.id)).toEqual(['G1']);
    expect(emulator.tokensIssued()).toBe(2);
  });

  it('renews the token before it expires by the clock, without a refused call', async () => {
    let offset = 0;
    const clock = { now: () => systemClock.now() + offset };
    const emulator = await start({ now: clock.now, tokenTtlSeconds: 600, groups: [eventGroup('G1', Date.now() - day, { processing: 'Closed' })] });
    const client = clientOf(emulator, { clock });
    const first = await client.accessToken();
    expect(await client.accessToken()).toBe(first);
    offset = 595_000;
    const second = await client.accessToken();
    expect(second).not.toBe(first);
    await client.listFinancialEventGroups({ startedAfter: new Date(clock.now() - 2 * day).toISOString() });
    expect(emulator.tokensIssued()).toBe(2);
    expect(client.health().failures).toBe(0);
  });

  it('turns refused credentials, a bad NextToken and a bad date range into permanent errors with Amazon’s words', async () => {
    const emulator = await start();
    const refused = await failure(() => clientOf(emulator, { secrets: { refreshToken: 'Atzr|revoked' } }).listFinancialEventGroups({}));
    expect(refused).toMatchObject({ code: 'amazon_lwa_refused', retryable: false });
    expect(refused.message).not.toContain(emulator.credentials.clientSecret);
    expect((await failure(() => clientOf(emulator, { secrets: { clientSecret: 'wrong' } }).accessToken())).code).toBe('amazon_lwa_refused');
    const client = clientOf(emulator);
    const token = await failure(() => client.listFinancialEventGroups({ nextToken: 'made-up' }));
    expect(token).toMatchObject({ code: 'outbound_rejected', retryable: false });
    expect(token.message).toContain('InvalidInput: Invalid NextToken.');
    const range = await failure(() => client.listFinancialEventGroups({ startedAfter: '2024-02-01T00:00:00Z', startedBefore: '2024-01-01T00:00:00Z' }));
    expect(range.message).toContain('Date range is invalid.');
  });

  it('emulator: refuses a malformed sandbox group, a NextToken of another group, and a call without a token', async () => {
    const now = Date.now();
    const emulator = await start({ groups: ['G1', 'G2'].map((id) => eventGroup(id, now - day, { processing: 'Closed', transfer: 'Succeeded' })) });
    expect((await sandbox(emulator, 'event-groups', { group: { FinancialEventGroupId: 'X' } })).status).toBe(400);
    expect((await sandbox(emulator, 'event-groups', eventGroup('G3', now - day, { processing: 'Open' }))).status).toBe(201);
    const state = (await (await fetch(`${emulator.url}/_sandbox/state`)).json()) as { eventGroups: { id: string; processingStatus: string }[] };
    expect(state.eventGroups.map((group) => [group.id, group.processingStatus])).toEqual([
      ['G1', 'Closed'],
      ['G2', 'Closed'],
      ['G3', 'Open'],
    ]);
    const client = clientOf(emulator);
    const page = await client.listFinancialEventsByGroupId('G1', { maxResults: 1 });
    expect(page.nextToken).toBeDefined();
    expect((await failure(() => client.listFinancialEventsByGroupId('G2', { nextToken: page.nextToken! }))).message).toContain('Invalid NextToken.');
    const bare = await fetch(`${emulator.url}/finances/v0/financialEventGroups`);
    expect(bare.status).toBe(403);
    expect(await bare.json()).toMatchObject({ errors: [{ code: 'Unauthorized' }] });
  });

  it('reports injected server errors as retryable after its retries, and works once the API recovers', async () => {
    const emulator = await start({ retryAfterSeconds: 0, groups: [eventGroup('G1', Date.now() - day, { processing: 'Closed', transfer: 'Succeeded' })] });
    const client = clientOf(emulator);
    await client.accessToken();
    await sandbox(emulator, 'faults', { errorRate: 1 });
    const down = await failure(() => client.listFinancialEventGroups({ startedAfter: new Date(Date.now() - 2 * day).toISOString() }));
    expect(down).toMatchObject({ code: 'outbound_server_error', retryable: true });
    await sandbox(emulator, 'faults', { errorRate: 0 });
    expect((await client.listFinancialEventGroups({ startedAfter: new Date(Date.now() - 2 * day).toISOString() })).groups).toHaveLength(1);
  });
});
