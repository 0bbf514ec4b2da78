import {
  deadLetterIds,
  getMessageWithHistory,
  listDeadLetters,
  replayDeadLetters,
  type AttemptRow,
  type AuditContext,
  type DeadLetterFilter,
  type Db,
  type MessageRow,
  type ReplayRow,
} from '../store/index.js';

/** A dead letter as the API and CLI show it. */
export interface DeadLetterView {
  id: string;
  type: string;
  subject: string | null;
  source: string;
  lane: string;
  orderingKey: string | null;
  correlationId: string;
  causationId: string | null;
  status: string;
  reason: string | null;
  lastError: unknown;
  attempts: number;
  deadAt: string;
  createdAt: string;
  payload: unknown;
  history?: { attempt: number; at: string; outcome: string; errorCode: string | null; errorMessage: string | null; worker: string | null }[];
  replays?: { at: string; actor: string; note: string | null }[];
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Shapes a stored message (and optionally its history) for display. */
export function presentDeadLetter(row: MessageRow, attempts?: AttemptRow[], replays?: ReplayRow[]): DeadLetterView {
  return {
    id: row.id,
    type: row.type,
    subject: row.subject,
    source: row.source,
    lane: row.lane,
    orderingKey: row.ordering_key,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    status: row.status,
    reason: row.dead_reason,
    lastError: parseJson(row.last_error),
    attempts: row.attempts,
    deadAt: new Date(row.updated_at).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
    payload: parseJson(row.data),
    ...(attempts
      ? {
          history: attempts.map((a) => ({
            attempt: a.attempt,
            at: new Date(a.at).toISOString(),
            outcome: a.outcome,
            errorCode: a.error_code,
            errorMessage: a.error_message,
            worker: a.worker,
          })),
        }
      : {}),
    ...(replays ? { replays: replays.map((r) => ({ at: new Date(r.at).toISOString(), actor: r.actor, note: r.note })) } : {}),
  };
}

/** A page of dead letters, oldest first, with the cursor (last sequence number) of the next page. */
export async function deadLetterPage(
  db: Db,
  filter: DeadLetterFilter,
  page: { limit: number; after?: number | undefined },
): Promise<{ data: DeadLetterView[]; next: number | null }> {
  const rows = await listDeadLetters(db, filter, { limit: page.limit + 1, after: page.after });
  const shown = rows.slice(0, page.limit);
  return {
    data: shown.map((r) => presentDeadLetter(r)),
    next: rows.length > page.limit ? (shown.at(-1)?.seq ?? null) : null,
  };
}

/** One message with its full attempt and replay history (any status), or undefined. */
export async function messageDetail(db: Db, id: string): Promise<DeadLetterView | undefined> {
  const found = await getMessageWithHistory(db, id);
  return found ? presentDeadLetter(found.message, found.attempts, found.replays) : undefined;
}

/** Replays one dead letter; 'not_dead' when the message exists but is not dead-lettered. */
export async function replayOne(
  db: Db,
  input: { id: string; actor: string; now: number; note?: string | undefined; audit?: AuditContext },
): Promise<'replayed' | 'not_found' | 'not_dead'> {
  const replayed = await replayDeadLetters(db, { ids: [input.id], actor: input.actor, now: input.now, note: input.note, audit: input.audit });
  if (replayed.length === 1) return 'replayed';
  return (await getMessageWithHistory(db, input.id)) ? 'not_dead' : 'not_found';
}

/** Replays every dead letter matching a filter (up to `max`), keeping ids and correlation ids. */
export async function replayMatching(
  db: Db,
  input: { filter: DeadLetterFilter; actor: string; now: number; max?: number; note?: string | undefined; audit?: AuditContext },
): Promise<string[]> {
  const ids = await deadLetterIds(db, input.filter, input.max ?? 10_000);
  return replayDeadLetters(db, {
    ids,
    actor: input.actor,
    now: input.now,
    note: input.note,
    audit: { ...input.audit, details: { filter: input.filter, ...input.audit?.details } },
  });
}
