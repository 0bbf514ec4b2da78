import type { Db } from '../messages/types.js';

/** Counts the console shows live beside the message backlog: held orders, open drift, unmatched settlement lines (each an indexed count). */
export async function consoleCounts(db: Db): Promise<{ ordersOnHold: number; openDrift: number; unmatchedSettlementLines: number }> {
  const [held, drift, unmatched] = await Promise.all([
    db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'on_hold').executeTakeFirstOrThrow(),
    db.selectFrom('reconciliation_drift').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow(),
    db.selectFrom('settlement_matches').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'unmatched').executeTakeFirstOrThrow(),
  ]);
  return { ordersOnHold: Number(held.n), openDrift: Number(drift.n), unmatchedSettlementLines: Number(unmatched.n) };
}
