import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Clock } from '../../model/index.js';
import type { Capability } from './capabilities.js';
import type { InboundEvent } from './events.js';
import type { OutboundHealth } from './outbound/http-client.js';

/** Request headers as received (lower-case names). */
export type InboundHeaders = Record<string, string | string[] | undefined>;

/** The outcome of checking a webhook's signature. */
export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Who sent a verified payload and how to deduplicate it. */
export interface InboundIdentity {
  /** Unique per delivery of the same event (e.g. X-Shopify-Webhook-Id, Stripe event id). */
  dedupKey: string;
  /** The vendor's topic or event type, e.g. 'orders/create', 'payment_intent.succeeded'. */
  topic: string;
  /** The vendor API version the payload is shaped by, when it says. */
  apiVersion?: string | undefined;
}

/**
 * Inbound webhooks of one connection: verify the signature over the raw bytes before anything
 * else, then identify the delivery, then (later, in a message handler) interpret it.
 */
export interface WebhookEndpoint {
  verify(raw: Buffer, headers: InboundHeaders, nowMs: number): VerifyResult;
  /** Reads topic and dedup key of a verified delivery; throws a permanent error when they are missing. */
  identify(raw: Buffer, headers: InboundHeaders): InboundIdentity;
}

/** Maps a verified payload of a topic to canonical events (pure; throws a permanent error on bad input). */
export type Interpreter = (topic: string, payload: string) => InboundEvent[];

/** One page of a poll: payloads to treat like webhooks, and the cursor to continue from. */
export interface PollResult {
  items: { dedupKey: string; topic: string; payload: string }[];
  cursor: string | null;
  /** True when more pages are waiting now (the runner polls again at once). */
  more: boolean;
}

/** Periodic reading of changes a webhook may have missed. */
export interface Poller {
  name: string;
  intervalMs: number;
  poll(cursor: string | null, signal: AbortSignal): Promise<PollResult>;
}

/** The result of `check()`: credentials and reachability. */
export interface CheckResult {
  ok: boolean;
  detail: string;
  latencyMs: number;
  apiVersion?: string | undefined;
}

/** What a connector is given to run one connection. */
export interface ConnectorContext<Settings, Secrets> {
  connectionId: string;
  settings: Settings;
  secrets: Secrets;
  clock: Clock;
  logger?: Logger | undefined;
  /** For tests that route calls elsewhere; defaults to the global fetch. */
  fetch?: typeof fetch | undefined;
}

/** A running connection: its check, webhooks, outbound client, pollers and health. */
export interface ConnectionInstance<Client = unknown> {
  check(signal?: AbortSignal): Promise<CheckResult>;
  webhooks?: WebhookEndpoint;
  interpret?: Interpreter;
  /** The outbound operations, per capability. */
  client: Client;
  pollers?: Poller[];
  health(): OutboundHealth;
}

/** What every connector declares: id, config schema, capabilities, and how to run a connection. */
export interface ConnectorDefinition<Settings = unknown, Secrets = unknown, Client = unknown> {
  /** The `system` value in the configuration file, e.g. 'shopify'. */
  system: string;
  title: string;
  capabilities: readonly Capability[];
  /** Non-secret settings (base URL, API version, location ids, …). */
  settings: z.ZodType<Settings>;
  /** Secrets, after their env:/file: references are resolved. */
  secrets: z.ZodType<Secrets>;
  create(context: ConnectorContext<Settings, Secrets>): ConnectionInstance<Client>;
  /** The vendor API version a connection speaks, from its settings (pure), e.g. Shopify `2026-04`. */
  apiVersion?(settings: Settings): string;
  /** When the vendor stops supporting an API version (epoch ms), or null when it publishes no end. */
  apiEndOfLife?(version: string): number | null;
}

/** Declares a connector with its types inferred from the schemas. */
export function defineConnector<Settings, Secrets, Client>(
  definition: ConnectorDefinition<Settings, Secrets, Client>,
): ConnectorDefinition<Settings, Secrets, Client> {
  return definition;
}
