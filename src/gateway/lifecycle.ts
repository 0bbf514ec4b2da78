import type { FastifyReply, FastifyRequest } from 'fastify';

/** The IMF-fixdate form of an ISO date, for the Sunset header (RFC 8594). */
function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/**
 * onSend hook: a deprecated route answers with `Deprecation: @<epoch seconds>` (RFC 9745),
 * `Sunset: <HTTP date>` (RFC 8594) and a `Link` to its successor.
 */
export async function lifecycleHeaders(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const lifecycle = request.routeOptions.config?.meta?.lifecycle;
  if (lifecycle?.status === 'deprecated') {
    reply.header('Deprecation', `@${Math.floor(Date.parse(lifecycle.deprecatedAt) / 1000)}`);
    reply.header('Sunset', httpDate(lifecycle.sunset));
    if (lifecycle.successor) reply.header('Link', `<${lifecycle.successor}>; rel="successor-version"`);
  }
  return payload;
}
