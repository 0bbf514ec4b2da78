import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createSubscriptions,
  decodeCursor,
  DeliveryAttemptPage,
  encodeCursor,
  NewSubscription,
  SubscriptionList,
  SubscriptionView,
  SubscriptionWithSecret,
} from '../../flows/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem, type ProblemViolation } from '../problem.js';
import { parseLimit } from './paging.js';
import { actorOf, zodViolations } from './request.js';
import { PageQuery } from './responses.js';

const tags = ['subscriptions'];
const notFound = { description: 'No such subscription', schema: ProblemSchema };

/** Event subscriptions: webhooks for other teams' systems, with their delivery log. */
export async function subscriptionRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  const subscriptions = createSubscriptions(deps);
  const missing = (id: string) => problem(404, 'not-found', 'Not found', `no subscription ${id}`);

  app.post('/v1/subscriptions', { config: { meta: { scope: 'events:manage', summary: 'Subscribe a URL to published events (signing secret shown once)', tags, schemas: { body: NewSubscription, responses: { 201: { description: 'The subscription, with its signing secret shown this once', schema: SubscriptionWithSecret } } } } } }, async (request, reply) => {
    const input = NewSubscription.safeParse(request.body ?? {});
    if (!input.success) {
      return sendProblem(reply, problem(422, 'invalid-request', 'Invalid request', 'the subscription request is not valid', { errors: zodViolations(input.error) }));
    }
    const created = await subscriptions.create(input.data, actorOf(request));
    return reply.code(201).header('Cache-Control', 'no-store').header('Location', `/v1/subscriptions/${created.id}`).send(created);
  });

  app.get('/v1/subscriptions', { config: { meta: { scope: 'events:manage', summary: 'List event subscriptions (never their secrets)', tags, schemas: { query: z.object({ includeDeleted: z.enum(['true', 'false']).optional() }), responses: { 200: { description: 'Every subscription', schema: SubscriptionList } } } } } }, async (request) => {
    const includeDeleted = (request.query as Record<string, string | undefined>).includeDeleted === 'true';
    return { data: await subscriptions.list({ includeDeleted }) };
  });

  app.get<{ Params: { id: string } }>('/v1/subscriptions/:id', { config: { meta: { scope: 'events:manage', summary: 'One event subscription (never its secret)', tags, schemas: { responses: { 200: { description: 'The subscription', schema: SubscriptionView }, 404: notFound } } } } }, async (request, reply) => {
    const found = await subscriptions.get(request.params.id);
    return found ?? sendProblem(reply, missing(request.params.id));
  });

  app.delete<{ Params: { id: string } }>('/v1/subscriptions/:id', { config: { meta: { scope: 'events:manage', summary: 'Delete an event subscription; no further deliveries are made to it', tags, schemas: { responses: { 204: { description: 'Deleted' }, 404: notFound } } } } }, async (request, reply) => {
    const outcome = await subscriptions.remove(request.params.id, actorOf(request));
    if (outcome === 'not_found') return sendProblem(reply, missing(request.params.id));
    return reply.code(204).send();
  });

  app.post<{ Params: { id: string } }>('/v1/subscriptions/:id/rotate-secret', { config: { meta: { scope: 'events:manage', summary: 'Rotate the signing secret (the old one also signs for 24 hours)', tags, schemas: { responses: { 200: { description: 'The subscription with its new secret, shown this once', schema: SubscriptionWithSecret }, 404: notFound } } } } }, async (request, reply) => {
    const rotated = await subscriptions.rotateSecret(request.params.id, actorOf(request));
    if (!rotated) return sendProblem(reply, missing(request.params.id));
    return reply.header('Cache-Control', 'no-store').send(rotated);
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>('/v1/subscriptions/:id/deliveries', { config: { meta: { scope: 'events:manage', summary: 'The delivery log of a subscription, newest first', tags, schemas: { query: PageQuery, responses: { 200: { description: 'A page of delivery attempts', schema: DeliveryAttemptPage }, 404: notFound } } } } }, async (request, reply) => {
    const errors: ProblemViolation[] = [];
    const limit = parseLimit(request.query.limit, errors);
    const cursor = request.query.cursor;
    const before = cursor === undefined ? undefined : decodeCursor<number>(cursor, 'number');
    if (cursor !== undefined && before === undefined) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0) return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are not valid', { errors }));
    const page = await subscriptions.deliveries(request.params.id, { limit, before });
    if (!page) return sendProblem(reply, missing(request.params.id));
    return { data: page.data, nextCursor: page.next === null ? null : encodeCursor(page.next) };
  });
}
