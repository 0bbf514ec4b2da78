import type { z } from 'zod';
import type { Db } from '../store/index.js';
import type { Envelope } from './envelope.js';
import type { MessageType } from './message-types.js';

/** The writes a handler commits together with the completion of the message it handles. */
export interface HandlerTransaction {
  db: Db;
  now: number;
  /** Queues a message caused by the one being handled; it commits with the transaction. */
  emit<S extends z.ZodType>(
    definition: MessageType<S>,
    data: z.input<S>,
    options?: { subject?: string; orderingKey?: string; availableAt?: number },
  ): void;
}

/** What a handler gets for one delivery of one message. */
export interface HandlerContext<T> {
  message: Envelope<T>;
  /** 1 on the first delivery. */
  attempt: number;
  /** Aborted when the lease is lost or the process is shutting down. */
  signal: AbortSignal;
  /**
   * Commits `work`'s writes, the messages it emits and this message's completion in one
   * transaction (call it at most once, after any outbound calls). Without a call, the message
   * is completed when the handler returns.
   */
  commit(work?: (tx: HandlerTransaction) => Promise<void>): Promise<void>;
}

/** Handles one message type. Must be idempotent: delivery is at least once. */
export interface HandlerRegistration<S extends z.ZodType = z.ZodType> {
  definition: MessageType<S>;
  handle(ctx: HandlerContext<z.output<S>>): Promise<void>;
}

/** Registers a typed handler for a message type. */
export function handlerFor<S extends z.ZodType>(
  definition: MessageType<S>,
  handle: (ctx: HandlerContext<z.output<S>>) => Promise<void>,
): HandlerRegistration {
  return { definition, handle } as unknown as HandlerRegistration;
}
