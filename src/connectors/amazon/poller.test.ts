import { describe, expect, it } from 'vitest';
import { systemClock } from '../../model/index.js';
import type { PollResult, Poller } from '../framework/index.js';
import { amazonSettlementTopic, createAmazonEventGroupsPoller } from './poller.js';
import { clientOf, corpusGroupEvents, emulatorsPerTest, eventGroup, sandbox } from './test-support.js';

const day = 86_400_000;
const start = emulatorsPerTest();
const signal = new AbortController().signal;

/** Polls until `more` is false, as the runner does, collecting every item and the last cursor. */
async function drain(poller: Poller, cursor: string | null): Promise<{ items: PollResult['items']; cursor: string | null; pages: number }> {
  const items: PollResult['items'] = [];
  let pages = 0;
  for (;;) {
    const result = await poller.poll(cursor, signal);
    items.push(...result.items);
    cursor = result.cursor;
    pages += 1;
    if (!result.more) return { items, cursor, pages };
  }
}

const groupIds = (items: PollResult['items']) => items.map((item) => (JSON.parse(item.payload) as { group: { FinancialEventGroupId: string } }).group.FinancialEventGroupId);

describe('Amazon financial event groups poller', () => {
  it('hands over settled groups with their events, holds the cursor before an open group, and picks it up once closed', async () => {
    const now = Date.now();
    const emulator = await start({
      groups: [
        eventGroup('OLD', now - 40 * day, { processing: 'Closed', transfer: 'Succeeded' }),
        eventGroup('A', now - 20 * day, { processing: 'Closed', transfer: 'Succeeded' }),
        eventGroup('B', now - 10 * day, { processing: 'Open' }),
        eventGroup('C', now - 6 * day, { processing: 'Closed', transfer: 'Processing' }),
        eventGroup('D', now - 3 * day, { processing: 'Closed', transfer: 'Succeeded' }),
      ],
    });
    const poller = createAmazonEventGroupsPoller({ client: clientOf(emulator), intervalMs: 1000, clock: systemClock, initialLookbackMs: 30 * day, overlapMs: 60_000, pageSize: 2 });
    expect(poller.name).toBe('financial-event-groups');

    const first = await drain(poller, null);
    expect(first.pages).toBe(2);
    expect(groupIds(first.items)).toEqual(['A', 'D']);
    for (const item of first.items) {
      expect(item.topic).toBe(amazonSettlementTopic);
      expect(JSON.parse(item.payload).financialEvents).toEqual(corpusGroupEvents());
    }
    expect(first.items.map((item) => item.dedupKey)).toEqual(['financial-event-group:A:Closed:Succeeded', 'financial-event-group:D:Closed:Succeeded']);
    const keyOf = (id: string) => `financial-event-group:${id}:Closed:Succeeded`;
    expect(JSON.parse(first.cursor!)).toEqual({ mark: new Date(now - 10 * day).toISOString(), handed: { [keyOf('D')]: new Date(now - 3 * day).toISOString() } });

    const again = await drain(poller, first.cursor);
    expect(again.items).toEqual([]);
    expect(again.cursor).toBe(first.cursor);
    const forgotten = await drain(poller, JSON.stringify({ mark: JSON.parse(first.cursor!).mark }));
    expect(forgotten.items.map((item) => item.dedupKey)).toEqual([keyOf('D')]);
    expect(forgotten.items[0]!.payload).toBe(first.items[1]!.payload);

    await sandbox(emulator, 'event-groups', eventGroup('B', now - 10 * day, { processing: 'Closed', transfer: 'Succeeded' }));
    const afterB = await drain(poller, again.cursor);
    expect(groupIds(afterB.items)).toEqual(['B']);
    expect(JSON.parse(afterB.cursor!).mark).toBe(new Date(now - 6 * day).toISOString());

    await sandbox(emulator, 'event-groups', eventGroup('C', now - 6 * day, { processing: 'Closed', transfer: 'Succeeded' }));
    const afterC = await drain(poller, afterB.cursor);
    expect(afterC.items.map((item) => item.dedupKey)).toEqual([keyOf('C')]);
    expect(JSON.parse(afterC.cursor!)).toEqual({ mark: new Date(now - 3 * day).toISOString(), handed: { [keyOf('D')]: new Date(now - 3 * day).toISOString() } });
  });

  it('keeps the cursor where it was when nothing new has started, and re-reads within the overlap', async () => {
    const now = Date.now();
    const emulator = await start();
    const poller = createAmazonEventGroupsPoller({ client: clientOf(emulator), intervalMs: 1000, clock: systemClock, initialLookbackMs: 5 * day, overlapMs: day });
    const empty = await drain(poller, null);
    expect(empty.items).toEqual([]);
    const mark = Date.parse(JSON.parse(empty.cursor!).mark);
    expect(Math.abs(mark - (now - 5 * day))).toBeLessThan(60_000);
    expect((await drain(poller, empty.cursor)).cursor).toBe(empty.cursor);

    await sandbox(emulator, 'event-groups', eventGroup('LATE', mark - day / 2, { processing: 'Closed', transfer: 'Succeeded' }));
    await sandbox(emulator, 'event-groups', eventGroup('TOO-LATE', mark - 2 * day, { processing: 'Closed', transfer: 'Succeeded' }));
    const late = await drain(poller, empty.cursor);
    expect(groupIds(late.items)).toEqual(['LATE']);
  });

  it('lets a failed transfer, or a group unsettled for longer than maxHoldMs, stop holding the cursor', async () => {
    const now = Date.now();
    const emulator = await start({
      groups: [
        eventGroup('STALE', now - 20 * day, { processing: 'Closed' }),
        eventGroup('FAILED', now - 8 * day, { processing: 'Closed', transfer: 'Failed' }),
        eventGroup('PAID', now - 4 * day, { processing: 'Closed', transfer: 'Succeeded' }),
      ],
    });
    const options = { client: clientOf(emulator), intervalMs: 1000, clock: systemClock, initialLookbackMs: 30 * day, overlapMs: 0 };
    const held = await drain(createAmazonEventGroupsPoller(options), null);
    expect(groupIds(held.items)).toEqual(['PAID']);
    expect(JSON.parse(held.cursor!).mark).toBe(new Date(now - 20 * day).toISOString());
    const released = await drain(createAmazonEventGroupsPoller({ ...options, maxHoldMs: 10 * day }), null);
    expect(groupIds(released.items)).toEqual(['PAID']);
    expect(JSON.parse(released.cursor!).mark).toBe(new Date(now - 4 * day).toISOString());
  });

  it('restarts from the lookback on a cursor it cannot read, and the run on a NextToken Amazon refuses', async () => {
    const now = Date.now();
    const emulator = await start({ groups: [eventGroup('A', now - day, { processing: 'Closed', transfer: 'Succeeded' })] });
    const poller = createAmazonEventGroupsPoller({ client: clientOf(emulator), intervalMs: 1000, clock: systemClock, initialLookbackMs: 2 * day, overlapMs: 0 });
    expect(groupIds((await drain(poller, '{"mark": "not a date"}')).items)).toEqual(['A']);
    const mark = new Date(now - 3 * day).toISOString();
    const stale = JSON.stringify({ mark, run: { since: new Date(now - 10 * day).toISOString(), nextToken: 'expired-token' } });
    const restarted = await drain(poller, stale);
    expect(groupIds(restarted.items)).toEqual(['A']);
    expect(JSON.parse(restarted.cursor!).mark).toBe(new Date(now - day).toISOString());
  });
});
