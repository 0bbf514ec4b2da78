import type { StripeFormNode } from '../form.js';

/** An answer saved under an idempotency key. */
export interface SavedResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  requestId: string;
}

interface Entry {
  fingerprint: string;
  savedAt: number;
  response: SavedResponse;
}

/** What a repeated key means for a request. */
export type IdempotencyLookup = { kind: 'new' } | { kind: 'replay'; response: SavedResponse } | { kind: 'mismatch' };

function canonical(node: StripeFormNode | undefined): unknown {
  if (node === undefined || typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(canonical);
  return Object.fromEntries(
    Object.keys(node)
      .sort()
      .map((key) => [key, canonical(node[key])]),
  );
}

/** The identity of a request for idempotency: endpoint and parameters (key order does not matter). */
export function requestFingerprint(method: string, path: string, params: Record<string, StripeFormNode>): string {
  return JSON.stringify([method, path, canonical(params)]);
}

/**
 * Stripe's idempotency: per API key, the first answer to a key (success or error, once the endpoint
 * ran) is saved for 24 hours; the same key with the same parameters gets that answer again, with
 * other parameters an idempotency_error.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
  ) {}

  private prune(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [key, entry] of this.entries) {
      if (entry.savedAt > cutoff) break;
      this.entries.delete(key);
    }
  }

  lookup(apiKey: string, key: string, fingerprint: string): IdempotencyLookup {
    this.prune();
    const entry = this.entries.get(`${apiKey}\u0000${key}`);
    if (!entry) return { kind: 'new' };
    return entry.fingerprint === fingerprint ? { kind: 'replay', response: entry.response } : { kind: 'mismatch' };
  }

  save(apiKey: string, key: string, fingerprint: string, response: SavedResponse): void {
    this.entries.set(`${apiKey}\u0000${key}`, { fingerprint, savedAt: this.now(), response });
  }

  get size(): number {
    this.prune();
    return this.entries.size;
  }
}
