export { createSync, type Sync, type SyncDeps } from './sync.js';
export { syncPage } from './messages.js';
export type { SyncItem, SyncKind, SyncPageRead, SyncSource } from './ports.js';
export { syncJobView, type SyncJobView } from './view.js';
