import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import type { Clock, IdGenerator } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import type { Principal } from '../access/api-keys.js';
import { grantableScopes, hasScope } from '../access/scopes.js';
import { createOAuthClients, type ActiveOAuthClient, type OAuthClients } from './clients.js';
import { OAuthError } from './errors.js';
import { createSigningKeyRing, signingAlgorithm, type SigningKeyRing } from './signing-keys.js';
import type { TokenRequest } from './token-request.js';

/** The audience every Tillbridge access token is issued for. */
export const tokenAudience = 'tillbridge';

/** A successful token response (RFC 6749 §5.1). */
export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/** OAuth2 client credentials: clients, signing keys, token issuance and verification. */
export interface OAuth {
  clients: OAuthClients;
  keys: SigningKeyRing;
  issuer: string;
  tokenTtlSeconds: number;
  /** Authenticates the client and issues an access token; throws OAuthError. */
  exchange(request: TokenRequest): Promise<IssuedToken & { clientId: string; jti: string }>;
  /** The principal an access token stands for, or undefined when it is invalid, expired or its client is gone. */
  resolve(token: string): Promise<Principal | undefined>;
}

const grantable = new Set<string>(grantableScopes);

function grantedScopes(client: ActiveOAuthClient, requested: string[] | undefined): string[] {
  if (requested === undefined) return client.scopes;
  const unique = [...new Set(requested)];
  const refused = unique.filter((s) => !grantable.has(s) || !hasScope(client.scopes, s));
  if (refused.length > 0) throw new OAuthError('invalid_scope', `the client may not be granted: ${refused.join(' ').slice(0, 200)}`);
  return unique;
}

/**
 * Creates the OAuth service. Tokens are ES256 JWTs (RFC 9068 profile, `typ: at+jwt`) living
 * `tokenTtlSeconds` (default 900); verification checks signature by kid, issuer, audience,
 * expiry (with `clockToleranceSeconds`, default 30) and that the client is still active.
 */
export function createOAuth(deps: {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  issuer?: string;
  tokenTtlSeconds?: number;
  clockToleranceSeconds?: number;
  clientCacheMs?: number;
  keyRefreshMs?: number;
}): OAuth {
  const { clock } = deps;
  const issuer = deps.issuer ?? 'tillbridge';
  const tokenTtlSeconds = deps.tokenTtlSeconds ?? 900;
  const clockTolerance = deps.clockToleranceSeconds ?? 30;
  const keyRefreshMs = deps.keyRefreshMs ?? 60_000;
  const clients = createOAuthClients({ store: deps.store, clock, newId: deps.newId, ...(deps.clientCacheMs !== undefined ? { cacheMs: deps.clientCacheMs } : {}) });
  const keys = createSigningKeyRing({
    store: deps.store,
    clock,
    refreshMs: keyRefreshMs,
    publishRetiredMs: (tokenTtlSeconds + clockTolerance) * 1000 + keyRefreshMs,
  });

  return {
    clients,
    keys,
    issuer,
    tokenTtlSeconds,

    async exchange(request) {
      const client = await clients.authenticate(request.clientId, request.clientSecret);
      if (!client) throw new OAuthError('invalid_client', 'client authentication failed');
      const scopes = grantedScopes(client, request.scope);
      const key = await keys.current();
      const iat = Math.floor(clock.now() / 1000);
      const jti = deps.newId('tok');
      const scope = scopes.join(' ');
      const accessToken = await new SignJWT({ scope, client_id: client.id })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setSubject(client.id)
        .setAudience(tokenAudience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + tokenTtlSeconds)
        .setJti(jti)
        .sign(key.privateKey);
      return { access_token: accessToken, token_type: 'Bearer', expires_in: tokenTtlSeconds, scope, clientId: client.id, jti };
    },

    async resolve(token) {
      try {
        const { kid } = decodeProtectedHeader(token);
        if (!kid) return undefined;
        const { payload } = await jwtVerify(
          token,
          async () => {
            const key = await keys.verificationKey(kid);
            if (!key) throw new Error('unknown signing key');
            return key;
          },
          {
            issuer,
            audience: tokenAudience,
            algorithms: [signingAlgorithm],
            typ: 'at+jwt',
            currentDate: new Date(clock.now()),
            clockTolerance,
            requiredClaims: ['sub', 'exp', 'iat', 'jti', 'scope'],
          },
        );
        if (typeof payload.sub !== 'string' || typeof payload.scope !== 'string') return undefined;
        const client = await clients.active(payload.sub);
        if (!client) return undefined;
        return {
          id: client.id,
          name: `oauth client ${client.name} (${client.id})`,
          scopes: payload.scope.split(' ').filter((s) => s.length > 0 && hasScope(client.scopes, s)),
          kind: 'oauth_client',
          rateLimit: client.rateLimit,
        };
      } catch {
        return undefined;
      }
    },
  };
}
