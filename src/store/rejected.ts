import type { Db } from './messages/types.js';

/** Keeps a payload that was rejected, with the reasons, for diagnosis and replay. */
export async function insertRejectedPayload(
  db: Db,
  row: { id: string; kind: string; source: string | null; receivedAt: number; reason: unknown; raw: string },
): Promise<void> {
  await db
    .insertInto('rejected_payloads')
    .values({
      id: row.id,
      kind: row.kind,
      source: row.source,
      received_at: row.receivedAt,
      reason: JSON.stringify(row.reason),
      raw: row.raw,
    })
    .execute();
}
