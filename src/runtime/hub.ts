import pino, { type Logger } from 'pino';
import { newId, systemClock, type Clock } from '../model/index.js';
import { createCatalog, createLedger, providerBookkeeping, orderBookkeeping, payoutBookkeeping, type Ledger, type PostingConfig, createInboundRecorder, createInventory, createOrderIntake, createOrderToCash, createWebhookReceiver, interpretInbound, withSubscriptions, type Catalog, type CatalogConfig, type Inventory, type InventoryConfig, type OrderIntake, type OrderToCash, type OrderToCashConfig, createSync, type Sync } from '../flows/index.js';
import type { ErpnextClient, WarehouseSettings } from '../connectors/index.js';
import { erpnextLedgerPortOf } from './ledger-ports/erpnext.js';
import { createSettlement, type Settlement } from '../flows/index.js';
import { settlementSourcesFromConnections } from './settlement-sources/index.js';
import { inventoryPortsFromConnections, skuResolverFor, type ChannelStock } from './inventory-ports/index.js';
import { startInventoryPusher } from './inventory-pusher.js';
import { reconciliationFor, startReconciliationSchedule } from './reconciliation/index.js';
import { learnErpLocations } from './erp-locations.js';
import { catalogPortsFromConnections } from './catalog-ports/index.js';
import { syncSourcesFromConnections } from './sync-sources.js';
import type { ConnectorDefinition, Connections } from '../connectors/index.js';
import { connectionsFromConfig } from './connections.js';
import { orderPortsFromConnections } from './order-ports/index.js';
import { buildGateway, createApiKeys, createMetrics, createOAuth, createRateLimiter, parseRateLimitSetting, storeBuckets } from '../gateway/index.js';
import { createDispatcher, createThroughputRecorder, type HandlerRegistration } from '../messaging/index.js';
import { countOverdueRuns, isMigrated, messageBacklog, migrateToLatest, openStore, type Store } from '../store/index.js';
import { auditConfigurationChange } from './config-audit.js';
import { loadHubConfig } from './config-file.js';
import { startHousekeeping } from './housekeeping.js';
import { connectionHealthSamples, hubObserver, observeConnectionCalls } from './observer.js';
import { startHubTracing, traceDeliveries } from './tracing/index.js';
import { startPollers } from './pollers.js';
import { alertsFor } from './alerts.js';
import { consoleFor } from './console.js';
import { trustProxyOf, type Settings } from './settings.js';

/** A running hub. */
export interface Hub {
  url: string;
  port: number;
  logger: Logger;
  /** The configured connections (emulated or real systems). */
  connections: Connections;
  /** Stops taking requests, finishes or releases leased work, closes the store. */
  stop(): Promise<void>;
}

/** Order-to-cash over the configured connections, reserving stock through the inventory flow. */
export function orderToCashFor(deps: { store: Store; clock: Clock; connections: Connections; config: OrderToCashConfig; intake: OrderIntake; inventory: Inventory }): OrderToCash {
  return createOrderToCash({ store: deps.store, clock: deps.clock, newId, config: deps.config, ports: orderPortsFromConnections(deps.connections, deps.config), intake: deps.intake, stock: deps.inventory });
}

/** Inventory over the configured connections: channels that show availability, and item ids mapped back to SKUs. */
export function inventoryFor(deps: { store: Store; clock: Clock; connections: Connections; config: InventoryConfig; channels: ChannelStock }): Inventory {
  return createInventory({ store: deps.store, clock: deps.clock, newId, config: deps.config, port: deps.channels.port, skuOf: skuResolverFor(deps.connections) });
}

/** The product master over the configured connections: ERP sources in, channels published to. */
export function catalogFor(deps: { store: Store; clock: Clock; connections: Connections; config: CatalogConfig }): Catalog {
  return createCatalog({ store: deps.store, clock: deps.clock, newId, config: deps.config, port: catalogPortsFromConnections(deps.connections) });
}

/** Inventory and catalog backfills over the configured connections (bulk lane). */
export function syncFor(deps: { store: Store; clock: Clock; connections: Connections; inventory: Inventory; catalog: Catalog; catalogConfig: CatalogConfig; pageSize?: number }): Sync {
  const sources = syncSourcesFromConnections(deps.connections, deps.catalogConfig, () => deps.clock.now());
  return createSync({ store: deps.store, clock: deps.clock, newId, sources: () => sources, inventory: deps.inventory, catalog: deps.catalog, catalogChannels: deps.catalogConfig.channels.map((c) => c.connection), pageSize: deps.pageSize });
}

