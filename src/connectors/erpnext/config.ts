import { z } from 'zod';
import { CurrencyCode } from '../../model/index.js';

/** Frappe publishes no rate limit; the hub's default pace is a bucket of 20 calls refilled at 10 per second. */
export const defaultErpnextRate = { capacity: 20, perSecond: 10 } as const;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Settings of an ERPNext connection (no secrets). */
export const ErpnextSettings = z.object({
  /** The site's URL, e.g. https://erp.example.com (the API lives under /api). */
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }),
  /** The Company every document is booked in, exactly as named in ERPNext. */
  company: z.string().min(1, { error: 'company is required' }),
  /**
   * The Custom Field (type Data, ideally Unique) the retailer adds to Customer, Item, Item Price,
   * Sales Order, Delivery Note, Sales Invoice, Payment Entry and Journal Entry: the hub writes its
   * reference there and looks documents up by it before creating them.
   */
  referenceField: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,139}$/, { error: 'referenceField must be a Frappe fieldname (lower-case letters, digits, _)' })
    .default('tillbridge_ref'),
  /** Warehouse for order and delivery rows when the hub does not name one, e.g. "Stores - TB". */
  defaultWarehouse: z.string().min(1).optional(),
  /** Selling price list the hub reads and writes prices in. */
  priceList: z.string().min(1).default('Standard Selling'),
  /** The company currency, when documents are read without their own currency field. */
  currency: CurrencyCode.optional(),
  /** The site's System Settings time zone: Frappe timestamps carry no offset. */
  timeZone: z.string().refine(isTimeZone, { error: 'timeZone must be an IANA time zone, e.g. Europe/Berlin' }).default('UTC'),
  /** Outbound pace (Frappe has no published limit). */
  rateLimit: z
    .object({ capacity: z.int().positive(), perSecond: z.number().positive() })
    .default({ ...defaultErpnextRate }),
  /** When set, Bins and Items changed since the last poll are also read at this interval (catches missed webhooks). */
  pollIntervalMs: z.int().min(1_000).optional(),
  /** Per-attempt timeout of outbound calls in ms (default 10 s). */
  timeoutMs: z.int().positive().max(120_000).optional(),
});

/** Settings of an ERPNext connection, as parsed. */
export type ErpnextSettings = z.output<typeof ErpnextSettings>;

/** Settings of an ERPNext connection, as written in the configuration. */
export type ErpnextSettingsInput = z.input<typeof ErpnextSettings>;

/** Secrets of an ERPNext connection: the API user's key and secret, and the Webhook doctype's secret. */
export const ErpnextSecrets = z.object({
  apiKey: z.string().min(1, { error: 'apiKey is required' }),
  apiSecret: z.string().min(1, { error: 'apiSecret is required' }),
  /** The "Webhook Secret" of the site's Webhook documents; without it inbound webhooks are refused. */
  webhookSecret: z.string().min(1).optional(),
});

/** Secrets of an ERPNext connection. */
export type ErpnextSecrets = z.output<typeof ErpnextSecrets>;
