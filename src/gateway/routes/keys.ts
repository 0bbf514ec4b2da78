import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayDeps } from '../deps.js';
import { NewApiKey } from '../access/api-keys.js';
import { problem, sendProblem } from '../problem.js';
import { actorOf, zodViolations } from './request.js';
import { ApiKeyList, CreatedApiKey } from './responses.js';

/** API key management: create (secret shown once), list, revoke. */
export async function keyRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  app.post('/v1/keys', { config: { meta: { scope: 'admin', summary: 'Create an API key', tags: ['access'], schemas: { body: NewApiKey, responses: { 201: { description: 'The key, with its secret shown this once', schema: CreatedApiKey } } } } } }, async (request, reply) => {
    const input = NewApiKey.safeParse(request.body ?? {});
    if (!input.success) {
      return sendProblem(reply, problem(422, 'invalid-request', 'Invalid request', 'the key request is not valid', { errors: zodViolations(input.error) }));
    }
    const { key, view } = await deps.apiKeys.create(input.data, actorOf(request));
    return reply.code(201).header('Cache-Control', 'no-store').send({ ...view, key });
  });

  app.get('/v1/keys', { config: { meta: { scope: 'admin', summary: 'List API keys (never their secrets)', tags: ['access'], schemas: { query: z.object({ includeRevoked: z.enum(['true', 'false']).optional() }), responses: { 200: { description: 'Every API key', schema: ApiKeyList } } } } } }, async (request) => {
    const includeRevoked = (request.query as Record<string, string | undefined>).includeRevoked === 'true';
    return { data: await deps.apiKeys.list({ includeRevoked }) };
  });

  app.delete<{ Params: { id: string } }>('/v1/keys/:id', { config: { meta: { scope: 'admin', summary: 'Revoke an API key', tags: ['access'], schemas: { responses: { 204: { description: 'Revoked; the key now gets 401' } } } } } }, async (request, reply) => {
    const outcome = await deps.apiKeys.revoke(request.params.id, actorOf(request));
    if (outcome === 'not_found') return sendProblem(reply, problem(404, 'not-found', 'Not found', `no API key ${request.params.id}`));
    return reply.code(204).send();
  });
}
