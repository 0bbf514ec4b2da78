import type { PostingAccounts } from './config.js';

/** The revenue account of a sales channel. */
export function revenueAccount(accounts: PostingAccounts, channel: string): string {
  return accounts.revenue.byChannel[channel] ?? accounts.revenue.default;
}

/** The tax payable account of a tax title or jurisdiction. */
export function taxAccount(accounts: PostingAccounts, jurisdiction: string): string {
  return accounts.taxPayable.byJurisdiction[jurisdiction] ?? accounts.taxPayable.default;
}

/** The account the merchandise share of a refund is debited to. */
export function refundAccount(accounts: PostingAccounts, channel: string): string {
  return accounts.refunds ?? revenueAccount(accounts, channel);
}

function byProvider(map: { default: string; byProvider: Record<string, string> }, provider: string | undefined, currency: string): string {
  if (provider === undefined) return map.default;
  return map.byProvider[`${provider}:${currency}`] ?? map.byProvider[provider] ?? map.default;
}

/** The payment clearing account of a provider in a currency. */
export function clearingAccount(accounts: PostingAccounts, provider: string | undefined, currency: string): string {
  return byProvider(accounts.paymentClearing, provider, currency);
}

/** The processor fee expense account of a provider in a currency. */
export function feeAccount(accounts: PostingAccounts, provider: string | undefined, currency: string): string {
  return byProvider(accounts.processorFees, provider, currency);
}

/** The bank account a payout lands in: by destination, else by currency, else the default. */
export function bankAccount(accounts: PostingAccounts, currency: string, destination?: string): string {
  const { bank } = accounts;
  return (destination === undefined ? undefined : bank.byDestination[destination]) ?? bank.byCurrency[currency] ?? bank.default;
}
