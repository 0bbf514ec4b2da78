import pino from 'pino';
import { createOrderIntake, type OrderIntake } from '../../flows/index.js';
import { newId, systemClock, type Clock } from '../../model/index.js';
import { isMigrated, messageBacklog, type Store, type TestStoreFactory } from '../../store/index.js';
import { buildGateway, createApiKeys, createMetrics, createOAuth, type ApiKeys, type Gateway, type OAuth } from '../index.js';
import { createRateLimiter, type RateLimiterOptions } from '../rate-limit/limiter.js';
import { defaultRateLimit } from '../rate-limit/policy.js';
import type { GatewayDeps } from '../deps.js';
import { storeBuckets } from '../rate-limit/shared-buckets.js';

/** The bootstrap key every test gateway accepts. */
export const testKey = 'test-bootstrap-key-0123456789';
/** Headers that authenticate as the bootstrap principal. */
export const auth = { authorization: `Bearer ${testKey}` } as const;

/** A gateway wired as the hub wires it (store, intake, metrics), without a listening socket. */
export interface TestGateway {
  app: Gateway;
  store: Store;
  intake: OrderIntake;
  apiKeys: ApiKeys;
  oauth: OAuth;
  /** How many times the gateway called onReplayed. */
  replayNotifications: number;
  close(): Promise<void>;
}

/** Builds a gateway on a fresh, isolated store of the factory's engine. */
export async function startTestGateway(
  factory: TestStoreFactory,
  options: { logger?: pino.Logger; corsOrigins?: string[]; /** The clock OAuth tokens are issued and verified by. */ oauthClock?: Clock;
    /** The gateway's clock (rate limiting, timestamps); the system clock by default. */ clock?: Clock;
    /** Rate limiter settings (default policy 6000/60 s, reservations of 1 s). */ rateLimit?: Partial<Pick<RateLimiterOptions, 'defaultLimit' | 'reservationMs' | 'batchFraction'>>;
    /** More of what the gateway is built from (flows behind optional routes), over the test's store. */ with?: (store: Store) => Partial<GatewayDeps> } = {},
): Promise<TestGateway> {
  const store = await factory.open();
  const logger = options.logger ?? pino({ level: 'silent' });
  const apiKeys = createApiKeys({ store, clock: systemClock, newId, bootstrapKey: testKey });
  const intake = createOrderIntake({ store, clock: systemClock, newId });
  const oauth = createOAuth({ store, clock: options.oauthClock ?? systemClock, newId });
  const metrics = createMetrics(() => messageBacklog(store.db));
  const harness: TestGateway = {
    app: undefined as unknown as Gateway,
    store,
    intake,
    apiKeys,
    oauth,
    replayNotifications: 0,
    async close() {
      await harness.app?.close();
      await intake.drain();
      await store.close();
    },
  };
  harness.app = await buildGateway({
    store,
    intake,
    metrics,
    apiKeys,
    oauth,
    corsOrigins: options.corsOrigins,
    rateLimiter: createRateLimiter({ buckets: storeBuckets(store), clock: options.clock ?? systemClock, defaultLimit: defaultRateLimit, ...options.rateLimit }),
    clock: options.clock ?? systemClock,
    newId,
    logger,
    isReady: async () => (await store.ping()) && (await isMigrated(store)),
    onReplayed: () => {
      harness.replayNotifications += 1;
    },
    ...options.with?.(store),
  });
  await harness.app.ready();
  return harness;
}

export { exampleOrder } from '../../model/index.js';
