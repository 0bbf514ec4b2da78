import type { Clock, IdGenerator } from '../../model/index.js';
import {
  appendAudit,
  auditEntry,
  type AuditActor,
  getSubscription,
  insertSubscription,
  listDeliveryAttempts,
  listSubscriptions,
  replaceSubscriptionSecret,
  setSubscriptionStatus,
  subscriptionStatus,
  type Db,
  type DeliveryAttemptRow,
  type Store,
  type SubscriptionRow,
} from '../../store/index.js';
import type { DeliveryAttemptView, NewSubscription, SubscriptionView } from './schemas.js';
import { newSigningSecret } from './signature.js';

/** Who performs a subscription change, for the audit log. */
export type SubscriptionActor = AuditActor;

/** How long a replaced secret keeps signing deliveries (beside the new one) after a rotation. */
export const previousSecretGraceMs = 24 * 3_600_000;

/** Shapes a stored subscription for display: never the secret. */
export function presentSubscription(row: SubscriptionRow): SubscriptionView {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    description: row.description,
    status: row.status as SubscriptionView['status'],
    statusReason: row.status_reason,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Shapes a delivery log row for display. */
export function presentDeliveryAttempt(row: DeliveryAttemptRow): DeliveryAttemptView {
  return {
    messageId: row.message_id,
    eventId: row.event_id,
    eventType: row.event_type,
    attempt: row.attempt,
    at: new Date(row.at).toISOString(),
    statusCode: row.status_code,
    durationMs: row.duration_ms,
    delivered: row.status_code !== null && row.status_code >= 200 && row.status_code < 300,
    error: row.error,
  };
}

function audit(db: Db, entry: { at: number; actor: SubscriptionActor; action: string; id: string; before: SubscriptionView | null; after: SubscriptionView | null }) {
  return appendAudit(db, [
    auditEntry({ at: entry.at, actor: entry.actor, action: entry.action, resourceType: 'subscription', resourceId: entry.id, before: entry.before, after: entry.after }),
  ]);
}

/** Changes a subscription's status with an audit entry; false when it is missing, deleted or (with `onlyFrom`) in another status. */
export async function changeSubscriptionStatus(
  db: Db,
  input: { id: string; status: string; reason: string | null; now: number; actor: SubscriptionActor; action: string; onlyFrom?: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const before = await getSubscription(trx, input.id);
    if (!before) return false;
    const changed = await setSubscriptionStatus(trx, { id: input.id, status: input.status, reason: input.reason, now: input.now, ...(input.onlyFrom ? { onlyFrom: input.onlyFrom } : {}) });
    if (!changed) return false;
    const after = { ...before, status: input.status, status_reason: input.reason, updated_at: input.now };
    await audit(trx, { at: input.now, actor: input.actor, action: input.action, id: input.id, before: presentSubscription(before), after: presentSubscription(after) });
    return true;
  });
}

/** Event subscriptions: create (secret shown once), list, read, delete, rotate the secret, read the delivery log. */
export interface Subscriptions {
  create(input: NewSubscription, actor: SubscriptionActor): Promise<SubscriptionView & { secret: string }>;
  list(options?: { includeDeleted?: boolean }): Promise<SubscriptionView[]>;
  get(id: string): Promise<SubscriptionView | undefined>;
  remove(id: string, actor: SubscriptionActor): Promise<'deleted' | 'not_found'>;
  rotateSecret(id: string, actor: SubscriptionActor): Promise<(SubscriptionView & { secret: string }) | undefined>;
  deliveries(id: string, page: { limit: number; before?: number | undefined }): Promise<{ data: DeliveryAttemptView[]; next: number | null } | undefined>;
}

/** Creates the subscription service over a store. */
export function createSubscriptions(deps: { store: Store; clock: Clock; newId: IdGenerator }): Subscriptions {
  const { store, clock } = deps;
  return {
    async create(input, actor) {
      const now = clock.now();
      const secret = newSigningSecret();
      const row: SubscriptionRow = {
        id: deps.newId('sub'),
        url: input.url,
        events: JSON.stringify([...new Set(input.events)]),
        description: input.description ?? null,
        secret,
        previous_secret: null,
        previous_secret_until: null,
        status: subscriptionStatus.active,
        status_reason: null,
        created_at: now,
        created_by: actor.name,
        updated_at: now,
      };
      const view = presentSubscription(row);
      await store.db.transaction().execute(async (trx) => {
        await insertSubscription(trx, row);
        await audit(trx, { at: now, actor, action: 'subscription.create', id: row.id, before: null, after: view });
      });
      return { ...view, secret };
    },

    async list(options = {}) {
      return (await listSubscriptions(store.db, options)).map(presentSubscription);
    },

    async get(id) {
      const row = await getSubscription(store.db, id);
      return row ? presentSubscription(row) : undefined;
    },

    async remove(id, actor) {
      const deleted = await changeSubscriptionStatus(store.db, {
        id,
        status: subscriptionStatus.deleted,
        reason: 'deleted through the API',
        now: clock.now(),
        actor,
        action: 'subscription.delete',
      });
      return deleted ? 'deleted' : 'not_found';
    },

    async rotateSecret(id, actor) {
      const now = clock.now();
      const secret = newSigningSecret();
      return store.db.transaction().execute(async (trx) => {
        const before = await getSubscription(trx, id);
        if (!before || before.status === subscriptionStatus.deleted) return undefined;
        await replaceSubscriptionSecret(trx, { id, secret, previous: before.secret, previousUntil: now + previousSecretGraceMs, now });
        const view = presentSubscription({ ...before, updated_at: now });
        await audit(trx, { at: now, actor, action: 'subscription.rotate_secret', id, before: presentSubscription(before), after: view });
        return { ...view, secret };
      });
    },

    async deliveries(id, page) {
      if (!(await getSubscription(store.db, id))) return undefined;
      const rows = await listDeliveryAttempts(store.db, id, { limit: page.limit + 1, before: page.before });
      const shown = rows.slice(0, page.limit);
      return { data: shown.map(presentDeliveryAttempt), next: rows.length > page.limit ? (shown.at(-1)?.seq ?? null) : null };
    },
  };
}
