import { journalViolations, permanentError, type JournalLine } from '../../model/index.js';
import type { PostingConfig } from './config.js';
import { applyPostingPeriod } from './period.js';

/** Kinds of business events that produce journal entries. */
export type PostingKind = 'sale' | 'capture' | 'refund' | 'fee' | 'payout' | 'chargeback' | 'chargeback_reversal' | 'fx';

/** A journal entry computed from business events, ready to store and post to the ERP exactly once (by `key`). */
export interface PostingEntry {
  /** Stable per business event (e.g. `capture:stripe:ch_1`): the same event always yields the same key. */
  key: string;
  kind: PostingKind;
  /** Posting date, YYYY-MM-DD (after the closed-period rule). */
  date: string;
  lines: JournalLine[];
  /** Ids of the events (messages, webhooks, files) the entry was computed from. */
  sourceEvents: string[];
  correlationId: string;
  causationId: string;
  memo: string;
  orderId?: string;
  /** The event's own date when a closed period moved the entry. */
  movedFrom?: string;
}

/** Lineage of the events behind an entry. */
export interface EventTrace {
  correlationId: string;
  causationId: string;
  /** Defaults to `[causationId]`. */
  sourceEvents?: readonly string[];
  /** Overrides the date taken from the event (YYYY-MM-DD). */
  date?: string;
  /** Overrides the generated memo. */
  memo?: string;
}

/** A signed amount on an account: positive is a debit, negative a credit. */
export interface Posting {
  account: string;
  amount: number;
  currency: string;
  /** The party of a receivable or payable posting (e.g. the ERP customer). */
  partyType?: 'Customer' | 'Supplier' | undefined;
  party?: string | undefined;
}

/** The UTC calendar date of an ISO timestamp. */
export function utcDate(timestamp: string): string {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) throw permanentError('invalid_timestamp', `not an ISO 8601 timestamp: ${timestamp}`);
  return new Date(ms).toISOString().slice(0, 10);
}

/** Journal lines from signed postings: zeros dropped, same account, party, currency and side merged, negatives as credits. */
export function toJournalLines(postings: readonly Posting[]): JournalLine[] {
  const merged = new Map<string, JournalLine>();
  for (const { account, amount, currency, partyType, party } of postings) {
    if (!Number.isSafeInteger(amount)) throw permanentError('invalid_amount', `amounts are integers in minor units, got ${amount}`);
    if (amount === 0) continue;
    const side = amount > 0 ? 'debit' : 'credit';
    const withParty = party === undefined ? {} : { partyType: partyType ?? 'Customer', party };
    const key = JSON.stringify([account, currency, side, withParty.partyType ?? null, withParty.party ?? null]);
    const line = merged.get(key) ?? { account, debit: 0, credit: 0, currency, ...withParty };
    line[side] += Math.abs(amount);
    if (!Number.isSafeInteger(line[side])) throw permanentError('amount_out_of_range', `${account} ${currency} exceeds the safe integer range`);
    merged.set(key, line);
  }
  return [...merged.values()];
}

/** Per currency, Σ signed postings (debits − credits). */
export function imbalances(postings: readonly Posting[]): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const p of postings) totals.set(p.currency, (totals.get(p.currency) ?? 0n) + BigInt(p.amount));
  return totals;
}

/** Adds a rounding posting for each currency that is off by at most `maxRounding`; a larger difference refuses the entry. */
export function withRounding(postings: readonly Posting[], config: PostingConfig, what: string): Posting[] {
  const out = [...postings];
  for (const [currency, diff] of imbalances(postings)) {
    if (diff === 0n) continue;
    const abs = diff < 0n ? -diff : diff;
    if (abs > BigInt(config.maxRounding)) {
      throw permanentError('posting_out_of_balance', `${what}: ${currency} is out of balance by ${diff} minor units, more than the rounding limit ${config.maxRounding}`, 422, { currency, difference: Number(diff) });
    }
    out.push({ account: config.accounts.rounding, amount: -Number(diff), currency });
  }
  return out;
}

/** The fields of an entry apart from its lines and lineage. */
export interface EntryHead {
  key: string;
  kind: PostingKind;
  date: string;
  memo: string;
  orderId?: string | undefined;
}

/** Builds the entry (null when it moves no money): rounds, merges lines, applies the closed-period rule, checks the double-entry rules. */
export function buildEntry(head: EntryHead, postings: readonly Posting[], trace: EventTrace, config: PostingConfig): PostingEntry | null {
  const lines = toJournalLines(withRounding(postings, config, head.key));
  if (lines.length === 0) return null;
  const entry: PostingEntry = {
    key: head.key,
    kind: head.kind,
    date: trace.date ?? head.date,
    lines,
    sourceEvents: trace.sourceEvents && trace.sourceEvents.length > 0 ? [...trace.sourceEvents] : [trace.causationId],
    correlationId: trace.correlationId,
    causationId: trace.causationId,
    memo: trace.memo ?? head.memo,
  };
  if (head.orderId !== undefined) entry.orderId = head.orderId;
  const violations = journalViolations(entry);
  if (violations.length > 0) {
    throw permanentError('invalid_journal_entry', `${head.key} does not make a valid journal entry`, 422, violations);
  }
  return applyPostingPeriod(entry, config.closedPeriods);
}
