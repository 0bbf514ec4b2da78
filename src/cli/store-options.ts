import os from 'node:os';
import type { Command } from 'commander';
import { resolveSettings, type Settings } from '../runtime/index.js';
import { migrateToLatest, openStore, type Store } from '../store/index.js';

/** Adds the flags that locate the store (--data, --database-url). */
export function withStoreOptions(command: Command): Command {
  return command
    .option('--data <dir>', 'folder of the SQLite store (TILLBRIDGE_DATA)')
    .option('--database-url <url>', 'use PostgreSQL (DATABASE_URL)');
}

/** Opens and migrates the store named by flags and environment. */
export async function openCliStore(flags: { data?: string; databaseUrl?: string }): Promise<{ store: Store; settings: Settings }> {
  const settings = resolveSettings({ data: flags.data, databaseUrl: flags.databaseUrl });
  const store = await openStore({ databaseUrl: settings.databaseUrl, dataDir: settings.data });
  await migrateToLatest(store);
  return { store, settings };
}

/** Who the CLI records as the actor of what it changes (audit log, replays). */
export function cliActor(): string {
  return `cli:${process.env.USER ?? os.userInfo().username}@${os.hostname()}`;
}
