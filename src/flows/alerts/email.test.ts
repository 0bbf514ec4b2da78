import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, HandlerContext } from '../../messaging/index.js';
import { isRetryable } from '../../model/index.js';
import { AlertsConfig } from './config.js';
import { alertEmailHandler, alertMail, createSmtpMailer } from './email.js';
import type { AlertEvent } from './messages.js';

const password = 'right-smtp-password-123';
const received: { raw: string; to: string[] }[] = [];
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'hub' && auth.password === password) callback(null, { user: 'hub' });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ raw: Buffer.concat(chunks).toString('utf8'), to: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const alert: AlertEvent = {
  alertId: 'alr_1',
  key: 'circuit_open:shop-main',
  kind: 'circuit_open',
  severity: 'critical',
  title: 'Circuit open: calls to shop-main are paused',
  detail: { connection: 'shop-main' },
  status: 'open',
  firstSeenAt: '2026-11-27T08:00:00.000Z',
  lastSeenAt: '2026-11-27T08:00:00.000Z',
  resolvedAt: null,
};

function contextOf(data: { event: 'raised' | 'resolved'; alert: AlertEvent }): HandlerContext<unknown> & { committed: boolean } {
  const ctx = {
    message: { data } as unknown as Envelope<unknown>,
    attempt: 1,
    signal: new AbortController().signal,
    committed: false,
    async commit() {
      ctx.committed = true;
    },
  };
  return ctx;
}

describe('alert email', () => {
  it('takes the SMTP password only as a secret reference and has defaults', () => {
    const email = { smtp: { host: 'smtp.example.com', user: 'hub', password: 'plain-text' }, from: 'hub@example.com', to: ['ops@example.com'] };
    expect(AlertsConfig.safeParse({ email }).success).toBe(false);
    const parsed = AlertsConfig.parse({ email: { ...email, smtp: { ...email.smtp, password: 'env:SMTP_PASSWORD' } } });
    expect(parsed).toMatchObject({ every: 30_000, deadLetterGrowth: { threshold: 10, window: 900_000 }, email: { smtp: { port: 587, secure: false } } });
    expect(AlertsConfig.safeParse({ email: { ...email, to: [] } }).success).toBe(false);
    expect(AlertsConfig.safeParse({ every: '0s' }).success).toBe(false);
    expect(AlertsConfig.parse({ every: '2m' }).every).toBe(120_000);
  });

  it('sends over SMTP with the login, and a failed send is a retryable error that never shows the password', async () => {
    const mail = alertMail('raised', alert, { from: 'hub@example.com', to: ['ops@example.com'] });
    expect(mail.subject).toBe('[Tillbridge] CRITICAL: Circuit open: calls to shop-main are paused');

    const wrong = alertEmailHandler({ mailer: createSmtpMailer({ host: '127.0.0.1', port, secure: false, user: 'hub' }, 'wrong-password-456'), from: 'hub@example.com', to: ['ops@example.com'] });
    const failing = contextOf({ event: 'raised', alert });
    const error = await wrong.handle(failing).then(() => undefined, (e: unknown) => e);
    expect(isRetryable(error)).toBe(true);
    expect(String((error as Error).message)).not.toContain('wrong-password-456');
    expect(failing.committed).toBe(false);
    expect(received).toHaveLength(0);

    const right = alertEmailHandler({ mailer: createSmtpMailer({ host: '127.0.0.1', port, secure: false, user: 'hub' }, password), from: 'hub@example.com', to: ['ops@example.com', 'oncall@example.com'] });
    const ok = contextOf({ event: 'resolved', alert: { ...alert, status: 'resolved', resolvedAt: '2026-11-27T08:05:00.000Z' } });
    await right.handle(ok);
    expect(ok.committed).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(received[0]!.raw).toMatch(/^Subject: \[Tillbridge\] RESOLVED: Circuit open: calls to shop-main are paused$/m);
    expect(received[0]!.raw).toMatch(/^Message-ID: <alr_1\.resolved@tillbridge>$/im);
    expect(received[0]!.raw).toContain('Resolved:    2026-11-27T08:05:00.000Z');
  });
});
