import { randomBytes } from 'node:crypto';
import type { FastifyError } from 'fastify';
import { z } from 'zod';
import { createWebhookSender, startEmulator, type DeliveryRecord, type EmulatedError, type RunningEmulator } from '../../framework/index.js';
import { warehouseWebhookHeaders } from '../webhooks.js';
import { StockReason } from '../wire.js';
import { Behaviour, BehaviourUpdate } from './behaviour.js';
import { createIdempotencyStore } from './idempotency.js';
import { problem, sendProblem, validationProblem } from './problems.js';
import { registerReturnRoutes } from './return-routes.js';
import { WarehouseReturns } from './returns.js';
import { registerVendorRoutes } from './routes.js';
import { createScheduler } from './scheduler.js';
import { WarehouseState, type EmittedEvent } from './state.js';

/** Credentials of the emulated warehouse account. */
export interface WarehouseCredentials {
  apiKey: string;
  webhookSecret: string;
}

/** Options of the warehouse emulator. */
export interface WarehouseEmulatorOptions {
  port?: number;
  random?: () => number;
  now?: () => number;
  /** Where webhooks go (also `POST /_sandbox/webhooks`); none are sent while unset. */
  webhookUrl?: string;
  credentials?: Partial<WarehouseCredentials>;
  /** The warehouse's own location code (default `WH1`). */
  location?: string;
  /** Initial on-hand stock by SKU (no webhooks for it). */
  stock?: Record<string, number>;
  /** Substitute SKU by ordered SKU, used at `substitutionRate`. */
  substitutes?: Record<string, string>;
  shipDelayMs?: number;
  partialRate?: number;
  substitutionRate?: number;
  duplicateRate?: number;
  reorderRate?: number;
  reorderDelayMs?: number;
  lostResponseRate?: number;
  /** Delay between a return's authorisation and its receipt (default 5000 ms). */
  returnDelayMs?: number;
  /** The API's rate limit per key (default 20, refilled at 10 per second); null turns it off. */
  rateLimit?: { capacity: number; refillPerSecond: number } | null;
  /** Retry-After of an injected 429, in seconds (default 1). */
  retryAfterSeconds?: number;
}

/** A running warehouse emulator. */
export type RunningWarehouseEmulator = RunningEmulator & {
  credentials: WarehouseCredentials;
  location: string;
  /** Resolves once no shipment or return receipt is waiting for its delay and every webhook delivery has finished. */
  idle(): Promise<void>;
  deliveries(): readonly DeliveryRecord[];
};

const WebhookTarget = z.object({ url: z.url({ protocol: /^https?$/ }).nullable() });
const StockSet = z.object({ sku: z.string().min(1), onHand: z.int().min(0), reason: StockReason.exclude(['shipment']).optional() });

/**
 * Starts the emulated 3PL speaking the Tillbridge generic warehouse API v1: shipment orders that
 * allocate stock and ship after a delay (partially, with substitutes, or backordered as behaviour
 * says), line cancellations, returns received after a delay, stock queries, and signed webhooks
 * (`shipment.confirmed`, `stock.adjusted`, `shipment-order.cancelled`, `return.received`) delivered
 * at least once, sometimes twice or out of order.
 */
