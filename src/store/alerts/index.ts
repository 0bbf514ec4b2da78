export { openAlert, touchAlert, resolveAlert, listOpenAlerts, listAlerts, countDeadLettersSince, countOpenDriftByKind, type AlertRow, type AlertSighting } from './alerts.js';
