import { permanentError, type Clock, type IdGenerator } from '../../model/index.js';
import { inOutboxTransaction, type HandlerRegistration, type HandlerTransaction } from '../../messaging/index.js';
import { getProductRow, type Store } from '../../store/index.js';
import type { InboundSink } from '../inbound/index.js';
import { apiSource, type CatalogConfig } from './config.js';
import type { MasterStatus, SourceFields } from './content.js';
import { compileMapping } from './mapping-expression.js';
import { changeMaster, type MasterChange, type MasterDeps } from './master.js';
import type { CatalogPort } from './ports.js';
import { catalogPublishHandler, type ChannelRuntime } from './publish.js';
import { catalogSink } from './sink.js';
import { productPage, productView, type ProductView } from './view.js';

/** What the catalog flow needs. */
export interface CatalogDeps {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  config: CatalogConfig;
  /** The channel's catalog port, or undefined when the connection cannot take products. */
  port(connectionId: string): CatalogPort | undefined;
}

/** Fields and status of a product as an API-fed source gives them (`PUT /v1/products/{sku}`). */
export type ProductInput = Omit<SourceFields, 'archived' | 'sourceVersion'> & { status?: Exclude<MasterStatus, 'deleted'> | undefined };

/** The product master: sources merged by rule, approval, and publication to the channels. */
export interface Catalog {
  handlers: HandlerRegistration[];
  /** Applies ERP Items and Item Prices (product and price events) of the source connections. */
  sink: InboundSink;
  /** Replaces what an API-fed source gives for a SKU (creating the master when new). */
  put(sku: string, input: ProductInput, options: { source?: string | undefined; actor: string }): Promise<{ created: boolean; product: ProductView }>;
  /** Approves a product for sale: it is published to every channel. */
  approve(sku: string, actor: string): Promise<ProductView>;
  /** Deletes the master: every channel deletes its listing; the record stays as `deleted`. */
  remove(sku: string, actor: string): Promise<ProductView>;
  view(sku: string): Promise<ProductView | undefined>;
  /** A page of masters in SKU order, optionally of one status, after `afterSku`; `next` is the SKU to page on from (null on the last page). */
  list(options: { limit: number; afterSku?: string | undefined; status?: MasterStatus | undefined }): Promise<{ data: ProductView[]; next: string | null }>;
}

const notFound = (sku: string) => permanentError('not_found', `no product ${sku}`, 404);

/** The catalog flow over a store. */
export function createCatalog(deps: CatalogDeps): Catalog {
  const master: MasterDeps = { config: deps.config, dialect: deps.store.dialect };
  const channels = new Map<string, ChannelRuntime>(deps.config.channels.map((channel) => [channel.connection, { channel, mapping: compileMapping(channel.mapping) }]));
  const apiSources = new Set([apiSource, ...deps.config.sources.filter((s) => s.connection === undefined).map((s) => s.id)]);
  const transaction = <T>(work: (tx: HandlerTransaction) => Promise<T>) =>
    inOutboxTransaction(deps.store, { origin: { source: 'tillbridge/catalog', correlationId: deps.newId('cor') }, now: deps.clock.now(), newId: deps.newId }, work);
  const viewOf = async (sku: string) => (await productView(deps.store.db, sku)) ?? Promise.reject(notFound(sku));

  return {
    handlers: [catalogPublishHandler({ store: deps.store, clock: deps.clock, channels, port: deps.port })],
    sink: catalogSink(master),
    async put(sku, input, options) {
      const source = options.source ?? apiSource;
      if (!apiSources.has(source)) {
        throw permanentError('unknown_source', `source ${source} is not an API-fed catalog source (API-fed: ${[...apiSources].join(', ')})`, 422);
      }
      const { status, ...fields } = input;
      const outcome = await transaction(async (tx) => {
        const before = await getProductRow(tx.db, sku);
        if (status === 'approved' && deps.config.requireApproval && before?.status !== 'approved') {
          throw permanentError('approval_required', `${sku} is approved with POST /v1/products/${sku}/approve, not by PUT`, 409);
        }
        const changes: MasterChange[] = [{ kind: 'source', source, fields: () => fields }];
        if (status) changes.push({ kind: 'status', status, actor: options.actor });
        return changeMaster(tx, master, sku, changes);
      });
      return { created: outcome?.created ?? false, product: await viewOf(sku) };
    },
    async approve(sku, actor) {
      await transaction(async (tx) => {
        const before = await getProductRow(tx.db, sku);
        if (!before || before.status === 'deleted') throw notFound(sku);
        await changeMaster(tx, master, sku, [{ kind: 'status', status: 'approved', actor }]);
      });
      return viewOf(sku);
    },
    async remove(sku) {
      // A repeated DELETE answers the deleted record; only a SKU the hub never had is not found.
      await transaction((tx) => changeMaster(tx, master, sku, [{ kind: 'delete' }]));
      return viewOf(sku);
    },
    view: (sku) => productView(deps.store.db, sku),
    list: (options) => productPage(deps.store.db, options),
  };
}
