import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { AlertsConfig, CatalogConfig, InventoryConfig, LedgerConfig, OrderToCashConfig, PostingConfig, ReconciliationConfig, SettlementConfig, SlasConfig } from '../flows/index.js';

const connectionId = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const secretReference = z
  .string()
  .regex(/^(env|file):.+$/, { error: 'secrets are references: env:NAME or file:PATH, never the value itself' });

/** A connection to an external system, as declared in the configuration file. */
export const ConnectionConfig = z.object({
  id: z.string().regex(connectionId, { error: 'a connection id must match ^[a-z0-9][a-z0-9_-]{0,63}$' }),
  system: z.string().min(1),
  settings: z.record(z.string(), z.unknown()).default({}),
  secrets: z.record(z.string(), secretReference).default({}),
});
export type ConnectionConfig = z.infer<typeof ConnectionConfig>;

/** The configuration file: connections, order-to-cash (routing, holds, payments, returns, SLAs), inventory (locations, channel allocation) and the catalog (sources, merge rules, approval, channel mappings). */
export const HubConfig = z
  .object({
    connections: z.array(ConnectionConfig).default([]),
    orderToCash: OrderToCashConfig.prefault({}),
    inventory: InventoryConfig.prefault({}),
    ledger: LedgerConfig.prefault({}),
    /** Posting rules (accounts, the books' currency, closed periods); without it nothing is booked. */
    finance: PostingConfig.optional(),
    catalog: CatalogConfig.prefault({}),
    reconciliation: ReconciliationConfig.prefault({}),
    /** Settlement matching tolerance and how long captured money may take to reach a payout. */
    settlement: SettlementConfig.prefault({}),
    /** Business SLA targets (product publication, order acceptance, shipment confirmation, refund processing, settlement posting). */
    slas: SlasConfig.prefault({}),
    /** Alert evaluation: period, dead-letter growth rule, optional email over SMTP. */
    alerts: AlertsConfig.prefault({}),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.connections.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['connections', i, 'id'], message: `duplicate connection id ${c.id}` });
      seen.add(c.id);
    });
    const o2c = config.orderToCash;
    const named: [string, string | undefined][] = [
      ['erp', o2c.erp],
      ['warehouse', o2c.warehouse],
      ...o2c.routing.flatMap((r, i): [string, string | undefined][] => [[`routing/${i}/erp`, r.erp], [`routing/${i}/warehouse`, r.warehouse]]),
      ...o2c.payments.map((p, i): [string, string | undefined] => [`payments/${i}/connection`, p.connection]),
    ];
    for (const [path, id] of named) {
      if (id !== undefined && !seen.has(id)) ctx.addIssue({ code: 'custom', path: ['orderToCash', ...path.split('/')], message: `names connection ${id}, which is not configured` });
    }
    if (config.ledger.erp !== undefined && !seen.has(config.ledger.erp)) ctx.addIssue({ code: 'custom', path: ['ledger', 'erp'], message: `names connection ${config.ledger.erp}, which is not configured` });
    config.inventory.channels.forEach((channel, i) => {
      if (!seen.has(channel.connection)) ctx.addIssue({ code: 'custom', path: ['inventory', 'channels', i, 'connection'], message: `names connection ${channel.connection}, which is not configured` });
    });
    config.catalog.channels.forEach((channel, i) => {
      if (!seen.has(channel.connection)) ctx.addIssue({ code: 'custom', path: ['catalog', 'channels', i, 'connection'], message: `names connection ${channel.connection}, which is not configured` });
    });
    config.catalog.sources.forEach((source, i) => {
      if (source.connection !== undefined && !seen.has(source.connection)) ctx.addIssue({ code: 'custom', path: ['catalog', 'sources', i, 'connection'], message: `names connection ${source.connection}, which is not configured` });
    });
  });
export type HubConfig = z.infer<typeof HubConfig>;

/**
 * Reads the configuration file: the given path (which must exist), else ./tillbridge.config.yaml
 * when present, else an empty configuration.
 */
export function loadHubConfig(path: string | undefined): { config: HubConfig; path: string | null } {
  const file = path ?? (fs.existsSync('tillbridge.config.yaml') ? 'tillbridge.config.yaml' : null);
  if (!file) return { config: HubConfig.parse({}), path: null };
  let document: unknown;
  try {
    document = parse(fs.readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new Error(`cannot read configuration ${file}: ${(error as Error).message}`);
  }
  const parsed = HubConfig.safeParse(document);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  /${i.path.join('/')}: ${i.message}`);
    throw new Error(`invalid configuration ${file}:\n${lines.join('\n')}`);
  }
  return { config: parsed.data, path: file };
}
