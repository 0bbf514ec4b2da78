import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

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

/** The configuration file: connections now; mappings, routing and SLAs join as they are built. */
export const HubConfig = z
  .object({
    connections: z.array(ConnectionConfig).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.connections.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['connections', i, 'id'], message: `duplicate connection id ${c.id}` });
      seen.add(c.id);
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
