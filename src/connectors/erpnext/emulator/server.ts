import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createWebhookSender, startEmulator, type DeliveryRecord, type EmulatedError, type RunningEmulator } from '../../framework/index.js';
import { frappeWebhookHeaders } from '../webhooks.js';
import { doctypeHooks } from './hooks.js';
import { parseDec } from './decimal.js';
import { FrappeException, frappeErrorBody } from './errors.js';
import { buildMeta, referenceDoctypes } from './meta.js';
import { pythonJsonDumps } from './python-json.js';
import { registerFrappeRoutes, sendFrappeError, sendJson } from './routes.js';
import { abbreviationOf, defaultSeed, seedCompany, seedMasters, seedSite, type ErpnextSeed } from './seed.js';
import { adjustBin } from './stock.js';
import { applyDeskEdit, DeskEdit } from './desk.js';
import { DocumentStore, type DocEvent } from './store.js';
import { textOf, type Doc } from './values.js';

/** Credentials of the emulated site: the API user's key and secret, and the Webhook doctype's secret. */
export interface ErpnextCredentials {
  apiKey: string;
  apiSecret: string;
  webhookSecret: string;
}

/** Options of the ERPNext emulator. */
export interface ErpnextEmulatorOptions {
  port?: number;
  random?: () => number;
  now?: () => number;
  /** Where webhooks go (also `POST /_sandbox/webhooks`); none are sent while unset. */
  webhookUrl?: string;
  credentials?: Partial<ErpnextCredentials>;
  /** The company (default "Tillbridge Retail", abbreviation "TB"). */
  company?: string;
  abbr?: string;
  /** The company's currency (default USD). */
  currency?: string;
  /** More companies on the same site (each with its warehouses and accounts, abbreviation default its initials, currency default the first company's). */
  companies?: { name: string; abbr?: string; currency?: string }[];
  /** Items and customers to start with (default: the sandbox catalog); false for none. */
  seed?: boolean | ErpnextSeed;
  /** The hub's reference custom field on its doctypes (default tillbridge_ref); null when the retailer has not added it. */
  referenceField?: string | null;
  /** Whether the reference field is marked Unique (default false). */
  uniqueReference?: boolean;
  /** Webhooks configured, as `DocType:event` (default Bin, Item and Item Price on_update). */
  webhookEvents?: string[];
  /** Share of writes whose answer is lost after the write is done (answered 504 by the proxy). */
  lostResponseRate?: number;
  /** Retry-After of an injected 429, in seconds (default 1). */
  retryAfterSeconds?: number;
}

/** A running ERPNext emulator. */
export type RunningErpnextEmulator = RunningEmulator & {
  credentials: ErpnextCredentials;
  company: string;
  abbr: string;
  /** Resolves once every webhook delivery has finished. */
  idle(): Promise<void>;
  deliveries(): readonly DeliveryRecord[];
  /** Documents of a doctype as the API would answer them (for tests and the sandbox). */
  documents(doctype: string): Record<string, unknown>[];
};

const WebhookTarget = z.object({ url: z.url({ protocol: /^https?$/ }).nullable() });
const StockSet = z.object({ item_code: z.string().min(1), warehouse: z.string().min(1), qty: z.union([z.number().min(0), z.string().regex(/^\d+(\.\d+)?$/)]) });
const DocumentsQuery = z.object({ doctype: z.string().min(1), reference: z.string().min(1).optional() });
const BehaviourUpdate = z.object({ lostResponseRate: z.number().min(0).max(1) }).partial().strict();

function messagesBody(excType: string, exception: string, message: string): unknown {
  return frappeErrorBody(new FrappeException(excType, [message], { exception }));
}

/**
 * Starts an emulated ERPNext v15 site speaking Frappe's REST API: doctypes with mandatory fields,
 * link validation, naming series, docstatus rules, exact totals, stock Bins moved by deliveries,
 * Sales Order delivery and billing status, and signed webhooks for Bin, Item and Item Price changes.
 */
