import { createHash } from 'node:crypto';
import type { Clock, IdGenerator, Order } from '../../model/index.js';
import {
  appendTimeline,
  createBatcher,
  findIdempotencyRecords,
  findOrdersByExternalIds,
  insertIdempotencyRecords,
  insertOrders,
  type Db,
  type IdempotencyRecord,
  type NewOrderRow,
  type Store,
} from '../../store/index.js';
import { createMessage, writeToOutbox, type OutgoingMessage } from '../../messaging/index.js';
import { orderAccepted } from './messages.js';

/** One validated order submission. */
export interface IntakeRequest {
  order: Order;
  /** Who submitted it; idempotency keys are scoped to the principal. */
  principal: string;
  idempotencyKey?: string | undefined;
  /** The system the order came through, for the timeline ('api', 'shopify', …). */
  via: string;
  traceparent?: string | undefined;
}

/** The HTTP-shaped answer to a submission. */
export interface IntakeResult {
  statusCode: number;
  body: Record<string, unknown>;
  /** True when this is the stored first response to a repeated Idempotency-Key. */
  replayed: boolean;
}

/** Accepts orders durably with group commit, deduplicated by idempotency key and (source, externalId). */
export interface OrderIntake {
  submit(request: IntakeRequest): Promise<IntakeResult>;
  drain(): Promise<void>;
}

/** A stable hash of an order's content (its canonical JSON): the same order sent twice hashes the same. */
export function orderHash(orderJson: string): string {
  return createHash('sha256').update(orderJson).digest('base64url');
}

const problemBase = 'https://tillbridge.dev/problems/';

function keyReusedResult(key: string): IntakeResult {
  return {
    statusCode: 422,
    replayed: false,
    body: {
      type: `${problemBase}idempotency-key-reused`,
      title: 'Idempotency-Key reused with a different body',
      status: 422,
      detail: `the Idempotency-Key ${JSON.stringify(key)} was first used with a different request body`,
    },
  };
}

function duplicateResult(existing: { id: string; status: string; sameBody: boolean }, order: Order): IntakeResult {
  if (existing.sameBody) {
    return {
      statusCode: 200,
      replayed: false,
      body: { id: existing.id, status: existing.status, source: order.source, externalId: order.externalId, duplicate: true },
    };
  }
  return {
    statusCode: 409,
    replayed: false,
    body: {
      type: `${problemBase}order-exists`,
      title: 'Order already exists',
      status: 409,
      detail: `order ${order.source}/${order.externalId} already exists as ${existing.id} with different content`,
      orderId: existing.id,
    },
  };
}

type Pending =
  | { kind: 'final'; result: IntakeResult }
  | { kind: 'same-key-as'; index: number; hash: string };

interface Prepared {
  request: IntakeRequest;
  /** The order as canonical JSON: stored as the order's data and hashed, serialised once. */
  json: string;
  hash: string;
}

/**
 * Creates the intake. Concurrent submissions are gathered and committed in one transaction
 * (group commit): each is answered only after the commit that makes it durable.
 */
export function createOrderIntake(deps: {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  onAccepted?: () => void;
  maxBatch?: number;
}): OrderIntake {
  const batcher = createBatcher<Prepared, IntakeResult>(
    async (items) => {
      const results = await commitBatch(items);
      if (results.some((r) => r.statusCode === 201)) deps.onAccepted?.();
      return results;
    },
    { maxBatch: deps.maxBatch ?? 512, concurrency: deps.store.dialect === 'postgres' ? 4 : 1 },
  );
  const commitBatch = async (items: Prepared[]): Promise<IntakeResult[]> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await deps.store.db.transaction().execute((trx) => processBatch(trx, items, deps));
      } catch (error) {
        if (!(error instanceof IdempotencyRace) || attempt >= 5) throw error;
      }
    }
  };
  return {
    submit: (request) => {
      const json = JSON.stringify(request.order);
      return batcher.submit({ request, json, hash: orderHash(json) });
    },
    drain: () => batcher.drain(),
  };
}

