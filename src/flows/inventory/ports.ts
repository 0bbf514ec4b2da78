/** What pushing availability to a channel answered. */
export type SetAvailableOutcome =
  /** The channel now shows the quantity. */
  | { kind: 'set' }
  /** The channel's quantity was not the expected one (a change the hub has not seen yet): nothing was written. */
  | { kind: 'stale'; current: number }
  /** The channel does not list the SKU (not published there). */
  | { kind: 'not-listed' };

/** A sales channel that shows availability (InventorySink): Shopify, marketplaces… */
export interface ChannelInventoryPort {
  readonly connectionId: string;
  /**
   * Sets the quantity the channel offers, only if it still shows `expected` (null: unknown, no
   * check). Idempotent per key.
   */
  setAvailable(input: SetAvailableRequest, signal: AbortSignal): Promise<SetAvailableOutcome>;
  /** The same for many SKUs in as few calls as the channel allows; outcomes in input order. */
  setAvailableMany?(inputs: readonly SetAvailableRequest[], signal: AbortSignal): Promise<SetAvailableOutcome[]>;
}

/** The quantity a channel should show for a SKU, and what the hub believes it shows now. */
export interface SetAvailableRequest {
  sku: string;
  available: number;
  expected: number | null;
  idempotencyKey: string;
}
