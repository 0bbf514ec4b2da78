import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock, IdGenerator } from '../../model/index.js';
import {
  appendAudit,
  auditEntry,
  findActiveApiKeyByHash,
  getApiKey,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKeyRow,
  type AuditActor,
  type Store,
} from '../../store/index.js';
import { sha256 } from './hash.js';
import { grantableScopes } from './scopes.js';

/** A rate limit: `limit` requests per `windowSeconds`, as a token bucket that refills steadily. */
export const RateLimit = z.object({
  limit: z.number().int().min(1).max(1_000_000),
  windowSeconds: z.number().int().min(1).max(86_400),
});
export type RateLimit = z.infer<typeof RateLimit>;

/** A request to create an API key. */
export const NewApiKey = z.object({
  name: z.string().trim().min(1).max(200),
  scopes: z.array(z.enum(grantableScopes)).min(1),
  rateLimit: RateLimit.optional(),
});
export type NewApiKey = z.infer<typeof NewApiKey>;

/** Who is calling: the name recorded for audit, idempotency scope and replays. */
export interface Principal {
  id: string;
  name: string;
  scopes: string[];
  kind: 'bootstrap' | 'api_key' | 'oauth_client';
  rateLimit?: RateLimit | undefined;
}

/** An API key as the API lists it: never the key itself. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  rateLimit: RateLimit | null;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

function sha256Hex(value: string): string {
  return sha256(value).toString('hex');
}

/** Shapes a stored key for display. */
export function presentApiKey(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as string[],
    rateLimit: row.rate_limit ? (JSON.parse(row.rate_limit) as RateLimit) : null,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
  };
}

/** Who performs an admin action, for the audit log. */
export type Actor = AuditActor;

/** API keys: created with a secret shown once, stored as SHA-256, resolved with a short cache. */
export interface ApiKeys {
  create(input: NewApiKey, actor: Actor): Promise<{ key: string; view: ApiKeyView }>;
  list(options?: { includeRevoked?: boolean }): Promise<ApiKeyView[]>;
  revoke(id: string, actor: Actor): Promise<'revoked' | 'not_found' | 'already_revoked'>;
  /** The principal a presented bearer key stands for, or undefined. */
  resolve(key: string): Promise<Principal | undefined>;
}

/**
 * Creates the key service. Resolved keys are cached for `cacheMs` (default 5 s) so the hot path
 * does not query the store per request; a revocation clears this process's cache at once, and
 * other processes sharing the store stop accepting the key within `cacheMs`.
 */
export function createApiKeys(deps: {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  bootstrapKey?: string | undefined;
  cacheMs?: number;
}): ApiKeys {
  const { store, clock } = deps;
  const cacheMs = deps.cacheMs ?? 5000;
  const cache = new Map<string, { principal: Principal | undefined; until: number }>();
  const bootstrapHash = deps.bootstrapKey ? sha256(deps.bootstrapKey) : undefined;

  return {
    async create(input, actor) {
      const key = `tb_${randomBytes(32).toString('base64url')}`;
      const now = clock.now();
      const row: ApiKeyRow = {
        id: deps.newId('key'),
        name: input.name,
        prefix: key.slice(0, 10),
        key_hash: sha256Hex(key),
        scopes: JSON.stringify(input.scopes),
        rate_limit: input.rateLimit ? JSON.stringify(input.rateLimit) : null,
        created_at: now,
        created_by: actor.name,
        revoked_at: null,
      };
      const view = presentApiKey(row);
      await store.db.transaction().execute(async (trx) => {
        await insertApiKey(trx, row);
        await appendAudit(trx, [auditEntry({ at: now, actor, action: 'api_key.create', resourceType: 'api_key', resourceId: row.id, after: view })]);
      });
      return { key, view };
    },

    async list(options = {}) {
      return (await listApiKeys(store.db, options)).map(presentApiKey);
    },

    async revoke(id, actor) {
      const now = clock.now();
      const outcome = await store.db.transaction().execute(async (trx) => {
        const before = await getApiKey(trx, id);
        if (!before) return 'not_found' as const;
        if (!(await revokeApiKey(trx, id, now))) return 'already_revoked' as const;
        await appendAudit(trx, [
          auditEntry({
            at: now,
            actor,
            action: 'api_key.revoke',
            resourceType: 'api_key',
            resourceId: id,
            before: presentApiKey(before),
            after: presentApiKey({ ...before, revoked_at: now }),
          }),
        ]);
        return 'revoked' as const;
      });
      if (outcome === 'revoked') cache.clear();
      return outcome;
    },

    async resolve(key) {
      const hash = sha256Hex(key);
      if (bootstrapHash && timingSafeEqual(Buffer.from(hash, 'hex'), bootstrapHash)) {
        return { id: 'bootstrap', name: 'bootstrap key', scopes: ['*'], kind: 'bootstrap' };
      }
      if (!key.startsWith('tb_')) return undefined;
      const now = clock.now();
      const cached = cache.get(hash);
      if (cached && cached.until > now) return cached.principal;
      const row = await findActiveApiKeyByHash(store.db, hash);
      const principal: Principal | undefined = row
        ? {
            id: row.id,
            name: `api key ${row.name} (${row.id})`,
            scopes: JSON.parse(row.scopes) as string[],
            kind: 'api_key',
            rateLimit: row.rate_limit ? (JSON.parse(row.rate_limit) as RateLimit) : undefined,
          }
        : undefined;
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { principal, until: now + cacheMs });
      return principal;
    },
  };
}
