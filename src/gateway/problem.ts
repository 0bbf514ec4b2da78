import type { FastifyReply } from 'fastify';

/** One violation in a validation problem: where (JSON pointer) and what. */
export interface ProblemViolation {
  pointer: string;
  detail: string;
}

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ProblemViolation[];
  [extension: string]: unknown;
}

const base = 'https://tillbridge.dev/problems/';

/** Builds a problem document whose type URI is derived from a stable code. */
export function problem(status: number, code: string, title: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `${base}${code}`, title, status, detail, ...extra };
}

/** Sends a problem as application/problem+json. */
export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

/** True when a response body is a problem document (it has type, title and status). */
export function isProblem(body: Record<string, unknown>): boolean {
  return typeof body.type === 'string' && typeof body.title === 'string' && typeof body.status === 'number';
}
