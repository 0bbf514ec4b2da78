import { describe, expect, it } from 'vitest';
import { isBalancedPerCurrency, JournalEntry, journalViolations } from './journal.js';

const sale = {
  id: 'je_1',
  date: '2026-11-26',
  memo: 'order 1001',
  lines: [
    { account: '1100 Receivables', debit: 5281, credit: 0, currency: 'USD' },
    { account: '4000 Sales', debit: 0, credit: 5000, currency: 'USD' },
    { account: '2200 Sales tax', debit: 0, credit: 281, currency: 'USD' },
    { account: '1100 Receivables', debit: 1000, credit: 0, currency: 'EUR' },
    { account: '4000 Sales', debit: 0, credit: 1000, currency: 'EUR' },
  ],
  correlationId: 'ord_1',
  sourceEvents: ['msg_1'],
};

describe('journal entries', () => {
  it('accepts an entry that balances in every currency', () => {
    expect(isBalancedPerCurrency(sale)).toBe(true);
    expect(journalViolations(sale)).toEqual([]);
    expect(JournalEntry.parse(sale).lines).toHaveLength(5);
  });

  it('defaults sourceEvents to empty', () => {
    const { sourceEvents: _s, ...rest } = sale;
    expect(JournalEntry.parse(rest).sourceEvents).toEqual([]);
  });

  it('does not let one currency balance another', () => {
    const entry = {
      ...sale,
      lines: [
        { account: 'cash', debit: 100, credit: 0, currency: 'USD' },
        { account: 'sales', debit: 0, credit: 100, currency: 'EUR' },
      ],
    };
    expect(isBalancedPerCurrency(entry)).toBe(false);
    expect(journalViolations(entry)).toEqual([
      { pointer: '/lines', detail: 'USD debits total 100 but credits total 0' },
      { pointer: '/lines', detail: 'EUR debits total 0 but credits total 100' },
    ]);
    const parsed = JournalEntry.safeParse(entry);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path)).toEqual([['lines'], ['lines']]);
  });

  it('requires exactly one of debit or credit on each line', () => {
    const entry = {
      ...sale,
      lines: [
        { account: 'a', debit: 100, credit: 100, currency: 'USD' },
        { account: 'b', debit: 0, credit: 0, currency: 'USD' },
      ],
    };
    expect(isBalancedPerCurrency(entry)).toBe(true);
    expect(journalViolations(entry).map((v) => v.pointer)).toEqual(['/lines/0', '/lines/1']);
    expect(JournalEntry.safeParse(entry).error?.issues.map((i) => i.path)).toEqual([['lines', 0], ['lines', 1]]);
  });

  it('validates dates, amounts and currencies', () => {
    const bad = {
      ...sale,
      date: '26/11/2026',
      lines: [
        { account: 'a', debit: -1, credit: 0, currency: 'USD' },
        { account: 'b', debit: 0, credit: 1.5, currency: 'XYZ' },
      ],
    };
    const paths = JournalEntry.safeParse(bad).error?.issues.map((i) => i.path.join('/'));
    expect(paths).toEqual(['date', 'lines/0/debit', 'lines/1/credit', 'lines/1/currency']);
  });
});
