import { permanentError } from '../model/index.js';
import type { MessageRow } from '../store/index.js';
import { Envelope } from './envelope.js';

/** Reads a stored message back into an envelope, validating it (stored messages outlive deploys). */
export function envelopeFromRow(row: MessageRow): Envelope {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    throw permanentError('invalid_message', `message ${row.id} has data that is not JSON`);
  }
  const candidate = {
    specversion: '1.0',
    id: row.id,
    source: row.source,
    type: row.type,
    ...(row.subject !== null ? { subject: row.subject } : {}),
    time: new Date(row.time).toISOString(),
    datacontenttype: 'application/json',
    data,
    correlationid: row.correlation_id,
    ...(row.causation_id !== null ? { causationid: row.causation_id } : {}),
    ...(row.traceparent !== null ? { traceparent: row.traceparent } : {}),
    schemaversion: row.schema_version,
  };
  const parsed = Envelope.safeParse(candidate);
  if (!parsed.success) {
    throw permanentError('invalid_message', `message ${row.id} is not a valid envelope: ${parsed.error.message}`);
  }
  return parsed.data as Envelope;
}
