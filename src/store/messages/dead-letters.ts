import { sql, type Selectable } from 'kysely';
import type { MessageAttemptsTable, MessageReplaysTable } from '../schema.js';
import { appendAudit, auditEntry } from '../access/audit.js';
import { messageStatus, type Db, type MessageRow } from './types.js';

/** Extra context recorded in the audit entry of a replay. */
export interface AuditContext {
  requestId?: string | undefined;
  details?: Record<string, unknown>;
}

/** Filters for listing and bulk-replaying dead letters; all optional, combined with AND. */
export interface DeadLetterFilter {
  type?: string | undefined;
  correlationId?: string | undefined;
  subject?: string | undefined;
  reason?: string | undefined;
  errorCode?: string | undefined;
  /** Dead-lettered at or after this time (epoch ms). */
  since?: number | undefined;
  until?: number | undefined;
}

/** One recorded attempt of a message. */
export type AttemptRow = Omit<Selectable<MessageAttemptsTable>, 'seq' | 'message_id'>;

/** One recorded replay of a message. */
export type ReplayRow = Omit<Selectable<MessageReplaysTable>, 'seq' | 'message_id'>;

function applyFilter<QB extends import('kysely').SelectQueryBuilder<import('../schema.js').Schema, 'messages', object>>(
  qb: QB,
  filter: DeadLetterFilter,
): QB {
  let q = qb.where('status', '=', messageStatus.dead) as QB;
  if (filter.type) q = q.where('type', '=', filter.type) as QB;
  if (filter.correlationId) q = q.where('correlation_id', '=', filter.correlationId) as QB;
  if (filter.subject) q = q.where('subject', '=', filter.subject) as QB;
  if (filter.reason) q = q.where(contains('dead_reason', filter.reason)) as QB;
  if (filter.errorCode) q = q.where(contains('last_error', `"code":${JSON.stringify(filter.errorCode)}`)) as QB;
  if (filter.since !== undefined) q = q.where('updated_at', '>=', filter.since) as QB;
  if (filter.until !== undefined) q = q.where('updated_at', '<', filter.until) as QB;
  return q;
}

/** `column LIKE %text%` with the text matched literally (its % and _ escaped), on both engines. */
function contains(column: 'dead_reason' | 'last_error', text: string) {
  const pattern = `%${text.replace(/[!%_]/g, '!$&')}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '!'`;
}

/** Lists dead letters oldest first, paging by message sequence number (`after` is exclusive). */
export async function listDeadLetters(
  db: Db,
  filter: DeadLetterFilter,
  page: { limit: number; after?: number | undefined },
): Promise<MessageRow[]> {
  let q = applyFilter(db.selectFrom('messages').selectAll(), filter);
  if (page.after !== undefined) q = q.where('seq', '>', page.after);
  return q.orderBy('seq').limit(page.limit).execute();
}

/** Ids of the dead letters matching a filter (at most `limit`), for bulk replay. */
export async function deadLetterIds(db: Db, filter: DeadLetterFilter, limit: number): Promise<string[]> {
  const rows = await applyFilter(db.selectFrom('messages').select('id'), filter).orderBy('seq').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** A message with its attempt and replay history, or undefined. */
export async function getMessageWithHistory(
  db: Db,
  id: string,
): Promise<{ message: MessageRow; attempts: AttemptRow[]; replays: ReplayRow[] } | undefined> {
  const message = await db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!message) return undefined;
  const attempts = await db
    .selectFrom('message_attempts')
    .select(['attempt', 'at', 'outcome', 'error_code', 'error_message', 'worker'])
    .where('message_id', '=', id)
    .orderBy('seq')
    .execute();
  const replays = await db
    .selectFrom('message_replays')
    .select(['at', 'actor', 'note'])
    .where('message_id', '=', id)
    .orderBy('seq')
    .execute();
  return { message, attempts, replays };
}

/**
 * Puts dead letters back in their queue with a fresh retry budget, keeping their id, correlation
 * id and history, and records who replayed them. Returns the ids actually replayed.
 */
export async function replayDeadLetters(
  db: Db,
  input: { ids: string[]; actor: string; now: number; note?: string | undefined; audit?: AuditContext | undefined },
): Promise<string[]> {
  if (input.ids.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const replayed: string[] = [];
    for (let i = 0; i < input.ids.length; i += 500) {
      const chunk = input.ids.slice(i, i + 500);
      const rows = await trx
        .updateTable('messages')
        .set({
          status: messageStatus.pending,
          attempts: 0,
          available_at: input.now,
          dead_reason: null,
          updated_at: input.now,
        })
        .where('id', 'in', chunk)
        .where('status', '=', messageStatus.dead)
        .returning('id')
        .execute();
      replayed.push(...rows.map((r) => r.id));
    }
    if (replayed.length > 0) {
      await trx
        .insertInto('message_replays')
        .values(replayed.map((id) => ({ message_id: id, at: input.now, actor: input.actor, note: input.note ?? null })))
        .execute();
      await appendAudit(trx, [
        auditEntry({
          at: input.now,
          actor: { name: input.actor, requestId: input.audit?.requestId },
          action: replayed.length === 1 && input.ids.length === 1 ? 'dead_letter.replay' : 'dead_letter.replay_bulk',
          resourceType: 'message',
          resourceId: replayed.length === 1 ? (replayed[0] as string) : null,
          before: { status: messageStatus.dead },
          after: { status: messageStatus.pending, replayed, note: input.note ?? null, ...input.audit?.details },
        }),
      ]);
    }
    return replayed;
  });
}