export async function startErpnextEmulator(options: ErpnextEmulatorOptions = {}): Promise<RunningErpnextEmulator> {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const credentials: ErpnextCredentials = {
    apiKey: options.credentials?.apiKey ?? randomBytes(8).toString('hex').slice(0, 15),
    apiSecret: options.credentials?.apiSecret ?? randomBytes(8).toString('hex').slice(0, 15),
    webhookSecret: options.credentials?.webhookSecret ?? randomBytes(16).toString('base64url'),
  };
  const company = options.company ?? 'Tillbridge Retail';
  const abbr = options.abbr ?? (options.company ? abbreviationOf(company) : 'TB');
  const currency = options.currency ?? 'USD';
  const referenceField = options.referenceField === undefined ? 'tillbridge_ref' : options.referenceField;
  const webhookEvents = new Set(options.webhookEvents ?? ['Bin:on_update', 'Item:on_update', 'Item Price:on_update']);
  const user = 'tillbridge@example.com';
  let webhookUrl: string | null = options.webhookUrl ?? null;
  let behaviour = { lostResponseRate: options.lostResponseRate ?? 0 };
  let seeding = true;
  let lostResponses = 0;
  const emitted: { topic: string; name: string; modified: string; sent: boolean }[] = [];

  const closing = new AbortController();
  const sender = createWebhookSender({
    fetch: async (input, init) => {
      if (closing.signal.aborted) return new Response(null, { status: 401, statusText: 'emulator closed' });
      return fetch(input, { ...init, signal: AbortSignal.any([closing.signal, ...(init?.signal ? [init.signal] : [])]) });
    },
  });

  const metas = buildMeta(referenceField, options.uniqueReference ?? false);
  const onEvent = (doctype: string, event: DocEvent, doc: Doc) => {
    const topic = `${doctype}:${event}`;
    if (seeding || !webhookEvents.has(topic)) return;
    const url = webhookUrl;
    emitted.push({ topic, name: doc.name, modified: textOf(doc, 'modified'), sent: url !== null });
    if (emitted.length > 1000) emitted.shift();
    if (!url) return;
    // The Webhook's JSON template: {"event": "<docevent>", "doc": {{ doc | tojson }}}, re-serialised by json.dumps.
    const body = pythonJsonDumps({ event, doc: store.wire(doc) });
    const headers = frappeWebhookHeaders(body, credentials.webhookSecret);
    sender.send({ url, headers, body }, topic, { attempts: 3 });
  };
  const store: DocumentStore = new DocumentStore({ metas, hooks: doctypeHooks, now, random, user, referenceField, uniqueReference: options.uniqueReference ?? false, onEvent });
  seedSite(store, { name: company, abbr, currency });
  for (const other of options.companies ?? []) seedCompany(store, { name: other.name, abbr: other.abbr ?? abbreviationOf(other.name), currency: other.currency ?? currency });
  const seed = options.seed === false ? {} : options.seed === true || options.seed === undefined ? defaultSeed : options.seed;
  seedMasters(store, { abbr }, seed);
  seeding = false;

  const current: { emulator?: RunningEmulator } = {};
  /** Names of the documents carrying each hub reference, per doctype (cancelled ones included). */
  const namesByReference = (doctype: string) => {
    const byRef = new Map<string, string[]>();
    if (!referenceField) return byRef;
    for (const doc of store.all(doctype)) {
      const ref = textOf(doc, referenceField);
      if (ref) byRef.set(ref, [...(byRef.get(ref) ?? []), doc.name]);
    }
    return byRef;
  };
  const duplicates = () => {
    const out: { doctype: string; reference: string; names: string[] }[] = [];
    for (const doctype of referenceDoctypes) {
      for (const [reference, names] of namesByReference(doctype)) if (names.length > 1) out.push({ doctype, reference, names });
    }
    return out;
  };
  const byReference = () => {
    const out: Record<string, Record<string, number>> = {};
    for (const doctype of referenceDoctypes) {
      const counts = Object.fromEntries([...namesByReference(doctype)].map(([reference, names]) => [reference, names.length]));
      if (Object.keys(counts).length > 0) out[doctype] = counts;
    }
    return out;
  };

  const emulator = await startEmulator({
    name: 'erpnext',
    ...(options.port !== undefined ? { port: options.port } : {}),
    random,
    now,
    faultResponse(kind): EmulatedError {
      if (kind === 'rate-limit') {
        const seconds = String(options.retryAfterSeconds ?? 1);
        return {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': seconds, 'x-ratelimit-reset': seconds, 'x-ratelimit-limit': '600000000', 'x-ratelimit-remaining': '0' },
          body: messagesBody('TooManyRequestsError', '', 'You hit the rate limit because of too many requests. Please try after sometime.'),
        };
      }
      if (kind === 'outage') {
        const remaining = current.emulator?.faults.current().outageRemainingMs ?? 1000;
        return {
          status: 503,
          headers: { 'content-type': 'application/json', 'retry-after': String(Math.max(1, Math.ceil(remaining / 1000))) },
          body: messagesBody('SessionStopped', 'Session Stopped', 'The system is being updated. Please refresh again after a few moments.'),
        };
      }
      return {
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: { exception: "pymysql.err.OperationalError: (2013, 'Lost connection to MySQL server during query')", exc_type: 'OperationalError', exc: JSON.stringify(['Traceback (most recent call last): …']) },
      };
    },
    state: () => ({
      company,
      abbr,
      referenceField,
      webhookUrl,
      behaviour,
      counts: store.counts(),
      byReference: byReference(),
      duplicateReferences: duplicates(),
      lostResponses,
      events: emitted,
      deliveries: sender.deliveries(),
    }),
    routes(app) {
      registerFrappeRoutes(app, {
        store,
        apiKey: credentials.apiKey,
        apiSecret: credentials.apiSecret,
        user,
        versions: {
          frappe: { title: 'Frappe Framework', version: '15.52.0', branch: 'version-15' },
          erpnext: { title: 'ERPNext', version: '15.48.2', branch: 'version-15' },
        },
        loseResponse: () => {
          const lost = behaviour.lostResponseRate > 0 && random() < behaviour.lostResponseRate;
          if (lost) lostResponses += 1;
          return lost;
        },
      });
      app.post('/_sandbox/webhooks', async (request, reply) => {
        const body = WebhookTarget.safeParse(request.body);
        if (!body.success) return sendJson(reply, 400, { error: 'invalid webhook target', detail: body.error.message });
        webhookUrl = body.data.url;
        return sendJson(reply, 200, { url: webhookUrl });
      });
      app.post('/_sandbox/stock', async (request, reply) => {
        const body = StockSet.safeParse(request.body);
        if (!body.success) return sendJson(reply, 400, { error: 'invalid stock', detail: body.error.message });
        try {
          store.require('Item', body.data.item_code);
          store.require('Warehouse', body.data.warehouse);
          const bin = adjustBin(store, body.data.item_code, body.data.warehouse, { set: parseDec(String(body.data.qty)) ?? 0n });
          return sendJson(reply, 200, { data: store.wire(bin) });
        } catch (error) {
          if (error instanceof FrappeException) return sendFrappeError(reply, error);
          throw error;
        }
      });
      app.post('/_sandbox/desk', async (request, reply) => {
        const body = DeskEdit.safeParse(request.body);
        if (!body.success) return sendJson(reply, 400, { error: 'invalid desk edit', detail: body.error.message });
        try {
          return sendJson(reply, 200, { data: store.wire(applyDeskEdit(store, body.data)) });
        } catch (error) {
          if (error instanceof FrappeException) return sendFrappeError(reply, error);
          throw error;
        }
      });
      app.get('/_sandbox/documents', async (request, reply) => {
        const query = DocumentsQuery.safeParse(request.query);
        if (!query.success) return sendJson(reply, 400, { error: 'invalid documents query', detail: query.error.message });
        const { doctype, reference } = query.data;
        if (!metas.has(doctype) || metas.get(doctype)?.isChild) return sendJson(reply, 404, { error: `unknown doctype ${doctype}` });
        const docs = store.all(doctype).filter((doc) => reference === undefined || (referenceField !== null && doc[referenceField] === reference));
        return sendJson(reply, 200, { doctype, count: docs.length, data: docs.map((doc) => store.wire(doc)) });
      });
      app.get('/_sandbox/behaviour', async () => behaviour);
      app.post('/_sandbox/behaviour', async (request, reply) => {
        const body = BehaviourUpdate.safeParse(request.body ?? {});
        if (!body.success) return sendJson(reply, 400, { error: 'invalid behaviour', detail: body.error.message });
        behaviour = { ...behaviour, ...body.data };
        return sendJson(reply, 200, behaviour);
      });
    },
  });
  current.emulator = emulator;

  return {
    ...emulator,
    credentials,
    company,
    abbr,
    idle: () => sender.idle(),
    deliveries: () => sender.deliveries(),
    documents: (doctype) => store.all(doctype).map((doc) => store.wire(doc)),
    async close() {
      closing.abort();
      await emulator.close();
    },
  };
}
