import type { ApiKeys } from '../access/api-keys.js';
import type { KeyResolver } from '../auth.js';
import type { OAuth } from './service.js';

const jwtShape = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Whether a bearer credential has the shape of a compact JWS (three base64url parts, JSON header). */
export function looksLikeJwt(credential: string): boolean {
  return credential.length < 8192 && jwtShape.test(credential);
}

/** Resolves bearer credentials: JWT-shaped ones as OAuth access tokens, everything else as API keys. */
export function bearerResolver(deps: { apiKeys: ApiKeys; oauth?: OAuth | undefined }): KeyResolver {
  const { apiKeys, oauth } = deps;
  if (!oauth) return apiKeys.resolve;
  return async (credential) => (looksLikeJwt(credential) ? ((await oauth.resolve(credential)) ?? apiKeys.resolve(credential)) : apiKeys.resolve(credential));
}
