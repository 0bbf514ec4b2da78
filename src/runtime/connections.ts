import path from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../model/index.js';
import { builtInRegistry, createConnections, processSecretSources, type ConnectorDefinition, type SecretSources } from '../connectors/index.js';
import type { HubConfig } from './config-file.js';

/**
 * Builds the configured connections; `file:` secret references are read relative to the
 * configuration file's folder.
 */
export function connectionsFromConfig(
  config: HubConfig,
  configPath: string | null,
  deps: { clock: Clock; logger?: Logger; connectors?: ReadonlyMap<string, ConnectorDefinition> },
) {
  return createConnections(config.connections, deps.connectors ?? builtInRegistry, {
    clock: deps.clock,
    ...(deps.logger ? { logger: deps.logger } : {}),
    secretSources: secretSourcesFor(configPath),
  });
}

/** Where secret references resolve: the process environment, and files relative to the configuration file's folder. */
export function secretSourcesFor(configPath: string | null): SecretSources {
  return { ...processSecretSources, ...(configPath ? { baseDir: path.dirname(path.resolve(configPath)) } : {}) };
}
