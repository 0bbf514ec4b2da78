import { describeError, handlerFor, type HandlerRegistration } from '../../messaging/index.js';
import { clearInventoryPending, getInventoryPending, listChannelLevels, setChannelLevel, type InventoryChannelLevelRow, type Store } from '../../store/index.js';
import { channelAvailability } from './availability.js';
import type { InventoryConfig } from './config.js';
import { inventoryPush } from './messages.js';
import type { ChannelInventoryPort } from './ports.js';
import { stockOf } from './stock.js';

/** What pushing availability needs. */
export interface PushDeps {
  store: Store;
  config: InventoryConfig;
  /** The channel's port, or undefined when the connection cannot take availability. */
  port(connectionId: string): ChannelInventoryPort | undefined;
}

/** How long a channel that failed or showed a change the hub has not seen waits before the next try. */
const retryAfterFailureMs = 5_000;

/**
 * Pushes a SKU's availability to every channel whose published number differs from what the hub
 * computes now — one update per channel however many changes piled up since the push was
 * scheduled. The channel's last published number is the compare value, so a change made in the
 * channel meanwhile is not overwritten blindly: the hub records what the channel shows and tries
 * again after the interval. A failing channel is retried later and never holds up the others;
 * changes that arrive during a push schedule the next one.
 */
export function inventoryPushHandler(deps: PushDeps): HandlerRegistration {
  return handlerFor(inventoryPush, async (ctx) => {
    const { sku } = ctx.message.data;
    const db = deps.store.db;
    const pending = await getInventoryPending(db, sku);
    if (!pending) return;
    const stock = await stockOf(db, deps.config, sku);
    const previous = new Map((await listChannelLevels(db, sku)).map((row) => [row.connection_id, row]));
    const rows: InventoryChannelLevelRow[] = [];
    const published = new Set<InventoryChannelLevelRow>();
    let retryIn: number | null = null;
    for (const rule of deps.config.channels) {
      const computed = channelAvailability(rule, stock).available;
      const before = previous.get(rule.connection);
      const row: InventoryChannelLevelRow = {
        connection_id: rule.connection,
        sku,
        computed,
        published_available: before?.published_available ?? null,
        published_at: before?.published_at ?? null,
        error: null,
        updated_at: 0,
      };
      rows.push(row);
      const port = rule.push ? deps.port(rule.connection) : undefined;
      if (!port || (before?.published_available === computed && before.error === null)) continue;
      try {
        const expected = before?.published_available ?? null;
        const outcome = await port.setAvailable({ sku, available: computed, expected, idempotencyKey: `inventory:${rule.connection}:${sku}:${pending.version}:${computed}` }, ctx.signal);
        if (outcome.kind === 'set' || (outcome.kind === 'stale' && outcome.current === computed)) {
          row.published_available = computed;
          published.add(row);
        } else if (outcome.kind === 'stale') {
          row.published_available = outcome.current;
          row.error = `the channel showed ${outcome.current}, not ${expected ?? 'unknown'}: a change the hub has not seen; pushing ${computed} again after the interval`;
          retryIn = Math.min(retryIn ?? Infinity, deps.config.pushInterval);
        } else {
          row.error = `${sku} is not listed in ${rule.connection}`;
        }
      } catch (error) {
        const { code, message } = describeError(error);
        row.error = `${code}: ${message}`;
        retryIn = Math.min(retryIn ?? Infinity, Math.max(deps.config.pushInterval, retryAfterFailureMs));
      }
    }
    await ctx.commit(async (tx) => {
      for (const row of rows) await setChannelLevel(tx.db, { ...row, ...(published.has(row) ? { published_at: tx.now } : {}), updated_at: tx.now });
      const settled = retryIn === null && (await clearInventoryPending(tx.db, sku, pending.version));
      if (!settled) tx.emit(inventoryPush, { sku }, { subject: sku, orderingKey: `inventory:${sku}`, availableAt: tx.now + (retryIn ?? deps.config.pushInterval) });
    });
  });
}
