import type { Command } from 'commander';
import { newId, systemClock } from '../model/index.js';
import { createApiKeys, NewApiKey, type ApiKeyView } from '../gateway/index.js';
import { cliActor, openCliStore, withStoreOptions } from './store-options.js';

function line(k: ApiKeyView): string {
  return [k.id, k.prefix, k.name, k.scopes.join(','), k.rateLimit ? `${k.rateLimit.limit}/${k.rateLimit.windowSeconds}s` : '-', k.createdAt, k.revokedAt ?? 'active'].join('\t');
}

/** `tillbridge keys create|list|revoke`: API keys straight on the store (audited as the CLI user). */
export function registerKeyCommands(program: Command): void {
  const group = program.command('keys').description('create, list and revoke API keys');

  withStoreOptions(group.command('create').description('create an API key; the key is printed once'))
    .requiredOption('--name <name>', 'who or what the key is for')
    .requiredOption('--scopes <list>', 'comma-separated scopes, e.g. orders:read,orders:write')
    .option('--rate-limit <n/seconds>', 'token bucket, e.g. 100/60 = 100 requests per minute')
    .action(async (flags: { name: string; scopes: string; rateLimit?: string; data?: string; databaseUrl?: string }) => {
      const [limit, windowSeconds] = flags.rateLimit ? flags.rateLimit.split('/').map(Number) : [];
      const input = NewApiKey.safeParse({
        name: flags.name,
        scopes: flags.scopes.split(',').map((s) => s.trim()).filter(Boolean),
        ...(flags.rateLimit ? { rateLimit: { limit, windowSeconds } } : {}),
      });
      if (!input.success) throw new Error(input.error.issues.map((i) => `${i.path.join('.') || 'key'}: ${i.message}`).join('; '));
      const { store } = await openCliStore(flags);
      try {
        const { key, view } = await createApiKeys({ store, clock: systemClock, newId }).create(input.data, { name: cliActor() });
        process.stdout.write(`${key}\n`);
        process.stderr.write(`created ${view.id} (${view.scopes.join(',')}); the key above is shown only once\n`);
      } finally {
        await store.close();
      }
    });

  withStoreOptions(group.command('list').description('list API keys (never their secrets)'))
    .option('--all', 'include revoked keys')
    .option('--json', 'print JSON lines')
    .action(async (flags: { all?: boolean; json?: boolean; data?: string; databaseUrl?: string }) => {
      const { store } = await openCliStore(flags);
      try {
        const keys = await createApiKeys({ store, clock: systemClock, newId }).list({ includeRevoked: flags.all === true });
        for (const k of keys) process.stdout.write(`${flags.json ? JSON.stringify(k) : line(k)}\n`);
      } finally {
        await store.close();
      }
    });

  withStoreOptions(group.command('revoke <id>').description('revoke an API key')).action(
    async (id: string, flags: { data?: string; databaseUrl?: string }) => {
      const { store } = await openCliStore(flags);
      try {
        const outcome = await createApiKeys({ store, clock: systemClock, newId }).revoke(id, { name: cliActor() });
        if (outcome === 'not_found') throw new Error(`no API key ${id}`);
        process.stdout.write(outcome === 'revoked' ? `revoked ${id}\n` : `${id} was already revoked\n`);
      } finally {
        await store.close();
      }
    },
  );
}
