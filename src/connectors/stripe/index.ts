import { minorToDecimal, TillbridgeError } from '../../model/index.js';
import { defineConnector, errorText, timedCheck, type ConnectionInstance } from '../framework/index.js';
import { stripeAmountToMinor, stripeCurrency } from './amounts.js';
import { createStripeClient, type StripeClient } from './client.js';
import { isLiveKey, StripeSecrets, StripeSettings } from './config.js';
import { interpretStripeEvent } from './mapping.js';
import { identifyStripeWebhook, verifyStripeWebhook } from './webhooks.js';

export {
  createStripeClient,
  type CancelOptions,
  type CaptureOptions,
  type CaptureResult,
  type CreateRefundOptions,
  type PayoutTransactions,
  type RefundResult,
  type StripeClient,
  type StripeClientOptions,
  type StripeRefundReason,
} from './client.js';
export { isLiveKey, stripeApiVersion, stripeRateLimits, stripeRateRule, StripeSecrets, StripeSettings, type StripeSettingsInput } from './config.js';
export { stripeErrorMessage, stripeErrorOf, toStripeError, type StripeApiError } from './errors.js';
export { alreadyCapturedError, cancelResult, isSameCapture, type AttemptOnCaptured, type CancelResult, type StripeCancellationReason } from './intent-outcomes.js';
export { decodeStripeForm, decodeStripeFormText, encodeStripeForm, StripeFormError, type StripeFormNode, type StripeFormObject, type StripeFormParams, type StripeFormValue } from './form.js';
export * from './mapping.js';
export { stripeThreeDecimalCurrencies, stripeZeroDecimalCurrencies } from './amounts.js';
export {
  identifyStripeWebhook,
  signStripePayload,
  stripeDefaultToleranceSeconds,
  stripeSignatureHeader,
  stripeWebhookHeaders,
  verifyStripeWebhook,
} from './webhooks.js';
export * as stripeWire from './wire.js';
export type { StripeBalance, StripeBalanceTransaction, StripeCharge, StripeDispute, StripeEvent, StripePaymentIntent, StripePayout, StripeRefund } from './wire.js';
export { startStripeEmulator, type RunningStripeEmulator, type StripeCredentials, type StripeEmulatorOptions } from './emulator/server.js';

function checkFailure(error: unknown): string {
  if (error instanceof TillbridgeError && error.httpStatus === 401) {
    return `invalid credentials (401): Stripe refused the secret key — ${error.message}`;
  }
  if (error instanceof TillbridgeError && error.httpStatus === 403) {
    return `the key lacks permission to read the balance (403): use a secret key or give the restricted key Balance read access — ${error.message}`;
  }
  return `Stripe unreachable: ${errorText(error)}`;
}

function describeBalance(available: readonly { amount: number; currency: string }[]): string {
  return available.map((entry) => {
    const currency = stripeCurrency(entry.currency);
    return `${minorToDecimal(stripeAmountToMinor(entry.amount, currency), currency)} ${currency}`;
  }).join(', ') || 'nothing';
}

/**
 * Stripe: payment movements in by signed webhook (PaymentSource), captures and refunds out with
 * idempotency keys (PaymentSink), payouts with their balance transactions as settlement lines
 * (SettlementSource).
 */
export const stripeConnector = defineConnector<StripeSettings, StripeSecrets, StripeClient>({
  system: 'stripe',
  title: 'Stripe',
  capabilities: ['PaymentSource', 'PaymentSink', 'SettlementSource'],
  settings: StripeSettings,
  secrets: StripeSecrets,
  apiVersion: (settings) => settings.apiVersion,
  // Stripe keeps every dated API version working; versions do not expire.
  apiEndOfLife: () => null,
  create(context): ConnectionInstance<StripeClient> {
    const { settings, secrets } = context;
    const client = createStripeClient({
      connectionId: context.connectionId,
      settings,
      secrets,
      clock: context.clock,
      ...(context.fetch ? { fetch: context.fetch } : {}),
    });
    return {
      client,
      check: (signal) =>
        timedCheck(
          context.clock,
          async () => {
            const { balance, apiVersion } = await client.balance(signal);
            const mode = isLiveKey(secrets.secretKey) ? 'live' : 'test';
            return {
              ok: true,
              detail: `Stripe ${mode} mode, API version ${apiVersion ?? settings.apiVersion}; available ${describeBalance(balance.available)}`,
              apiVersion: apiVersion ?? settings.apiVersion,
            };
          },
          checkFailure,
        ),
      webhooks: {
        verify: (raw, headers, nowMs) => verifyStripeWebhook(raw, headers, secrets.webhookSecret, nowMs, settings.toleranceSeconds),
        identify: identifyStripeWebhook,
      },
      interpret: interpretStripeEvent,
      health: () => client.health(),
    };
  },
});
