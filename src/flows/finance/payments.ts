import { permanentError, type PaymentTransaction } from '../../model/index.js';
import { clearingAccount, feeAccount } from './accounts.js';
import type { PostingConfig } from './config.js';
import { buildEntry, utcDate, type EventTrace, type PostingEntry, type PostingKind } from './entry.js';

type Postable = 'capture' | 'fee' | 'chargeback' | 'chargeback_reversal';

function debitAccount(kind: Postable, tx: PaymentTransaction, config: PostingConfig): string {
  const { accounts } = config;
  const currency = tx.amount.currency;
  switch (kind) {
    case 'capture':
    case 'chargeback_reversal':
      return clearingAccount(accounts, tx.provider, currency);
    case 'fee':
      return feeAccount(accounts, tx.provider, currency);
    case 'chargeback':
      return accounts.chargebacks;
  }
}

function creditAccount(kind: Postable, tx: PaymentTransaction, config: PostingConfig): string {
  const { accounts } = config;
  switch (kind) {
    case 'capture':
      return accounts.receivables;
    case 'chargeback_reversal':
      return accounts.chargebacks;
    case 'fee':
    case 'chargeback':
      return clearingAccount(accounts, tx.provider, tx.amount.currency);
  }
}

const memos: Record<Postable, string> = {
  capture: 'Capture',
  fee: 'Processor fee',
  chargeback: 'Chargeback',
  chargeback_reversal: 'Chargeback reversed',
};

function post(kind: Postable, tx: PaymentTransaction, trace: EventTrace, config: PostingConfig): PostingEntry | null {
  if (tx.kind !== kind) throw permanentError('wrong_transaction_kind', `expected a ${kind} transaction, got ${tx.kind}`);
  if (tx.status !== 'succeeded') throw permanentError('transaction_not_succeeded', `${tx.provider} ${kind} ${tx.reference} is ${tx.status}; only succeeded transactions post`);
  const { amount, currency } = tx.amount;
  const order = tx.orderId === undefined ? '' : ` for order ${tx.orderId}`;
  return buildEntry(
    { key: `${kind}:${tx.provider}:${tx.reference}`, kind: kind satisfies PostingKind, date: utcDate(tx.occurredAt), memo: `${memos[kind]} ${tx.provider} ${tx.reference}${order}`, orderId: tx.orderId },
    [
      { account: debitAccount(kind, tx, config), amount, currency },
      { account: creditAccount(kind, tx, config), amount: -amount, currency },
    ],
    trace,
    config,
  );
}

/** A capture: payment clearing (the provider owes us) against receivables. */
export function postCapture(tx: PaymentTransaction, trace: EventTrace, config: PostingConfig): PostingEntry | null {
  return post('capture', tx, trace, config);
}

/** A processor fee: fee expense against payment clearing (a negative fee, a fee refund, reverses it). */
export function postProcessorFee(tx: PaymentTransaction, trace: EventTrace, config: PostingConfig): PostingEntry | null {
  return post('fee', tx, trace, config);
}

/** A chargeback: the disputed amount leaves payment clearing into the chargebacks account. */
export function postChargeback(tx: PaymentTransaction, trace: EventTrace, config: PostingConfig): PostingEntry | null {
  return post('chargeback', tx, trace, config);
}

/** A won dispute: the chargeback reversed, back into payment clearing. */
export function postChargebackReversal(tx: PaymentTransaction, trace: EventTrace, config: PostingConfig): PostingEntry | null {
  return post('chargeback_reversal', tx, trace, config);
}

/** Posts a succeeded capture, fee, chargeback or reversal; null for kinds that move no money in the books (authorization, void) or did not succeed. Refunds need their order: use postRefund. */
export function postPaymentTransaction(tx: PaymentTransaction, trace: EventTrace, config: PostingConfig): PostingEntry | null {
  if (tx.status !== 'succeeded') return null;
  switch (tx.kind) {
    case 'authorization':
    case 'void':
      return null;
    case 'refund':
      throw permanentError('refund_needs_order', `refund ${tx.reference} is posted with postRefund, which splits it over its order`);
    default:
      return post(tx.kind, tx, trace, config);
  }
}
