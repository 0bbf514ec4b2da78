import { z } from 'zod';
import { CurrencyCode } from '../../model/index.js';

const Account = z.string().min(1, { error: 'an account name must not be empty' });
const AccountsByKey = z.record(z.string().min(1), Account).default({});
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'a period is a month as YYYY-MM' });

/** Revenue accounts: one per sales channel (the order's source connection), else the default. */
export const RevenueAccounts = z.object({ default: Account, byChannel: AccountsByKey });

/** Tax payable accounts: one per tax title or jurisdiction (the order's tax line name), else the default. */
export const TaxAccounts = z.object({ default: Account, byJurisdiction: AccountsByKey });

/** Accounts per payment provider; a key may also be `<provider>:<currency>` (e.g. `stripe:EUR`), which wins. */
export const ProviderAccounts = z.object({ default: Account, byProvider: AccountsByKey });

/** Bank accounts: by payout destination (bank account id), else by currency, else the default. */
export const BankAccounts = z.object({ default: Account, byDestination: AccountsByKey, byCurrency: AccountsByKey });

/** The ledger accounts each posting concept goes to. */
export const PostingAccounts = z.object({
  revenue: RevenueAccounts.default({ default: 'Sales', byChannel: {} }),
  taxPayable: TaxAccounts.default({ default: 'Sales Tax Payable', byJurisdiction: {} }),
  shippingIncome: Account.default('Shipping Income'),
  /** Contra revenue: line, shipping and order discounts. */
  discounts: Account.default('Sales Discounts'),
  /** Sales returns (contra revenue) for the merchandise share of refunds; without it, refunds reverse the channel's revenue account. */
  refunds: Account.optional(),
  receivables: Account.default('Accounts Receivable'),
  paymentClearing: ProviderAccounts.default({ default: 'Payment Clearing', byProvider: {} }),
  processorFees: ProviderAccounts.default({ default: 'Payment Processing Fees', byProvider: {} }),
  bank: BankAccounts.default({ default: 'Bank', byDestination: {}, byCurrency: {} }),
  chargebacks: Account.default('Chargebacks'),
  fxGainLoss: Account.default('Exchange Gain/Loss'),
  /** Carries each currency's side of a multi-currency entry so every currency balances on its own. */
  currencyExchange: Account.default('Currency Exchange Clearing'),
  rounding: Account.default('Rounding'),
});
export type PostingAccounts = z.output<typeof PostingAccounts>;

/** The financial posting part of the configuration: accounts per concept, the books' currency, closed periods. */
export const PostingConfig = z.object({
  /** Currency of the books (the ERP company's currency); entries in other currencies carry their own currency. */
  baseCurrency: CurrencyCode,
  accounts: PostingAccounts.default(PostingAccounts.parse({})),
  /** Largest per-currency difference (minor units) posted to the rounding account; a larger one refuses the entry. */
  maxRounding: z.int().nonnegative().default(5),
  /** Months closed for posting (YYYY-MM); an entry dated in one moves to the first day of the next open month. */
  closedPeriods: z.array(Month).default([]),
});
export type PostingConfig = z.output<typeof PostingConfig>;
export type PostingConfigInput = z.input<typeof PostingConfig>;
