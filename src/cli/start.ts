import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { resolveSettings, startHub } from '../runtime/index.js';
import { runUntilSignal } from './run-until-signal.js';

/** `tillbridge start`: runs the hub until SIGTERM/SIGINT. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('start the hub (HTTP API, dispatcher) on SQLite or PostgreSQL')
    .option('--host <host>', 'address to listen on (TILLBRIDGE_HOST)')
    .option('--port <port>', 'HTTP port, 0 = any free port (TILLBRIDGE_PORT)')
    .option('--data <dir>', 'folder for the SQLite store and local files (TILLBRIDGE_DATA)')
    .option('--database-url <url>', 'postgres://… — use PostgreSQL instead of SQLite (DATABASE_URL)')
    .option('--config <path>', 'configuration file (TILLBRIDGE_CONFIG)')
    .option('--bootstrap-key <key>', 'an API key accepted with every scope (TILLBRIDGE_BOOTSTRAP_KEY)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (TILLBRIDGE_LOG_LEVEL)')
    .option('--sqlite-synchronous <mode>', 'FULL (default, survives power loss) or NORMAL (TILLBRIDGE_SQLITE_SYNCHRONOUS)')
    .option('--lease-ms <ms>', 'message lease length (TILLBRIDGE_LEASE_MS)')
    .option('--poll-ms <ms>', 'idle poll interval of the dispatcher (TILLBRIDGE_POLL_MS)')
    .option('--retention-days <days>', 'keep completed messages and idempotency keys this long (TILLBRIDGE_RETENTION_DAYS)')
    .option('--oauth-token-ttl-seconds <seconds>', 'lifetime of OAuth access tokens (TILLBRIDGE_OAUTH_TOKEN_TTL_SECONDS)')
    .option('--rate-limit <limit/seconds>', 'default rate limit for keys and clients without one, e.g. 6000/60, or off (TILLBRIDGE_RATE_LIMIT)')
    .option('--cors-origins <list>', 'comma-separated origins allowed to call the API from a browser (TILLBRIDGE_CORS_ORIGINS)')
    .option('--trust-proxy <off|on|list>', 'trust X-Forwarded-* headers from a TLS-terminating proxy (any with on, or these addresses/CIDRs), so console cookies are Secure (TILLBRIDGE_TRUST_PROXY)')
    .option('--otlp-endpoint <url>', 'send OpenTelemetry traces to this OTLP/HTTP collector, e.g. http://127.0.0.1:4318 (TILLBRIDGE_OTLP_ENDPOINT)')
    .option('--dev', 'development: invent a bootstrap key when none is set and print it')
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const { dev, ...rest } = flags;
      const settings = resolveSettings(rest as Record<string, string | undefined>);
      const generatedKey = dev ? inventDevelopmentKey(settings) : undefined;
      const hub = await startHub(settings);
      process.stdout.write(`Tillbridge hub listening on ${hub.url}\n`);
      process.stdout.write(`Operations console: ${hub.url}/console\n`);
      if (generatedKey) process.stdout.write(`Development API key (this run only): ${generatedKey}\n`);
      runUntilSignal(hub.logger, () => hub.stop());
    });
}

/** A bootstrap key for this run when none is configured (development only); undefined when one is set. */
export function inventDevelopmentKey(settings: { bootstrapKey?: string | undefined }): string | undefined {
  if (settings.bootstrapKey) return undefined;
  settings.bootstrapKey = `tb_dev_${randomBytes(18).toString('base64url')}`;
  return settings.bootstrapKey;
}
