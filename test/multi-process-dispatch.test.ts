import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/model/index.js';
import { createMessage, writeToOutbox } from '../src/messaging/index.js';
import { countMessagesByStatus, createScratchDatabase, migrateToLatest, openStore, testStores, type Store } from '../src/store/index.js';
import { waitFor } from '../src/testing/index.js';
import { effectMessage } from './fixtures/effect-message.js';
import { spawnTs } from './support/hub-process.js';


const postgres = (await testStores()).find((s) => s.name === 'postgres')!;
const keys = 100;
const perKey = 100;

describe.skipIf(postgres.skipReason !== null)('three dispatcher processes sharing one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let store: Store;

  beforeAll(async () => {
    database = await createScratchDatabase('tb_multi');
    store = await openStore({ databaseUrl: database.url });
    await migrateToLatest(store);
    await sql`create table effects (seq bigserial primary key, message_id text not null, key text not null, n integer not null, worker text not null)`.execute(store.db);
    const now = Date.now();
    const messages = [];
    for (let n = 0; n < perKey; n++) {
      for (let k = 0; k < keys; k++) {
        messages.push(createMessage(effectMessage, { key: `k${k}`, n }, { source: 'test', correlationId: `cor-k${k}` }, { id: newId('msg'), now, orderingKey: `k${k}` }));
      }
    }
    await writeToOutbox(store.db, messages, now);
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('handles each of 10,000 messages once in effect, keeps per-key order, and survives a worker killed with -9', async () => {
    const workers: ChildProcess[] = ['w1', 'w2', 'w3'].map((name) => spawnTs('test/fixtures/dispatch-worker.ts', [database.url, name]));
    const exits = workers.map((w) => new Promise<number | null>((resolve) => w.once('exit', (code) => resolve(code))));
    let stderr = '';
    for (const w of workers) w.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));

    await waitFor(async () => Number((await sql<{ n: number }>`select count(*)::int as n from effects`.execute(store.db)).rows[0]?.n) > 1000, {
      timeoutMs: 60_000,
      what: 'the workers to get going',
    });
    workers[0]!.kill('SIGKILL');
    const codes = await Promise.all(exits);
    expect(stderr).toBe('');
    expect(codes.slice(1)).toEqual([0, 0]);

    const totals = (await sql<{ total: number; distinct_ids: number }>`select count(*)::int as total, count(distinct message_id)::int as distinct_ids from effects`.execute(store.db)).rows[0];
    expect(totals).toEqual({ total: keys * perKey, distinct_ids: keys * perKey });
    expect(await countMessagesByStatus(store.db)).toEqual({ done: keys * perKey });

    const rows = (await sql<{ key: string; n: number }>`select key, n from effects order by seq`.execute(store.db)).rows;
    const lastSeen = new Map<string, number>();
    let outOfOrder = 0;
    for (const row of rows) {
      if ((lastSeen.get(row.key) ?? -1) !== row.n - 1) outOfOrder += 1;
      lastSeen.set(row.key, row.n);
    }
    expect(outOfOrder).toBe(0);
    const byWorker = (await sql<{ worker: string; n: number }>`select worker, count(*)::int as n from effects group by worker`.execute(store.db)).rows;
    expect(byWorker.filter((w) => w.n > 0).length).toBeGreaterThanOrEqual(2);
  }, 180_000);
});
