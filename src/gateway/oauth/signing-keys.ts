import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Clock } from '../../model/index.js';
import {
  appendAudit,
  auditEntry,
  insertSigningKey,
  listPublishedSigningKeys,
  retireSigningKeys,
  type SigningKeyRow,
  type Store,
} from '../../store/index.js';
import type { Actor } from '../access/api-keys.js';

/** The JWS algorithm access tokens are signed with (ECDSA P-256, understood by every JWT library). */
export const signingAlgorithm = 'ES256';

/** A signing key as the API shows it: never its private half. */
export interface SigningKeyView {
  kid: string;
  alg: string;
  createdAt: string;
  retiredAt: string | null;
}

/** The key that signs new tokens. */
export interface ActiveSigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
}

/** The hub's token signing keys: one active, retired ones published until their tokens expire. */
export interface SigningKeyRing {
  /** The active key, created on first use. */
  current(): Promise<ActiveSigningKey>;
  /** The public key for a kid if it is published; reloads once on an unknown kid. */
  verificationKey(kid: string): Promise<CryptoKey | undefined>;
  /** The published public keys as a JWK Set (RFC 7517). */
  jwks(): Promise<{ keys: JWK[] }>;
  /** Creates a new active key and retires the previous ones for signing (they stay published). */
  rotate(actor: Actor): Promise<{ key: SigningKeyView; retired: string[] }>;
}

interface Published {
  row: SigningKeyRow;
  jwk: JWK;
  publicKey: CryptoKey;
}

/** Shapes a stored key for display and audit. */
export function presentSigningKey(row: SigningKeyRow): SigningKeyView {
  return {
    kid: row.kid,
    alg: row.alg,
    createdAt: new Date(row.created_at).toISOString(),
    retiredAt: row.retired_at === null ? null : new Date(row.retired_at).toISOString(),
  };
}

async function newKeyRow(now: number): Promise<SigningKeyRow> {
  const { publicKey, privateKey } = await generateKeyPair(signingAlgorithm, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const meta = { kid, alg: signingAlgorithm, use: 'sig' };
  return {
    kid,
    alg: signingAlgorithm,
    public_jwk: JSON.stringify({ ...publicJwk, ...meta }),
    private_jwk: JSON.stringify({ ...(await exportJWK(privateKey)), ...meta }),
    created_at: now,
    retired_at: null,
  };
}

/**
 * Creates the key ring. Keys are cached in memory and reloaded every `refreshMs` (default 60 s),
 * on an unknown kid (at most once per `missRefreshMs`, default 1 s) and after a rotation here.
 * A retired key stays published for `publishRetiredMs` after retirement: set it to at least the
 * token lifetime plus `refreshMs`, since other processes may sign with it until they reload.
 */
export function createSigningKeyRing(deps: {
  store: Store;
  clock: Clock;
  publishRetiredMs: number;
  refreshMs?: number;
  missRefreshMs?: number;
}): SigningKeyRing {
  const { store, clock } = deps;
  const refreshMs = deps.refreshMs ?? 60_000;
  const missRefreshMs = deps.missRefreshMs ?? 1000;
  let published = new Map<string, Published>();
  let active: ActiveSigningKey | undefined;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  const isPublished = (row: SigningKeyRow, now: number) => row.retired_at === null || row.retired_at > now - deps.publishRetiredMs;

  async function createFirstKey(): Promise<void> {
    const now = clock.now();
    const row = await newKeyRow(now);
    await store.db.transaction().execute(async (trx) => {
      await insertSigningKey(trx, row);
      await appendAudit(trx, [
        auditEntry({ at: now, actor: { name: 'system' }, action: 'signing_key.create', resourceType: 'signing_key', resourceId: row.kid, after: presentSigningKey(row) }),
      ]);
    });
  }

  async function reload(): Promise<void> {
    const now = clock.now();
    let rows = await listPublishedSigningKeys(store.db, now - deps.publishRetiredMs);
    if (!rows.some((r) => r.retired_at === null)) {
      await createFirstKey();
      rows = await listPublishedSigningKeys(store.db, now - deps.publishRetiredMs);
    }
    const next = new Map<string, Published>();
    for (const row of rows) {
      const known = published.get(row.kid);
      const jwk = JSON.parse(row.public_jwk) as JWK;
      next.set(row.kid, { row, jwk, publicKey: known?.publicKey ?? ((await importJWK(jwk, row.alg)) as CryptoKey) });
    }
    const newest = rows.find((r) => r.retired_at === null) as SigningKeyRow;
    if (active?.kid !== newest.kid) {
      active = { kid: newest.kid, alg: newest.alg, privateKey: (await importJWK(JSON.parse(newest.private_jwk) as JWK, newest.alg)) as CryptoKey };
    }
    published = next;
    loadedAt = now;
  }

  function refresh(): Promise<void> {
    loading ??= reload().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  async function fresh(): Promise<void> {
    if (!active || clock.now() - loadedAt >= refreshMs) await refresh();
  }

  return {
    async current() {
      await fresh();
      return active as ActiveSigningKey;
    },

    async verificationKey(kid) {
      await fresh();
      let entry = published.get(kid);
      if (!entry && clock.now() - loadedAt >= missRefreshMs) {
        await refresh();
        entry = published.get(kid);
      }
      return entry && isPublished(entry.row, clock.now()) ? entry.publicKey : undefined;
    },

    async jwks() {
      await fresh();
      const now = clock.now();
      return { keys: [...published.values()].filter((p) => isPublished(p.row, now)).map((p) => p.jwk) };
    },

    async rotate(actor) {
      const now = clock.now();
      const row = await newKeyRow(now);
      const retired = await store.db.transaction().execute(async (trx) => {
        await insertSigningKey(trx, row);
        const kids = await retireSigningKeys(trx, row.kid, now);
        await appendAudit(trx, [
          auditEntry({
            at: now,
            actor,
            action: 'signing_key.rotate',
            resourceType: 'signing_key',
            resourceId: row.kid,
            before: { active: kids },
            after: { active: [row.kid], key: presentSigningKey(row) },
          }),
        ]);
        return kids;
      });
      await loading?.catch(() => undefined);
      await refresh();
      return { key: presentSigningKey(row), retired };
    },
  };
}
