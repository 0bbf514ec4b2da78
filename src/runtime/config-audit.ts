import { createHash } from 'node:crypto';
import type { Clock } from '../model/index.js';
import { appendAudit, auditEntry, listAudit, type Store } from '../store/index.js';
import type { HubConfig } from './config-file.js';

/** What the audit log keeps of a configuration: its hash and the connections it declares (secrets are only references). */
function summary(config: HubConfig, path: string | null) {
  const canonical = JSON.stringify(config);
  return {
    path,
    hash: createHash('sha256').update(canonical).digest('hex'),
    connections: config.connections.map((c) => ({ id: c.id, system: c.system })),
  };
}

/**
 * Records a `configuration.change` audit entry when the hub starts with a configuration that
 * differs from the one the last start recorded (before and after: path, hash, connections).
 * Returns whether it recorded one.
 */
export async function auditConfigurationChange(store: Store, clock: Clock, config: HubConfig, path: string | null): Promise<boolean> {
  const [last] = await listAudit(store.db, { action: 'configuration.change', resourceType: 'configuration' }, { limit: 1 });
  const before = last?.after ? (JSON.parse(last.after) as ReturnType<typeof summary>) : null;
  const after = summary(config, path);
  if (before?.hash === after.hash) return false;
  await appendAudit(store.db, [
    auditEntry({
      at: clock.now(),
      actor: { name: path ? `configuration file ${path}` : 'default configuration' },
      action: 'configuration.change',
      resourceType: 'configuration',
      resourceId: 'hub',
      before,
      after,
    }),
  ]);
  return true;
}
