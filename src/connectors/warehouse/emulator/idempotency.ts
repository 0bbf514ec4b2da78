/**
 * Idempotency keys of the emulated API: a key seen with the same request replays the first answer,
 * with another request it is refused. Keys are per account, across endpoints.
 */

/** Stable JSON (sorted keys) of a create body, so identical repeats compare equal. */
export function fingerprintOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(fingerprintOf).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${fingerprintOf(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What a request's `Idempotency-Key` means for it. */
export type IdempotencyCheck =
  | { kind: 'fresh'; key: string | undefined; fingerprint: string }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'reused'; key: string }
  | { kind: 'invalid' };

/** Answers remembered by `Idempotency-Key`. */
export interface IdempotencyStore {
  /** Looks a request up by its key; `request` is what makes two requests the same (route, ids, body). */
  check(header: string | string[] | undefined, request: unknown): IdempotencyCheck;
  /** Remembers the answer of a fresh request that carried a key. */
  remember(check: IdempotencyCheck, status: number, body: unknown): void;
}

/** Creates an in-memory store of answers by idempotency key (at most 255 characters). */
export function createIdempotencyStore(): IdempotencyStore {
  const answers = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  return {
    check(header, request) {
      const key = typeof header === 'string' && header.length > 0 ? header : undefined;
      if (key !== undefined && key.length > 255) return { kind: 'invalid' };
      const fingerprint = fingerprintOf(request);
      const prior = key !== undefined ? answers.get(key) : undefined;
      if (!prior) return { kind: 'fresh', key, fingerprint };
      return prior.fingerprint === fingerprint ? { kind: 'replay', status: prior.status, body: prior.body } : { kind: 'reused', key: key! };
    },
    remember(check, status, body) {
      if (check.kind === 'fresh' && check.key !== undefined) answers.set(check.key, { fingerprint: check.fingerprint, status, body });
    },
  };
}
