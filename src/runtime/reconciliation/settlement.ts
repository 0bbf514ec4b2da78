import type { Connection, Connections, ShopifyClient, StripeClient } from '../../connectors/index.js';
import { fetchPayoutsCorrection, rematchCorrection, settlementCheck, type RecentPayoutLister, type ReconciliationCheck, type Settlement, type SettlementConfig } from '../../flows/index.js';
import type { Clock } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { settlementSourcesFromConnections } from '../settlement-sources/index.js';
import type { ReconciliationPart } from './part.js';

/** Shopify Payments' payouts dated on or after a day (`GET shopify_payments/payouts.json?date_min=`), by id. */
function shopifyRecentPayouts(connection: Connection): RecentPayoutLister {
  const client = connection.instance.client as ShopifyClient;
  return async (since, signal) => {
    const payouts = await client.payouts({ dateMin: new Date(since).toISOString().slice(0, 10), limit: 250 }, signal);
    return payouts.flatMap((p) => (p && typeof p === 'object' && 'id' in p ? [String((p as { id: unknown }).id)] : []));
  };
}

/** Stripe's paid payouts created since a moment (`GET /v1/payouts?created[gte]=`, every page), by id; pending, failed and canceled ones are left to their webhooks. */
function stripeRecentPayouts(connection: Connection, clock: Clock): RecentPayoutLister {
  const client = connection.instance.client as StripeClient;
  return async (since, signal) => {
    // A day past now on the upper bound, so a clock behind Stripe's does not hide a payout just made.
    const range = { from: Math.floor(since / 1000), to: Math.ceil(clock.now() / 1000) + 86_400 };
    const ids: string[] = [];
    for await (const page of client.payoutsCreated(range, signal)) ids.push(...page.filter((p) => p.status === 'paid').map((p) => p.id));
    return ids;
  };
}

/** How a connection's recent payouts are listed, when its API (as the hub's client speaks it) can. */
function recentPayoutsOf(connection: Connection | undefined, clock: Clock): RecentPayoutLister | undefined {
  if (connection?.system === 'shopify') return shopifyRecentPayouts(connection);
  if (connection?.system === 'stripe') return stripeRecentPayouts(connection, clock);
  return undefined;
}

/**
 * Captured against settled for each connection with a settlement source: the hub's captures at it
 * (by the connection's system, the provider its payment steps and capture entries name) that no payout
 * line shows after the settlement delay, and its unmatched settlement lines; with re-matching and, where
 * the provider can list its payouts and the settlement flow runs, a re-read of the payouts the hub lacks.
 */
export function settlementReconciliation(deps: { store: Store; clock: Clock; connections: Connections; config?: SettlementConfig | undefined; settlement?: Pick<Settlement, 'recordFetched'> | undefined }): ReconciliationPart {
  const sources = settlementSourcesFromConnections(deps.connections);
  const delayMs = deps.config?.delay ?? 7 * 86_400_000;
  const checks: ReconciliationCheck[] = [];
  for (const connection of deps.connections.values()) {
    if (!sources(connection.id)) continue;
    const canFetch = deps.settlement !== undefined && recentPayoutsOf(connection, deps.clock) !== undefined;
    const fix = canFetch
      ? { correction: 'fetch-payouts' }
      : { note: `${connection.id} cannot list its payouts through the hub's client: a payout whose webhook was missed cannot be read back; replay the payout webhook or wait for the payout` };
    checks.push(settlementCheck({ store: deps.store, clock: deps.clock, connectionId: connection.id, providers: [connection.system], delayMs, fix }));
  }
  const corrections = [rematchCorrection()];
  if (deps.settlement) corrections.push(fetchPayoutsCorrection({ store: deps.store, sources, recent: (id) => recentPayoutsOf(deps.connections.get(id), deps.clock), settlement: deps.settlement }));
  return { checks, corrections };
}
