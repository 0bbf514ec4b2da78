import { TillbridgeError } from '../../model/index.js';
import { defineConnector, errorText, timedCheck, type ConnectionInstance } from '../framework/index.js';
import { createAmazonClient, type AmazonClient } from './client.js';
import { AmazonSecrets, AmazonSettings } from './config.js';
import { interpretAmazonEvent } from './interpret.js';
import { createAmazonEventGroupsPoller } from './poller.js';

function checkFailure(error: unknown): string {
  if (error instanceof TillbridgeError && (error.code === 'amazon_lwa_refused' || error.code === 'outbound_unauthorized')) {
    return `Amazon refused the credentials (${error.httpStatus}): check clientId, clientSecret and refreshToken`;
  }
  return `Amazon SP-API unreachable: ${errorText(error)}`;
}

/**
 * Amazon Selling Partner API, Finances v0 (SettlementSource): settled financial event groups are
 * polled with their financial events and become canonical payouts with settlement lines. Calls use a
 * Login with Amazon access token from the seller's refresh token.
 */
export const amazonConnector = defineConnector<AmazonSettings, AmazonSecrets, AmazonClient>({
  system: 'amazon',
  title: 'Amazon Selling Partner API (Finances)',
  capabilities: ['SettlementSource'],
  settings: AmazonSettings,
  secrets: AmazonSecrets,
  apiVersion: () => 'finances-v0',
  apiEndOfLife: () => null,
  create(context): ConnectionInstance<AmazonClient> {
    const { settings } = context;
    const client = createAmazonClient({
      connectionId: context.connectionId,
      settings,
      secrets: context.secrets,
      clock: context.clock,
      ...(context.fetch ? { fetch: context.fetch } : {}),
    });
    return {
      client,
      check: (signal) =>
        timedCheck(
          context.clock,
          async () => {
            const page = await client.listFinancialEventGroups({ startedAfter: new Date(context.clock.now() - 24 * 60 * 60 * 1000).toISOString(), maxResults: 1 }, signal);
            const where = settings.marketplaceId === undefined ? '' : ` (marketplace ${settings.marketplaceId})`;
            return { ok: true, detail: `Finances v0 reachable${where}, ${page.groups.length === 0 ? 'no' : 'some'} event groups in the last day`, apiVersion: 'v0' };
          },
          checkFailure,
        ),
      interpret: interpretAmazonEvent,
      ...(settings.pollIntervalMs > 0
        ? {
            pollers: [
              createAmazonEventGroupsPoller({
                client,
                intervalMs: settings.pollIntervalMs,
                clock: context.clock,
                initialLookbackMs: settings.initialLookbackMs,
                overlapMs: settings.overlapMs,
                maxHoldMs: settings.maxHoldMs,
              }),
            ],
          }
        : {}),
      health: () => client.health(),
    };
  },
});
