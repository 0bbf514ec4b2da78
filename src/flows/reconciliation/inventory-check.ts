import type { Connection, ParsedInboundEvent } from '../../connectors/framework/index.js';
import { permanentError, type Clock } from '../../model/index.js';
import type { HandlerTransaction } from '../../messaging/index.js';
import { getInventoryLevel, listChannelLevelsOf, listInventoryLevelsOf, listTrackedSkus, pendingSkusOf, setChannelLevel, type Db, type InventoryChannelLevelRow, type Store } from '../../store/index.js';
import type { InboundSink } from '../inbound/index.js';
import { channelAvailability, placeOfReport, stockOfMany, type ChannelStockRule, type InventoryConfig } from '../inventory/index.js';
import type { Drift } from './drift.js';
import type { Correction, ReconciliationCheck, StoredDrift } from './ports.js';

/** One level an authoritative stock source lists, under the location id the source itself uses. */
export interface SourceStockLevel {
  sku: string;
  locationId: string;
  onHand: number;
}

/** A system that owns the stock of its locations (warehouse stock, ERP Bins), read a page at a time. */
export interface StockSourceSide {
  readonly connection: Connection;
  levels(signal: AbortSignal): AsyncIterable<SourceStockLevel[]>;
  /** The source's level of one SKU at one of its locations now (a fresh read for a correction); undefined when it lists none. */
  levelOf(sku: string, locationId: string, signal: AbortSignal): Promise<SourceStockLevel | undefined>;
}

/** What a sales channel shows as available, by SKU; a SKU it does not list is absent. */
export interface ChannelStockSide {
  readonly connectionId: string;
  shown(skus: readonly string[], signal: AbortSignal): Promise<Map<string, number>>;
}

/** A source level placed at the hub location it counts for. */
export interface PlacedSourceLevel extends SourceStockLevel {
  hubLocationId: string;
}

/** The hub's stock of a SKU at a location, with when it last changed (hub clock). */
export interface HubStockLevel {
  sku: string;
  locationId: string;
  onHand: number;
  updatedAt: number;
}

/**
 * The source's stock against the hub's at the same location: every level the source lists that the
 * hub holds otherwise (or not at all, unless the source has none either). A hub level that changed at
 * or after `changedSince` (while the source was being read) is not judged: the report may be in flight.
 */
export function compareStockWithSource(source: readonly PlacedSourceLevel[], hub: readonly HubStockLevel[], connectionId: string, changedSince: number): Drift[] {
  const hubAt = new Map(hub.map((h) => [`${h.sku}\n${h.locationId}`, h]));
  const drift: Drift[] = [];
  for (const level of source) {
    const held = hubAt.get(`${level.sku}\n${level.hubLocationId}`);
    if (held && held.updatedAt >= changedSince) continue;
    const hubOnHand = held?.onHand ?? null;
    if (hubOnHand === level.onHand || (hubOnHand === null && level.onHand === 0)) continue;
    drift.push({
      kind: 'stock_mismatch',
      entity: `stock:${level.sku}@${level.hubLocationId}`,
      systems: [connectionId, 'hub'],
      expected: { onHand: level.onHand },
      actual: hubOnHand === null ? null : { onHand: hubOnHand },
      // The hub believing in more units than there are oversells; fewer only loses sales.
      severity: hubOnHand !== null && hubOnHand > level.onHand ? 'critical' : 'warning',
      correction: 'resync-stock',
      detail: { connectionId, sku: level.sku, locationId: level.hubLocationId, sourceLocationId: level.locationId },
    });
  }
  return drift;
}

/** A SKU in one channel as the hub sees it and as the channel shows it. */
export interface ChannelStockState {
  sku: string;
  /** What the hub computes the channel may sell now. */
  computed: number;
  /** What the hub last published there (null: never). */
  published: number | null;
  /** A push of the SKU is waiting or in flight (a change, a reservation just taken). */
  pending: boolean;
  /** What the channel shows (undefined: it does not list the SKU). */
  shown: number | undefined;
}

/**
 * What a channel shows against what the hub computes for it: a SKU with a push pending is skipped
 * (it is on its way), so is one the channel does not list (the catalog check covers that).
 */
export function compareChannelStock(states: readonly ChannelStockState[], connectionId: string): Drift[] {
  return states
    .filter((s) => !s.pending && s.shown !== undefined && s.shown !== s.computed)
    .map((s) => ({
      kind: 'channel_stock_mismatch',
      entity: `stock:${s.sku}@${connectionId}`,
      systems: ['hub', connectionId],
      expected: { available: s.computed },
      actual: { available: s.shown, lastPublished: s.published },
      severity: s.shown! > s.computed ? 'critical' : 'warning',
      correction: 'push-stock',
      detail: { connectionId, sku: s.sku },
    }));
}

