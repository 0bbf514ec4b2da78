import type { Logger } from 'pino';
import type { Clock } from '../../model/index.js';
import { permanentError } from '../../model/index.js';
import type { ConnectionInstance, ConnectorDefinition } from './connector.js';
import { resolveSecrets, processSecretSources, type SecretSources } from './secrets.js';

/** A connection as declared in the configuration file (see runtime's ConnectionConfig). */
export interface DeclaredConnection {
  id: string;
  system: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

/** A configured, running connection. */
export interface Connection {
  id: string;
  system: string;
  definition: ConnectorDefinition;
  instance: ConnectionInstance;
  /** The settings as parsed (never the secrets). */
  settings: unknown;
}

/** The hub's connections by id. */
export type Connections = ReadonlyMap<string, Connection>;

/** Connector definitions by system name. */
export function connectorRegistry(definitions: readonly ConnectorDefinition[]): ReadonlyMap<string, ConnectorDefinition> {
  return new Map(definitions.map((d) => [d.system, d]));
}

/**
 * Builds every declared connection: finds its connector, parses its settings, resolves and parses
 * its secrets. Any problem is an error naming the connection and the field, never a secret's value.
 */
export function createConnections(
  declared: readonly DeclaredConnection[],
  registry: ReadonlyMap<string, ConnectorDefinition>,
  deps: { clock: Clock; logger?: Logger; secretSources?: SecretSources; fetch?: typeof fetch },
): Map<string, Connection> {
  const connections = new Map<string, Connection>();
  for (const declaration of declared) {
    const definition = registry.get(declaration.system);
    if (!definition) {
      throw permanentError('unknown_system', `connection ${declaration.id}: unknown system ${JSON.stringify(declaration.system)} (known: ${[...registry.keys()].join(', ')})`);
    }
    const settings = definition.settings.safeParse(declaration.settings);
    if (!settings.success) {
      const lines = settings.error.issues.map((i) => `/settings/${i.path.join('/')}: ${i.message}`);
      throw permanentError('invalid_connection', `connection ${declaration.id} (${declaration.system}): ${lines.join('; ')}`);
    }
    const resolved = resolveSecrets(declaration.id, declaration.secrets, deps.secretSources ?? processSecretSources);
    const secrets = definition.secrets.safeParse(resolved);
    if (!secrets.success) {
      const lines = secrets.error.issues.map((i) => `/secrets/${i.path.join('/')}: ${i.path.length && resolved[String(i.path[0])] === undefined ? 'is required' : 'is invalid'}`);
      throw permanentError('invalid_connection', `connection ${declaration.id} (${declaration.system}): ${lines.join('; ')}`);
    }
    const instance = definition.create({
      connectionId: declaration.id,
      settings: settings.data,
      secrets: secrets.data,
      clock: deps.clock,
      logger: deps.logger?.child({ connection: declaration.id }),
      fetch: deps.fetch,
    });
    connections.set(declaration.id, { id: declaration.id, system: declaration.system, definition, instance, settings: settings.data });
  }
  return connections;
}
