import { permanentError } from '../../model/index.js';

/** Where an entry dated `requested` is posted: that date, or the first day of the next open month with a note. */
export interface PostingDate {
  date: string;
  /** Set when the date moved: which closed periods it skipped and from which date. */
  note?: string;
}

function monthOf(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw permanentError('invalid_posting_date', `a posting date is YYYY-MM-DD, got ${date}`);
  return date.slice(0, 7);
}

function firstDayOfNextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const next = Number(month.slice(5, 7)) + 1;
  return next > 12 ? `${String(year + 1).padStart(4, '0')}-01-01` : `${month.slice(0, 4)}-${String(next).padStart(2, '0')}-01`;
}

/** The posting date of an entry dated `date` when `closedPeriods` (YYYY-MM) are closed: moved past every closed month it falls in. */
export function postingDate(date: string, closedPeriods: readonly string[]): PostingDate {
  const closed = new Set(closedPeriods);
  let current = date;
  const skipped: string[] = [];
  for (let month = monthOf(current); closed.has(month); month = monthOf(current)) {
    skipped.push(month);
    current = firstDayOfNextMonth(month);
  }
  if (skipped.length === 0) return { date };
  const periods = skipped.length === 1 ? `period ${skipped[0]} is closed` : `periods ${skipped.join(', ')} are closed`;
  return { date: current, note: `${periods}: posted on ${current} instead of ${date}` };
}

/** An entry moved out of closed periods, with the note appended to its memo and its original date kept in `movedFrom`. */
export function applyPostingPeriod<T extends { date: string; memo: string; movedFrom?: string }>(entry: T, closedPeriods: readonly string[]): T {
  const moved = postingDate(entry.date, closedPeriods);
  if (moved.note === undefined) return entry;
  return { ...entry, date: moved.date, memo: entry.memo ? `${entry.memo} (${moved.note})` : moved.note, movedFrom: entry.movedFrom ?? entry.date };
}