/** The hub's side of a channel for a page of SKUs: computed availability, last published, pending. */
async function hubChannelStates(db: Db, config: InventoryConfig, rule: ChannelStockRule, skus: readonly string[]): Promise<Map<string, { computed: number; row: InventoryChannelLevelRow | undefined; pending: boolean }>> {
  const [stock, rows, pending] = await Promise.all([stockOfMany(db, config, skus), listChannelLevelsOf(db, skus), pendingSkusOf(db, skus)]);
  const rowOf = new Map(rows.filter((r) => r.connection_id === rule.connection).map((r) => [r.sku, r]));
  return new Map(skus.map((sku) => [sku, { computed: channelAvailability(rule, stock.get(sku) ?? []).available, row: rowOf.get(sku), pending: pending.has(sku) }]));
}

/**
 * The hub's stock at each location a source owns against the source's own listing, a page of the
 * source at a time (levels the source does not list are not judged). Drift is checked again against
 * the hub before it is answered, so a report that landed meanwhile is no drift.
 */
export function sourceStockCheck(deps: { store: Store; clock: Clock; config: InventoryConfig; source: StockSourceSide }): ReconciliationCheck {
  const connectionId = deps.source.connection.id;
  const hubLevels = async (skus: readonly string[]): Promise<HubStockLevel[]> =>
    (await listInventoryLevelsOf(deps.store.db, skus)).map((l) => ({ sku: l.sku, locationId: l.location_id, onHand: l.on_hand, updatedAt: Number(l.updated_at) }));
  return {
    name: `inventory:${connectionId}`,
    scope: 'inventory',
    async run(_window, signal) {
      const drift: Drift[] = [];
      const pages = deps.source.levels(signal)[Symbol.asyncIterator]();
      for (;;) {
        const asked = deps.clock.now();
        const next = await pages.next();
        if (next.done) break;
        const placed: PlacedSourceLevel[] = [];
        for (const level of next.value) {
          const place = placeOfReport(deps.config, connectionId, level.locationId);
          if (place.kind === 'location') placed.push({ ...level, hubLocationId: place.locationId });
        }
        if (placed.length === 0) continue;
        drift.push(...compareStockWithSource(placed, await hubLevels([...new Set(placed.map((p) => p.sku))]), connectionId, asked));
      }
      // A report applied while the run read on is no drift: judge the hub's side once more, a chunk of SKUs at a time.
      const skus = [...new Set(drift.map((d) => String(d.detail!['sku'])))];
      const now = new Map<string, number>();
      for (let i = 0; i < skus.length; i += 500) for (const h of await hubLevels(skus.slice(i, i + 500))) now.set(`${h.sku}\n${h.locationId}`, h.onHand);
      return drift.filter((d) => now.get(`${String(d.detail!['sku'])}\n${String(d.detail!['locationId'])}`) !== (d.expected as { onHand: number }).onHand);
    },
  };
}

/**
 * What a channel shows against what the hub computes it may sell, for every SKU with stock on
 * record, a page at a time. SKUs with a push pending are skipped; a mismatch is confirmed against
 * the hub once more after the channel was read (a push or reservation meanwhile is no drift).
 */
export function channelStockCheck(deps: { store: Store; config: InventoryConfig; rule: ChannelStockRule; channel: ChannelStockSide; pageSize?: number | undefined }): ReconciliationCheck {
  const pageSize = deps.pageSize ?? 250;
  const { rule, channel } = deps;
  const statesOf = async (skus: readonly string[], shown: Map<string, number>) => {
    const hub = await hubChannelStates(deps.store.db, deps.config, rule, skus);
    return skus.map((sku): ChannelStockState & { publishedAt: number | null } => {
      const h = hub.get(sku)!;
      return { sku, computed: h.computed, published: h.row?.published_available ?? null, publishedAt: h.row?.published_at ?? null, pending: h.pending, shown: shown.get(sku) };
    });
  };
  return {
    name: `inventory:channel:${channel.connectionId}`,
    scope: 'inventory',
    async run(_window, signal) {
      const drift: Drift[] = [];
      for (let after: string | null = null; ; ) {
        const skus = await listTrackedSkus(deps.store.db, after, pageSize);
        if (skus.length > 0) {
          const before = await statesOf(skus, new Map());
          const candidates = before.filter((s) => !s.pending).map((s) => s.sku);
          const shown = candidates.length > 0 ? await channel.shown(candidates, signal) : new Map<string, number>();
          const found = compareChannelStock(before.filter((s) => !s.pending).map((s) => ({ ...s, shown: shown.get(s.sku) })), channel.connectionId);
          if (found.length > 0) {
            const wasAt = new Map(before.map((s) => [s.sku, s]));
            const again = new Map((await statesOf(found.map((d) => String(d.detail!['sku'])), shown)).map((s) => [s.sku, s]));
            drift.push(
              ...found.filter((d) => {
                const sku = String(d.detail!['sku']);
                const [first, second] = [wasAt.get(sku)!, again.get(sku)!];
                return !second.pending && second.computed === first.computed && second.publishedAt === first.publishedAt && second.shown !== second.computed;
              }),
            );
          }
        }
        if (skus.length < pageSize) return drift;
        after = skus.at(-1)!;
      }
    },
  };
}

