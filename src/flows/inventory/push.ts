import type { Clock } from '../../model/index.js';
import { describeError } from '../../messaging/index.js';
import { claimDuePending, listChannelLevelsOf, setChannelLevel, settleInventoryPending, type ClaimedSku, type InventoryChannelLevelRow, type Store } from '../../store/index.js';
import { channelAvailability, type LocationStock } from './availability.js';
import type { ChannelStockRule, InventoryConfig } from './config.js';
import type { ChannelInventoryPort, SetAvailableOutcome, SetAvailableRequest } from './ports.js';
import { stockOfMany } from './stock.js';

/** What pushing availability needs. */
export interface PushDeps {
  store: Store;
  clock: Clock;
  config: InventoryConfig;
  /** The channel's port, or undefined when the connection cannot take availability. */
  port(connectionId: string): ChannelInventoryPort | undefined;
}

/** How long a channel that failed waits before the next try. */
const retryAfterFailureMs = 5_000;
/** SKUs pushed together (Shopify takes 250 quantities per call). */
const batchSize = 250;
/** How long a claim holds a SKU against other pushers (a crashed pusher's SKUs are taken up after it). */
const claimMs = 60_000;

/** Pushes SKUs whose availability changed to the channels, a batch at a time. */
export interface InventoryPusher {
  /** Pushes one batch of due SKUs; how many it took. */
  pushDue(signal?: AbortSignal): Promise<number>;
  /** The most SKUs one batch takes (a full batch means more may be due). */
  batchSize: number;
}

/**
 * Pushes availability to every channel whose published number differs from what the hub computes
 * now, for each SKU whose first unpushed change is an interval old — one update per SKU and channel
 * however many changes piled up, in one call per channel where the channel allows it. The
 * channel's last published number is the compare value, so a change made in the channel meanwhile
 * is not overwritten blindly: the hub records what the channel shows and pushes again after the
 * interval. A failing channel is retried a few seconds later and never holds up the others. SKUs
 * are claimed before a push, so several hub processes never push one at the same time; a change
 * during a push leaves its SKU pending for the next.
 */
export function createInventoryPusher(deps: PushDeps): InventoryPusher {
  const pushDue = async (signal: AbortSignal = new AbortController().signal): Promise<number> => {
    if (deps.config.channels.length === 0) return 0;
    const now = deps.clock.now();
    const claims = await claimDuePending(deps.store.db, deps.store.dialect, { now, dueBy: now - deps.config.pushInterval, until: now + claimMs, limit: batchSize });
    if (claims.length === 0) return 0;
    const { rows, published, retryIn } = await pushClaimed(deps, claims, signal);
    await deps.store.db.transaction().execute(async (db) => {
      const at = deps.clock.now();
      for (const row of rows) await setChannelLevel(db, { ...row, ...(published.has(row) ? { published_at: at } : {}), updated_at: at });
      for (const claim of claims) {
        const wait = retryIn.get(claim.sku);
        await settleInventoryPending(db, claim, at, wait === undefined ? null : at + wait);
      }
    });
    return claims.length;
  };

  return { pushDue, batchSize };
}

async function pushClaimed(deps: PushDeps, claims: ClaimedSku[], signal: AbortSignal) {
  const skus = claims.map((c) => c.sku);
  const stock = await stockOfMany(deps.store.db, deps.config, skus);
  const previous = new Map((await listChannelLevelsOf(deps.store.db, skus)).map((row) => [`${row.connection_id}\n${row.sku}`, row]));
  const rows: InventoryChannelLevelRow[] = [];
  const published = new Set<InventoryChannelLevelRow>();
  const retryIn = new Map<string, number>();
  const retry = (sku: string, ms: number) => retryIn.set(sku, Math.min(retryIn.get(sku) ?? Infinity, ms));
  for (const rule of deps.config.channels) {
    const port = rule.push ? deps.port(rule.connection) : undefined;
    const wanted: { request: SetAvailableRequest; row: InventoryChannelLevelRow }[] = [];
    for (const { sku, version } of claims) {
      const before = previous.get(`${rule.connection}\n${sku}`);
      const row = channelRow(rule, sku, stock.get(sku)!, before);
      rows.push(row);
      if (!port || (before?.published_available === row.computed && before.error === null)) continue;
      wanted.push({ row, request: { sku, available: row.computed!, expected: row.published_available, idempotencyKey: `inventory:${rule.connection}:${sku}:${version}:${row.computed}` } });
    }
    if (!port || wanted.length === 0) continue;
    try {
      const outcomes = await setMany(port, wanted.map((w) => w.request), signal);
      wanted.forEach(({ row, request }, i) => {
        const outcome = outcomes[i]!;
        if (outcome.kind === 'set' || (outcome.kind === 'stale' && outcome.current === request.available)) {
          row.published_available = request.available;
          published.add(row);
        } else if (outcome.kind === 'stale') {
          row.published_available = outcome.current;
          row.error = `the channel showed ${outcome.current}, not ${request.expected ?? 'unknown'}: a change the hub has not seen; pushing ${request.available} again after the interval`;
          retry(row.sku, deps.config.pushInterval);
        } else {
          row.error = `${row.sku} is not listed in ${rule.connection}`;
        }
      });
    } catch (error) {
      const { code, message } = describeError(error);
      for (const { row } of wanted) {
        row.error = `${code}: ${message}`;
        retry(row.sku, Math.max(deps.config.pushInterval, retryAfterFailureMs));
      }
    }
  }
  return { rows, published, retryIn };
}

function channelRow(rule: ChannelStockRule, sku: string, stock: LocationStock[], before: InventoryChannelLevelRow | undefined): InventoryChannelLevelRow {
  return {
    connection_id: rule.connection,
    sku,
    computed: channelAvailability(rule, stock).available,
    published_available: before?.published_available ?? null,
    published_at: before?.published_at ?? null,
    error: null,
    updated_at: 0,
  };
}

async function setMany(port: ChannelInventoryPort, requests: SetAvailableRequest[], signal: AbortSignal): Promise<SetAvailableOutcome[]> {
  if (port.setAvailableMany) return port.setAvailableMany(requests, signal);
  const outcomes: SetAvailableOutcome[] = [];
  for (const request of requests) outcomes.push(await port.setAvailable(request, signal));
  return outcomes;
}
