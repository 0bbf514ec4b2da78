import type { Selectable } from 'kysely';
import type { MessageEditsTable } from '../schema.js';
import { appendAudit, auditEntry } from '../access/audit.js';
import type { AuditContext } from './dead-letters.js';
import { messageStatus, type Db, type MessageRow } from './types.js';

/** One recorded payload edit of a message (before and after as stored JSON text). */
export type EditRow = Omit<Selectable<MessageEditsTable>, 'seq' | 'message_id'>;

/**
 * Replaces a dead letter's payload and records the before/after in the message's edit history and
 * in the audit log, in one transaction. 'not_dead' when the message exists but is not dead-lettered.
 */
export async function editDeadLetterPayload(
  db: Db,
  input: { id: string; data: string; actor: string; now: number; note?: string | undefined; audit?: AuditContext | undefined },
): Promise<{ outcome: 'edited'; message: MessageRow } | { outcome: 'not_found' | 'not_dead' }> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('messages').select(['data', 'status']).where('id', '=', input.id).executeTakeFirst();
    if (!current) return { outcome: 'not_found' as const };
    if (current.status !== messageStatus.dead) return { outcome: 'not_dead' as const };
    const updated = await trx
      .updateTable('messages')
      .set({ data: input.data })
      .where('id', '=', input.id)
      .where('status', '=', messageStatus.dead)
      .where('data', '=', current.data)
      .returningAll()
      .executeTakeFirst();
    // Changed by someone else between the read and the write: report its status as it is now.
    if (!updated) return { outcome: 'not_dead' as const };
    await trx
      .insertInto('message_edits')
      .values({ message_id: input.id, at: input.now, actor: input.actor, note: input.note ?? null, before: current.data, after: input.data })
      .execute();
    await appendAudit(trx, [
      auditEntry({
        at: input.now,
        actor: { name: input.actor, requestId: input.audit?.requestId },
        action: 'dead_letter.edit_payload',
        resourceType: 'message',
        resourceId: input.id,
        before: { payload: parseJson(current.data) },
        after: { payload: parseJson(input.data), note: input.note ?? null, ...input.audit?.details },
      }),
    ]);
    return { outcome: 'edited' as const, message: updated };
  });
}

/** A message's payload edits, oldest first. */
export async function listMessageEdits(db: Db, id: string): Promise<EditRow[]> {
  return db.selectFrom('message_edits').select(['at', 'actor', 'note', 'before', 'after']).where('message_id', '=', id).orderBy('seq').execute();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
