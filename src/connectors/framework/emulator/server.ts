import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { FaultInjector, type FaultDecision } from './faults.js';

/** A vendor-shaped error response for an injected fault. */
export interface EmulatedError {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** How an emulator is built: its vendor routes, state and error shapes. */
export interface EmulatorOptions {
  /** For logs and the state endpoint, e.g. 'shopify'. */
  name: string;
  host?: string;
  port?: number;
  random?: () => number;
  now?: () => number;
  /** The vendor's own body for an injected 5xx, 429 or outage. */
  faultResponse(kind: Exclude<FaultDecision, 'none' | 'timeout'>): EmulatedError;
  /** Registers the vendor API routes. */
  routes(app: FastifyInstance): void | Promise<void>;
  /** What `GET /_sandbox/state` shows (besides the faults). */
  state(): unknown;
  /** Largest request body (default 5 MiB). */
  bodyLimit?: number;
}

/** A running emulator. */
export interface RunningEmulator {
  url: string;
  port: number;
  app: FastifyInstance;
  faults: FaultInjector;
  close(): Promise<void>;
}

/**
 * Starts an emulator: a real HTTP server on loopback with the vendor's routes, plus
 * `POST /_sandbox/faults` and `GET /_sandbox/state`. Faults strike every vendor route (never the
 * /_sandbox ones): latency, 5xx, 429 with Retry-After, timeouts (no answer) and outages.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const faults = new FaultInjector(options.random, options.now);
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 5 * 1024 * 1024, forceCloseConnections: true });
  const hanging = new Set<FastifyReply>();

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/_sandbox')) return;
    const latency = faults.latencyMs();
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const decision = faults.decide();
    if (decision === 'none') return;
    if (decision === 'timeout') {
      hanging.add(reply);
      reply.raw.on('close', () => hanging.delete(reply));
      return reply.hijack();
    }
    const error = options.faultResponse(decision);
    return reply.code(error.status).headers(error.headers ?? {}).send(error.body);
  });

  app.post('/_sandbox/faults', async (request, reply) => {
    try {
      return faults.update((request.body ?? {}) as Record<string, number>);
    } catch (error) {
      return reply.code(400).send({ error: 'invalid faults', detail: (error as Error).message });
    }
  });
  app.get('/_sandbox/faults', async () => faults.current());
  app.get('/_sandbox/state', async () => ({ system: options.name, faults: faults.current(), ...(options.state() as object) }));

  await options.routes(app);
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    app,
    faults,
    async close() {
      for (const reply of hanging) reply.raw.destroy();
      await app.close();
    },
  };
}
