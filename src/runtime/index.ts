export { startHub, coreHandlers, type Hub } from './hub.js';
export { resolveSettings, Settings, settingEnvironment } from './settings.js';
export { loadHubConfig, HubConfig, ConnectionConfig } from './config-file.js';
export { connectionsFromConfig } from './connections.js';
