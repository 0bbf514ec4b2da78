import type { IdGenerator } from '../../model/index.js';
import { createMessage, writeToOutbox } from '../../messaging/index.js';
import { receiveIntoInbox, type Store } from '../../store/index.js';
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
}

/**
 * Keeps a verified payload in the inbox (deduplicated per connection) and queues its
 * interpretation, in one transaction: the raw payload is never lost and never processed twice.
 */
export async function recordInbound(
  store: Store,
  deps: { newId: IdGenerator; now: number },
  payload: InboundPayload,
): Promise<{ inboxId: string; duplicate: boolean }> {
  return store.db.transaction().execute(async (trx) => {
    const messageId = deps.newId('msg');
    const inbox = await receiveIntoInbox(trx, {
      id: deps.newId('inb'),
      source: payload.connectionId,
      dedupKey: payload.dedupKey,
      payload: payload.payload,
      headers: { topic: payload.topic, via: payload.via, ...(payload.apiVersion ? { apiVersion: payload.apiVersion } : {}) },
      receivedAt: deps.now,
      messageId,
    });
    if (inbox.duplicate) return { inboxId: inbox.id, duplicate: true };
    const message = createMessage(
      inboundReceived,
      { connectionId: payload.connectionId, system: payload.system, inboxId: inbox.id, topic: payload.topic, apiVersion: payload.apiVersion, via: payload.via },
      { source: `tillbridge/connections/${payload.connectionId}`, correlationId: deps.newId('cor') },
      { id: messageId, now: deps.now, subject: payload.topic },
    );
    await writeToOutbox(trx, [message], deps.now);
    return { inboxId: inbox.id, duplicate: false };
  });
}
