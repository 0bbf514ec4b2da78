import type { Logger } from 'pino';
import { newId, type Clock } from '../model/index.js';
import { createAlerts, createBusinessSlas } from '../flows/index.js';
import { resolveSecrets, type Connections } from '../connectors/index.js';
import type { Store } from '../store/index.js';
import type { HubConfig } from './config-file.js';
import { secretSourcesFor } from './connections.js';

/** The business SLAs of the configuration, and the alerts raised on them, on dead-letter growth, open circuits and drift. */
export function alertsFor(deps: { store: Store; clock: Clock; config: HubConfig; configPath: string | null; connections: Connections; logger: Logger; onEmitted: () => void }) {
  const { store, clock, config } = deps;
  const slas = createBusinessSlas({ store, clock, config: config.slas });
  const secretSources = secretSourcesFor(deps.configPath);
  const alerts = createAlerts({
    store,
    clock,
    newId,
    config: config.alerts,
    slas,
    connections: deps.connections,
    observer: newId('hub'),
    logger: deps.logger,
    resolveSecret: (reference) => resolveSecrets('alerts.email', { password: reference }, secretSources)['password']!,
    onEmitted: deps.onEmitted,
  });
  return { slas, alerts };
}
