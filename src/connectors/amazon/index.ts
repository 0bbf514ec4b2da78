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
