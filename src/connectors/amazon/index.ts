export { AmazonNode, amazonInvalidPayload } from './finances-node.js';
export {
  amazonEventGroupToPayout,
  amazonFinancesPayload,
  amazonFinancialEventGroup,
  amazonFinancialEventGroupsPage,
  amazonPayoutStatus,
  type AmazonFinancialEventGroup,
  type AmazonFinancialEventGroupsPage,
} from './mapping-event-group.js';
export {
  amazonFinancialEventsPage,
  amazonFinancialEventsToLines,
  type AmazonFeeLines,
  type AmazonFinancesOptions,
  type AmazonFinancialEventsPage,
  type AmazonSettlementLines,
} from './mapping-finances.js';
export { AmazonSecrets, AmazonSettings, defaultAmazonRate, defaultAmazonTokenUrl, type AmazonSettingsInput } from './config.js';
export {
  createAmazonClient,
  type AmazonClient,
  type AmazonClientOptions,
  type AmazonEventGroupRecord,
  type AmazonEventGroupsPage,
  type AmazonEventGroupsQuery,
  type AmazonFinancialEvents,
  type AmazonFinancialEventsRawPage,
} from './client.js';
export { amazonGroupDedupKey, amazonGroupSettled, amazonSettlementTopic, createAmazonEventGroupsPoller, type AmazonEventGroupsPollerOptions } from './poller.js';
export { interpretAmazonEvent } from './interpret.js';
export { startAmazonEmulator, type AmazonCredentials, type AmazonEmulatorOptions, type RunningAmazonEmulator } from './emulator/server.js';
export { type EmulatedEventGroup as AmazonEmulatedEventGroup } from './emulator/state.js';
export { amazonConnector } from './connector.js';