/** The journal, posted to the ERP connection given (when it is an ERPNext connection). */
export function ledgerFor(deps: { store: Store; clock: Clock; connections: Connections; erp: string | undefined }): Ledger {
  const connection = deps.erp ? deps.connections.get(deps.erp) : undefined;
  const port = connection?.system === 'erpnext' ? erpnextLedgerPortOf(connection.id, connection.instance.client as ErpnextClient) : undefined;
  return createLedger({ store: deps.store, clock: deps.clock, newId, port });
}

/** The stock locations the connections name (each warehouse connection's location). */
function connectionLocations(connections: Connections) {
  return [...connections.values()]
    .filter((c) => c.system === 'warehouse' && typeof (c.settings as Partial<WarehouseSettings>).locationId === 'string')
    .map((c) => ({ id: (c.settings as WarehouseSettings).locationId, name: `${c.id} warehouse`, source: 'connection', connection_id: c.id }));
}

/** The message handlers every hub runs, with published events fanned out to event subscriptions. */
export function coreHandlers(deps: { store: Store; clock: Clock; connections: Connections; intake: OrderIntake; orderToCash: OrderToCash; inventory: Inventory; catalog?: Catalog | undefined; sync?: Sync | undefined; ledger?: Ledger | undefined; posting?: PostingConfig | undefined; settlement?: Settlement | undefined }): HandlerRegistration[] {
  const bookkeeping = deps.ledger && deps.posting ? [providerBookkeeping({ config: deps.posting, ledger: deps.ledger, fetchesPayoutLines: deps.settlement ? (id) => settlementSourcesFromConnections(deps.connections)(id) !== undefined : undefined })] : [];
  const catalog = deps.catalog ? { handlers: deps.catalog.handlers, sinks: [deps.catalog.sink] } : { handlers: [], sinks: [] };
  return withSubscriptions([...deps.orderToCash.handlers, ...catalog.handlers, ...(deps.sync?.handlers ?? []), ...(deps.ledger?.handlers ?? []), ...(deps.settlement?.handlers ?? []), orderBookkeeping({ store: deps.store, config: deps.posting, ledger: deps.ledger }), payoutBookkeeping({ store: deps.store, config: deps.posting, ledger: deps.ledger }), interpretInbound({ ...deps, newId, sinks: [deps.inventory.sink, ...catalog.sinks, ...bookkeeping, ...(deps.settlement ? [deps.settlement.sink] : [])] })], deps);
}

