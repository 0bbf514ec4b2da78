import { z } from 'zod';

/** The hub's process settings (CONTRACT.md "Process"); each is an env variable and a flag. */
export const Settings = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  data: z.string().min(1).default('./data'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'DATABASE_URL must be a postgres:// URL' })
    .optional(),
  config: z.string().optional(),
  bootstrapKey: z.string().min(16, { error: 'the bootstrap key must be at least 16 characters' }).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  sqliteSynchronous: z.enum(['FULL', 'NORMAL']).default('FULL'),
  leaseMs: z.coerce.number().int().min(100).default(30_000),
  pollMs: z.coerce.number().int().min(10).default(200),
  retentionDays: z.coerce.number().min(1).default(7),
  oauthTokenTtlSeconds: z.coerce.number().int().min(60).max(86_400).default(900),
  corsOrigins: z
    .string()
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'each CORS origin is an http(s) URL, e.g. https://ops.example.com' })))
    .default([]),
  rateLimit: z.string().trim().regex(/^(off|\d+\/\d+)$/i, { error: 'use limit/windowSeconds (e.g. 6000/60) or off' }).default('6000/60'),
  otlpEndpoint: z.url({ protocol: /^https?$/, error: 'the OTLP endpoint is an http(s) URL, e.g. http://127.0.0.1:4318' }).optional(),
  trustProxy: z.string().trim().regex(/^(off|on|[0-9a-fA-F.:/]+(,\s*[0-9a-fA-F.:/]+)*)$/, { error: 'use off, on, or comma-separated proxy addresses or CIDRs, e.g. 10.0.0.0/8' }).default('off'),
});
export type Settings = z.infer<typeof Settings>;

const environment: Record<keyof Settings, string> = {
  host: 'TILLBRIDGE_HOST',
  port: 'TILLBRIDGE_PORT',
  data: 'TILLBRIDGE_DATA',
  databaseUrl: 'DATABASE_URL',
  config: 'TILLBRIDGE_CONFIG',
  bootstrapKey: 'TILLBRIDGE_BOOTSTRAP_KEY',
  logLevel: 'TILLBRIDGE_LOG_LEVEL',
  sqliteSynchronous: 'TILLBRIDGE_SQLITE_SYNCHRONOUS',
  leaseMs: 'TILLBRIDGE_LEASE_MS',
  pollMs: 'TILLBRIDGE_POLL_MS',
  retentionDays: 'TILLBRIDGE_RETENTION_DAYS',
  oauthTokenTtlSeconds: 'TILLBRIDGE_OAUTH_TOKEN_TTL_SECONDS',
  corsOrigins: 'TILLBRIDGE_CORS_ORIGINS',
  rateLimit: 'TILLBRIDGE_RATE_LIMIT',
  otlpEndpoint: 'TILLBRIDGE_OTLP_ENDPOINT',
  trustProxy: 'TILLBRIDGE_TRUST_PROXY',
};

/** The environment variable behind each setting, for help texts and docs. */
export const settingEnvironment: Readonly<Record<keyof Settings, string>> = environment;

/** Resolves settings: flags win over the environment, which wins over defaults. */
export function resolveSettings(
  flags: Partial<Record<keyof Settings, string | number | undefined>>,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const merged: Record<string, unknown> = {};
  for (const key of Object.keys(environment) as (keyof Settings)[]) {
    const value = [flags[key], env[environment[key]]].find((v) => v !== undefined && String(v).trim() !== '');
    if (value !== undefined) merged[key] = value;
  }
  const parsed = Settings.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0]) as keyof Settings;
      return `  ${environment[key] ?? key} / --${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`;
    });
    throw new Error(`invalid settings:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** The gateway's trust in X-Forwarded-* headers: none (`off`), any proxy (`on`), or the listed addresses. */
export function trustProxyOf(setting: string): boolean | string {
  return setting === 'on' ? true : setting === 'off' ? false : setting;
}