async function processBatch(
  db: Db,
  items: Prepared[],
  deps: { clock: Clock; newId: IdGenerator },
): Promise<IntakeResult[]> {
  const now = deps.clock.now();
  const pending: (Pending | undefined)[] = new Array(items.length);
  const keyOf = (r: IntakeRequest) => `${r.principal}\u0000${r.idempotencyKey}`;
  const orderKeyOf = (o: Order) => `${o.source}\u0000${o.externalId}`;

  const keyed = items.filter((i) => i.request.idempotencyKey !== undefined);
  const records = new Map<string, IdempotencyRecord>();
  for (const record of await findIdempotencyRecords(
    db,
    keyed.map((i) => ({ principal: i.request.principal, key: i.request.idempotencyKey as string })),
  )) {
    records.set(`${record.principal}\u0000${record.key}`, record);
  }

  const firstWithKey = new Map<string, number>();
  const toCheck: number[] = [];
  items.forEach((item, index) => {
    const { request } = item;
    if (request.idempotencyKey !== undefined) {
      const k = keyOf(request);
      const record = records.get(k);
      if (record) {
        pending[index] = {
          kind: 'final',
          result:
            record.request_hash === item.hash
              ? { statusCode: record.status_code, body: JSON.parse(record.response), replayed: true }
              : keyReusedResult(request.idempotencyKey),
        };
        return;
      }
      const first = firstWithKey.get(k);
      if (first !== undefined) {
        pending[index] = { kind: 'same-key-as', index: first, hash: item.hash };
        return;
      }
      firstWithKey.set(k, index);
    }
    toCheck.push(index);
  });

  const existing = new Map(
    (
      await findOrdersByExternalIds(
        db,
        toCheck.map((i) => ({ source: items[i]!.request.order.source, externalId: items[i]!.request.order.externalId })),
      )
    ).map((row) => [`${row.source}\u0000${row.external_id}`, row]),
  );

  const created = new Map<string, { id: string; hash: string }>();
  const rows: (NewOrderRow & { index: number })[] = [];
  for (const index of toCheck) {
    const { request, json, hash } = items[index]!;
    const order = request.order;
    const k = orderKeyOf(order);
    const found = existing.get(k);
    if (found) {
      pending[index] = { kind: 'final', result: duplicateResult({ id: found.id, status: found.status, sameBody: found.body_hash === hash }, order) };
      continue;
    }
    const sibling = created.get(k);
    if (sibling) {
      pending[index] = { kind: 'final', result: duplicateResult({ id: sibling.id, status: 'accepted', sameBody: sibling.hash === hash }, order) };
      continue;
    }
    const id = deps.newId('ord');
    created.set(k, { id, hash });
    rows.push({
      index,
      id,
      source: order.source,
      external_id: order.externalId,
      number: order.number ?? null,
      status: 'accepted',
      hold_reason: null,
      currency: order.currency,
      total: order.totals.total,
      placed_at: order.placedAt,
      body_hash: hash,
      data: json,
      correlation_id: deps.newId('cor'),
      created_at: now,
      updated_at: now,
    });
  }

  const inserted = await insertOrders(db, rows.map(({ index: _index, ...row }) => row));
  const lostRace = rows.filter((r) => !inserted.has(r.id));
  if (lostRace.length > 0) {
    const winners = new Map(
      (await findOrdersByExternalIds(db, lostRace.map((r) => ({ source: r.source, externalId: r.external_id })))).map(
        (row) => [`${row.source}\u0000${row.external_id}`, row],
      ),
    );
    for (const row of lostRace) {
      const winner = winners.get(`${row.source}\u0000${row.external_id}`)!;
      const order = items[row.index]!.request.order;
      pending[row.index] = {
        kind: 'final',
        result: duplicateResult({ id: winner.id, status: winner.status, sameBody: winner.body_hash === row.body_hash }, order),
      };
    }
  }
  const accepted = rows.filter((r) => inserted.has(r.id));
  const messages: OutgoingMessage[] = [];
  for (const row of accepted) {
    const request = items[row.index]!.request;
    pending[row.index] = {
      kind: 'final',
      result: {
        statusCode: 201,
        replayed: false,
        body: { id: row.id, status: 'accepted', source: row.source, externalId: row.external_id, correlationId: row.correlation_id },
      },
    };
    messages.push(
      createMessage(
        orderAccepted,
        {
          orderId: row.id,
          source: row.source,
          externalId: row.external_id,
          ...(row.number ? { number: row.number } : {}),
          currency: row.currency,
          total: row.total,
        },
        { source: `tillbridge/${request.via}`, correlationId: row.correlation_id, traceparent: request.traceparent },
        { id: deps.newId('msg'), now, subject: row.id, orderingKey: row.id },
      ),
    );
  }
  await appendTimeline(
    db,
    accepted.map((row) => ({
      order_id: row.id,
      at: now,
      event: 'order.accepted',
      system: items[row.index]!.request.via,
      detail: JSON.stringify({ status: 'accepted' }),
      correlation_id: row.correlation_id,
      message_id: null,
    })),
  );
  await writeToOutbox(db, messages, now);

  const results = pending.map((p, index) => resolve(p, index));
  function resolve(p: Pending | undefined, index: number): IntakeResult {
    if (!p) throw new Error(`intake item ${index} was not decided`);
    if (p.kind === 'final') return p.result;
    const first = resolve(pending[p.index], p.index);
    if (items[p.index]!.hash !== p.hash) return keyReusedResult(items[index]!.request.idempotencyKey as string);
    return { ...first, replayed: true };
  }

  const claimed = [...firstWithKey.values()];
  const stored = await insertIdempotencyRecords(
    db,
    claimed.map((index) => ({
      principal: items[index]!.request.principal,
      key: items[index]!.request.idempotencyKey as string,
      request_hash: items[index]!.hash,
      status_code: results[index]!.statusCode,
      response: JSON.stringify(results[index]!.body),
      created_at: now,
    })),
  );
  if (stored !== claimed.length) throw new IdempotencyRace();
  return results;
}

/**
 * Another transaction stored a response for one of this batch's idempotency keys while the batch
 * was running (several batches or processes at once on PostgreSQL): the batch is rolled back and
 * redone, and then answers with the stored response.
 */
class IdempotencyRace extends Error {
  constructor() {
    super('an idempotency key of this batch was claimed concurrently');
  }
}
