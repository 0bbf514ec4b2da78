import { permanentError, type Money, type Payout, type SettlementLine } from '../../model/index.js';
import { AmazonNode } from './finances-node.js';

/** A FinancialEventGroup (one Amazon settlement) with its money in exact minor units. */
export interface AmazonFinancialEventGroup {
  id: string;
  processingStatus?: string;
  fundTransferStatus?: string;
  /** The settlement total in the marketplace currency (what the financial events add up to). */
  originalTotal: Money;
  /** The amount deposited, in the bank account's currency (differs from originalTotal when Amazon converted it). */
  convertedTotal?: Money;
  beginningBalance?: Money;
  fundTransferDate?: string;
  start?: string;
  end?: string;
  traceId?: string;
  accountTail?: string;
}

/** One FinancialEventGroup of `listFinancialEventGroups`, read exactly; a malformed field is an 'invalid_payload' error naming its path. */
export function amazonFinancialEventGroup(value: unknown, path = ''): AmazonFinancialEventGroup {
  const group = new AmazonNode(value, path).object();
  const optional = {
    processingStatus: group.at('ProcessingStatus').optionalText(),
    fundTransferStatus: group.at('FundTransferStatus').optionalText(),
    convertedTotal: group.at('ConvertedTotal').optionalMoney(),
    beginningBalance: group.at('BeginningBalance').optionalMoney(),
    fundTransferDate: group.at('FundTransferDate').optionalTimestamp(),
    start: group.at('FinancialEventGroupStart').optionalTimestamp(),
    end: group.at('FinancialEventGroupEnd').optionalTimestamp(),
    traceId: group.at('TraceId').optionalText(),
    accountTail: group.at('AccountTail').optionalText(),
  };
  return {
    id: group.at('FinancialEventGroupId').text(),
    originalTotal: group.at('OriginalTotal').money(),
    ...(Object.fromEntries(Object.entries(optional).filter(([, field]) => field !== undefined)) as Partial<AmazonFinancialEventGroup>),
  };
}

/** A page of `listFinancialEventGroups`: its groups and the token of the next page. */
export interface AmazonFinancialEventGroupsPage {
  groups: AmazonFinancialEventGroup[];
  nextToken?: string;
}

/**
 * The body of an SP-API Finances response, its `payload`; an `errors` body is a permanent
 * 'amazon_request_rejected' error carrying Amazon's codes and messages.
 */
export function amazonFinancesPayload(body: unknown): AmazonNode {
  const root = new AmazonNode(body).object();
  const errors = root.at('errors').list();
  if (errors.length > 0) {
    const detail = errors.map((error) => `${error.at('code').optionalText() ?? 'error'}: ${error.at('message').optionalText() ?? ''}`.trim()).join('; ');
    throw permanentError('amazon_request_rejected', `Amazon Finances rejected the request: ${detail}`, 422, { errors: errors.map((error) => error.value) });
  }
  return root.at('payload').object();
}

/** A `listFinancialEventGroups` response body as groups and the next page's token. */
export function amazonFinancialEventGroupsPage(body: unknown): AmazonFinancialEventGroupsPage {
  const payload = amazonFinancesPayload(body);
  const nextToken = payload.at('NextToken').optionalText();
  return {
    groups: payload.at('FinancialEventGroupList').list().map((group) => amazonFinancialEventGroup(group.value, group.path)),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
}

/**
 * Payout status of a group: still Open → pending; else by FundTransferStatus: Succeeded (or the
 * sandbox's "TRANSFERED") → paid, Failed → failed, Processing/Initiated → in_transit, else pending.
 */
export function amazonPayoutStatus(group: Pick<AmazonFinancialEventGroup, 'processingStatus' | 'fundTransferStatus'>): Payout['status'] {
  if (group.processingStatus?.toLowerCase() === 'open') return 'pending';
  switch (group.fundTransferStatus?.toLowerCase()) {
    case 'succeeded':
    case 'successful':
    case 'transfered':
    case 'transferred':
      return 'paid';
    case 'failed':
      return 'failed';
    case 'processing':
    case 'initiated':
      return 'in_transit';
    default:
      return 'pending';
  }
}

/**
 * A FinancialEventGroup as a canonical payout: id = FinancialEventGroupId, amount and currency =
 * OriginalTotal (the currency its events are in, so `validatePayout` can check the lines; the
 * deposited ConvertedTotal stays on {@link amazonFinancialEventGroup}), arrivalDate = the UTC date of
 * FundTransferDate, and the given settlement lines (from {@link amazonFinancialEventsToLines} on the
 * group's events).
 */
export function amazonEventGroupToPayout(value: unknown, lines: readonly SettlementLine[] = []): Payout {
  const group = amazonFinancialEventGroup(value);
  return {
    id: group.id,
    provider: 'amazon',
    reference: group.id,
    currency: group.originalTotal.currency,
    amount: group.originalTotal.amount,
    status: amazonPayoutStatus(group),
    ...(group.fundTransferDate === undefined ? {} : { arrivalDate: new Date(group.fundTransferDate).toISOString().slice(0, 10) }),
    lines: [...lines],
  };
}
