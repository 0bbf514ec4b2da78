import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import pino from 'pino';
import { resolveSettings, startHub, type Hub } from '../runtime/index.js';
import { startSandbox } from '../runtime/sandbox/index.js';
import { runUntilSignal } from './run-until-signal.js';
import { inventDevelopmentKey } from './start.js';

interface SandboxFlags {
  out: string;
  traffic?: boolean;
  ordersPerMinute?: string;
  hub?: boolean;
  hubUrl?: string;
  port?: string;
  host?: string;
  data?: string;
  logLevel?: string;
}

/** `tillbridge sandbox`: emulated Shopify, Stripe, ERPNext and warehouse, optionally with traffic and a hub wired to them. */
export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('start an emulator for every supported system, write DIR/tillbridge.config.yaml and DIR/sandbox.json, run until stopped')
    .requiredOption('--out <dir>', 'folder for the generated configuration, sandbox.json and secret files')
    .option('--traffic', 'simulate shoppers and operations (orders, edits, stock movements, payouts)')
    .option('--orders-per-minute <n>', 'pace of simulated orders (default 30)')
    .option('--hub', 'also start the hub on this configuration (what npm start does)')
    .option('--hub-url <url>', 'where emulators send webhooks when the hub runs elsewhere (default http://127.0.0.1:8080)')
    .option('--host <host>', 'hub address with --hub (TILLBRIDGE_HOST)')
    .option('--port <port>', 'hub port with --hub (TILLBRIDGE_PORT)')
    .option('--data <dir>', 'hub data folder with --hub (TILLBRIDGE_DATA; default: <out>/hub-data, emptied at start like the emulators)')
    .option('--log-level <level>', 'hub log level with --hub (default warn, so the URLs stay readable)')
    .action(async (flags: SandboxFlags) => {
      const logger = pino({ level: flags.logLevel ?? process.env.TILLBRIDGE_LOG_LEVEL ?? 'warn' });
      // The emulators start empty every run, so the hub's data does too unless a place for it is named.
      const freshData = flags.hub === true && flags.data === undefined && process.env.TILLBRIDGE_DATA === undefined && process.env.DATABASE_URL === undefined;
      const data = freshData ? path.join(flags.out, 'hub-data') : flags.data;
      if (freshData) fs.rmSync(data!, { recursive: true, force: true });
      const settings = flags.hub
        ? resolveSettings({ host: flags.host, port: flags.port, data, logLevel: flags.logLevel ?? process.env.TILLBRIDGE_LOG_LEVEL ?? 'warn' })
        : undefined;
      const hubUrl = flags.hubUrl ?? `http://${settings?.host ?? '127.0.0.1'}:${settings?.port || 8080}`;
      const ordersPerMinute = flags.ordersPerMinute === undefined ? undefined : Number(flags.ordersPerMinute);
      if (ordersPerMinute !== undefined && !(ordersPerMinute > 0)) throw new Error('--orders-per-minute must be a positive number');
      const sandbox = await startSandbox({
        outDir: flags.out,
        hubUrl,
        ...(flags.traffic ? { traffic: ordersPerMinute ? { ordersPerMinute } : true } : {}),
        logger,
      });
      let hub: Hub | undefined;
      let key: string | undefined;
      if (settings) {
        settings.config = sandbox.configPath;
        key = inventDevelopmentKey(settings);
        hub = await startHub(settings, { logger });
        if (hub.url !== hubUrl) await sandbox.retarget(hub.url);
      }
      const out = (line = '') => process.stdout.write(`${line}\n`);
      out('Tillbridge sandbox retailer');
      if (hub) {
        out(`Tillbridge hub listening on ${hub.url}`);
        out(`  console         ${hub.url}/console  (sign in with the development API key below)`);
        out(`  API docs        ${hub.url}/docs`);
        if (key) out(`Development API key (this run only): ${key}`);
        out(`  orders          curl -H "Authorization: Bearer ${key ?? '<key>'}" ${hub.url}/v1/orders`);
        out(`  connections     curl -H "Authorization: Bearer ${key ?? '<key>'}" ${hub.url}/v1/connections`);
        out(`  payments        curl -H "Authorization: Bearer ${key ?? '<key>'}" ${hub.url}/v1/connections/stripe-main/events`);
      } else {
        out(`  webhooks go to  ${hubUrl}`);
      }
      for (const [id, c] of Object.entries(sandbox.connections)) out(`  ${c.system.padEnd(10)}      ${c.baseUrl}  (connection ${id}; state: ${c.baseUrl}/_sandbox/state)`);
      out(`  configuration   ${path.resolve(sandbox.configPath)}`);
      out(`  sandbox.json    ${path.resolve(sandbox.sandboxJsonPath)}`);
      if (flags.traffic) out(`  traffic         ${ordersPerMinute ?? 30} orders/minute, stock movements, payouts`);
      runUntilSignal(logger, async () => {
        await sandbox.stop();
        await hub?.stop();
      });
    });
}
