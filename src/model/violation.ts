import type { z } from 'zod';

/** One reason a document is invalid: a JSON pointer (RFC 6901) into it and a human-readable detail. */
export interface Violation {
  pointer: string;
  detail: string;
}

/** Converts a path of keys and indexes to a JSON pointer ("" for the document itself). */
export function toJsonPointer(path: readonly PropertyKey[]): string {
  let pointer = '';
  for (const segment of path) {
    pointer += '/' + String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
  }
  return pointer;
}

/** Maps zod issues to violations, one per issue, keeping zod's message as the detail. */
export function issuesToViolations(issues: readonly z.core.$ZodIssue[]): Violation[] {
  return issues.map((issue) => ({ pointer: toJsonPointer(issue.path), detail: issue.message }));
}

/** Prefixes every violation's pointer with `base` (for rules run on a nested document). */
export function nestViolations(base: string, violations: readonly Violation[]): Violation[] {
  return violations.map((v) => ({ pointer: base + v.pointer, detail: v.detail }));
}
