import type { Command } from 'commander';
import { systemClock } from '../model/index.js';
import { connectionsFromConfig, loadHubConfig, resolveSettings } from '../runtime/index.js';

/** `tillbridge connections list|check`: the configured connections, and a live test of each. */
export function registerConnectionCommands(program: Command): void {
  const group = program.command('connections').description('list and check the connections of the configuration file');

  group
    .command('list')
    .description('list configured connections (never their secrets)')
    .option('--config <path>', 'configuration file (TILLBRIDGE_CONFIG)')
    .action((flags: { config?: string }) => {
      const { config } = loadHubConfig(resolveSettings({ config: flags.config }).config);
      for (const c of config.connections) {
        process.stdout.write(`${c.id}\t${c.system}\tsecrets: ${Object.keys(c.secrets).join(',') || '-'}\n`);
      }
    });

  group
    .command('check')
    .description("test each connection's credentials and reachability; exits 1 when any fails")
    .option('--config <path>', 'configuration file (TILLBRIDGE_CONFIG)')
    .option('--id <connection>', 'check only this connection')
    .option('--json', 'print the results as JSON')
    .action(async (flags: { config?: string; id?: string; json?: boolean }) => {
      const { config, path } = loadHubConfig(resolveSettings({ config: flags.config }).config);
      const connections = [...connectionsFromConfig(config, path, { clock: systemClock }).values()].filter((c) => !flags.id || c.id === flags.id);
      if (flags.id && connections.length === 0) throw new Error(`no connection ${flags.id} in ${path ?? 'the configuration'}`);
      const results = await Promise.all(
        connections.map(async (c) => ({ id: c.id, system: c.system, ...(await c.instance.check(AbortSignal.timeout(30_000))) })),
      );
      if (flags.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else {
        for (const r of results) {
          process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'}\t${r.id}\t${r.system}\t${r.latencyMs} ms\t${r.apiVersion ?? ''}\t${r.detail}\n`);
        }
        if (results.length === 0) process.stdout.write('no connections configured\n');
      }
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    });
}
