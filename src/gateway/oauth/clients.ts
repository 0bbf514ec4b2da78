import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock, IdGenerator } from '../../model/index.js';
import {
  appendAudit,
  auditEntry,
  deleteOAuthClient,
  findActiveOAuthClient,
  getOAuthClient,
  insertOAuthClient,
  listOAuthClients,
  type OAuthClientRow,
  type Store,
} from '../../store/index.js';
import { RateLimit, type Actor } from '../access/api-keys.js';
import { sha256 } from '../access/hash.js';
import { grantableScopes } from '../access/scopes.js';

/** A request to register an OAuth2 machine client. */
export const NewOAuthClient = z.object({
  name: z.string().trim().min(1).max(200),
  scopes: z.array(z.enum(grantableScopes)).min(1),
  rateLimit: RateLimit.optional(),
});
export type NewOAuthClient = z.infer<typeof NewOAuthClient>;

/** An OAuth client as the API lists it: never its secret. */
export interface OAuthClientView {
  clientId: string;
  name: string;
  scopes: string[];
  rateLimit: RateLimit | null;
  createdAt: string;
  createdBy: string;
  deletedAt: string | null;
}

/** A client that may obtain and use tokens, as the token endpoint and the verifier need it. */
export interface ActiveOAuthClient {
  id: string;
  name: string;
  scopes: string[];
  rateLimit: RateLimit | undefined;
}

/** OAuth clients: registered with a secret shown once (stored as SHA-256), authenticated, deleted. */
export interface OAuthClients {
  create(input: NewOAuthClient, actor: Actor): Promise<{ clientSecret: string; view: OAuthClientView }>;
  list(options?: { includeDeleted?: boolean }): Promise<OAuthClientView[]>;
  remove(id: string, actor: Actor): Promise<'deleted' | 'not_found' | 'already_deleted'>;
  /** The client when the id and secret match an active client, else undefined. */
  authenticate(clientId: string, clientSecret: string): Promise<ActiveOAuthClient | undefined>;
  /** The client if it is still active (cached briefly), else undefined. */
  active(clientId: string): Promise<ActiveOAuthClient | undefined>;
}

/** Shapes a stored client for display. */
export function presentOAuthClient(row: OAuthClientRow): OAuthClientView {
  return {
    clientId: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    rateLimit: row.rate_limit ? (JSON.parse(row.rate_limit) as RateLimit) : null,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    deletedAt: row.deleted_at === null ? null : new Date(row.deleted_at).toISOString(),
  };
}

function activeClient(row: OAuthClientRow): ActiveOAuthClient {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    rateLimit: row.rate_limit ? (JSON.parse(row.rate_limit) as RateLimit) : undefined,
  };
}

/** A hash to compare against when the client is unknown, so both failures take the same time. */
const absentHash = sha256('tillbridge: no such client');

/**
 * Creates the client service. `active` answers from a cache for `cacheMs` (default 5 s): a delete
 * clears this process's cache at once; other processes sharing the store follow within `cacheMs`.
 */
export function createOAuthClients(deps: { store: Store; clock: Clock; newId: IdGenerator; cacheMs?: number }): OAuthClients {
  const { store, clock } = deps;
  const cacheMs = deps.cacheMs ?? 5000;
  const cache = new Map<string, { client: ActiveOAuthClient | undefined; until: number }>();

  return {
    async create(input, actor) {
      const clientSecret = `tbcs_${randomBytes(32).toString('base64url')}`;
      const now = clock.now();
      const row: OAuthClientRow = {
        id: deps.newId('cli'),
        name: input.name,
        secret_hash: sha256(clientSecret).toString('hex'),
        scopes: JSON.stringify(input.scopes),
        rate_limit: input.rateLimit ? JSON.stringify(input.rateLimit) : null,
        created_at: now,
        created_by: actor.name,
        deleted_at: null,
      };
      const view = presentOAuthClient(row);
      await store.db.transaction().execute(async (trx) => {
        await insertOAuthClient(trx, row);
        await appendAudit(trx, [auditEntry({ at: now, actor, action: 'oauth_client.create', resourceType: 'oauth_client', resourceId: row.id, after: view })]);
      });
      return { clientSecret, view };
    },

    async list(options = {}) {
      return (await listOAuthClients(store.db, options)).map(presentOAuthClient);
    },

    async remove(id, actor) {
      const now = clock.now();
      const outcome = await store.db.transaction().execute(async (trx) => {
        const before = await getOAuthClient(trx, id);
        if (!before) return 'not_found' as const;
        if (!(await deleteOAuthClient(trx, id, now))) return 'already_deleted' as const;
        await appendAudit(trx, [
          auditEntry({
            at: now,
            actor,
            action: 'oauth_client.delete',
            resourceType: 'oauth_client',
            resourceId: id,
            before: presentOAuthClient(before),
            after: presentOAuthClient({ ...before, deleted_at: now }),
          }),
        ]);
        return 'deleted' as const;
      });
      if (outcome === 'deleted') cache.delete(id);
      return outcome;
    },

    async authenticate(clientId, clientSecret) {
      const row = clientId.length <= 200 ? await findActiveOAuthClient(store.db, clientId) : undefined;
      const presented = sha256(clientSecret);
      const expected = row ? Buffer.from(row.secret_hash, 'hex') : absentHash;
      const matches = expected.length === presented.length && timingSafeEqual(expected, presented);
      return row && matches ? activeClient(row) : undefined;
    },

    async active(clientId) {
      const now = clock.now();
      const cached = cache.get(clientId);
      if (cached && cached.until > now) return cached.client;
      const row = await findActiveOAuthClient(store.db, clientId);
      const client = row ? activeClient(row) : undefined;
      if (cache.size > 10_000) cache.clear();
      cache.set(clientId, { client, until: now + cacheMs });
      return client;
    },
  };
}
