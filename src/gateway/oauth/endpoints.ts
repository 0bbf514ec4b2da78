import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayDeps } from '../deps.js';
import { OAuthError } from './errors.js';
import { parseTokenRequest } from './token-request.js';

const formType = 'application/x-www-form-urlencoded';

/** The token endpoint's success body (RFC 6749 §5.1). */
export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
});

/** The token endpoint's error body (RFC 6749 §5.2). */
export const TokenErrorResponse = z.object({
  error: z.enum(['invalid_request', 'invalid_client', 'invalid_grant', 'unsupported_grant_type', 'invalid_scope', 'server_error']),
  error_description: z.string(),
});

/**
 * The public OAuth endpoints outside /v1: `POST /oauth/token` (client credentials grant, form
 * encoded, errors in the RFC 6749 §5.2 shape) and `GET /.well-known/jwks.json`.
 */
export async function oauthEndpoints(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  const oauth = deps.oauth;
  if (!oauth) return;

  await app.register(async (scope) => tokenEndpoint(scope, deps));

  app.get('/.well-known/jwks.json', { config: { meta: { scope: 'public', summary: 'The public keys that verify access tokens (JWK Set)', tags: ['oauth'] } } }, async (_request, reply) => {
    return reply.header('Cache-Control', 'public, max-age=300').send(await oauth.keys.jwks());
  });
}

/** `POST /oauth/token` in a scope of its own: a form body parser and RFC 6749 §5.2 errors. */
async function tokenEndpoint(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  const oauth = deps.oauth;
  if (!oauth) return;

  if (!app.hasContentTypeParser(formType)) {
    app.addContentTypeParser(formType, { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => done(null, body));
  }

  app.setErrorHandler((thrown: unknown, request, reply) => {
    const status = (thrown as { statusCode?: number }).statusCode ?? 500;
    const error = status < 500 ? new OAuthError('invalid_request', 'the token request could not be read') : new OAuthError('server_error', `the request failed; reference ${request.id}`);
    if (status >= 500) request.log.error({ err: thrown, reqId: request.id }, 'token request failed');
    return reply.code(error.status).header('Cache-Control', 'no-store').send(error.toJSON());
  });

  app.post(
    '/oauth/token',
    {
      config: {
        meta: {
          scope: 'public',
          summary: 'Issue an access token (OAuth2 client credentials grant, form encoded)',
          tags: ['oauth'],
          schemas: {
            responses: {
              200: { description: 'An access token', schema: TokenResponse },
              400: { description: 'A malformed request, unsupported grant type or scope', schema: TokenErrorResponse },
              401: { description: 'Client authentication failed', schema: TokenErrorResponse },
            },
          },
        },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
      try {
        const tokenRequest = parseTokenRequest({ contentType: request.headers['content-type'], body: request.body, authorization: request.headers.authorization });
        const { clientId, jti, ...token } = await oauth.exchange(tokenRequest);
        request.log.info({ reqId: request.id, clientId, jti, scope: token.scope }, 'access token issued');
        return reply.send(token);
      } catch (thrown) {
        if (!(thrown instanceof OAuthError)) throw thrown;
        request.log.info({ reqId: request.id, error: thrown.error }, 'token request refused');
        if (thrown.status === 401) reply.header('WWW-Authenticate', 'Basic realm="tillbridge"');
        return reply.code(thrown.status).send(thrown.toJSON());
      }
    },
  );
}
