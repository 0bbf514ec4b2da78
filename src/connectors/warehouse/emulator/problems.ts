import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

/** An error body of the warehouse API: RFC 9457 problem details with a stable `code`. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extension: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** A problem body; `type` is `urn:tillbridge:warehouse:problem:<code>`. */
export function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): ProblemBody {
  return { type: `urn:tillbridge:warehouse:problem:${code}`, title: titles[status] ?? 'Error', status, detail, code, ...extensions };
}

/** Sends a problem as application/problem+json. */
export function sendProblem(reply: FastifyReply, body: ProblemBody, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(body.status).headers({ ...headers, 'content-type': 'application/problem+json' }).send(body);
}

/** 422 with every field error as `{pointer, detail}`. */
export function validationProblem(error: z.ZodError): ProblemBody {
  const errors = error.issues.map((issue) => ({ pointer: `/${issue.path.join('/')}`, detail: issue.message }));
  return problem(422, 'validation_failed', `${errors.length} field${errors.length === 1 ? '' : 's'} failed validation`, { errors });
}
