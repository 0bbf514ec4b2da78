import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../access/api-keys.js';
import type { ProblemViolation } from '../problem.js';

/** The audit actor of an authenticated request. */
export function actorOf(request: FastifyRequest): Actor {
  return { name: request.principal?.name ?? 'unknown', requestId: request.id };
}

/** A zod error as problem violations with JSON pointers under `prefix`. */
export function zodViolations(error: z.ZodError, prefix = ''): ProblemViolation[] {
  return error.issues.map((i) => ({ pointer: `${prefix}${i.path.length > 0 ? `/${i.path.join('/')}` : ''}`, detail: i.message }));
}
