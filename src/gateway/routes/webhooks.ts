import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayDeps } from '../deps.js';
import { problem, sendProblem } from '../problem.js';

const WebhookParams = z.object({ system: z.string(), connectionId: z.string() });
const WebhookReceipt = z.object({ status: z.enum(['accepted', 'duplicate']), inboxId: z.string() });

/**
 * POST /webhooks/{system}/{connectionId}: inbound webhooks of the configured connections. The body
 * is taken as raw bytes (whatever its content type) so the signature is checked over exactly what
 * was sent, before anything is parsed.
 */
export async function webhookRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  const receiver = deps.webhooks;
  if (!receiver) return;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_request, body, done) => done(null, body));
  app.post(
    '/webhooks/:system/:connectionId',
    {
      config: {
        meta: {
          scope: 'public',
          summary: "Receive a connection's webhook (verified with the connection's secret before anything else)",
          tags: ['webhooks'],
          schemas: {
            params: WebhookParams,
            responses: {
              200: { description: 'Kept (or already kept: a duplicate delivery)', schema: WebhookReceipt },
              401: { description: 'Signature missing or wrong' },
              404: { description: 'No such connection of that system' },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { system, connectionId } = request.params as z.infer<typeof WebhookParams>;
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const outcome = await receiver.receive(system, connectionId, raw, request.headers);
      if (outcome.status === 200) return { status: outcome.outcome, inboxId: outcome.inboxId };
      const titles: Record<number, [string, string]> = {
        401: ['webhook-signature', 'Webhook signature invalid'],
        404: ['unknown-connection', 'Unknown connection'],
        400: ['invalid-webhook', 'Invalid webhook'],
      };
      const [code, title] = titles[outcome.status] ?? ['invalid-webhook', 'Invalid webhook'];
      return sendProblem(reply, problem(outcome.status, code, title, outcome.detail ?? title));
    },
  );
}
