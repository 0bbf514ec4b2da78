import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../model/index.js';
import { deleteConsoleSession, findConsoleSession, getApiKey, insertConsoleSession, touchConsoleSession, type Store } from '../store/index.js';
import { sha256, type ApiKeys, type OAuth, type Principal } from '../gateway/index.js';

/** How a person signs in to the console: an API key, or an OAuth client's id and secret. */
export type ConsoleCredentials = { apiKey: string } | { clientId: string; clientSecret: string };

/** A signed-in session: the cookie token (shown once), its CSRF token and who it is. */
export interface NewConsoleSession {
  token: string;
  csrfToken: string;
  principal: Principal;
  expiresAt: number;
}

/** A session found from its cookie. */
export interface ConsoleSession {
  csrfToken: string;
  principal: Principal;
  expiresAt: number;
}

/** Console sessions: stored as the token's SHA-256, ended by sign-out, idle time, age, or the credential's revocation. */
export interface ConsoleSessions {
  signIn(credentials: ConsoleCredentials): Promise<NewConsoleSession | undefined>;
  resolve(token: string): Promise<ConsoleSession | undefined>;
  signOut(token: string): Promise<void>;
}

/** Whether a CSRF token sent with a request is the session's (constant-time). */
export function csrfMatches(session: ConsoleSession, sent: string | undefined): boolean {
  if (sent === undefined) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}

const hashOf = (token: string) => sha256(token).toString('hex');

/**
 * Creates the session service. A session lives `idleMs` (default 12 h) past its last request and
 * never longer than `maxAgeMs` (default 7 days); it ends at once when its API key is revoked or its
 * OAuth client deleted (checked at most every `recheckMs`, default 5 s, per session).
 */
export function createConsoleSessions(deps: { store: Store; clock: Clock; apiKeys: ApiKeys; oauth?: OAuth | undefined; idleMs?: number; maxAgeMs?: number; recheckMs?: number }): ConsoleSessions {
  const { store, clock } = deps;
  const idleMs = deps.idleMs ?? 12 * 3_600_000;
  const maxAgeMs = deps.maxAgeMs ?? 7 * 86_400_000;
  const recheckMs = deps.recheckMs ?? 5000;
  const checked = new Map<string, { session: ConsoleSession; until: number }>();

  async function principalOf(credentials: ConsoleCredentials): Promise<Principal | undefined> {
    if ('apiKey' in credentials) return deps.apiKeys.resolve(credentials.apiKey);
    const client = await deps.oauth?.clients.authenticate(credentials.clientId, credentials.clientSecret);
    return client && { id: client.id, name: client.name, scopes: client.scopes, kind: 'oauth_client' };
  }

  async function stillValid(principal: Principal): Promise<boolean> {
    if (principal.kind === 'api_key') return (await getApiKey(store.db, principal.id))?.revoked_at === null;
    if (principal.kind === 'oauth_client') return (await deps.oauth?.clients.active(principal.id)) !== undefined;
    return true;
  }

  return {
    async signIn(credentials) {
      const principal = await principalOf(credentials);
      if (!principal) return undefined;
      const now = clock.now();
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const expiresAt = Math.min(now + idleMs, now + maxAgeMs);
      await insertConsoleSession(store.db, {
        token_hash: hashOf(token),
        csrf_token: csrfToken,
        principal_id: principal.id,
        principal_kind: principal.kind,
        principal_name: principal.name,
        scopes: JSON.stringify(principal.scopes),
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
      });
      return { token, csrfToken, principal, expiresAt };
    },

    async resolve(token) {
      const hash = hashOf(token);
      const now = clock.now();
      const cached = checked.get(hash);
      if (cached && cached.until > now && cached.session.expiresAt > now) return cached.session;
      checked.delete(hash);
      const row = await findConsoleSession(store.db, hash, now);
      if (!row) return undefined;
      const principal: Principal = { id: row.principal_id, name: row.principal_name, scopes: JSON.parse(row.scopes) as string[], kind: row.principal_kind as Principal['kind'] };
      if (!(await stillValid(principal))) {
        await deleteConsoleSession(store.db, hash);
        return undefined;
      }
      const expiresAt = Math.min(now + idleMs, row.created_at + maxAgeMs);
      await touchConsoleSession(store.db, hash, now, expiresAt);
      const session = { csrfToken: row.csrf_token, principal, expiresAt };
      if (checked.size > 10_000) checked.clear();
      checked.set(hash, { session, until: now + recheckMs });
      return session;
    },

    async signOut(token) {
      const hash = hashOf(token);
      checked.delete(hash);
      await deleteConsoleSession(store.db, hash);
    },
  };
}