/** Starts the hub: store, migrations, dispatcher and HTTP gateway. */
export async function startHub(
  settings: Settings,
  options: { clock?: Clock; logger?: Logger; handlers?: HandlerRegistration[]; connectors?: ReadonlyMap<string, ConnectorDefinition> } = {},
): Promise<Hub> {
  const clock = options.clock ?? systemClock;
  const logger =
    options.logger ??
    pino({ level: settings.logLevel, redact: ['req.headers.authorization', '*.secret', '*.password', '*.bootstrapKey'] });
  const { config, path: configPath } = loadHubConfig(settings.config);
  const store = await openStore({
    databaseUrl: settings.databaseUrl,
    dataDir: settings.data,
    sqliteSynchronous: settings.sqliteSynchronous,
  });
  const connections = connectionsFromConfig(config, configPath, { clock, logger, ...(options.connectors ? { connectors: options.connectors } : {}) });
  await migrateToLatest(store);
  await auditConfigurationChange(store, clock, config, configPath);
  logger.info({ store: store.describe, config: configPath, connections: config.connections.length }, 'store ready');

  const metrics = createMetrics(() => messageBacklog(store.db), () => countOverdueRuns(store.db, clock.now()), connectionHealthSamples(connections, () => clock.now()));
  const stopConnectionCalls = observeConnectionCalls(metrics, connections);
  const tracing = await startHubTracing(settings, logger);
  const notify = { critical: () => {}, standard: () => {} };
  const intake = createOrderIntake({ store, clock, newId, onAccepted: () => notify.critical() });
  const channels = inventoryPortsFromConnections(connections, store, () => clock.now());
  const inventory = inventoryFor({ store, clock, connections, config: config.inventory, channels });
  await inventory.registerLocations(connectionLocations(connections));
  const orderToCash = orderToCashFor({ store, clock, connections, config: config.orderToCash, intake, inventory });
  const catalog = catalogFor({ store, clock, connections, config: config.catalog });
  const sync = syncFor({ store, clock, connections, inventory, catalog, catalogConfig: config.catalog });
  const ledger = ledgerFor({ store, clock, connections, erp: config.ledger.erp ?? config.orderToCash.erp });
  const settlement = createSettlement({ store, clock, newId, sources: settlementSourcesFromConnections(connections), ledger, tolerance: config.settlement.tolerance });
  const reconciliation = reconciliationFor({ store, clock, newId, connections, config, erp: orderPortsFromConnections(connections, config.orderToCash).erp, orderToCash, inventory, settlement });
  const { slas, alerts } = alertsFor({ store, clock, config, configPath, connections, logger, onEmitted: () => notify.standard() });
  const throughput = createThroughputRecorder({ store, clock, logger });
  const observer = hubObserver(metrics, logger);
  const handlers = [...(options.handlers ?? coreHandlers({ store, clock, connections, intake, orderToCash, inventory, catalog, sync, ledger, posting: config.finance, settlement })), ...reconciliation.handlers, ...alerts.handlers];
  const dispatcher = createDispatcher({
    store,
    handlers,
    clock,
    newId,
    leaseMs: settings.leaseMs,
    pollMs: settings.pollMs,
    observer: {
      settled(event) {
        observer.settled(event);
        throughput.settled(event);
      },
    },
    ...(tracing ? { wrapDelivery: traceDeliveries() } : {}),
  });
  notify.critical = () => dispatcher.notify('critical');
  notify.standard = () => dispatcher.notify('standard');
  const recorder = createInboundRecorder(store, { newId, clock });
  const webhooks = createWebhookReceiver({
    recorder,
    store,
    connections,
    clock,
    newId,
    logger,
    onReceived: notify.critical,
    count: (labels) => metrics.webhooks.inc(labels),
    isEcho: channels.isEcho,
  });
  const apiKeys = createApiKeys({ store, clock, newId, bootstrapKey: settings.bootstrapKey });
  const oauth = createOAuth({ store, clock, newId, tokenTtlSeconds: settings.oauthTokenTtlSeconds });
  const operationsConsole = consoleFor({ store, clock, logger, apiKeys, oauth });
  const app = await buildGateway({
    store,
    intake,
    metrics,
    apiKeys,
    oauth,
    console: operationsConsole,
    messageTypes: new Map(handlers.map((h) => [h.definition.type, h.definition])),
    slas,
    alerts: true,
    rateLimiter: createRateLimiter({ buckets: storeBuckets(store), clock, defaultLimit: parseRateLimitSetting(settings.rateLimit) }),
    clock,
    newId,
    logger,
    corsOrigins: settings.corsOrigins,
    trustProxy: trustProxyOf(settings.trustProxy),
    webhooks,
    connections,
    orderToCash,
    inventory,
    catalog,
    sync,
    ledger,
    reconciliation,
    settlement,
    onEnqueued: () => {
      dispatcher.notify('critical');
      dispatcher.notify('standard');
      dispatcher.notify('bulk');
    },
    isReady: async () => (await store.ping()) && (await isMigrated(store)),
    onReplayed: () => {
      dispatcher.notify('critical');
      dispatcher.notify('standard');
      dispatcher.notify('bulk');
    },
  });
  await app.listen({ host: settings.host, port: settings.port });
  dispatcher.start();
  const alertLoop = alerts.evaluator.start();
  const pollers = startPollers({ store, connections, clock, logger, recorder, onReceived: notify.critical });
  const pusher = startInventoryPusher(inventory.pusher, { pushIntervalMs: config.inventory.pushInterval, logger });
  const schedule = config.reconciliation.every === undefined ? undefined : startReconciliationSchedule(reconciliation, { everyMs: config.reconciliation.every, logger, onStarted: () => dispatcher.notify('bulk') });
  const background = new AbortController();
  const learning = learnErpLocations({ connections, inventory, logger, signal: background.signal });
  const stopHousekeeping = startHousekeeping(store, clock, settings.retentionDays * 86_400_000, logger);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`;
  logger.info({ url, worker: dispatcher.workerId }, 'tillbridge hub listening');

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    logger,
    connections,
    stop() {
      stopping ??= (async () => {
        stopHousekeeping();
        await pollers.stop();
        await pusher.stop();
        await schedule?.stop();
        await alertLoop.stop();
        background.abort();
        await learning;
        operationsConsole.stop();
        await app.close();
        await recorder.drain();
        await intake.drain();
        await dispatcher.stop();
        await throughput.stop();
        await store.close();
        stopConnectionCalls();
        await tracing?.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'flushing traces failed'));
        logger.info('tillbridge hub stopped');
      })();
      return stopping;
    },
  };
}
