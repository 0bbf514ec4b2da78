import { messageStatus, type Db } from './types.js';

/** Messages waiting or in flight per lane, and dead letters, for metrics and readiness. */
export async function messageBacklog(db: Db): Promise<{ lanes: Record<string, number>; dead: number }> {
  const rows = await db
    .selectFrom('messages')
    .select(['lane', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', [messageStatus.pending, messageStatus.leased, messageStatus.dead])
    .groupBy(['lane', 'status'])
    .execute();
  const lanes: Record<string, number> = {};
  let dead = 0;
  for (const row of rows) {
    const n = Number(row.n);
    if (row.status === messageStatus.dead) dead += n;
    else lanes[row.lane] = (lanes[row.lane] ?? 0) + n;
  }
  return { lanes, dead };
}

/** Counts messages by status; used by tests and the CLI. */
export async function countMessagesByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('messages')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
