import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { resolveSettings, startHub, type Hub } from '../../src/runtime/index.js';
import { startSandbox, type Sandbox } from '../../src/runtime/sandbox/index.js';
import { apiClient } from './http.js';

/** The configuration file as a test may rewrite it. */
export type ConfigDocument = Record<string, Record<string, unknown>>;

/** A sandbox retailer's emulators and a hub wired to them, in a temporary folder. */
export interface SandboxHub {
  sandbox: Sandbox;
  hub: Hub;
  api: ReturnType<typeof apiClient>;
  stop(): Promise<void>;
}

/**
 * Starts the sandbox emulators and a hub on their configuration (rewritten by `configure` when
 * given), runs `beforeHub` while the emulators' webhooks still go nowhere, and then points the
 * webhooks at the hub unless `retarget` is false. TB_TEST_LOG sets the hub's log level.
 */
export async function startSandboxHub(options: {
  name: string;
  key: string;
  configure?: (config: ConfigDocument) => void;
  beforeHub?: (sandbox: Sandbox) => Promise<void>;
  retarget?: boolean;
}): Promise<SandboxHub> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tb-${options.name}-`));
  const sandbox = await startSandbox({ outDir: dir, hubUrl: 'http://127.0.0.1:9' });
  if (options.configure) {
    const config = parse(fs.readFileSync(sandbox.configPath, 'utf8')) as ConfigDocument;
    options.configure(config);
    fs.writeFileSync(sandbox.configPath, stringify(config));
  }
  await options.beforeHub?.(sandbox);
  const settings = { config: sandbox.configPath, port: '0', data: path.join(dir, 'data'), bootstrapKey: options.key, logLevel: process.env.TB_TEST_LOG ?? 'error', leaseMs: '5000', pollMs: '20' };
  const hub = await startHub(resolveSettings(settings, {}));
  if (options.retarget !== false) await sandbox.retarget(hub.url);
  return {
    sandbox,
    hub,
    api: apiClient(hub.url, options.key),
    async stop() {
      await hub.stop();
      await sandbox.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
