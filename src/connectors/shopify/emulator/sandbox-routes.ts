import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Catalog } from './catalog.js';
import type { Delivery } from './context.js';
import type { OrderBook } from './orders.js';
import { stringifyExact, useExactJsonBodies, type JsonObject } from './support.js';

/** `?webhook=false&duplicate=true&delayMs=N` of the sandbox order routes. */
function deliveryOf(query: Record<string, string | undefined>): Delivery | string {
  const delay = query['delayMs'] === undefined ? 0 : Number(query['delayMs']);
  if (!Number.isInteger(delay) || delay < 0 || delay > 600_000) return 'delayMs must be an integer number of milliseconds (0–600000)';
  return { send: query['webhook'] !== 'false', duplicate: query['duplicate'] === 'true', delayMs: delay };
}

function objectBody(body: unknown): JsonObject | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const wrapped = (body as JsonObject)['order'];
  return typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped) ? (wrapped as JsonObject) : (body as JsonObject);
}

/**
 * The sandbox's Shopify-side controls: place an order (stored, then a signed orders/create, as a
 * checkout would), change one (orders/updated), read one, read a product or a stock level by SKU,
 * edit stock as a merchant would in the admin (inventory_levels/update, not counted as an API
 * update), and point webhooks elsewhere. Bodies are parsed without rounding ids beyond 2^53.
 */
export async function registerSandboxRoutes(app: FastifyInstance, deps: { orders: OrderBook; catalog: Catalog; setWebhookUrl(url: string | null): void }): Promise<void> {
  await app.register(async (sandbox) => {
    useExactJsonBodies(sandbox);
    const send = (reply: FastifyReply, status: number, value: unknown) => reply.code(status).type('application/json; charset=utf-8').send(stringifyExact(value));

    sandbox.post('/_sandbox/orders', async (request, reply) => {
      const delivery = deliveryOf(request.query as Record<string, string | undefined>);
      if (typeof delivery === 'string') return send(reply, 400, { errors: { delayMs: [delivery] } });
      const input = objectBody(request.body);
      if (!input) return send(reply, 422, { errors: { order: ['must be a JSON object (a Shopify order in the REST webhook shape)'] } });
      const created = deps.orders.create(input, delivery);
      if ('error' in created) return send(reply, 422, { errors: { id: ['has already been taken'] }, detail: created.error });
      return send(reply, 201, { order: created.order.body });
    });

    sandbox.post('/_sandbox/orders/:id', async (request, reply) => {
      const delivery = deliveryOf(request.query as Record<string, string | undefined>);
      if (typeof delivery === 'string') return send(reply, 400, { errors: { delayMs: [delivery] } });
      const patch = objectBody(request.body);
      if (!patch) return send(reply, 422, { errors: { order: ['must be a JSON object of the fields to change'] } });
      const order = deps.orders.find((request.params as { id: string }).id);
      if (!order) return send(reply, 404, { errors: 'Not Found' });
      deps.orders.update(order.id, patch, delivery);
      return send(reply, 200, { order: order.body });
    });

    sandbox.get('/_sandbox/orders/:id', async (request, reply) => {
      const order = deps.orders.find((request.params as { id: string }).id);
      return order ? send(reply, 200, { order: order.body }) : send(reply, 404, { errors: 'Not Found' });
    });

    sandbox.get('/_sandbox/products/:sku', async (request, reply) => {
      const product = deps.catalog.sandboxProduct((request.params as { sku: string }).sku);
      return product ? send(reply, 200, product) : send(reply, 404, { errors: 'Not Found' });
    });

    sandbox.get('/_sandbox/inventory/:sku', async (request, reply) => {
      const inventory = deps.catalog.sandboxInventory((request.params as { sku: string }).sku);
      return inventory ? send(reply, 200, inventory) : send(reply, 404, { errors: 'Not Found' });
    });

    sandbox.post('/_sandbox/inventory/:sku', async (request, reply) => {
      const delivery = deliveryOf(request.query as Record<string, string | undefined>);
      if (typeof delivery === 'string') return send(reply, 400, { errors: { delayMs: [delivery] } });
      const available = (request.body as JsonObject | undefined)?.['available'];
      if (typeof available !== 'number' || !Number.isInteger(available) || available < -1_000_000_000 || available > 1_000_000_000) {
        return send(reply, 422, { errors: { available: ['must be an integer (−1,000,000,000 to 1,000,000,000)'] } });
      }
      const edited = deps.catalog.editAvailable((request.params as { sku: string }).sku, available, delivery);
      return edited ? send(reply, 200, edited) : send(reply, 404, { errors: 'Not Found' });
    });

    sandbox.post('/_sandbox/webhooks', async (request, reply) => {
      const body = (request.body ?? {}) as { url?: unknown };
      const url = body.url;
      if (url !== null && (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url))) return send(reply, 400, { errors: { url: ['must be an http(s) URL or null'] } });
      deps.setWebhookUrl(url);
      return send(reply, 200, { url });
    });
  });
}
