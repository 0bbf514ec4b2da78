import type { Connection, ParsedInboundEvent } from '../../connectors/framework/index.js';

/** The kinds of backfill. */
export type SyncKind = 'inventory' | 'catalog';

/** One item a source listed: its canonical events, or why it could not be read. */
export type SyncItem = { ref: string; events: ParsedInboundEvent[] } | { ref: string; error: string };

/** One page a source listed, and where the next one starts (null: it was the last). */
export interface SyncPageRead {
  items: SyncItem[];
  next: string | null;
}

/**
 * A system a backfill lists a page at a time (InventorySource: warehouse stock, ERP Bins;
 * CatalogSource: ERP Items and Item Prices). The runtime builds these from the connections.
 */
export interface SyncSource {
  /** Stable within a job's plan, e.g. `wh-main:stock`. */
  readonly id: string;
  readonly kind: SyncKind;
  readonly connection: Connection;
  /** Reads up to about `limit` items from `cursor` (null: the start). */
  read(cursor: string | null, limit: number, signal: AbortSignal): Promise<SyncPageRead>;
}