function text(drift: StoredDrift, key: string): string {
  const value = drift.detail?.[key];
  if (typeof value !== 'string' || value === '') throw permanentError('drift_detail_missing', `drift ${drift.id} has no ${key} to correct it with`);
  return value;
}

/** The inventory flow as the stock corrections use it. */
export interface InventoryForCorrections {
  sink: InboundSink;
  changed(tx: HandlerTransaction, skus: readonly string[]): Promise<void>;
}

/**
 * The hub's stock set to what the source reports now: the source is read again (not the run's
 * figure, which may have aged), applied through the inventory sink as a fresh stock report, and the
 * SKU's availability is pushed to the channels.
 */
export function resyncStockCorrection(deps: { clock: Clock; inventory: InventoryForCorrections; source(connectionId: string): StockSourceSide | undefined }): Correction {
  return {
    name: 'resync-stock',
    async prepare(drift, signal) {
      const connectionId = text(drift, 'connectionId');
      const side = deps.source(connectionId);
      if (!side) throw permanentError('stock_source_not_configured', `${connectionId} is not a stock source of this hub`);
      const level = await side.levelOf(text(drift, 'sku'), text(drift, 'sourceLocationId'), signal);
      return { onHand: level?.onHand ?? 0, readAt: deps.clock.now() };
    },
    async commit(tx, drift, prepared) {
      const { onHand, readAt } = prepared as { onHand: number; readAt: number };
      const connectionId = text(drift, 'connectionId');
      const sku = text(drift, 'sku');
      const side = deps.source(connectionId)!;
      const event: ParsedInboundEvent = { kind: 'inventory-level', sku, locationId: text(drift, 'sourceLocationId'), onHand, occurredAt: new Date(readAt).toISOString() };
      await deps.inventory.sink.apply(tx, event, { connection: side.connection, inboxId: `reconciliation:${drift.id}`, correlationId: drift.runId });
      const locationId = text(drift, 'locationId');
      const applied = await getInventoryLevel(tx.db, sku, locationId);
      // A later report of another source at the location wins over this one: say so rather than claim a fix.
      if ((applied?.on_hand ?? 0) !== onHand) throw permanentError('stock_report_not_applied', `${sku} at ${locationId} stays at ${applied?.on_hand ?? 'none'}: ${applied?.source ?? 'another source'} reported it later than ${connectionId}'s ${onHand}`, 409);
      await deps.inventory.changed(tx, [sku]);
      const had = (drift.actual as { onHand?: number } | null)?.onHand;
      return { summary: `set ${sku} at ${locationId} to ${onHand} on hand as ${connectionId} reports it (the hub had ${had ?? 'none'})` };
    },
  };
}

/**
 * The hub's availability sent to a channel again: what the channel shows now is recorded as what it
 * was last shown (so the push compares against it rather than overwriting blindly), and the SKU is
 * scheduled for the next push.
 */
export function pushStockCorrection(deps: { inventory: Pick<InventoryForCorrections, 'changed'>; channel(connectionId: string): ChannelStockSide | undefined }): Correction {
  return {
    name: 'push-stock',
    async prepare(drift, signal) {
      const connectionId = text(drift, 'connectionId');
      const side = deps.channel(connectionId);
      if (!side) throw permanentError('stock_channel_not_configured', `${connectionId} is not a channel this hub pushes stock to`);
      const sku = text(drift, 'sku');
      return { shown: (await side.shown([sku], signal)).get(sku) ?? null };
    },
    async commit(tx, drift, prepared) {
      const { shown } = prepared as { shown: number | null };
      const connectionId = text(drift, 'connectionId');
      const sku = text(drift, 'sku');
      const row = (await listChannelLevelsOf(tx.db, [sku])).find((r) => r.connection_id === connectionId);
      if (shown !== null && row?.published_available !== shown) {
        await setChannelLevel(tx.db, { connection_id: connectionId, sku, computed: row?.computed ?? null, published_available: shown, published_at: row?.published_at ?? null, error: row?.error ?? null, updated_at: tx.now });
      }
      await deps.inventory.changed(tx, [sku]);
      return { summary: `scheduled a push of ${sku} to ${connectionId} (it showed ${shown ?? 'nothing'})` };
    },
  };
}
