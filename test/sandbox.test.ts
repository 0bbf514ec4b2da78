import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../src/testing/index.js';
import { spawnTs } from './support/hub-process.js';
import { apiClient } from './support/http.js';

/** `tillbridge sandbox --hub --traffic` (what npm start runs): emulators, a wired hub, and orders flowing. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-sandbox-'));
const children: ReturnType<typeof spawnTs>[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

function collect(child: ReturnType<typeof spawnTs>) {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return () => output;
}

describe('sandbox retailer', () => {
  it('starts every emulator, writes a configuration that passes connections check, and orders and payments reach the hub', async () => {
    const sandbox = spawnTs('src/cli/main.ts', ['sandbox', '--out', dir, '--traffic', '--hub', '--port', '0', '--data', path.join(dir, 'data'), '--orders-per-minute', '600'], { TILLBRIDGE_BOOTSTRAP_KEY: '' });
    children.push(sandbox);
    const output = collect(sandbox);
    const started = await waitFor(() => /listening on (http:\S+)[\s\S]*API key \(this run only\): (\S+)[\s\S]*sandbox\.json/.exec(output()), { timeoutMs: 30_000, intervalMs: 100, what: 'the sandbox to print its URLs' });
    const [, hubUrl, key] = started as RegExpExecArray;
    const sandboxJson = JSON.parse(fs.readFileSync(path.join(dir, 'sandbox.json'), 'utf8')) as { connections: Record<string, { system: string; baseUrl: string }> };
    expect(Object.values(sandboxJson.connections).map((c) => c.system).sort()).toEqual(['erpnext', 'shopify', 'stripe', 'warehouse']);
    const config = fs.readFileSync(path.join(dir, 'tillbridge.config.yaml'), 'utf8');
    expect(config).toContain('file:secrets/');
    expect(config).not.toMatch(/shpat_|sk_test_|whsec_/);
    for (const connection of Object.values(sandboxJson.connections)) {
      const state = await fetch(`${connection.baseUrl}/_sandbox/state`);
      expect(state.status).toBe(200);
    }

    const check = spawnTs('src/cli/main.ts', ['connections', 'check', '--config', path.join(dir, 'tillbridge.config.yaml'), '--json']);
    const checkOutput = collect(check);
    const code = await new Promise<number | null>((resolve) => check.once('exit', resolve));
    expect(code, checkOutput()).toBe(0);
    const results = JSON.parse(checkOutput()) as { id: string; ok: boolean }[];
    expect(results.map((r) => [r.id, r.ok]).sort()).toEqual([['erp-main', true], ['shop-main', true], ['stripe-main', true], ['wh-main', true]]);

    const api = apiClient(hubUrl!, key!);
    await waitFor(async () => ((await api('GET', '/v1/orders?source=shop-main')).body.data as unknown[]).length >= 3, { timeoutMs: 30_000, intervalMs: 200, what: 'simulated orders in the hub' });
    await waitFor(async () => ((await api('GET', '/v1/connections/stripe-main/events?kind=payment')).body.data as unknown[]).length >= 1, { timeoutMs: 30_000, intervalMs: 200, what: 'payments from Stripe' });
    const deadLetters = await api('GET', '/v1/dead-letters');
    expect(deadLetters.body.data).toEqual([]);

    sandbox.kill('SIGTERM');
    expect(await new Promise((resolve) => sandbox.once('exit', resolve))).toBe(0);
  }, 90_000);
});
