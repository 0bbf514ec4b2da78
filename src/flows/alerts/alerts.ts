import type { HandlerRegistration } from '../../messaging/index.js';
import { alertEmailHandler, createSmtpMailer, type Mailer } from './email.js';
import { createAlertEvaluator, type AlertEvaluator, type AlertEvaluatorDeps } from './evaluator.js';

/** Alerts as a hub runs them: the evaluator and the message handlers (email) it needs. */
export interface Alerts {
  evaluator: AlertEvaluator;
  handlers: HandlerRegistration[];
}

/**
 * Builds the alerts of a hub. `resolveSecret` turns the SMTP password reference (env:/file:) into
 * its value; `mailer` replaces SMTP (tests).
 */
export function createAlerts(
  deps: Omit<AlertEvaluatorDeps, 'email'> & { resolveSecret?: ((reference: string) => string) | undefined; mailer?: Mailer | undefined },
): Alerts {
  const email = deps.config.email;
  let handlers: HandlerRegistration[] = [];
  if (email) {
    const password = email.smtp.password !== undefined && deps.resolveSecret ? deps.resolveSecret(email.smtp.password) : undefined;
    const mailer = deps.mailer ?? createSmtpMailer(email.smtp, password);
    handlers = [alertEmailHandler({ mailer, from: email.from, to: email.to })];
  }
  const evaluator = createAlertEvaluator({ ...deps, email: email !== undefined });
  return { evaluator, handlers };
}
