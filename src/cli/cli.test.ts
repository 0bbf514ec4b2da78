import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { spawnTs } from '../../test/support/hub-process.js';
import {
  createDispatcher,
  createMessage,
  defineMessageType,
  handlerFor,
  messageDetail,
  writeToOutbox,
  type DeadLetterView,
  type Envelope,
} from '../messaging/index.js';
import { newId, permanentError, systemClock } from '../model/index.js';
import { settingEnvironment } from '../runtime/index.js';
import {
  countMessagesByStatus,
  createScratchDatabase,
  isMigrated,
  migrateToLatest,
  openStore,
  testStores,
  type StoreOptions,
} from '../store/index.js';
import { waitFor } from '../testing/index.js';

const postgres = (await testStores()).find((s) => s.name === 'postgres')!;

/** The child's environment: none of the hub's settings leak in from the test runner's. */
const cleanEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.values(settingEnvironment).map((name) => [name, undefined]));

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tillbridge-cli-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tillbridge ARGS` to completion. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const child = spawnTs('src/cli/main.ts', args, { ...cleanEnv, ...env });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tillbridge ${args.join(' ')} did not finish:\n${stdout}\n${stderr}`));
    }, 25_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `tillbridge start …` running in the background. */
interface Started {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

async function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp = /listening on (http:\/\/\S+)/): Promise<Started> {
  const child = spawnTs('src/cli/main.ts', ['start', ...args], { ...cleanEnv, ...env });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  try {
    await waitFor(() => ready.test(output) || child.exitCode !== null, { timeoutMs: 25_000, what: `the hub to start (${output})` });
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
  const match = /listening on (http:\/\/\S+)/.exec(output);
  if (!match) {
    await stop('SIGKILL');
    throw new Error(`the hub did not start:\n${output}`);
  }
  return { child, url: match[1]!, output: () => output, exited, stop };
}

const alpha = defineMessageType({ type: 'cli.alpha', lane: 'critical', schemaVersion: 1, data: z.object({ n: z.number() }) });
const beta = defineMessageType({ type: 'cli.beta', lane: 'standard', schemaVersion: 1, data: z.object({ n: z.number() }) });

interface Seeded {
  alpha: Envelope[];
  beta: Envelope[];
}

/**
 * Dead-letters two cli.alpha messages (mapping_missing) and one cli.beta (invalid_sku) in the store,
 * with a real dispatcher whose handlers fail permanently.
 */
async function seedDeadLetters(options: StoreOptions): Promise<Seeded> {
  const store = await openStore(options);
  try {
    await migrateToLatest(store);
    const now = Date.now();
    const make = (type: typeof alpha, n: number) =>
      createMessage(type, { n }, { source: 'cli-test', correlationId: `cor-${type.type}-${n}` }, { id: newId('msg'), now, subject: `order-${n}` });
    const messages = [make(alpha, 1), make(alpha, 2), make(beta, 3)];
    await writeToOutbox(store.db, messages, now);
    const dispatcher = createDispatcher({
      store,
      clock: systemClock,
      newId,
      pollMs: 20,
      leaseMs: 5000,
      handlers: [
        handlerFor(alpha, async () => {
          throw permanentError('mapping_missing', 'no mapping for SKU');
        }),
        handlerFor(beta, async () => {
          throw permanentError('invalid_sku', 'SKU X does not exist in the ERP');
        }),
      ],
    });
    dispatcher.start();
    try {
      await waitFor(async () => (await countMessagesByStatus(store.db)).dead === 3, { timeoutMs: 15_000, what: 'three dead letters' });
    } finally {
      await dispatcher.stop(1000);
    }
    return {
      alpha: messages.slice(0, 2).map((m) => m.envelope),
      beta: messages.slice(2).map((m) => m.envelope),
    };
  } finally {
    await store.close();
  }
}

async function detailOf(options: StoreOptions, id: string): Promise<DeadLetterView | undefined> {
  const store = await openStore(options);
  try {
    return await messageDetail(store.db, id);
  } finally {
    await store.close();
  }
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

describe.concurrent('tillbridge migrate and schemas', () => {
  it('migrate --data DIR creates and migrates the SQLite store', async ({ expect }) => {
    const data = path.join(tempDir('migrate'), 'nested', 'data');
    const run = await cli(['migrate', '--data', data]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^store sqlite:\S+ is migrated\n$/);
    expect(run.stdout).toContain(data);
    const store = await openStore({ dataDir: data });
    try {
      expect(await isMigrated(store)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('migrate reads TILLBRIDGE_DATA when --data is absent, and --data wins over it', async ({ expect }) => {
    const fromEnv = tempDir('migrate-env');
    const fromFlag = tempDir('migrate-flag');
    const viaEnv = await cli(['migrate'], { TILLBRIDGE_DATA: fromEnv });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toContain(fromEnv);
    const viaFlag = await cli(['migrate', '--data', fromFlag], { TILLBRIDGE_DATA: fromEnv });
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toContain(fromFlag);
    expect(viaFlag.stdout).not.toContain(fromEnv);
  });

  it('schemas --out DIR writes one JSON Schema file per canonical entity', async ({ expect }) => {
    const out = path.join(tempDir('schemas'), 'schemas');
    const run = await cli(['schemas', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`wrote 16 schemas to ${out}\n`);
    const files = fs.readdirSync(out).sort();
    expect(files).toHaveLength(16);
    expect(files.every((f) => f.endsWith('.schema.json'))).toBe(true);
    for (const entity of [
      'Money',
      'Address',
      'Customer',
      'Product',
      'Variant',
      'Price',
      'Location',
      'InventoryLevel',
      'Order',
      'Fulfillment',
      'Return',
      'Refund',
      'PaymentTransaction',
      'Payout',
      'SettlementLine',
      'JournalEntry',
    ]) {
      expect(files).toContain(`${entity}.schema.json`);
    }
    for (const file of files) {
      const schema = JSON.parse(fs.readFileSync(path.join(out, file), 'utf8')) as Record<string, unknown>;
      expect(schema.$schema, file).toEqual(expect.stringContaining('json-schema.org'));
      expect(schema.title, file).toBe(file.replace('.schema.json', ''));
    }
  });
});

describe('tillbridge dead-letters on SQLite', () => {
  let data: string;
  let seeded: Seeded;
  const store = (): StoreOptions => ({ dataDir: data });

  beforeAll(async () => {
    data = tempDir('dead');
    seeded = await seedDeadLetters({ dataDir: data });
  });

  describe.concurrent('reading', () => {
    it('list prints one tab-separated line per dead letter, oldest first', async ({ expect }) => {
      const run = await cli(['dead-letters', 'list', '--data', data]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('3 dead letter(s)\n');
      const rows = lines(run.stdout).map((l) => l.split('\t'));
      expect(rows.map((r) => r[0])).toEqual([...seeded.alpha, ...seeded.beta].map((e) => e.id));
      const [id, type, subject, correlationId, attempts, deadAt, reason] = rows[0]!;
      expect(id).toBe(seeded.alpha[0]!.id);
      expect(type).toBe('cli.alpha');
      expect(subject).toBe('order-1');
      expect(correlationId).toBe(seeded.alpha[0]!.correlationid);
      expect(attempts).toBe('attempts=1');
      expect(new Date(deadAt!).toISOString()).toBe(deadAt);
      expect(reason).toContain('mapping_missing');
      expect(rows[2]![1]).toBe('cli.beta');
      expect(rows[2]![6]).toContain('invalid_sku');
    });

    it('list --json prints one JSON object per line', async ({ expect }) => {
      const run = await cli(['dead-letters', 'list', '--json', '--data', data]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      const views = lines(run.stdout).map((l) => JSON.parse(l) as DeadLetterView);
      expect(views).toHaveLength(3);
      expect(views[0]).toMatchObject({
        id: seeded.alpha[0]!.id,
        type: 'cli.alpha',
        subject: 'order-1',
        source: 'cli-test',
        correlationId: seeded.alpha[0]!.correlationid,
        status: 'dead',
        attempts: 1,
        payload: { n: 1 },
      });
      expect(views[0]!.reason).toContain('mapping_missing');
    });

    it('list --type filters by message type', async ({ expect }) => {
      const [alphas, betas] = await Promise.all([
        cli(['dead-letters', 'list', '--type', 'cli.alpha', '--data', data]),
        cli(['dead-letters', 'list', '--json', '--type', 'cli.beta', '--data', data]),
      ]);
      expect(alphas.code).toBe(0);
      expect(lines(alphas.stdout).map((l) => l.split('\t')[0])).toEqual(seeded.alpha.map((e) => e.id));
      expect(alphas.stderr).toBe('2 dead letter(s)\n');
      expect(betas.code).toBe(0);
      expect(lines(betas.stdout).map((l) => (JSON.parse(l) as DeadLetterView).id)).toEqual(seeded.beta.map((e) => e.id));
    });

    it('list --limit pages and says when more exist; other filters apply', async ({ expect }) => {
      const [limited, bySubject] = await Promise.all([
        cli(['dead-letters', 'list', '--limit', '2', '--data', data]),
        cli(['dead-letters', 'list', '--subject', 'order-2', '--error-code', 'mapping_missing', '--data', data]),
      ]);
      expect(limited.code).toBe(0);
      expect(lines(limited.stdout)).toHaveLength(2);
      expect(limited.stderr).toBe('2 dead letter(s), more exist\n');
      expect(lines(bySubject.stdout).map((l) => l.split('\t')[0])).toEqual([seeded.alpha[1]!.id]);
    });

    it('list rejects a --limit that is not a number, naming the flag', async ({ expect }) => {
      const run = await cli(['dead-letters', 'list', '--limit', 'abc', '--data', data]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('--limit');
    });

    it('list rejects a --since that is not a time', async ({ expect }) => {
      const run = await cli(['dead-letters', 'list', '--since', 'yesterday-ish', '--data', data]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('--since must be an ISO 8601 time');
    });

    it('show ID prints the message as JSON with its attempt history', async ({ expect }) => {
      const run = await cli(['dead-letters', 'show', seeded.beta[0]!.id, '--data', data]);
      expect(run.code).toBe(0);
      const detail = JSON.parse(run.stdout) as DeadLetterView;
      expect(detail).toMatchObject({ id: seeded.beta[0]!.id, type: 'cli.beta', status: 'dead', payload: { n: 3 }, replays: [] });
      expect(detail.history).toEqual([expect.objectContaining({ attempt: 1, outcome: 'dead_lettered', errorCode: 'invalid_sku' })]);
    });

    it('show with an unknown id exits non-zero and says so', async ({ expect }) => {
      const run = await cli(['dead-letters', 'show', 'msg_unknown', '--data', data]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('no message msg_unknown');
      expect(run.stdout).toBe('');
    });

    it('replay with neither an id nor --all exits non-zero with a clear message', async ({ expect }) => {
      const run = await cli(['dead-letters', 'replay', '--data', data]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('name a message id, or pass --all');
    });

    it('replay of an unknown id exits non-zero', async ({ expect }) => {
      const run = await cli(['dead-letters', 'replay', 'msg_unknown', '--data', data]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('no message msg_unknown');
    });
  });

  describe('replaying', () => {
    it('replay ID makes the message pending again, recording a cli: actor', async () => {
      const id = seeded.alpha[0]!.id;
      const run = await cli(['dead-letters', 'replay', id, '--data', data]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`replayed ${id}\n`);
      const detail = await detailOf(store(), id);
      expect(detail?.status).toBe('pending');
      expect(detail?.correlationId).toBe(seeded.alpha[0]!.correlationid);
      expect(detail?.replays).toHaveLength(1);
      expect(detail?.replays?.[0]?.actor).toMatch(/^cli:.+@.+/);
      expect(detail?.replays?.[0]?.note).toBeNull();
      // the others are untouched
      expect((await detailOf(store(), seeded.alpha[1]!.id))?.status).toBe('dead');
      const list = await cli(['dead-letters', 'list', '--data', data]);
      expect(lines(list.stdout).map((l) => l.split('\t')[0])).toEqual([seeded.alpha[1]!.id, seeded.beta[0]!.id]);
    });

    it('replay of a message that is no longer dead exits non-zero', async () => {
      const run = await cli(['dead-letters', 'replay', seeded.alpha[0]!.id, '--data', data]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(`message ${seeded.alpha[0]!.id} is not a dead letter`);
    });

    it('replay --all --type T --note N replays the matching dead letters only', async () => {
      const run = await cli(['dead-letters', 'replay', '--all', '--type', 'cli.alpha', '--note', 'mapping added', '--data', data]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('replayed 1 dead letter(s)\n');
      const replayed = await detailOf(store(), seeded.alpha[1]!.id);
      expect(replayed?.status).toBe('pending');
      expect(replayed?.replays).toEqual([expect.objectContaining({ note: 'mapping added', actor: expect.stringMatching(/^cli:/) })]);
      expect((await detailOf(store(), seeded.beta[0]!.id))?.status).toBe('dead');
      // nothing left of that type
      const again = await cli(['dead-letters', 'replay', '--all', '--type', 'cli.alpha', '--data', data]);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe('replayed 0 dead letter(s)\n');
    });
  });
});

describe('tillbridge keys', () => {
  it('creates a key printed once, lists it without the secret, and revokes it so the hub refuses it', async () => {
    const data = tempDir('keys');
    const created = await cli(['keys', 'create', '--data', data, '--name', 'storefront', '--scopes', 'orders:read,orders:write', '--rate-limit', '100/60']);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^tb_[A-Za-z0-9_-]{43}$/);
    const id = /created (key_\w+)/.exec(created.stderr)?.[1];
    expect(id).toBeDefined();

    const listed = await cli(['keys', 'list', '--data', data, '--json']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(key);
    expect(lines(listed.stdout).map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ id, name: 'storefront', scopes: ['orders:read', 'orders:write'], rateLimit: { limit: 100, windowSeconds: 60 }, createdBy: expect.stringMatching(/^cli:/) }),
    ]);

    const hub = await start(['--port', '0', '--data', data, '--log-level', 'trace'], { TILLBRIDGE_BOOTSTRAP_KEY: 'cli-test-bootstrap-key-0123' });
    try {
      expect((await fetch(`${hub.url}/v1/orders`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
      expect((await fetch(`${hub.url}/v1/keys`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);
      expect((await fetch(`${hub.url}/v1/keys`, { headers: { authorization: `Bearer ${key}x` } })).status).toBe(401);
    } finally {
      await hub.stop();
    }
    expect(hub.output()).not.toContain(key);
    expect(hub.output()).not.toContain('cli-test-bootstrap-key-0123');

    const revoked = await cli(['keys', 'revoke', id!, '--data', data]);
    expect(revoked.code).toBe(0);
    expect((await cli(['keys', 'list', '--data', data])).stdout.trim()).toBe('');
    expect((await cli(['keys', 'list', '--data', data, '--all'])).stdout).toContain(id!);
    expect((await cli(['keys', 'revoke', 'key_nope', '--data', data])).code).not.toBe(0);
    const bad = await cli(['keys', 'create', '--data', data, '--name', 'x', '--scopes', 'root']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('scopes');
  });
});

describe.concurrent('tillbridge start', () => {
  it('listens where it says, answers /health, and exits 0 on SIGTERM (--port winning over TILLBRIDGE_PORT)', async ({ expect }) => {
    // TILLBRIDGE_PORT=70000 alone would be refused; the flag overrides it
    const hub = await start(['--port', '0', '--data', tempDir('start')], {
      TILLBRIDGE_PORT: '70000',
      TILLBRIDGE_BOOTSTRAP_KEY: 'test-bootstrap-key-0123456789',
    });
    try {
      expect(hub.output()).toMatch(/Tillbridge hub listening on http:\/\/127\.0\.0\.1:\d+\n/);
      const port = Number(new URL(hub.url).port);
      expect(port).toBeGreaterThan(0);
      const health = await fetch(`${hub.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const orders = await fetch(`${hub.url}/v1/orders`, { headers: { authorization: 'Bearer test-bootstrap-key-0123456789' } });
      expect(orders.status).toBe(200);
      expect(hub.output()).not.toContain('Development API key');
    } finally {
      expect(await hub.stop('SIGTERM')).toBe(0);
    }
    expect(hub.output()).not.toContain('test-bootstrap-key-0123456789');
  });

  it('refuses --port 70000, naming TILLBRIDGE_PORT and --port', async ({ expect }) => {
    const run = await cli(['start', '--port', '70000', '--data', tempDir('start-bad')], { TILLBRIDGE_BOOTSTRAP_KEY: 'test-bootstrap-key-0123456789' });
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.stderr).toContain('TILLBRIDGE_PORT / --port');
    expect(run.stdout).not.toContain('listening on');
  });

  it('--dev without a key prints a development key that works on GET /v1/orders', async ({ expect }) => {
    const hub = await start(['--dev', '--port', '0', '--log-level', 'warn', '--data', tempDir('start-dev')], {}, /Development API key[^\n]*\n/);
    try {
      const match = /Development API key[^:]*: (\S+)/.exec(hub.output());
      expect(match).not.toBeNull();
      const key = match![1]!;
      const orders = await fetch(`${hub.url}/v1/orders`, { headers: { authorization: `Bearer ${key}` } });
      expect(orders.status).toBe(200);
      const anonymous = await fetch(`${hub.url}/v1/orders`);
      expect(anonymous.status).toBe(401);
      const wrong = await fetch(`${hub.url}/v1/orders`, { headers: { authorization: 'Bearer tb_dev_not-the-key-at-all' } });
      expect(wrong.status).toBe(401);
    } finally {
      expect(await hub.stop('SIGTERM')).toBe(0);
    }
  });

  it('--dev keeps a configured key and invents none; exits 0 on SIGINT', async ({ expect }) => {
    const hub = await start(['--dev', '--port', '0', '--log-level', 'warn', '--data', tempDir('start-dev-key')], {
      TILLBRIDGE_BOOTSTRAP_KEY: 'test-bootstrap-key-0123456789',
    });
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(hub.output()).not.toContain('Development API key');
      const orders = await fetch(`${hub.url}/v1/orders`, { headers: { authorization: 'Bearer test-bootstrap-key-0123456789' } });
      expect(orders.status).toBe(200);
    } finally {
      expect(await hub.stop('SIGINT')).toBe(0);
    }
  });
});

describe.skipIf(postgres.skipReason !== null)('tillbridge on PostgreSQL (--database-url)', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;

  beforeAll(async () => {
    database = await createScratchDatabase('tb_cli');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('migrate migrates the database, dead-letters list and replay work on it', async () => {
    const data = tempDir('pg-unused');
    const migrate = await cli(['migrate', '--database-url', database.url, '--data', data]);
    expect(migrate.stderr).toBe('');
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/^store postgres:\/\/\S+ is migrated\n$/);
    expect(migrate.stdout).toContain(new URL(database.url).pathname);
    // the SQLite folder was not used
    expect(fs.readdirSync(data)).toEqual([]);

    const seeded = await seedDeadLetters({ databaseUrl: database.url });
    const [list, json] = await Promise.all([
      cli(['dead-letters', 'list', '--database-url', database.url]),
      // DATABASE_URL from the environment works like the flag
      cli(['dead-letters', 'list', '--json', '--type', 'cli.beta'], { DATABASE_URL: database.url }),
    ]);
    expect(list.code).toBe(0);
    expect(list.stderr).toBe('3 dead letter(s)\n');
    expect(lines(list.stdout).map((l) => l.split('\t').slice(0, 2))).toEqual([
      [seeded.alpha[0]!.id, 'cli.alpha'],
      [seeded.alpha[1]!.id, 'cli.alpha'],
      [seeded.beta[0]!.id, 'cli.beta'],
    ]);
    expect(json.code).toBe(0);
    expect(lines(json.stdout).map((l) => (JSON.parse(l) as DeadLetterView).id)).toEqual([seeded.beta[0]!.id]);

    const replay = await cli(['dead-letters', 'replay', seeded.beta[0]!.id, '--database-url', database.url]);
    expect(replay.code).toBe(0);
    const detail = await detailOf({ databaseUrl: database.url }, seeded.beta[0]!.id);
    expect(detail?.status).toBe('pending');
    expect(detail?.replays?.[0]?.actor).toMatch(/^cli:/);
  });
});
