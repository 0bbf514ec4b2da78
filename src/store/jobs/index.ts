export {
  insertSyncJob,
  findActiveSyncJob,
  getSyncJob,
  listSyncJobs,
  addSyncJobProgress,
  finishSyncJob,
  noteSyncJobError,
  activeJobStatuses,
  type SyncJobRow,
} from './jobs.js';
