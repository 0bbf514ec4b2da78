import type { PaymentTransactionKind, PaymentTransactionStatus } from '../../model/index.js';
import type { InboundEvent } from '../framework/index.js';
import { resourceMoneyContext, type ShopifyMoneyOptions } from './mapping-refund.js';
import { definedOnly, exactId, readMoney, ShopifyNode } from './mapping-support.js';

/** A canonical payment event. */
export type PaymentEvent = Extract<InboundEvent, { kind: 'payment' }>;

type Kind = (typeof PaymentTransactionKind)['options'][number];
type Status = (typeof PaymentTransactionStatus)['options'][number];

const kinds: Readonly<Record<string, Kind>> = {
  authorization: 'authorization',
  capture: 'capture',
  sale: 'capture',
  refund: 'refund',
  void: 'void',
};

const statuses: Readonly<Record<string, Status>> = {
  success: 'succeeded',
  failure: 'failed',
  error: 'failed',
  pending: 'pending',
};

/**
 * order_transactions/create as a canonical payment movement: kind authorization/capture/sale(→capture)/
 * refund/void, status success → succeeded, failure/error → failed, pending; amount in the
 * transaction's currency (options.currency when the payload names none); undefined for other kinds
 * (e.g. `change`, cash handed back at a POS, which has no canonical movement).
 */
export function shopifyTransactionToEvent(transaction: unknown, options: ShopifyMoneyOptions = {}): PaymentEvent | undefined {
  const root = new ShopifyNode(transaction).object();
  const kindNode = root.at('kind');
  const kind = kinds[kindNode.text()];
  if (kind === undefined) return undefined;
  const statusNode = root.at('status');
  const shopifyStatus = statusNode.text();
  const status = statuses[shopifyStatus] ?? statusNode.fail(`is ${JSON.stringify(shopifyStatus)}, not a known Shopify transaction status`);
  const named = root.at('currency').optionalText();
  const money = named === undefined ? resourceMoneyContext(root, [], options) : { currency: named, side: 'presentment_money' as const, plainFieldsMatch: true };
  const id = exactId(root);
  const orderId = root.at('order_id').optionalId();
  return {
    kind: 'payment',
    ...definedOnly({ orderExternalId: orderId }),
    transaction: {
      id,
      provider: root.at('gateway').optionalText() ?? 'shopify',
      reference: id,
      ...definedOnly({ orderId, parentReference: root.at('parent_id').optionalId() }),
      kind,
      status,
      amount: { amount: readMoney(root, 'amount', 'amount_set', money), currency: money.currency },
      occurredAt: root.at('processed_at').optionalTimestamp() ?? root.at('created_at').timestamp(),
    },
  };
}
