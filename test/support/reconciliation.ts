import { expect } from 'vitest';
import { waitFor } from '../../src/testing/index.js';
import type { apiClient } from './http.js';

/** One drift a reconciliation run found, as the API shows it; `Value` is the shape of its expected and actual sides. */
export interface Drift<Value = Record<string, unknown>> {
  id: string;
  kind: string;
  entity: string;
  systems: string[];
  expected: Value | null;
  actual: Value | null;
  severity: string;
  correction: string | null;
  status: string;
  resolution: string | null;
}

/** A finished reconciliation run: its status, the drift it found and the checks it made. */
export interface Run<Value = Record<string, unknown>> {
  status: string;
  drift: Drift<Value>[];
  checks: { name: string; scope: string; drift: number; error?: string; note?: string }[];
}

/** Starts a reconciliation run over `scope` (and a `from`/`to` window when given) and waits until it succeeds or fails. */
export async function runReconciliation<Value = Record<string, unknown>>(api: ReturnType<typeof apiClient>, scope: string[], window: { from?: string; to?: string } = {}): Promise<Run<Value>> {
  const started = await api('POST', '/v1/reconciliation/runs', { scope, ...window });
  expect(started.status).toBe(202);
  const id = String(started.body['id']);
  return (await waitFor(async () => {
    const run = await api('GET', `/v1/reconciliation/runs/${id}`);
    return run.body['status'] === 'succeeded' || run.body['status'] === 'failed' ? (run.body as unknown as Run<Value>) : undefined;
  }, { timeoutMs: 60_000, intervalMs: 100, what: `reconciliation run ${id}` }))!;
}
