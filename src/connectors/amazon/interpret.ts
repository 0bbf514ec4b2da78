import { permanentError } from '../../model/index.js';
import type { InboundEvent } from '../framework/index.js';
import { amazonEventGroupToPayout } from './mapping-event-group.js';
import { amazonFinancialEventsToLines } from './mapping-finances.js';
import { amazonSettlementTopic } from './poller.js';

function parseJson(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch (error) {
    throw permanentError('invalid_payload', `Amazon ${amazonSettlementTopic} payload is not JSON: ${(error as Error).message}`);
  }
}

/**
 * A settled financial event group (the poller's `{"group", "financialEvents"}`) as one `payout`
 * event: the group as a canonical payout whose lines are its financial events. Event lists this
 * mapping does not know are a permanent error naming them, never silently left out of the payout.
 */
export function interpretAmazonEvent(topic: string, payload: string): InboundEvent[] {
  if (topic !== amazonSettlementTopic) throw permanentError('unknown_topic', `Amazon topic ${JSON.stringify(topic)} is not one the hub reads`);
  const body = parseJson(payload);
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (record['group'] === undefined) throw permanentError('invalid_payload', 'Amazon /group is required', 422, { pointer: '/group' });
  const { lines, unmapped } = amazonFinancialEventsToLines(record['financialEvents'] ?? {});
  if (unmapped.length > 0) {
    throw permanentError('amazon_unmapped_events', `Amazon financial events not mapped to settlement lines: ${unmapped.map((p) => `/financialEvents${p}`).join(', ')}`, 422, { unmapped });
  }
  return [{ kind: 'payout', payout: amazonEventGroupToPayout(record['group'], lines) }];
}
