import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/** The payload of alert.raised and alert.resolved: the alert as it stands. */
export const AlertEvent = z.object({
  alertId: z.string(),
  key: z.string(),
  kind: z.enum(['sla_breach', 'dead_letter_growth', 'circuit_open', 'reconciliation_drift']),
  severity: z.enum(['warning', 'critical']),
  title: z.string(),
  detail: z.record(z.string(), z.unknown()),
  status: z.enum(['open', 'resolved']),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;

/** Published when a condition (SLA breach, dead-letter growth, open circuit, reconciliation drift) starts: once per alert. */
export const alertRaised = defineMessageType({ type: 'alert.raised', lane: 'standard', schemaVersion: 1, data: AlertEvent, retry: { maxAttempts: 20 } });

/** Published when a raised alert's condition has cleared. */
export const alertResolved = defineMessageType({ type: 'alert.resolved', lane: 'standard', schemaVersion: 1, data: AlertEvent, retry: { maxAttempts: 20 } });

/** Internal: send one alert email (retried on SMTP failure). */
export const alertEmail = defineMessageType({
  type: 'alert.email',
  lane: 'standard',
  schemaVersion: 1,
  data: z.object({ event: z.enum(['raised', 'resolved']), alert: AlertEvent }),
  retry: { maxAttempts: 12 },
});
