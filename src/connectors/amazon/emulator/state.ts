import { randomBytes } from 'node:crypto';

/** A settlement the emulator serves: the FinancialEventGroup JSON and its FinancialEvents (lists by name). */
export interface EmulatedEventGroup {
  group: Record<string, unknown>;
  events: Record<string, unknown[]>;
}

/** What a NextToken stands for: the query that issued it and where its next page starts. */
type Continuation = { kind: 'groups'; startedAfter?: number; startedBefore?: number; pageSize: number; offset: number } | { kind: 'events'; groupId: string; pageSize: number; offset: number };

/** Start of a group in ms (groups without one sort first). */
const startOf = (group: EmulatedEventGroup) => Date.parse(String(group.group['FinancialEventGroupStart'] ?? '')) || 0;

/** The events of a group flattened to (list, event) pairs, in list order, so pages can cut across lists. */
function flatten(events: Record<string, unknown[]>): [string, unknown][] {
  return Object.entries(events).flatMap(([list, items]) => items.map((item): [string, unknown] => [list, item]));
}

/** The emulated seller account's settlements, with SP-API-style opaque NextTokens. */
export class AmazonFinancesState {
  private readonly groups = new Map<string, EmulatedEventGroup>();
  private readonly tokens = new Map<string, Continuation>();

  constructor(initial: readonly EmulatedEventGroup[] = []) {
    for (const group of initial) this.upsert(group);
  }

  /** Adds a group, or replaces the one with the same FinancialEventGroupId (e.g. to close it). */
  upsert(group: EmulatedEventGroup): string {
    const id = String(group.group['FinancialEventGroupId']);
    this.groups.set(id, { group: { ...group.group }, events: { ...group.events } });
    return id;
  }

  get(id: string): EmulatedEventGroup | undefined {
    return this.groups.get(id);
  }

  /** Ids and statuses, for `GET /_sandbox/state`. */
  summary(): { id: string; processingStatus: unknown; fundTransferStatus: unknown; start: unknown; events: number }[] {
    return [...this.groups.entries()].map(([id, g]) => ({
      id,
      processingStatus: g.group['ProcessingStatus'],
      fundTransferStatus: g.group['FundTransferStatus'],
      start: g.group['FinancialEventGroupStart'],
      events: flatten(g.events).length,
    }));
  }

  private issue(continuation: Continuation): string {
    const token = randomBytes(18).toString('base64url');
    this.tokens.set(token, continuation);
    return token;
  }

  /** The continuation behind a NextToken, or undefined when the token is unknown. */
  continuation(token: string): Continuation | undefined {
    return this.tokens.get(token);
  }

  /** A page of groups started in [startedAfter, startedBefore), oldest first. */
  groupsPage(query: { startedAfter?: number; startedBefore?: number; pageSize: number; offset: number }): { list: Record<string, unknown>[]; nextToken?: string } {
    const matching = [...this.groups.values()]
      .filter((g) => (query.startedAfter === undefined || startOf(g) >= query.startedAfter) && (query.startedBefore === undefined || startOf(g) < query.startedBefore))
      .sort((a, b) => startOf(a) - startOf(b) || String(a.group['FinancialEventGroupId']).localeCompare(String(b.group['FinancialEventGroupId'])));
    const list = matching.slice(query.offset, query.offset + query.pageSize).map((g) => g.group);
    const next = query.offset + query.pageSize;
    return { list, ...(next < matching.length ? { nextToken: this.issue({ kind: 'groups', ...query, offset: next }) } : {}) };
  }

  /** A page of a group's events (at most `pageSize` events across all lists), regrouped by list. */
  eventsPage(groupId: string, pageSize: number, offset: number): { events: Record<string, unknown[]>; nextToken?: string } {
    const all = flatten(this.groups.get(groupId)?.events ?? {});
    const events: Record<string, unknown[]> = {};
    for (const [list, event] of all.slice(offset, offset + pageSize)) (events[list] ??= []).push(event);
    const next = offset + pageSize;
    return { events, ...(next < all.length ? { nextToken: this.issue({ kind: 'events', groupId, pageSize, offset: next }) } : {}) };
  }
}
