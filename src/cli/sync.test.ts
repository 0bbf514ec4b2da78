import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { progressBar, runSync } from './sync.js';

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** A hub API that answers a job which runs two polls and then ends with `status`. */
async function hubWhoseJobEnds(status: string, error: string | null) {
  let polls = 0;
  const requests: { method: string; url: string; body: string; auth: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, body, auth: req.headers.authorization });
      const job = (s: string, done: number) => ({ id: 'job_1', kind: 'inventory', status: s, total: 1000, done, failed: 0, error: s === status ? error : null });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST') {
        res.statusCode = 202;
        res.end(JSON.stringify(job('queued', 0)));
        return;
      }
      polls += 1;
      res.end(JSON.stringify(polls < 3 ? job('running', polls * 250) : job(status, 500)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

let close: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('tillbridge sync', () => {
  it('draws the bar as [#####.....] done/total percent rate', () => {
    expect(progressBar(1234, 5000, 410.4, 10)).toBe('[##........] 1234/5000 24% 410/s');
    expect(progressBar(0, 0, 0, 4)).toBe('[....] 0/0 0% 0/s');
    expect(progressBar(7, 5, 1, 4)).toBe('[####] 7/5 100% 1/s');
  });

  it('exits 1 with the job’s error when the job fails, after following its progress', async () => {
    const hub = await hubWhoseJobEnds('failed', 'outbound_unauthorized: wh-main refused the credentials');
    close = hub.close;
    const stderr = capture();
    const code = await runSync('inventory', { url: hub.url, key: 'k1', wait: true, connections: ['wh-main'], stdout: capture().stream, stderr: stderr.stream, intervalMs: 5, lineEveryMs: 0 });
    expect(code).toBe(1);
    expect(stderr.text()).toContain('[########......................] 250/1000 25% ');
    expect(stderr.text()).toContain('inventory sync job_1 failed: outbound_unauthorized: wh-main refused the credentials');
    expect(hub.requests[0]).toMatchObject({ method: 'POST', url: '/v1/sync/jobs', auth: 'Bearer k1' });
    expect(JSON.parse(hub.requests[0]!.body)).toEqual({ kind: 'inventory', connections: ['wh-main'] });
    expect(hub.requests.slice(1).every((r) => r.url === '/v1/sync/jobs/job_1')).toBe(true);
  });

  it('with --no-wait prints the job id and exits 0 without polling', async () => {
    const hub = await hubWhoseJobEnds('succeeded', null);
    close = hub.close;
    const stdout = capture();
    expect(await runSync('catalog', { url: hub.url, key: 'k1', wait: false, stdout: stdout.stream, stderr: capture().stream })).toBe(0);
    expect(stdout.text()).toBe('job_1\n');
    expect(hub.requests).toHaveLength(1);
  });
});
