import type { Clock, IdGenerator } from '../../model/index.js';
import { activeTraceparent, createMessage, writeToOutbox } from '../../messaging/index.js';
import { createBatcher, receiveIntoInbox, type Db, type Store } from '../../store/index.js';
import { inboundReceived } from './messages.js';

/** One verified inbound payload. */
export interface InboundPayload {
  connectionId: string;
  system: string;
  dedupKey: string;
  topic: string;
  apiVersion?: string | undefined;
  payload: string;
  via: 'webhook' | 'poll';
  /** The trace the payload arrived in (W3C traceparent); defaults to the active span's, when tracing. */
  traceparent?: string | undefined;
}

/** Keeps verified inbound payloads, many per transaction. */
export interface InboundRecorder {
  record(payload: InboundPayload): Promise<{ inboxId: string; duplicate: boolean }>;
  drain(): Promise<void>;
}

/**
 * Keeps each verified payload in the inbox (deduplicated per connection) and queues its
 * interpretation in the same transaction: the raw payload is never lost and never processed
 * twice. Concurrent payloads share one transaction (group commit); each caller is answered only
 * after the commit that makes its payload durable.
 */
export function createInboundRecorder(store: Store, deps: { newId: IdGenerator; clock: Clock }): InboundRecorder {
  const batcher = createBatcher<InboundPayload, { inboxId: string; duplicate: boolean }>(
    (payloads) => store.db.transaction().execute((trx) => recordBatch(trx, payloads, deps.newId, deps.clock.now())),
    { maxBatch: 256, concurrency: store.dialect === 'postgres' ? 4 : 1 },
  );
  return { record: (payload) => batcher.submit({ ...payload, traceparent: payload.traceparent ?? activeTraceparent() }), drain: () => batcher.drain() };
}

async function recordBatch(db: Db, payloads: InboundPayload[], newId: IdGenerator, now: number) {
  const results: { inboxId: string; duplicate: boolean }[] = [];
  const messages = [];
  for (const payload of payloads) {
    const messageId = newId('msg');
    const inbox = await receiveIntoInbox(db, {
      id: newId('inb'),
      source: payload.connectionId,
      dedupKey: payload.dedupKey,
      payload: payload.payload,
      headers: { topic: payload.topic, via: payload.via, ...(payload.apiVersion ? { apiVersion: payload.apiVersion } : {}) },
      receivedAt: now,
      messageId,
    });
    results.push({ inboxId: inbox.id, duplicate: inbox.duplicate });
    if (inbox.duplicate) continue;
    messages.push(
      createMessage(
        inboundReceived,
        { connectionId: payload.connectionId, system: payload.system, inboxId: inbox.id, topic: payload.topic, apiVersion: payload.apiVersion, via: payload.via },
        { source: `tillbridge/connections/${payload.connectionId}`, correlationId: newId('cor'), traceparent: payload.traceparent },
        { id: messageId, now, subject: payload.topic },
      ),
    );
  }
  await writeToOutbox(db, messages, now);
  return results;
}
