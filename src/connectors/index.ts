import { connectorRegistry, type ConnectorDefinition } from './framework/index.js';

export * from './framework/index.js';

/** Every connector this build of Tillbridge ships, by the `system` name used in the configuration. */
export const builtInConnectors: readonly ConnectorDefinition[] = [];

/** The registry the hub resolves configured connections against. */
export const builtInRegistry = connectorRegistry(builtInConnectors);
