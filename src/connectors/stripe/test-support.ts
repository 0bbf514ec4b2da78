import { readFileSync } from 'node:fs';
import { corpusUrl } from '../../testing/index.js';

/** Stripe's own example objects (fixtures3.json from Stripe's OpenAPI repository), by object type. */
export const stripeFixtures = (JSON.parse(readFileSync(corpusUrl('stripe/fixtures3.json'), 'utf8')) as { resources: Record<string, Record<string, unknown>> }).resources;

/** A fixture object with some fields changed (the corpus itself is never edited). */
export function fixture(kind: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const base = stripeFixtures[kind];
  if (!base) throw new Error(`no ${kind} in fixtures3.json`);
  return { ...structuredClone(base), ...changes };
}

/** A Stripe Event around an object, as a webhook body. */
export function eventBody(type: string, object: unknown, fields: { id?: string; created?: number } = {}): string {
  return JSON.stringify({ ...fixture('event'), id: fields.id ?? 'evt_1Pgc76B7WZ01zgkWwyRHS12y', created: fields.created ?? 1_795_000_000, type, api_version: '2026-10-28.endive', data: { object } }, null, 2);
}

/** A random source that returns `values` in turn, then the last one for ever (deterministic faults). */
export function scripted(...values: number[]): () => number {
  let index = 0;
  return () => values[Math.min(index++, values.length - 1)] as number;
}

/** POSTs JSON to an emulator's sandbox route. */
export async function sandboxPost<T = unknown>(baseUrl: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${path} → ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** What the emulator's state page shows. */
export interface EmulatorState {
  counts: Record<string, number>;
  paymentIntents: Record<string, unknown>[];
  charges: Record<string, unknown>[];
  refunds: Record<string, unknown>[];
  payouts: Record<string, unknown>[];
  balanceTransactions: Record<string, unknown>[];
  events: { id: string; type: string }[];
  requests: { method: string; path: string; status: number; idempotencyKey?: string; replayed?: boolean; lost?: boolean }[];
  deliveries: { url: string; topic: string; status: number | null; attempts: number }[];
  balance: { available: { amount: number; currency: string }[] };
  rateLimited: number;
  webhookUrl: string | null;
}

/** Reads an emulator's `GET /_sandbox/state`. */
export async function emulatorState(baseUrl: string): Promise<EmulatorState> {
  return (await (await fetch(`${baseUrl}/_sandbox/state`)).json()) as EmulatorState;
}
