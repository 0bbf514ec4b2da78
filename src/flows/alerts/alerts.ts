import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../../model/index.js';
import type { HandlerRegistration } from '../../messaging/index.js';
import type { Store } from '../../store/index.js';
import type { BusinessSlas } from '../slas/index.js';
import type { AlertsConfig } from './config.js';
import type { CircuitSource } from './conditions.js';
import { alertEmailHandler, createSmtpMailer, type Mailer } from './email.js';
import { createAlertEvaluator, type AlertEvaluator } from './evaluator.js';

/** Alerts as a hub runs them: the evaluator and the message handlers (email) it needs. */
export interface Alerts {
  evaluator: AlertEvaluator;
  handlers: HandlerRegistration[];
}

/**
 * Builds the alerts of a hub. `resolveSecret` turns the SMTP password reference (env:/file:) into
 * its value; `mailer` replaces SMTP (tests).
 */
export function createAlerts(deps: {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  config: AlertsConfig;
  slas?: BusinessSlas | undefined;
  connections?: CircuitSource | undefined;
  observer: string;
  resolveSecret?: ((reference: string) => string) | undefined;
  mailer?: Mailer | undefined;
  onEmitted?: (() => void) | undefined;
  logger?: Logger | undefined;
}): Alerts {
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
