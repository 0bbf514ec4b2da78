import type { ParsedInboundEvent } from '../../connectors/framework/index.js';
import type { HandlerTransaction } from '../../messaging/index.js';
import { listChannelLevelsOf, setChannelLevel, type Db } from '../../store/index.js';
import type { InboundSink } from '../inbound/index.js';
import { placeOfReport } from './locations.js';
import { applyStockReport, stockChanged, type StockDeps } from './stock.js';

type LevelEvent = Extract<ParsedInboundEvent, { kind: 'inventory-level' }>;

/** Finds the SKU of a system's item id (e.g. a Shopify inventory item the hub published). */
export type SkuResolver = (db: Db, connectionId: string, itemId: string) => Promise<string | undefined>;

/**
 * Stock reports from connections (ERP Bins, warehouse adjustments and receipts, Shopify inventory
 * levels): a report for a hub location sets its on-hand units (stale and repeated reports change
 * nothing); a channel's report of what it shows is compared with what the hub last published
 * there — a change made in the channel (not an echo of the hub's own push) is recorded and the
 * hub's number pushed again.
 */
export function inventorySink(deps: StockDeps & { skuOf?: SkuResolver | undefined }): InboundSink {
  return {
    kinds: ['inventory-level'],
    async apply(tx, event, { connection }) {
      const level = event as LevelEvent;
      const sku = level.sku ?? (level.itemId ? await deps.skuOf?.(tx.db, connection.id, level.itemId) : undefined);
      const units = level.onHand ?? level.available;
      if (!sku || units === undefined) return;
      const place = placeOfReport(deps.config, connection.id, level.locationId);
      if (place.kind === 'location') {
        await applyStockReport(tx, deps, { sku, locationId: place.locationId, onHand: units, source: connection.id, sourceVersion: level.sourceVersion ?? null, occurredAt: Date.parse(level.occurredAt) });
        return;
      }
      await channelShows(tx, deps, connection.id, sku, level.available ?? units);
    },
  };
}

async function channelShows(tx: HandlerTransaction, deps: StockDeps, connectionId: string, sku: string, shown: number): Promise<void> {
  const row = (await listChannelLevelsOf(tx.db, [sku])).find((r) => r.connection_id === connectionId);
  if (row?.published_available === shown) return;
  await setChannelLevel(tx.db, {
    connection_id: connectionId,
    sku,
    computed: row?.computed ?? null,
    published_available: shown,
    published_at: row?.published_at ?? null,
    error: row?.error ?? null,
    updated_at: tx.now,
  });
  await stockChanged(tx, deps, sku);
}
