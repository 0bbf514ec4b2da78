import { describe, expect, it } from 'vitest';
import { testStores } from '../testing.js';
import { addSyncJobProgress, findActiveSyncJob, finishSyncJob, getSyncJob, insertSyncJob, listSyncJobs, type SyncJobRow } from './jobs.js';

const stores = await testStores();

const job = (id: string, kind: string, createdAt: number): SyncJobRow => ({
  id,
  kind,
  status: 'queued',
  plan: '["wh:stock","#fan-out"]',
  connections: null,
  total: 0,
  done: 0,
  failed: 0,
  error: null,
  requested_by: 'test',
  created_at: createdAt,
  updated_at: createdAt,
  finished_at: null,
});

describe.each(stores)('sync jobs on $name', (factory) => {
  it.skipIf(factory.skipReason !== null)('allows one active job per kind, counts progress, ends once, and pages latest first', async () => {
    const store = await factory.open();
    try {
      const db = store.db;
      expect((await insertSyncJob(db, job('job_a', 'inventory', 1000))).created).toBe(true);
      const second = await insertSyncJob(db, job('job_b', 'inventory', 1001));
      expect(second).toMatchObject({ created: false, job: { id: 'job_a' } });
      expect((await insertSyncJob(db, job('job_c', 'catalog', 1002))).created).toBe(true);
      // The partial unique index refuses a second active job of a kind even past the check.
      await expect(db.insertInto('sync_jobs').values(job('job_d', 'inventory', 1003)).execute()).rejects.toThrow();

      expect(await addSyncJobProgress(db, 'job_a', { total: 500, done: 498, failed: 2, error: 'SKU-1: bad' }, 2000)).toBe(true);
      expect(await addSyncJobProgress(db, 'job_a', { total: 20, done: 20, failed: 0 }, 2001)).toBe(true);
      expect(await getSyncJob(db, 'job_a')).toMatchObject({ status: 'running', total: 520, done: 518, failed: 2, error: 'SKU-1: bad', updated_at: 2001 });

      expect(await finishSyncJob(db, 'job_a', { status: 'succeeded' }, 3000)).toBe(true);
      expect(await finishSyncJob(db, 'job_a', { status: 'failed', error: 'late' }, 3001)).toBe(false);
      expect(await addSyncJobProgress(db, 'job_a', { total: 1, done: 1, failed: 0 }, 3002)).toBe(false);
      expect(await getSyncJob(db, 'job_a')).toMatchObject({ status: 'succeeded', total: 520, finished_at: 3000, error: 'SKU-1: bad' });
      expect(await findActiveSyncJob(db, 'inventory')).toBeUndefined();
      expect((await insertSyncJob(db, job('job_e', 'inventory', 1002))).created).toBe(true);

      const first = await listSyncJobs(db, { limit: 2 });
      expect(first.map((j) => j.id)).toEqual(['job_e', 'job_c']);
      const rest = await listSyncJobs(db, { limit: 2, before: { createdAt: Number(first[1]!.created_at), id: first[1]!.id } });
      expect(rest.map((j) => j.id)).toEqual(['job_a']);
      expect((await listSyncJobs(db, { limit: 10, kind: 'catalog' })).map((j) => j.id)).toEqual(['job_c']);
    } finally {
      await store.close();
    }
  });
});
