import type { Dialect } from '../dialect.js';
import { messageStatus, type Db, type MessageRow } from './types.js';

/** What a worker asks for when it leases work from one lane. */
export interface LeaseRequest {
  lane: string;
  owner: string;
  limit: number;
  now: number;
  leaseMs: number;
}

/**
 * Leases up to `limit` ready messages of a lane, oldest first. A message with an ordering key is
 * ready only when no earlier message with that key is still pending or leased, so each key is
 * handled one message at a time, in order. On PostgreSQL rows are claimed with SKIP LOCKED so
 * several processes can share the queue.
 */
export async function leaseMessages(db: Db, dialect: Dialect, request: LeaseRequest): Promise<MessageRow[]> {
  const { lane, owner, limit, now, leaseMs } = request;
  const candidates = db
    .selectFrom('messages as m')
    .select('m.seq')
    .where('m.lane', '=', lane)
    .where('m.status', '=', messageStatus.pending)
    .where('m.available_at', '<=', now)
    .where((eb) =>
      eb.or([
        eb('m.ordering_key', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('messages as p')
              .select('p.seq')
              .whereRef('p.ordering_key', '=', 'm.ordering_key')
              .whereRef('p.seq', '<', 'm.seq')
              .where('p.status', 'in', [messageStatus.pending, messageStatus.leased]),
          ),
        ),
      ]),
    )
    .orderBy('m.seq')
    .limit(limit)
    .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());

  const rows = await db
    .updateTable('messages')
    .set((eb) => ({
      status: messageStatus.leased,
      lease_owner: owner,
      lease_expires_at: now + leaseMs,
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('seq', 'in', candidates)
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.seq - b.seq);
}
