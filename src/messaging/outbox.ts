import type { z } from 'zod';
import { insertMessages, messageStatus, type Db, type NewMessageRow } from '../store/index.js';
import type { Envelope, OutgoingMessage } from './envelope.js';
import type { MessageType } from './message-types.js';

/** Where a new message comes from: its business transaction and, if any, the message behind it. */
export interface MessageOrigin {
  source: string;
  correlationId: string;
  causation?: Pick<Envelope, 'id' | 'traceparent'> | undefined;
  traceparent?: string | undefined;
}

/** Builds a typed outgoing message for a declared message type. */
export function createMessage<S extends z.ZodType>(
  definition: MessageType<S>,
  data: z.input<S>,
  origin: MessageOrigin,
  options: { id: string; now: number; subject?: string; orderingKey?: string; availableAt?: number },
): OutgoingMessage<z.input<S>> {
  const traceparent = origin.traceparent ?? origin.causation?.traceparent;
  return {
    envelope: {
      specversion: '1.0',
      id: options.id,
      source: origin.source,
      type: definition.type,
      ...(options.subject !== undefined ? { subject: options.subject } : {}),
      time: new Date(options.now).toISOString(),
      datacontenttype: 'application/json',
      data,
      correlationid: origin.correlationId,
      ...(origin.causation ? { causationid: origin.causation.id } : {}),
      ...(traceparent ? { traceparent } : {}),
      schemaversion: definition.schemaVersion,
    },
    delivery: {
      lane: definition.lane,
      orderingKey: options.orderingKey,
      availableAt: options.availableAt,
    },
  };
}

/** The stored form of an outgoing message. */
export function toMessageRow(message: OutgoingMessage, now: number): NewMessageRow {
  const { envelope, delivery } = message;
  return {
    id: envelope.id,
    type: envelope.type,
    source: envelope.source,
    subject: envelope.subject ?? null,
    time: Date.parse(envelope.time),
    schema_version: envelope.schemaversion,
    data: JSON.stringify(envelope.data),
    correlation_id: envelope.correlationid,
    causation_id: envelope.causationid ?? null,
    traceparent: envelope.traceparent ?? null,
    lane: delivery.lane,
    ordering_key: delivery.orderingKey ?? null,
    status: messageStatus.pending,
    attempts: 0,
    available_at: delivery.availableAt ?? now,
    lease_owner: null,
    lease_expires_at: null,
    last_error: null,
    dead_reason: null,
    created_at: now,
    updated_at: now,
  };
}

/** Writes messages to the outbox; call inside the transaction that makes the state change. */
export async function writeToOutbox(db: Db, messages: OutgoingMessage[], now: number): Promise<void> {
  await insertMessages(db, messages.map((m) => toMessageRow(m, now)));
}
