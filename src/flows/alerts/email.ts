import nodemailer from 'nodemailer';
import { transientError } from '../../model/index.js';
import { handlerFor, type HandlerRegistration } from '../../messaging/index.js';
import type { AlertEmailConfig } from './config.js';
import { alertEmail, type AlertEvent } from './messages.js';

/** One email to send. */
export interface AlertMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** Stable per alert and event, so a retried send can be recognised by the receiving side. */
  messageId: string;
}

/** Sends mail; throws on failure. */
export interface Mailer {
  send(mail: AlertMail): Promise<void>;
}

/** A mailer over SMTP (nodemailer); the password is the resolved secret and is never logged. */
export function createSmtpMailer(smtp: AlertEmailConfig['smtp'], password: string | undefined): Mailer {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user !== undefined ? { auth: { user: smtp.user, pass: password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(mail) {
      await transport.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
    },
  };
}

/** The email for one alert event. */
export function alertMail(event: 'raised' | 'resolved', alert: AlertEvent, addresses: { from: string; to: string[] }): AlertMail {
  const subject = event === 'raised' ? `[Tillbridge] ${alert.severity.toUpperCase()}: ${alert.title}` : `[Tillbridge] RESOLVED: ${alert.title}`;
  const lines = [
    alert.title,
    '',
    `Alert:       ${alert.key} (${alert.alertId})`,
    `Severity:    ${alert.severity}`,
    `Status:      ${event === 'raised' ? 'open' : 'resolved'}`,
    `First seen:  ${alert.firstSeenAt}`,
    ...(alert.resolvedAt ? [`Resolved:    ${alert.resolvedAt}`] : []),
    '',
    'Detail:',
    JSON.stringify(alert.detail, null, 2),
  ];
  return { from: addresses.from, to: addresses.to, subject, text: lines.join('\n'), messageId: `<${alert.alertId}.${event}@tillbridge>` };
}

/** Sends the queued alert emails; an SMTP failure is transient, so the message retries with backoff. */
export function alertEmailHandler(deps: { mailer: Mailer; from: string; to: string[] }): HandlerRegistration {
  return handlerFor(alertEmail, async (ctx) => {
    const { event, alert } = ctx.message.data;
    try {
      await deps.mailer.send(alertMail(event, alert, deps));
    } catch (error) {
      throw transientError('alert_email_failed', `alert email could not be sent: ${(error as Error).message}`);
    }
    await ctx.commit();
  });
}
