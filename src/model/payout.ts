import { z } from 'zod';
import { CurrencyCode } from './currency.js';
import { DecimalString } from './decimal.js';
import { MinorUnits, Money } from './money.js';
import { Identifier, IsoDate } from './primitives.js';
import { issuesToViolations, type Violation } from './violation.js';

/** Kinds of lines in a provider's settlement report. */
export const SettlementLineKind = z.enum(['charge', 'refund', 'fee', 'adjustment', 'chargeback', 'payout']);

/** One line of a settlement report: gross less fee is net (all signed, in minor units). */
export const SettlementLine = z.object({
  id: Identifier,
  kind: SettlementLineKind,
  reference: Identifier,
  orderReference: Identifier.optional(),
  gross: MinorUnits,
  fee: MinorUnits,
  net: MinorUnits,
  currency: CurrencyCode,
  /** The charge or refund in its own (presentment) currency, when the provider converted it to `currency`. */
  original: Money.optional(),
  /** Units of `currency` per one unit of the original currency that the provider converted at, a decimal string. */
  exchangeRate: DecimalString.optional(),
});

/** One line of a settlement report. */
export type SettlementLine = z.infer<typeof SettlementLine>;

/** States of a payout to the retailer's bank account. */
export const PayoutStatus = z.enum(['pending', 'in_transit', 'paid', 'failed', 'cancelled']);

/** A transfer from a payment provider to the bank, with the settlement lines it pays out. */
export const Payout = z.object({
  id: Identifier,
  provider: z.string().min(1, { error: 'provider must not be empty' }),
  reference: Identifier,
  currency: CurrencyCode,
  amount: MinorUnits,
  status: PayoutStatus,
  arrivalDate: IsoDate.optional(),
  lines: z.array(SettlementLine).default([]),
});

/** A transfer from a payment provider to the bank. */
export type Payout = z.infer<typeof Payout>;

/**
 * Reconciliation rules of a payout: every line is in the payout's currency, net = gross − fee, and
 * Σ net of the lines equals the payout amount. Lines of kind 'payout' (the transfer itself) are not summed.
 */
export function validatePayout(payout: Payout): Violation[] {
  const parsed = Payout.safeParse(payout);
  if (!parsed.success) return issuesToViolations(parsed.error.issues);
  const violations: Violation[] = [];
  let sum = 0n;
  payout.lines.forEach((line, index) => {
    if (line.currency !== payout.currency) {
      violations.push({
        pointer: `/lines/${index}/currency`,
        detail: `line currency ${line.currency} differs from the payout currency ${payout.currency}`,
      });
    }
    if (line.net !== line.gross - line.fee) {
      violations.push({
        pointer: `/lines/${index}/net`,
        detail: `net is ${line.net} but gross − fee is ${line.gross - line.fee}`,
      });
    }
    if (line.kind !== 'payout') sum += BigInt(line.net);
  });
  if (BigInt(payout.amount) !== sum) {
    violations.push({ pointer: '/amount', detail: `amount is ${payout.amount} but Σ line net is ${sum}` });
  }
  return violations;
}
