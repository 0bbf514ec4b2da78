import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { stringify } from 'yaml';
import { startErpnextEmulator, startShopifyEmulator, startStripeEmulator, startWarehouseEmulator, type RunningEmulator } from '../../connectors/index.js';
import { sandboxCatalog } from './catalog.js';
import { startTraffic } from './traffic.js';

/** What `tillbridge sandbox` starts. */
export interface SandboxOptions {
  /** Folder for tillbridge.config.yaml, sandbox.json and the secret files. */
  outDir: string;
  /** The hub the emulators send webhooks to. */
  hubUrl: string;
  /** Start simulated shoppers and operations. */
  traffic?: boolean | { ordersPerMinute?: number };
  logger?: Logger;
}

/** A running sandbox retailer. */
export interface Sandbox {
  configPath: string;
  sandboxJsonPath: string;
  connections: Record<string, { system: string; baseUrl: string } & Record<string, string>>;
  /** Points every emulator's webhooks at another hub URL. */
  retarget(hubUrl: string): Promise<void>;
  stop(): Promise<void>;
}

interface SandboxSystem {
  id: string;
  system: string;
  emulator: RunningEmulator;
  credentials: Record<string, string>;
  settings: Record<string, unknown>;
}

/**
 * Starts an emulator for every supported system on free loopback ports, writes a hub
 * configuration wired to them (secrets in files beside it, referenced as file:) and sandbox.json,
 * and optionally simulated traffic.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const webhookUrl = (system: string, id: string) => `${options.hubUrl}/webhooks/${system}/${id}`;
  const stock = Object.fromEntries(sandboxCatalog.map((p) => [p.sku, 100]));
  const shopify = await startShopifyEmulator({ webhookUrl: webhookUrl('shopify', 'shop-main') });
  const stripe = await startStripeEmulator({ webhookUrl: webhookUrl('stripe', 'stripe-main') });
  // The reference field is Unique, as the ERPNext guide asks retailers to set it up.
  const erpnext = await startErpnextEmulator({ webhookUrl: webhookUrl('erpnext', 'erp-main'), uniqueReference: true });
  const warehouse = await startWarehouseEmulator({ webhookUrl: webhookUrl('warehouse', 'wh-main'), stock });
  const systems: SandboxSystem[] = [
    { id: 'shop-main', system: 'shopify', emulator: shopify, credentials: { ...shopify.credentials }, settings: { shopDomain: shopify.shopDomain, baseUrl: shopify.url, pollIntervalMs: 30_000 } },
    { id: 'stripe-main', system: 'stripe', emulator: stripe, credentials: { ...stripe.credentials }, settings: { baseUrl: stripe.url } },
    { id: 'erp-main', system: 'erpnext', emulator: erpnext, credentials: { ...erpnext.credentials }, settings: { baseUrl: erpnext.url, company: erpnext.company } },
    { id: 'wh-main', system: 'warehouse', emulator: warehouse, credentials: { ...warehouse.credentials }, settings: { baseUrl: warehouse.url, locationId: 'wh-main' } },
  ];

  fs.mkdirSync(path.join(options.outDir, 'secrets'), { recursive: true, mode: 0o700 });
  const connections: Sandbox['connections'] = {};
  const config = {
    connections: systems.map((s) => {
      const secrets: Record<string, string> = {};
      for (const [name, value] of Object.entries(s.credentials)) {
        const file = path.join('secrets', `${s.id}.${name}`);
        fs.writeFileSync(path.join(options.outDir, file), `${value}\n`, { mode: 0o600 });
        secrets[name] = `file:${file}`;
      }
      connections[s.id] = { system: s.system, baseUrl: s.emulator.url, ...s.credentials };
      return { id: s.id, system: s.system, settings: s.settings, secrets };
    }),
    orderToCash: {
      erp: 'erp-main',
      warehouse: 'wh-main',
      payments: [{ provider: 'stripe', connection: 'stripe-main', referenceAttribute: 'payment_intent' }],
      captureOn: 'shipment',
      accounts: { tax: `Sales Tax - ${erpnext.abbr}`, shipping: `Shipping Income - ${erpnext.abbr}` },
      holds: [{ reason: 'high_value', when: { totalAbove: 50_000, currencies: ['USD'] } }],
      slas: { 'book-sales-order': '2m', 'release-to-warehouse': '2m' },
      returns: [
        { reasons: ['wrong-size'], mode: 'exchange', disposition: 'restock' },
        { reasons: ['arrived-late'], mode: 'refund', refundShipping: true },
        { reasons: ['damaged'], mode: 'return-then-refund', disposition: 'write-off' },
        { reasons: ['*'], mode: 'return-then-refund', disposition: 'restock' },
      ],
    },
    finance: {
      baseCurrency: 'USD',
      accounts: {
        revenue: { default: `Sales - ${erpnext.abbr}` },
        taxPayable: { default: `Sales Tax - ${erpnext.abbr}` },
        shippingIncome: `Shipping Income - ${erpnext.abbr}`,
        receivables: `Debtors - ${erpnext.abbr}`,
        paymentClearing: { default: `Stripe Clearing - ${erpnext.abbr}` },
        processorFees: { default: `Payment Processing Fees - ${erpnext.abbr}` },
        bank: { default: `Bank - ${erpnext.abbr}` },
        rounding: `Round Off - ${erpnext.abbr}`,
        chargebacks: `Chargebacks - ${erpnext.abbr}`,
        fxGainLoss: `Exchange Gain/Loss - ${erpnext.abbr}`,
      },
    },
    // A reconciliation run over every scope each hour; corrections wait for approval in the API.
    reconciliation: { every: '1h' },
    inventory: {
      locations: [{ id: 'wh-main', name: 'Main warehouse (3PL)', safetyStock: 2 }],
      channels: [{ connection: 'shop-main', sources: ['shop-main', 'web-store'], locations: ['wh-main'] }],
      pushInterval: '1s',
    },
    catalog: {
      // ERP Items and Item Prices feed the master; a PIM (PUT /v1/products/{sku}?source=pim) enriches it.
      sources: [{ id: 'erp', connection: 'erp-main' }, { id: 'pim' }],
      merge: { title: ['erp', 'api'], description: ['pim', 'erp', 'api'], attributes: ['pim', 'erp', 'api'], images: ['pim', 'erp', 'api'], prices: ['erp', 'api'] },
      requireApproval: true,
      channels: [
        {
          connection: 'shop-main',
          currency: 'USD',
          mapping: [
            '{',
            '  "title": title,',
            '  "handle": handle,',
            '  "description": description,',
            '  "vendor": $string(attributes.brand),',
            '  "productType": $string(attributes.itemGroup),',
            '  "tags": $string(attributes.material) ? [$string(attributes.material)] : [],',
            '  "barcode": $string(attributes.barcode),',
            '  "price": price,',
            '  "compareAtPrice": compareAtPrice,',
            '  "images": images',
            '}',
          ].join('\n'),
        },
      ],
    },
  };
  const configPath = path.join(options.outDir, 'tillbridge.config.yaml');
  fs.writeFileSync(configPath, `# Written by tillbridge sandbox: a hub configuration wired to the emulators.\n${stringify(config)}`);
  const sandboxJsonPath = path.join(options.outDir, 'sandbox.json');
  fs.writeFileSync(sandboxJsonPath, `${JSON.stringify({ hubUrl: options.hubUrl, connections }, null, 2)}\n`, { mode: 0o600 });

  const traffic = options.traffic
    ? startTraffic(
        { shopify: { baseUrl: shopify.url }, stripe: { baseUrl: stripe.url, secretKey: stripe.credentials.secretKey }, warehouse: { baseUrl: warehouse.url }, erpnext: { baseUrl: erpnext.url, ...erpnext.credentials } },
        { ...(typeof options.traffic === 'object' ? options.traffic : {}), ...(options.logger ? { logger: options.logger } : {}) },
      )
    : undefined;

  return {
    configPath,
    sandboxJsonPath,
    connections,
    async retarget(hubUrl) {
      await Promise.all(
        systems.map((s) =>
          fetch(`${s.emulator.url}/_sandbox/webhooks`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ url: `${hubUrl}/webhooks/${s.system}/${s.id}` }),
          }),
        ),
      );
    },
    async stop() {
      traffic?.stop();
      await Promise.all(systems.map((s) => s.emulator.close()));
    },
  };
}
