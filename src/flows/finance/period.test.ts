import { describe, expect, it } from 'vitest';
import { applyPostingPeriod, postingDate } from './period.js';

describe('posting periods', () => {
  it('keeps a date in an open period', () => {
    expect(postingDate('2026-11-28', ['2026-10'])).toEqual({ date: '2026-11-28' });
  });

  it('moves a date in a closed period to the first day of the next open one, with a note', () => {
    expect(postingDate('2026-11-28', ['2026-11'])).toEqual({ date: '2026-12-01', note: 'period 2026-11 is closed: posted on 2026-12-01 instead of 2026-11-28' });
    expect(postingDate('2026-11-28', ['2026-11', '2026-12'])).toEqual({ date: '2027-01-01', note: 'periods 2026-11, 2026-12 are closed: posted on 2027-01-01 instead of 2026-11-28' });
    expect(postingDate('2026-12-31', ['2026-12']).date).toBe('2027-01-01');
    expect(postingDate('2026-09-30', ['2026-09']).date).toBe('2026-10-01');
  });

  it('notes the move on the entry and keeps the event’s date', () => {
    const entry = { date: '2026-11-28', memo: 'Capture stripe ch_1', lines: [] };
    expect(applyPostingPeriod(entry, ['2026-11'])).toEqual({
      date: '2026-12-01',
      memo: 'Capture stripe ch_1 (period 2026-11 is closed: posted on 2026-12-01 instead of 2026-11-28)',
      movedFrom: '2026-11-28',
      lines: [],
    });
    expect(applyPostingPeriod(entry, [])).toBe(entry);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => postingDate('28/11/2026', [])).toThrow(expect.objectContaining({ code: 'invalid_posting_date' }));
  });
});
