import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from './access/api-keys.js';
import { hasScope } from './access/scopes.js';
import { problem, sendProblem } from './problem.js';

/** Resolves a bearer credential (API key or access token) to a principal, or undefined. */
export type KeyResolver = (credential: string) => Principal | undefined | Promise<Principal | undefined>;

/** Resolves a request without a bearer credential (a console session cookie): its principal, `csrf` when an unsafe request lacks the session's CSRF token, or undefined. */
export type SessionResolver = (request: FastifyRequest) => Promise<Principal | 'csrf' | undefined>;

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * An onRequest hook for authenticated routes: demands `Authorization: Bearer <credential>` (401
 * otherwise), then the scope the route declares (403 otherwise). A route that declares no scope
 * is refused: access fails closed.
 */
export function authenticate(resolve: KeyResolver, session?: SessionResolver) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const fromSession = !header && session ? await session(request) : undefined;
    if (fromSession === 'csrf') {
      request.log.info({ reqId: request.id, route: request.routeOptions.url }, 'console request refused: missing or wrong CSRF token');
      return sendProblem(reply, problem(403, 'csrf', 'Forbidden', 'a console request that changes something must carry the session\'s X-CSRF-Token header'));
    }
    if (!match && !fromSession) {
      return sendProblem(
        reply.header('WWW-Authenticate', 'Bearer'),
        problem(401, 'unauthorized', 'Unauthorized', 'send an API key or access token as Authorization: Bearer <credential>'),
      );
    }
    const principal = fromSession ?? (await resolve(match?.[1] as string));
    if (!principal) {
      request.log.info({ reqId: request.id, route: request.routeOptions.url }, 'authentication failed: unknown, revoked or expired credential');
      return sendProblem(
        reply.header('WWW-Authenticate', 'Bearer error="invalid_token"'),
        problem(401, 'unauthorized', 'Unauthorized', 'the credential is not valid, or was revoked or has expired'),
      );
    }
    request.principal = principal;
    const required = request.routeOptions.config.meta?.scope;
    if (!required || (required !== 'public' && !hasScope(principal.scopes, required))) {
      request.log.info({ reqId: request.id, principal: principal.id, requiredScope: required }, 'authorization failed: missing scope');
      return sendProblem(
        reply.header('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${required ?? ''}"`),
        problem(403, 'forbidden', 'Forbidden', `this route needs the scope ${required ?? '(undeclared)'}`, { requiredScope: required ?? null }),
      );
    }
  };
}
