export { AlertsConfig, AlertEmailConfig, type AlertsConfigInput } from './config.js';
export { alertRaised, alertResolved, alertEmail, AlertEvent } from './messages.js';
export { circuitConditions, deadLetterConditions, driftConditions, slaConditions, type AlertCondition, type AlertKind, type CircuitSource } from './conditions.js';
export { createAlertEvaluator, type AlertEvaluator, type AlertEvaluatorDeps, type AlertOutcome } from './evaluator.js';
export { createSmtpMailer, alertMail, alertEmailHandler, type AlertMail, type Mailer } from './email.js';
export { presentAlert, listAlertViews, type AlertView } from './view.js';
export { createAlerts, type Alerts } from './alerts.js';
