import { z } from 'zod';

/** The delivery lanes; each has its own workers so a bulk backlog never delays critical work. */
export const Lane = z.enum(['critical', 'standard', 'bulk']);
export type Lane = z.infer<typeof Lane>;

/**
 * A message as CloudEvents 1.0 (JSON format) plus the extensions Tillbridge relies on:
 * correlationid (one per business transaction), causationid (the message that produced this one),
 * traceparent (W3C trace context) and schemaversion (of `data`, for additive evolution).
 */
export const Envelope = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  subject: z.string().optional(),
  time: z.string(),
  datacontenttype: z.literal('application/json'),
  data: z.unknown(),
  correlationid: z.string().min(1),
  causationid: z.string().optional(),
  traceparent: z.string().optional(),
  schemaversion: z.number().int().positive(),
});
export type Envelope<T = unknown> = Omit<z.infer<typeof Envelope>, 'data'> & { data: T };

/** How a message is to be delivered: its lane, ordering key and earliest time. */
export interface Delivery {
  lane: Lane;
  orderingKey?: string | undefined;
  availableAt?: number | undefined;
}

/** An envelope with its delivery attributes, ready to be written to the outbox. */
export interface OutgoingMessage<T = unknown> {
  envelope: Envelope<T>;
  delivery: Delivery;
}
