import type { Command } from 'commander';
import { openCliStore, withStoreOptions } from './store-options.js';

/** `tillbridge migrate`: applies pending migrations and exits. */
export function registerMigrate(program: Command): void {
  withStoreOptions(program.command('migrate').description('apply pending store migrations')).action(
    async (flags: { data?: string; databaseUrl?: string }) => {
      const { store } = await openCliStore(flags);
      process.stdout.write(`store ${store.describe} is migrated\n`);
      await store.close();
    },
  );
}
