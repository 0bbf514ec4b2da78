import { z } from 'zod';
import { Duration } from '../order-to-cash/index.js';

const secretReference = z.string().regex(/^(env|file):.+$/, { error: 'secrets are references: env:NAME or file:PATH, never the value itself' });

/** SMTP server and addresses for alert emails; the password is a secret reference. */
export const AlertEmailConfig = z.object({
  smtp: z.object({
    host: z.string().min(1),
    port: z.int().min(1).max(65_535).default(587),
    /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    user: z.string().min(1).optional(),
    password: secretReference.optional(),
  }),
  from: z.string().min(3),
  to: z.array(z.string().min(3)).min(1),
});
export type AlertEmailConfig = z.infer<typeof AlertEmailConfig>;

/** How often alerts are evaluated, the dead-letter growth rule and optional email. */
export const AlertsConfig = z.object({
  /** Evaluation period (default 30 s). */
  every: Duration.refine((ms) => ms >= 50, { error: 'evaluate at most every 50ms' }).default(30_000),
  /** Alert when at least `threshold` messages became dead letters within `window`. */
  deadLetterGrowth: z.object({ threshold: z.int().positive().default(10), window: Duration.default(900_000) }).prefault({}),
  email: AlertEmailConfig.optional(),
});
export type AlertsConfig = z.infer<typeof AlertsConfig>;
/** The `alerts` section as written in the configuration file. */
export type AlertsConfigInput = z.input<typeof AlertsConfig>;
