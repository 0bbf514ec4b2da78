import type { Logger } from 'pino';
import type { Metrics } from '../gateway/index.js';
import type { DispatcherObserver } from '../messaging/index.js';

/** Feeds message metrics and logs retries, dead letters and lost leases with their correlation id. */
export function hubObserver(metrics: Metrics, logger: Logger): DispatcherObserver {
  return {
    settled(delivery) {
      metrics.messages.inc({ type: delivery.type, outcome: delivery.outcome });
      metrics.handlerDuration.observe({ type: delivery.type }, delivery.durationMs / 1000);
      if (delivery.outcome === 'done') return;
      const fields = {
        correlationId: delivery.correlationId,
        messageId: delivery.id,
        type: delivery.type,
        attempt: delivery.attempt,
        ...(delivery.error ? { error: delivery.error } : {}),
      };
      if (delivery.outcome === 'dead') logger.error(fields, 'message dead-lettered');
      else if (delivery.outcome === 'retry') logger.warn(fields, 'message failed; retry scheduled');
      else logger.warn(fields, 'lease lost; another worker owns the message');
    },
    error(err, context) {
      logger.warn({ err }, context);
    },
  };
}
