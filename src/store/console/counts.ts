import type { Db } from '../messages/types.js';
import { countOrdersOnHold } from '../messages/overview.js';

/** Counts the console shows live beside the message backlog: held orders, open drift, unmatched settlement lines, open alerts. */
export async function consoleCounts(db: Db): Promise<{ ordersOnHold: number; openDrift: number; unmatchedSettlementLines: number; openAlerts: number }> {
  const [ordersOnHold, drift, unmatched, alerts] = await Promise.all([
    countOrdersOnHold(db),
    db.selectFrom('reconciliation_drift').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow(),
    db.selectFrom('settlement_matches').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'unmatched').executeTakeFirstOrThrow(),
    db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow(),
  ]);
  return { ordersOnHold, openDrift: Number(drift.n), unmatchedSettlementLines: Number(unmatched.n), openAlerts: Number(alerts.n) };
}
