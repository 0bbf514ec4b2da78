import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../../model/index.js';
import { isTillbridgeError } from '../../model/index.js';
import type { Connections, InboundHeaders } from '../../connectors/framework/index.js';
import { insertRejectedPayload, type Store } from '../../store/index.js';
import type { InboundRecorder } from './record.js';

/** The HTTP-shaped outcome of one webhook delivery. */
export interface WebhookOutcome {
  status: number;
  /** accepted | duplicate | echo | unauthorized | unknown-connection | invalid */
  outcome: string;
  detail?: string;
  inboxId?: string;
}

/** Receives webhooks for the configured connections. */
export interface WebhookReceiver {
  receive(system: string, connectionId: string, raw: Buffer, headers: InboundHeaders): Promise<WebhookOutcome>;
}

/**
 * Verifies a webhook with its connection's secret before anything else (bad signature: 401, only
 * a counter and a log line are kept), then keeps it in the inbox and queues its interpretation.
 * A verified payload that cannot be identified is kept as a rejected payload for diagnosis.
 */
export function createWebhookReceiver(deps: {
  store: Store;
  connections: Connections;
  clock: Clock;
  newId: IdGenerator;
  logger: Logger;
  recorder: InboundRecorder;
  onReceived?: () => void;
  count?: (labels: { connection: string; system: string; outcome: string }) => void;
  /** True for a verified webhook that only echoes the hub's own change (e.g. a stock push): acknowledged, not kept. */
  isEcho?: (connectionId: string, topic: string, payload: string) => boolean;
}): WebhookReceiver {
  return {
    async receive(system, connectionId, raw, headers) {
      const connection = deps.connections.get(connectionId);
      const done = (outcome: WebhookOutcome) => {
        deps.count?.({ connection: connection ? connectionId : 'unknown', system, outcome: outcome.outcome });
        return outcome;
      };
      if (!connection || connection.system !== system || !connection.instance.webhooks) {
        return done({ status: 404, outcome: 'unknown-connection', detail: `no ${system} connection ${connectionId} takes webhooks` });
      }
      const now = deps.clock.now();
      const verdict = connection.instance.webhooks.verify(raw, headers, now);
      if (!verdict.ok) {
        deps.logger.warn({ connection: connectionId, system, reason: verdict.reason, bytes: raw.length }, 'webhook refused: signature');
        return done({ status: 401, outcome: 'unauthorized', detail: verdict.reason });
      }
      let identity;
      try {
        identity = connection.instance.webhooks.identify(raw, headers);
      } catch (error) {
        const detail = isTillbridgeError(error) ? error.message : String(error);
        await insertRejectedPayload(deps.store.db, {
          id: deps.newId('rej'),
          kind: 'webhook',
          source: connectionId,
          receivedAt: now,
          reason: { detail, headers: pickVendorHeaders(headers) },
          raw: raw.toString('utf8'),
        });
        return done({ status: 400, outcome: 'invalid', detail });
      }
      const payload = raw.toString('utf8');
      if (deps.isEcho?.(connectionId, identity.topic, payload)) return done({ status: 200, outcome: 'echo' });
      const recorded = await deps.recorder.record({
        connectionId,
        system,
        dedupKey: identity.dedupKey,
        topic: identity.topic,
        apiVersion: identity.apiVersion,
        payload,
        via: 'webhook',
      });
      if (!recorded.duplicate) deps.onReceived?.();
      return done({ status: 200, outcome: recorded.duplicate ? 'duplicate' : 'accepted', inboxId: recorded.inboxId });
    },
  };
}

/** The vendor's own x- headers (signatures dropped), kept with a rejected payload. */
function pickVendorHeaders(headers: InboundHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('x-') || /signature|hmac|token|auth/i.test(name)) continue;
    kept[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return kept;
}
