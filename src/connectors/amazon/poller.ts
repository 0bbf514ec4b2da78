import { z } from 'zod';
import { isTillbridgeError, type Clock } from '../../model/index.js';
import type { Poller, PollResult } from '../framework/index.js';
import type { AmazonClient, AmazonEventGroupRecord, AmazonEventGroupsPage } from './client.js';
import { amazonPayoutStatus } from './mapping-event-group.js';

/** The topic of a settled group handed over by the poller. */
export const amazonSettlementTopic = 'financial-event-group.closed';

/**
 * Where the poller stands: `mark`, the start of the oldest group still open (or, when none is, of
 * the newest group seen); `handed`, the dedup keys (with their group's start) of groups already
 * handed over that later polls still read, so their events are not fetched again; and while a run
 * pages through a long list, the run's query, token, and what it has learned so far.
 */
const Cursor = z.object({
  mark: z.string().min(1),
  handed: z.record(z.string(), z.string()).optional(),
  run: z
    .object({
      since: z.string().min(1),
      nextToken: z.string().min(1),
      oldestOpen: z.string().min(1).optional(),
      newest: z.string().min(1).optional(),
    })
    .optional(),
});

type Cursor = z.infer<typeof Cursor>;

/** Options of the financial event groups poller. */
export interface AmazonEventGroupsPollerOptions {
  client: Pick<AmazonClient, 'listFinancialEventGroups' | 'financialEventsOfGroup'>;
  intervalMs: number;
  clock: Clock;
  /** How far back a poll without a cursor reads (ms). */
  initialLookbackMs: number;
  /** How far before the cursor each run starts again (ms). */
  overlapMs: number;
  /** Groups per page, 1–100 (default 10). */
  pageSize?: number;
  /** How long after its start a group not yet settled may hold the cursor back (ms, default 60 days). */
  maxHoldMs?: number;
}

function readCursor(text: string | null): Cursor | null {
  if (text === null) return null;
  try {
    const parsed = Cursor.safeParse(JSON.parse(text));
    return parsed.success && Number.isFinite(Date.parse(parsed.data.mark)) ? parsed.data : null;
  } catch {
    return null;
  }
}

/** True when a group is settled: processing no longer Open and the funds transferred. */
export function amazonGroupSettled(group: AmazonEventGroupRecord['group']): boolean {
  return group.processingStatus !== undefined && group.processingStatus.toLowerCase() !== 'open' && amazonPayoutStatus(group) === 'paid';
}

/**
 * True when a group not yet settled must hold the cursor so later polls read it again: unless its
 * transfer failed (a final state, not a payout) or it started more than `maxHoldMs` ago.
 */
function holdsCursor(group: AmazonEventGroupRecord['group'], nowMs: number, maxHoldMs: number): boolean {
  if (amazonPayoutStatus(group) === 'failed') return false;
  return group.start === undefined || Date.parse(group.start) > nowMs - maxHoldMs;
}

/** The dedup key of a group in a status: a group seen again in the same status is a duplicate. */
export function amazonGroupDedupKey(group: AmazonEventGroupRecord['group']): string {
  return `financial-event-group:${group.id}:${group.processingStatus ?? ''}:${group.fundTransferStatus ?? ''}`;
}

const withHanded = (handed: Record<string, string>) => (Object.keys(handed).length > 0 ? { handed } : {});

const earlier = (a: string | undefined, b: string | undefined): string | undefined => (a === undefined ? b : b === undefined ? a : Date.parse(a) <= Date.parse(b) ? a : b);
const later = (a: string | undefined, b: string | undefined): string | undefined => (a === undefined ? b : b === undefined ? a : Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * Polls `listFinancialEventGroups` for groups started after the cursor (less `overlapMs`). A settled
 * group (closed, funds transferred) is read with all its financial events and handed over as one
 * item, topic {@link amazonSettlementTopic}, payload `{"group", "financialEvents"}` (Amazon's JSON),
 * keyed by group id and status so a group seen again is a duplicate (and one the cursor remembers
 * handing over is not fetched again). A group still open (or not yet
 * transferred) holds the cursor at its start, so later polls read it again until it settles; one whose
 * transfer failed, or that started more than `maxHoldMs` ago, no longer holds it (never handed over). Pages
 * of a long list are followed with NextToken (`more`); a NextToken Amazon refuses restarts the run.
 */
export function createAmazonEventGroupsPoller(options: AmazonEventGroupsPollerOptions): Poller {
  const maxHoldMs = options.maxHoldMs ?? 60 * 86_400_000;
  return {
    name: 'financial-event-groups',
    intervalMs: options.intervalMs,
    async poll(cursorText: string | null, signal: AbortSignal): Promise<PollResult> {
      let cursor = readCursor(cursorText);
      const fresh = () => new Date(cursor ? Date.parse(cursor.mark) - options.overlapMs : options.clock.now() - options.initialLookbackMs).toISOString();
      let since = cursor?.run?.since ?? fresh();
      const maxResults = options.pageSize ?? 10;
      let page: AmazonEventGroupsPage;
      try {
        page = await options.client.listFinancialEventGroups({ startedAfter: since, maxResults, ...(cursor?.run ? { nextToken: cursor.run.nextToken } : {}) }, signal);
      } catch (error) {
        // A NextToken Amazon no longer accepts (400) restarts the run from the mark.
        if (!cursor?.run || !isTillbridgeError(error) || error.code !== 'outbound_rejected' || error.httpStatus !== 400) throw error;
        cursor = { mark: cursor.mark, ...(cursor.handed ? { handed: cursor.handed } : {}) };
        since = fresh();
        page = await options.client.listFinancialEventGroups({ startedAfter: since, maxResults }, signal);
      }
      const items: PollResult['items'] = [];
      let oldestOpen = cursor?.run?.oldestOpen;
      let newest = cursor?.run?.newest;
      const handed: Record<string, string> = { ...cursor?.handed };
      for (const { group, raw } of page.groups) {
        newest = later(newest, group.start);
        if (!amazonGroupSettled(group)) {
          if (holdsCursor(group, options.clock.now(), maxHoldMs)) oldestOpen = earlier(oldestOpen, group.start ?? since);
          continue;
        }
        const dedupKey = amazonGroupDedupKey(group);
        if (handed[dedupKey] !== undefined) continue;
        const financialEvents = await options.client.financialEventsOfGroup(group.id, signal);
        items.push({ dedupKey, topic: amazonSettlementTopic, payload: JSON.stringify({ group: raw, financialEvents }) });
        handed[dedupKey] = group.start ?? '';
      }
      if (page.nextToken !== undefined) {
        const run = { since, nextToken: page.nextToken, ...(oldestOpen ? { oldestOpen } : {}), ...(newest ? { newest } : {}) };
        return { items, cursor: JSON.stringify({ mark: cursor?.mark ?? since, ...withHanded(handed), run } satisfies Cursor), more: true };
      }
      const mark = oldestOpen ?? later(newest, cursor?.mark) ?? since;
      // Only groups the next run reads again (started at or after its `since`) need remembering.
      const nextSince = Date.parse(mark) - options.overlapMs;
      const kept = Object.fromEntries(Object.entries(handed).filter(([, start]) => start !== '' && Date.parse(start) >= nextSince));
      return { items, cursor: JSON.stringify({ mark, ...withHanded(kept) } satisfies Cursor), more: false };
    },
  };
}
