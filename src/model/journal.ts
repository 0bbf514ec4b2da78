import { z } from 'zod';
import { CurrencyCode } from './currency.js';
import { NonNegativeMinorUnits } from './money.js';
import { Identifier, IsoDate } from './primitives.js';
import { toJsonPointer, type Violation } from './violation.js';

/** One debit or credit to a ledger account. */
export const JournalLine = z.object({
  account: z.string().min(1, { error: 'account must not be empty' }),
  debit: NonNegativeMinorUnits,
  credit: NonNegativeMinorUnits,
  currency: CurrencyCode,
  /** The party a receivable or payable line is with (the ERP needs one on such accounts). */
  partyType: z.enum(['Customer', 'Supplier']).optional(),
  /** The party's name in the ERP (e.g. the ERPNext Customer). */
  party: z.string().min(1).optional(),
});

/** One debit or credit to a ledger account. */
export type JournalLine = z.infer<typeof JournalLine>;

interface BalanceInput {
  lines: readonly { debit: number; credit: number; currency: string }[];
}

function totalsPerCurrency(entry: BalanceInput): Map<string, { debit: bigint; credit: bigint }> {
  const totals = new Map<string, { debit: bigint; credit: bigint }>();
  for (const line of entry.lines) {
    const t = totals.get(line.currency) ?? { debit: 0n, credit: 0n };
    t.debit += BigInt(line.debit);
    t.credit += BigInt(line.credit);
    totals.set(line.currency, t);
  }
  return totals;
}

/** True when, for every currency, the entry's debits equal its credits. */
export function isBalancedPerCurrency(entry: BalanceInput): boolean {
  for (const t of totalsPerCurrency(entry).values()) if (t.debit !== t.credit) return false;
  return true;
}

interface JournalIssue {
  path: (string | number)[];
  detail: string;
}

function journalIssues(entry: BalanceInput): JournalIssue[] {
  const issues: JournalIssue[] = [];
  entry.lines.forEach((line, index) => {
    if ((line.debit > 0) === (line.credit > 0)) {
      issues.push({
        path: ['lines', index],
        detail: `a line has exactly one of debit or credit above zero (debit ${line.debit}, credit ${line.credit})`,
      });
    }
  });
  for (const [currency, t] of totalsPerCurrency(entry)) {
    if (t.debit !== t.credit) {
      issues.push({ path: ['lines'], detail: `${currency} debits total ${t.debit} but credits total ${t.credit}` });
    }
  }
  return issues;
}

/** Double-entry rules: each line has exactly one of debit or credit above zero, and each currency balances. */
export function journalViolations(entry: BalanceInput): Violation[] {
  return journalIssues(entry).map((issue) => ({ pointer: toJsonPointer(issue.path), detail: issue.detail }));
}

/** A balanced double-entry journal entry, traceable to the messages that caused it. */
export const JournalEntry = z
  .object({
    id: Identifier,
    date: IsoDate,
    memo: z.string().optional(),
    lines: z.array(JournalLine).min(2, { error: 'a journal entry has at least two lines' }),
    correlationId: Identifier.optional(),
    causationId: Identifier.optional(),
    sourceEvents: z.array(Identifier).default([]),
  })
  .superRefine((entry, ctx) => {
    for (const issue of journalIssues(entry)) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.detail });
    }
  });

/** A balanced double-entry journal entry. */
export type JournalEntry = z.infer<typeof JournalEntry>;