export async function startWarehouseEmulator(options: WarehouseEmulatorOptions = {}): Promise<RunningWarehouseEmulator> {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const chance = (rate: number) => rate > 0 && (rate >= 1 || random() < rate);
  const credentials: WarehouseCredentials = {
    apiKey: options.credentials?.apiKey ?? `whk_test_${randomBytes(16).toString('hex')}`,
    webhookSecret: options.credentials?.webhookSecret ?? `whsec_${randomBytes(24).toString('hex')}`,
  };
  let behaviour: Behaviour = Behaviour.parse({
    shipDelayMs: options.shipDelayMs,
    partialRate: options.partialRate,
    substitutionRate: options.substitutionRate,
    duplicateRate: options.duplicateRate,
    reorderRate: options.reorderRate,
    reorderDelayMs: options.reorderDelayMs,
    lostResponseRate: options.lostResponseRate,
    returnDelayMs: options.returnDelayMs,
  });
  let webhookUrl: string | null = options.webhookUrl ?? null;
  const emitted: { eventId: string; type: string; sent: boolean }[] = [];

  // After close, in-flight deliveries abort and retries are answered like a revoked endpoint (401), so they stop.
  const closing = new AbortController();
  const sender = createWebhookSender({
    fetch: async (input, init) => {
      if (closing.signal.aborted) return new Response(null, { status: 401, statusText: 'emulator closed' });
      return fetch(input, { ...init, signal: AbortSignal.any([closing.signal, ...(init?.signal ? [init.signal] : [])]) });
    },
  });
  const scheduler = createScheduler();
  const returnScheduler = createScheduler();

  const send = (event: EmittedEvent) => {
    const url = webhookUrl;
    emitted.push({ eventId: event.payload.eventId, type: event.type, sent: url !== null });
    if (emitted.length > 1000) emitted.shift();
    if (!url) return;
    const body = JSON.stringify(event.payload);
    const headers = warehouseWebhookHeaders({
      body,
      secret: credentials.webhookSecret,
      eventId: event.payload.eventId,
      eventType: event.type,
      timestampSeconds: Math.floor(now() / 1000),
    });
    const duplicate = chance(behaviour.duplicateRate);
    const delayMs = chance(behaviour.reorderRate) ? behaviour.reorderDelayMs : 0;
    sender.send({ url, headers, body }, event.type, { duplicate, delayMs });
  };

  const state = new WarehouseState({
    location: options.location ?? 'WH1',
    now,
    random,
    behaviour: () => behaviour,
    substitutes: options.substitutes ?? {},
    scheduler,
    emit: send,
  });
  state.seed(options.stock ?? {});
  const returns = new WarehouseReturns({ warehouse: state, now, behaviour: () => behaviour, scheduler: returnScheduler });
  const idempotency = createIdempotencyStore();
  const loseResponse = () => chance(behaviour.lostResponseRate);
  let vendor: { rateLimited: () => number } | undefined;

  const emulator = await startEmulator({
    name: 'warehouse',
    ...(options.port !== undefined ? { port: options.port } : {}),
    random,
    now,
    faultResponse(kind): EmulatedError {
      if (kind === 'rate-limit') {
        return {
          status: 429,
          headers: { 'content-type': 'application/problem+json', 'retry-after': String(options.retryAfterSeconds ?? 1), 'x-ratelimit-remaining': '0' },
          body: problem(429, 'rate_limited', 'too many requests'),
        };
      }
      if (kind === 'outage') {
        return { status: 503, headers: { 'content-type': 'application/problem+json' }, body: problem(503, 'service_unavailable', 'the warehouse API is down for maintenance') };
      }
      return { status: 500, headers: { 'content-type': 'application/problem+json' }, body: problem(500, 'internal_error', 'an unexpected error occurred') };
    },
    state: () => ({
      behaviour,
      webhookUrl,
      ...state.snapshot(),
      rateLimited: vendor?.rateLimited() ?? 0,
      pendingShipments: scheduler.pending,
      returnsByStatus: returns.snapshot(),
      pendingReturns: returnScheduler.pending,
      events: emitted,
      deliveries: sender.deliveries(),
    }),
    routes(app) {
      app.setErrorHandler((error: FastifyError, _request, reply) => {
        const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        return sendProblem(reply, problem(status, status === 500 ? 'internal_error' : 'bad_request', error.message));
      });
      app.setNotFoundHandler((request, reply) => sendProblem(reply, problem(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`)));
      vendor = registerVendorRoutes(app, {
        state,
        apiKey: credentials.apiKey,
        account: { id: 'acct_tillbridge_sandbox', name: 'Tillbridge sandbox 3PL' },
        now,
        rateLimit: options.rateLimit === undefined ? { capacity: 20, refillPerSecond: 10 } : options.rateLimit,
        idempotency,
        loseResponse,
      });
      registerReturnRoutes(app, { returns, idempotency, loseResponse });
      app.post('/_sandbox/webhooks', async (request, reply) => {
        const body = WebhookTarget.safeParse(request.body);
        if (!body.success) return sendProblem(reply, validationProblem(body.error));
        webhookUrl = body.data.url;
        return { url: webhookUrl };
      });
      app.post('/_sandbox/stock', async (request, reply) => {
        const body = StockSet.safeParse(request.body);
        if (!body.success) return sendProblem(reply, validationProblem(body.error));
        return state.setStock(body.data.sku, body.data.onHand, body.data.reason);
      });
      app.post('/_sandbox/ship', async () => ({ shipped: state.shipWaitingNow() }));
      app.get('/_sandbox/behaviour', async () => behaviour);
      app.post('/_sandbox/behaviour', async (request, reply) => {
        const body = BehaviourUpdate.safeParse(request.body ?? {});
        if (!body.success) return sendProblem(reply, validationProblem(body.error));
        behaviour = { ...behaviour, ...body.data };
        return behaviour;
      });
    },
  });

  return {
    ...emulator,
    credentials,
    location: state.location,
    async idle() {
      do {
        await Promise.all([scheduler.idle(), returnScheduler.idle()]);
        await sender.idle();
      } while (scheduler.pending > 0 || returnScheduler.pending > 0);
    },
    deliveries: () => sender.deliveries(),
    async close() {
      scheduler.close();
      returnScheduler.close();
      closing.abort();
      await emulator.close();
    },
  };
}
