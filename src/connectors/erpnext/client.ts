import { z } from 'zod';
import { systemClock, TillbridgeError, type Clock } from '../../model/index.js';
import { createHttpClient, errorText, timedCheck, type CheckResult, type CircuitBreaker, type HttpClient, type OutboundHealth } from '../framework/index.js';
import { createAccountingOps, type JournalEntryOps, type PaymentEntryOps } from './accounting.js';
import { createCatalogOps, type BinOps, type CustomerOps, type ItemOps, type ItemPriceOps } from './catalog.js';
import type { ErpnextSecrets, ErpnextSettings } from './config.js';
import { frappeErrorMessage } from './errors.js';
import { createFrappeResources, resourcePath, type FrappeResources } from './resources.js';
import { createSellingOps, type DeliveryNoteOps, type SalesInvoiceOps, type SalesOrderOps } from './selling.js';

/** ERPNext's outbound operations: the generic Frappe resource calls plus typed ones per doctype. */
export interface ErpnextClient extends FrappeResources {
  customers: CustomerOps;
  items: ItemOps;
  itemPrices: ItemPriceOps;
  bins: BinOps;
  salesOrders: SalesOrderOps;
  deliveryNotes: DeliveryNoteOps;
  salesInvoices: SalesInvoiceOps;
  paymentEntries: PaymentEntryOps;
  journalEntries: JournalEntryOps;
  /** The custom field the hub's reference is written to (settings.referenceField). */
  readonly referenceField: string;
  /** The API user the key belongs to (frappe.auth.get_logged_user). */
  loggedUser(signal?: AbortSignal): Promise<string>;
  health(): OutboundHealth;
}

/** What the client needs to run. */
export interface ErpnextClientOptions {
  connectionId: string;
  settings: ErpnextSettings;
  secrets: Pick<ErpnextSecrets, 'apiKey' | 'apiSecret'>;
  clock?: Clock;
  fetch?: typeof fetch;
  random?: () => number;
  /** Attempts of each safe call and of a create (look-ups between them); default 3. */
  maxAttempts?: number;
  /** Base delay of the in-call backoff (default 200 ms). */
  baseDelayMs?: number;
  breaker?: CircuitBreaker;
}

function httpFor(options: ErpnextClientOptions, overrides: { maxAttempts?: number; timeoutMs?: number } = {}): HttpClient {
  const { settings } = options;
  const timeoutMs = overrides.timeoutMs ?? settings.timeoutMs;
  const maxAttempts = overrides.maxAttempts ?? options.maxAttempts;
  return createHttpClient({
    connectionId: options.connectionId,
    baseUrl: settings.baseUrl,
    vendor: {
      rate: { capacity: settings.rateLimit.capacity, refillPerSecond: settings.rateLimit.perSecond },
      errorMessage: frappeErrorMessage,
      throttleStatuses: [503],
    },
    headers: { authorization: `token ${options.secrets.apiKey}:${options.secrets.apiSecret}` },
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.breaker && overrides.maxAttempts === undefined ? { breaker: options.breaker } : {}),
  });
}

const Message = z.object({ message: z.unknown() });
const Versions = z.record(z.string(), z.object({ version: z.string() }).loose());

/** Creates the ERPNext client over the shared outbound HTTP client (token auth, rate-governed, circuit-broken). */
export function createErpnextClient(options: ErpnextClientOptions): ErpnextClient {
  const { connectionId, settings } = options;
  const http = httpFor(options);
  const maxAttempts = options.maxAttempts ?? 3;
  const resources = createFrappeResources({ http, connectionId, referenceField: settings.referenceField, maxAttempts });
  const catalog = createCatalogOps({ resources, settings, connectionId, maxAttempts });
  const selling = createSellingOps({ resources, settings, connectionId });
  const accounting = createAccountingOps({ resources, settings, connectionId, getInvoice: (name, signal) => selling.salesInvoices.get(name, signal) });
  return {
    ...resources,
    ...catalog,
    ...selling,
    ...accounting,
    referenceField: settings.referenceField,
    async loggedUser(signal) {
      const message = await resources.callMethod('frappe.auth.get_logged_user', signal ? { signal } : {});
      return String(message);
    },
    health: () => http.health(),
  };
}

/**
 * Checks credentials and setup with one attempt per call (an outage answers at once): the API
 * user (401/403 → invalid credentials), the configured Company, and the site's versions.
 */
export async function checkErpnext(options: ErpnextClientOptions, signal?: AbortSignal): Promise<CheckResult> {
  const http = httpFor(options, { maxAttempts: 1, timeoutMs: Math.min(options.settings.timeoutMs ?? 5_000, 5_000) });
  const withSignal = signal ? { signal } : {};
  return timedCheck(options.clock ?? systemClock, async () => {
    const user = Message.parse((await http.request({ method: 'GET', path: '/api/method/frappe.auth.get_logged_user', ...withSignal })).body).message;
    let apiVersion: string | undefined;
    try {
      const versions = Versions.parse(Message.parse((await http.request({ method: 'GET', path: '/api/method/frappe.utils.change_log.get_versions', ...withSignal })).body).message);
      apiVersion = versions['erpnext'] ? `erpnext ${versions['erpnext'].version}` : versions['frappe'] ? `frappe ${versions['frappe'].version}` : undefined;
    } catch {
      apiVersion = undefined;
    }
    try {
      await http.request({ method: 'GET', path: resourcePath('Company', options.settings.company), ...withSignal });
    } catch (error) {
      if (error instanceof TillbridgeError && error.httpStatus === 404) {
        return { ok: false, detail: `logged in as ${String(user)}, but company "${options.settings.company}" does not exist on the site`, apiVersion };
      }
      throw error;
    }
    return { ok: true, detail: `logged in as ${String(user)}; company ${options.settings.company}${apiVersion ? `; ${apiVersion}` : ''}`, apiVersion };
  }, (error) =>
    error instanceof TillbridgeError && error.code === 'outbound_unauthorized'
      ? `invalid credentials: ERPNext refused the API key and secret (${error.httpStatus}): ${error.message}`
      : `ERPNext unreachable: ${errorText(error)}`,
  );
}
