import type { ProblemViolation } from '../problem.js';

/** Reads a `limit` query parameter (1–500, default 50), recording a violation when invalid. */
export function parseLimit(value: string | undefined, errors: ProblemViolation[], fallback = 50): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) {
    errors.push({ pointer: '/query/limit', detail: 'limit must be an integer from 1 to 500' });
    return fallback;
  }
  return n;
}
