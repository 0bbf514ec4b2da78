import type { Command } from 'commander';

/** What `tillbridge sync` needs; streams and timing are injectable so tests can run it in-process. */
export interface SyncCommandOptions {
  url: string;
  key: string;
  wait: boolean;
  connections?: string[] | undefined;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  /** How often to poll the job (default 500 ms). */
  intervalMs?: number;
  /** How often a progress line is printed when stderr is not a terminal (default 5 s). */
  lineEveryMs?: number;
  now?: () => number;
}

interface JobView {
  id: string;
  kind: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  error: string | null;
}

/** `[#####.....] 1234/5000 25% 410/s`: a bar of `width` cells for done of total, with the rate. */
export function progressBar(done: number, total: number, perSecond: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${Math.floor(ratio * 100)}% ${Math.round(perSecond)}/s`;
}

async function request(options: SyncCommandOptions, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(path, options.url), {
    method,
    headers: { authorization: `Bearer ${options.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { detail: text };
  }
  return { status: response.status, body: parsed };
}

const describe = (body: Record<string, unknown>) => String(body['detail'] ?? body['title'] ?? JSON.stringify(body));

/**
 * Starts a backfill through the hub's API, then (unless `wait` is false) follows it with a progress
 * bar on stderr — redrawn in place on a terminal, a line every few seconds otherwise. Resolves to
 * the exit code: 0 when the job succeeded (or was started without waiting), 1 otherwise.
 */
export async function runSync(kind: 'inventory' | 'catalog', options: SyncCommandOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = await request(options, 'POST', '/v1/sync/jobs', { kind, ...(options.connections ? { connections: options.connections } : {}) });
  if (started.status !== 202) {
    stderr.write(`tillbridge: could not start the ${kind} sync (${started.status}): ${describe(started.body)}\n`);
    return 1;
  }
  const id = String(started.body['id']);
  stdout.write(`${id}\n`);
  if (!options.wait) return 0;

  const tty = stderr.isTTY === true;
  const begin = now();
  let lastLine = 0;
  let job = started.body as unknown as JobView;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
    const polled = await request(options, 'GET', `/v1/sync/jobs/${id}`);
    if (polled.status !== 200) {
      stderr.write(`${tty ? '\n' : ''}tillbridge: could not read sync job ${id} (${polled.status}): ${describe(polled.body)}\n`);
      return 1;
    }
    job = polled.body as unknown as JobView;
    const elapsed = Math.max(1, now() - begin) / 1000;
    const bar = progressBar(job.done, job.total, job.done / elapsed);
    const ended = !['queued', 'running'].includes(job.status);
    if (tty) stderr.write(`\r${bar}\x1b[K`);
    else if (ended || now() - lastLine >= (options.lineEveryMs ?? 5000)) {
      stderr.write(`${bar}\n`);
      lastLine = now();
    }
    if (ended) break;
  }
  if (tty) stderr.write('\n');
  const failedItems = job.failed > 0 ? ` (${job.failed} item(s) could not be applied${job.error ? `; first: ${job.error}` : ''})` : '';
  if (job.status === 'succeeded') {
    stderr.write(`${kind} sync ${id} succeeded: ${job.done} of ${job.total} item(s)${failedItems}\n`);
    return 0;
  }
  stderr.write(`${kind} sync ${id} ${job.status}${job.error ? `: ${job.error}` : ''}\n`);
  return 1;
}

/** `tillbridge sync catalog|inventory`: a full backfill through a running hub's API. */
export function registerSync(program: Command): void {
  program
    .command('sync <kind>')
    .description('run a full inventory or catalog backfill on a running hub and follow its progress')
    .option('--url <url>', 'the hub’s base URL (env TILLBRIDGE_URL)', process.env.TILLBRIDGE_URL ?? 'http://127.0.0.1:8080')
    .option('--key <key>', 'an API key with the admin scope (env TILLBRIDGE_API_KEY)')
    .option('--connection <id...>', 'list only these connections')
    .option('--no-wait', 'start the job and print its id without following it')
    .action(async (kind: string, flags: { url: string; key?: string; connection?: string[]; wait: boolean }) => {
      if (kind !== 'inventory' && kind !== 'catalog') throw new Error(`kind must be inventory or catalog, got ${kind}`);
      const key = flags.key ?? process.env.TILLBRIDGE_API_KEY;
      if (!key) throw new Error('pass --key or set TILLBRIDGE_API_KEY');
      process.exitCode = await runSync(kind, { url: flags.url, key, wait: flags.wait, connections: flags.connection });
    });
}
