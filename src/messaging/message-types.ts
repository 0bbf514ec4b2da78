import type { z } from 'zod';
import type { Lane } from './envelope.js';
import type { RetryPolicy } from './retry-policy.js';

/** Declares a message type: its name, lane, schema version, payload schema and retry policy. */
export interface MessageType<S extends z.ZodType = z.ZodType> {
  type: string;
  lane: Lane;
  schemaVersion: number;
  data: S;
  retry?: Partial<RetryPolicy>;
}

/** Defines a message type with its payload schema (the source of truth for what it carries). */
export function defineMessageType<S extends z.ZodType>(definition: MessageType<S>): MessageType<S> {
  return definition;
}
