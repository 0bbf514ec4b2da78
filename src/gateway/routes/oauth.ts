import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayDeps } from '../deps.js';
import { NewOAuthClient } from '../oauth/clients.js';
import { problem, sendProblem } from '../problem.js';
import { actorOf, zodViolations } from './request.js';
import { CreatedOAuthClient, OAuthClientList, RotatedSigningKey } from './responses.js';

/** OAuth administration under /v1: register, list and delete clients; rotate signing keys. */
export async function oauthRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  const oauth = deps.oauth;
  if (!oauth) return;

  app.post('/v1/oauth/clients', { config: { meta: { scope: 'admin', summary: 'Register an OAuth2 client (secret shown once)', tags: ['oauth'], schemas: { body: NewOAuthClient, responses: { 201: { description: 'The client, with its secret shown this once', schema: CreatedOAuthClient } } } } } }, async (request, reply) => {
    const input = NewOAuthClient.safeParse(request.body ?? {});
    if (!input.success) {
      return sendProblem(reply, problem(422, 'invalid-request', 'Invalid request', 'the client registration is not valid', { errors: zodViolations(input.error) }));
    }
    const { clientSecret, view } = await oauth.clients.create(input.data, actorOf(request));
    return reply.code(201).header('Cache-Control', 'no-store').send({ ...view, clientSecret });
  });

  app.get('/v1/oauth/clients', { config: { meta: { scope: 'admin', summary: 'List OAuth2 clients (never their secrets)', tags: ['oauth'], schemas: { query: z.object({ includeDeleted: z.enum(['true', 'false']).optional() }), responses: { 200: { description: 'Every OAuth2 client', schema: OAuthClientList } } } } } }, async (request) => {
    const includeDeleted = (request.query as Record<string, string | undefined>).includeDeleted === 'true';
    return { data: await oauth.clients.list({ includeDeleted }) };
  });

  app.delete<{ Params: { id: string } }>('/v1/oauth/clients/:id', { config: { meta: { scope: 'admin', summary: 'Delete an OAuth2 client; its tokens stop working', tags: ['oauth'], schemas: { responses: { 204: { description: 'Deleted' } } } } } }, async (request, reply) => {
    const outcome = await oauth.clients.remove(request.params.id, actorOf(request));
    if (outcome === 'not_found') return sendProblem(reply, problem(404, 'not-found', 'Not found', `no OAuth client ${request.params.id}`));
    return reply.code(204).send();
  });

  app.post('/v1/oauth/keys/rotate', { config: { meta: { scope: 'admin', summary: 'Rotate the token signing key (the previous one stays published until its tokens expire)', tags: ['oauth'], schemas: { responses: { 201: { description: 'The new signing key and the kids it retired', schema: RotatedSigningKey } } } } } }, async (request, reply) => {
    const { key, retired } = await oauth.keys.rotate(actorOf(request));
    return reply.code(201).send({ ...key, retired });
  });
}
