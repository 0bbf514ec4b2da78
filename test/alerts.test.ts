import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestReceiver, verifyWebhook, type TestReceiver } from '../src/flows/index.js';
import { exampleOrder } from '../src/model/index.js';
import { waitFor } from '../src/testing/index.js';
import { call } from './support/http.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';

/**
 * Alerts end to end: a hub on the sandbox emulators raises an alert when Shopify's circuit opens
 * (an emulated outage) and when dead letters grow, delivers each once as a signed CloudEvent to an
 * event subscription, and emails it once through a real SMTP server with the configured login.
 */
const key = 'alerts-bootstrap-key-0123456789abcdef';
const smtpPassword = 'smtp-pass-for-alerts-test';

interface Mail { from: string; to: string[]; raw: string; user: string | undefined }

let env: SandboxHub | undefined;
let smtp: SMTPServer | undefined;
let alertsReceiver: TestReceiver | undefined;
let failingReceiver: TestReceiver | undefined;
const mails: Mail[] = [];

async function startSmtp(): Promise<number> {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'alerts' && auth.password === smtpPassword) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8'), user: session.user as string | undefined });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp!.listen(0, '127.0.0.1', () => resolve()));
  return (smtp.server.address() as AddressInfo).port;
}

const subjectOf = (mail: Mail) => /^Subject: (.*)$/m.exec(mail.raw)?.[1] ?? '';
const alertEvents = () => alertsReceiver!.received.map((r) => ({ ...r, event: JSON.parse(r.body) as { type: string; subject: string; data: Record<string, unknown> } }));
const raisedFor = (alertKey: string) => alertEvents().filter((r) => r.event.type === 'alert.raised' && r.event.subject === alertKey);

beforeAll(async () => {
  const port = await startSmtp();
  process.env['TB_TEST_ALERTS_SMTP_PASSWORD'] = smtpPassword;
  env = await startSandboxHub({
    name: 'alerts',
    key,
    configure: (config) => {
      config['alerts'] = {
        every: '100ms',
        deadLetterGrowth: { threshold: 1, window: '10m' },
        email: { smtp: { host: '127.0.0.1', port, secure: false, user: 'alerts', password: 'env:TB_TEST_ALERTS_SMTP_PASSWORD' }, from: 'hub@retailer.example', to: ['ops@retailer.example', 'oncall@retailer.example'] },
      };
    },
  });
  alertsReceiver = await startTestReceiver();
  failingReceiver = await startTestReceiver();
  failingReceiver.answer = () => ({ status: 400 });
}, 60_000);

afterAll(async () => {
  await env?.stop();
  await alertsReceiver?.close();
  await failingReceiver?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  delete process.env['TB_TEST_ALERTS_SMTP_PASSWORD'];
});

describe('alerts end to end', () => {
  it('delivers a signed alert.raised once and emails once when a circuit opens and when dead letters grow', async () => {
    const api = env!.api;
    const subscribed = await api('POST', '/v1/subscriptions', { url: alertsReceiver!.url, events: ['alert.raised', 'alert.resolved'] });
    expect(subscribed.status).toBe(201);
    const secret = String(subscribed.body['secret']);
    expect((await api('POST', '/v1/subscriptions', { url: failingReceiver!.url, events: ['order.accepted'] })).status).toBe(201);

    // Shopify goes down; calls to it fail until the breaker opens.
    const shop = env!.sandbox.connections['shop-main']!.baseUrl;
    expect((await call('POST', `${shop}/_sandbox/faults`, { outageSeconds: 120 })).status).toBeLessThan(300);
    await waitFor(async () => {
      await api('POST', '/v1/connections/shop-main/check');
      return ((await api('GET', '/v1/connections/shop-main')).body['health'] as { circuit: string }).circuit === 'open';
    }, { what: "shop-main's circuit to open", timeoutMs: 20_000 });

    await waitFor(() => raisedFor('circuit_open:shop-main').length === 1, { what: 'the circuit alert delivery' });
    const delivery = raisedFor('circuit_open:shop-main')[0]!;
    const headers = { id: delivery.headers['webhook-id'] as string, timestamp: delivery.headers['webhook-timestamp'] as string, signature: delivery.headers['webhook-signature'] as string };
    expect(verifyWebhook(secret, headers, delivery.body)).toBe(true);
    expect(delivery.event).toMatchObject({ specversion: '1.0', type: 'alert.raised', source: 'tillbridge/alerts', subject: 'circuit_open:shop-main', data: { key: 'circuit_open:shop-main', kind: 'circuit_open', severity: 'critical', status: 'open', detail: { connection: 'shop-main', state: 'open' } } });

    await waitFor(() => mails.some((m) => subjectOf(m).includes('Circuit open')), { what: 'the circuit alert email' });
    const mail = mails.find((m) => subjectOf(m).includes('Circuit open'))!;
    expect(mail).toMatchObject({ from: 'hub@retailer.example', to: ['ops@retailer.example', 'oncall@retailer.example'], user: 'alerts' });
    expect(subjectOf(mail)).toBe('[Tillbridge] CRITICAL: Circuit open: calls to shop-main are paused');
    expect(mail.raw).not.toContain(smtpPassword);

    // A delivery the receiver refuses dead-letters: dead letters grew.
    expect((await api('POST', '/v1/orders', exampleOrder({ externalId: 'alerts-1' }))).status).toBe(201);
    await waitFor(() => raisedFor('dead_letter_growth').length === 1, { what: 'the dead-letter alert delivery', timeoutMs: 20_000 });
    expect(raisedFor('dead_letter_growth')[0]!.event.data).toMatchObject({ kind: 'dead_letter_growth', detail: { threshold: 1 } });
    await waitFor(() => mails.some((m) => subjectOf(m).includes('dead-lettered')), { what: 'the dead-letter alert email' });

    // The conditions hold over many more evaluations: seen again, never notified again.
    await waitFor(async () => {
      const open = (await api('GET', '/v1/alerts')).body['data'] as { key: string; count: number }[];
      return open.find((a) => a.key === 'circuit_open:shop-main')!.count >= 10 && open.find((a) => a.key === 'dead_letter_growth')!.count >= 10;
    }, { what: 'ten more evaluations', timeoutMs: 20_000 });
    expect(raisedFor('circuit_open:shop-main')).toHaveLength(1);
    expect(raisedFor('dead_letter_growth')).toHaveLength(1);
    expect(mails.filter((m) => subjectOf(m).includes('Circuit open'))).toHaveLength(1);
    expect(mails.filter((m) => subjectOf(m).includes('dead-lettered'))).toHaveLength(1);

    const listed = await api('GET', '/v1/alerts?status=open');
    expect(listed.status).toBe(200);
    expect((listed.body['data'] as { key: string; status: string }[]).filter((a) => a.key === 'circuit_open:shop-main' || a.key === 'dead_letter_growth').map((a) => a.status)).toEqual(['open', 'open']);
    expect((await api('GET', '/v1/alerts?status=nope')).status).toBe(400);

    const slas = await api('GET', '/v1/slas?window=1h');
    expect(slas.status).toBe(200);
    expect((slas.body['data'] as { name: string }[]).map((s) => s.name)).toEqual(['productPublication', 'orderAcceptance', 'shipmentConfirmation', 'refundProcessing', 'settlementPosting']);
    expect((await api('GET', '/v1/slas?window=forever')).status).toBe(400);
  }, 90_000);
});
