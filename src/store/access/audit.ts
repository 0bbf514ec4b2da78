import type { Insertable, Selectable } from 'kysely';
import type { AuditLogTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** An audit entry as stored. */
export type AuditRow = Selectable<AuditLogTable>;
/** An audit entry to record. */
export type NewAuditRow = Omit<Insertable<AuditLogTable>, 'seq'>;

/** Who performs an admin action: a name for the log and, over HTTP, the request id. */
export interface AuditActor {
  name: string;
  requestId?: string | undefined;
}

/** Builds an audit entry; `before`/`after` are serialised as JSON (null when absent). Never pass secrets. */
export function auditEntry(input: {
  at: number;
  actor: AuditActor;
  action: string;
  resourceType: string;
  resourceId: string | null;
  before?: unknown;
  after?: unknown;
}): NewAuditRow {
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  return {
    at: input.at,
    actor: input.actor.name,
    action: input.action,
    resource_type: input.resourceType,
    resource_id: input.resourceId,
    before: json(input.before),
    after: json(input.after),
    request_id: input.actor.requestId ?? null,
  };
}

/** Records admin actions; call inside the transaction that performs them. */
export async function appendAudit(db: Db, rows: NewAuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('audit_log').values(rows).execute();
}

/** Filters for reading the audit log; all optional, combined with AND. */
export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
}

/** Audit entries newest first, paging by sequence number (`before` is exclusive). */
export async function listAudit(db: Db, filter: AuditFilter, page: { limit: number; before?: number | undefined }): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.actor) q = q.where('actor', '=', filter.actor);
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.resourceType) q = q.where('resource_type', '=', filter.resourceType);
  if (filter.resourceId) q = q.where('resource_id', '=', filter.resourceId);
  if (filter.since !== undefined) q = q.where('at', '>=', filter.since);
  if (filter.until !== undefined) q = q.where('at', '<', filter.until);
  if (page.before !== undefined) q = q.where('seq', '<', page.before);
  return q.orderBy('seq', 'desc').limit(page.limit).execute();
}
