import { createCircuitBreaker } from '../framework/index.js';
import { createErpnextClient, type ErpnextClientOptions } from './client.js';
import { ErpnextSettings, type ErpnextSettingsInput } from './config.js';
import { startErpnextEmulator, type ErpnextEmulatorOptions, type RunningErpnextEmulator } from './emulator/server.js';

/** A small seeded PRNG (mulberry32), so fault sequences repeat exactly. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What `GET /_sandbox/state` answers (the parts tests read). */
export interface EmulatorState {
  counts: Record<string, number>;
  /** Documents per hub reference, per doctype (cancelled ones included). */
  byReference: Record<string, Record<string, number>>;
  duplicateReferences: { doctype: string; reference: string; names: string[] }[];
  lostResponses: number;
  events: { topic: string; name: string; modified: string; sent: boolean }[];
}

const running: RunningErpnextEmulator[] = [];

/** Closes every emulator `setup` started (call it in afterEach). */
export async function closeEmulators(): Promise<void> {
  await Promise.all(running.splice(0).map((e) => e.close()));
}

/** Starts an emulator and a client for it (tests and benchmarks; closed by {@link closeEmulators}). */
export async function setup(options: ErpnextEmulatorOptions = {}, settings: Partial<ErpnextSettingsInput> = {}, client: Partial<ErpnextClientOptions> = {}) {
  const emulator = await startErpnextEmulator(options);
  running.push(emulator);
  const erp = createErpnextClient({
    connectionId: 'erp-test',
    settings: ErpnextSettings.parse({ baseUrl: emulator.url, company: emulator.company, currency: 'USD', timeoutMs: 2_000, rateLimit: { capacity: 500, perSecond: 500 }, ...settings }),
    secrets: emulator.credentials,
    baseDelayMs: 1,
    breaker: createCircuitBreaker({ openMs: 20 }),
    ...client,
  });
  const state = async () => (await (await fetch(`${emulator.url}/_sandbox/state`)).json()) as EmulatorState;
  const sandbox = async (path: string, body: unknown) => {
    const response = await fetch(`${emulator.url}/_sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`/_sandbox/${path} → ${response.status}: ${await response.text()}`);
    return (await response.json()) as unknown;
  };
  return { emulator, erp, state, sandbox };
}

/** A fetch that records each call as "METHOD /path" (path decoded), for tests that count calls. */
export function countingFetch(inner: typeof fetch = fetch): { fetch: typeof fetch; calls: string[]; writes: () => string[]; withoutMeta: () => string[] } {
  const calls: string[] = [];
  const counted: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    calls.push(`${init?.method ?? (input instanceof Request ? input.method : 'GET')} ${decodeURIComponent(url.pathname)}`);
    return inner(input, init);
  };
  const withoutMeta = () => calls.filter((call) => !call.endsWith('/frappe.desk.form.load.getdoctype'));
  return { fetch: counted, calls, writes: () => calls.filter((call) => !call.startsWith('GET ')), withoutMeta };
}
