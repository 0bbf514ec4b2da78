import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './problem.js';

/** Who is calling: the name recorded for audit, idempotency scope and replays. */
export interface Principal {
  id: string;
  name: string;
  scopes: string[];
}

/** Resolves an API key to a principal, or undefined when it is not valid. */
export type KeyResolver = (key: string) => Principal | undefined | Promise<Principal | undefined>;

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The bootstrap key (TILLBRIDGE_BOOTSTRAP_KEY): accepted with every scope. Only its hash is kept
 * in memory, and comparison is constant-time.
 */
export function bootstrapKeyResolver(bootstrapKey: string | undefined): KeyResolver {
  if (!bootstrapKey) return () => undefined;
  const expected = sha256(bootstrapKey);
  return (key) =>
    timingSafeEqual(sha256(key), expected) ? { id: 'bootstrap', name: 'bootstrap key', scopes: ['*'] } : undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** An onRequest hook that demands `Authorization: Bearer <key>` and sets request.principal. */
export function requireApiKey(resolve: KeyResolver) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      return sendProblem(
        reply.header('WWW-Authenticate', 'Bearer'),
        problem(401, 'unauthorized', 'Unauthorized', 'send an API key as Authorization: Bearer <key>'),
      );
    }
    const principal = await resolve(match[1] as string);
    if (!principal) {
      return sendProblem(
        reply.header('WWW-Authenticate', 'Bearer error="invalid_token"'),
        problem(401, 'unauthorized', 'Unauthorized', 'the API key is not valid'),
      );
    }
    request.principal = principal;
  };
}
