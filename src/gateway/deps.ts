import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../model/index.js';
import type { BusinessSlas, Catalog, Inventory, Ledger, OrderIntake, OrderToCash, Reconciliation, Settlement, Sync, WebhookReceiver } from '../flows/index.js';
import type { Connections } from '../connectors/framework/index.js';
import type { MessageType } from '../messaging/index.js';
import type { Store } from '../store/index.js';
import type { ApiKeys } from './access/api-keys.js';
import type { KeyResolver, SessionResolver } from './auth.js';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';
import type { OAuth } from './oauth/service.js';
import type { RateLimiter } from './rate-limit/limiter.js';

/** The operations console as the gateway mounts it (built in src/console). */
export interface ConsoleMount {
  /** Public routes: the pages, their assets, sign-in and sign-out. */
  routes(app: FastifyInstance): Promise<void>;
  /** Authenticated /v1 routes of the console (the live stream). */
  apiRoutes(app: FastifyInstance): Promise<void>;
  /** Authenticates /v1 requests that carry a console session cookie instead of a bearer credential. */
  authenticate: SessionResolver;
}

/** What the HTTP gateway is built from. */
export interface GatewayDeps {
  store: Store;
  intake: OrderIntake;
  metrics: Metrics;
  apiKeys: ApiKeys;
  /** OAuth2 client credentials (clients, token endpoint, JWKS); without it those routes are absent. */
  oauth?: OAuth;
  /** Resolves bearer credentials; defaults to OAuth access tokens (JWT-shaped) and else apiKeys.resolve. */
  resolveKey?: KeyResolver;
  clock: Clock;
  newId: IdGenerator;
  logger: Logger;
  /** True once the store is reachable and migrated. */
  isReady(): Promise<boolean>;
  /** Called after dead letters are replayed, so the dispatcher picks them up at once. */
  onReplayed?(): void;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Whether X-Forwarded-* headers are trusted (Fastify trustProxy): the console's cookies are Secure when the client came over TLS. */
  trustProxy?: boolean | string | undefined;
  /** Origins allowed to call the API from a browser (CORS); none by default. */
  corsOrigins?: string[];
  /** Per-principal rate limiting of /v1; defaults to store-backed buckets with the default policy (6000/60 s). */
  rateLimiter?: RateLimiter;
  /** Receives /webhooks/{system}/{connectionId}; without it that route is absent. */
  webhooks?: WebhookReceiver;
  /** The configured connections, for /v1/connections. */
  connections?: Connections;
  /** Order-to-cash, for the order actions (hold, release, cancel, returns); without it those routes are absent. */
  orderToCash?: Pick<OrderToCash, 'hold' | 'release' | 'cancel' | 'requestReturn'>;
  /** Called after an action queued messages, so the dispatcher picks them up at once. */
  onEnqueued?(): void;
  /** Inventory, for stock reports, availability and locations; without it those routes are absent. */
  inventory?: Inventory | undefined;
  /** The journal, for GET /v1/journal; without it that route is absent. */
  ledger?: Ledger | undefined;
  /** The product master, for /v1/products; without it those routes are absent. */
  catalog?: Catalog | undefined;
  /** Inventory and catalog backfills, for /v1/sync/jobs; without it those routes are absent. */
  sync?: Sync | undefined;
  /** Payouts and settlement matching, for /v1/payouts and /v1/settlements; without it those routes are absent. */
  settlement?: Settlement | undefined;
  /** Reconciliation runs and drift, for /v1/reconciliation; without it those routes are absent. */
  reconciliation?: Reconciliation | undefined;
  /** The message types the dispatcher handles, by type name: an edited dead-letter payload is validated against its schema; without it any JSON object is accepted. */
  messageTypes?: ReadonlyMap<string, MessageType> | undefined;
  /** Business SLAs, for GET /v1/slas; without it that route is absent. */
  slas?: BusinessSlas | undefined;
  /** True when the hub evaluates alerts, for GET /v1/alerts; without it that route is absent. */
  alerts?: boolean | undefined;
  /** The operations console at /console; without it those routes are absent and /v1 takes bearer credentials only. */
  console?: ConsoleMount | undefined;
}
