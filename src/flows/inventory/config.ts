import { z } from 'zod';
import { Duration } from '../order-to-cash/config.js';

const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'a connection id must match ^[a-z0-9][a-z0-9_-]{0,63}$' });

/** A stock location: its hub id, the names other systems give it, and the units kept back from sale. */
export const LocationConfig = z.object({
  id: z.string().min(1),
  name: z.string().min(1).optional(),
  /**
   * Other systems' names for this location: a plain name (e.g. the ERP warehouse "Stores - TR") or
   * `<connection>:<their id>` (e.g. "shop-main:88001"). Reports under these names count here.
   */
  aliases: z.array(z.string().min(1)).default([]),
  /** Units never offered for sale here (per SKU). */
  safetyStock: z.int().nonnegative().optional(),
});
export type LocationConfig = z.infer<typeof LocationConfig>;

/** What one sales channel may sell: from which locations, what share, and whether it may backorder. */
export const ChannelStockRule = z.object({
  /** The channel's connection (where availability is pushed). */
  connection: Id,
  /** Order sources that sell through this channel's stock (default: the connection id). */
  sources: z.array(z.string().min(1)).optional(),
  /** Hub locations this channel sells from (default: every location). */
  locations: z.array(z.string().min(1)).optional(),
  /** Percent of each location's available units this channel is offered (e.g. 80 for a marketplace). */
  allocation: z.number().min(0).max(100).default(100),
  /** Units kept back from this channel on top of the locations' safety stock. */
  safetyStock: z.int().nonnegative().default(0),
  /** Orders of this channel are accepted when stock is short (the shortfall is backordered). */
  backorder: z.boolean().default(false),
  /** Push availability to the channel (false: compute and show only). */
  push: z.boolean().default(true),
});
export type ChannelStockRule = z.infer<typeof ChannelStockRule>;

/** Inventory: locations, safety stock, per-channel allocation and how often changes are pushed. */
export const InventoryConfig = z.object({
  locations: z.array(LocationConfig).default([]),
  /** Units kept back at every location unless the location says otherwise. */
  safetyStock: z.int().nonnegative().default(0),
  channels: z.array(ChannelStockRule).default([]),
  /** Changes to one SKU within this window go out as one update per channel. */
  pushInterval: Duration.default(1000),
  /** Orders for a SKU the hub has no stock report for at the routed location: accept them, or hold them. */
  untracked: z.enum(['allow', 'hold']).default('allow'),
});
export type InventoryConfig = z.infer<typeof InventoryConfig>;
