import { documentReferencesOfOrders, ordersByPaymentReference, type Store } from '../../store/index.js';
import type { HandlerTransaction } from '../../messaging/index.js';
import type { ChannelRefund } from '../order-to-cash/index.js';
import type { Drift } from './drift.js';
import type { Correction, ReconciliationCheck, StoredDrift } from './ports.js';

/** A refund as the payment provider has it. */
export interface ProviderRefund {
  reference: string;
  /** The payment it gave money back from (e.g. the PaymentIntent). */
  paymentReference: string;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed';
  createdAt: string;
}

/** A payment provider's refunds created in a window, a page at a time. */
export interface ProviderRefundSide {
  readonly connectionId: string;
  refundsCreated(window: { from: number; to: number }, signal: AbortSignal): AsyncIterable<ProviderRefund[]>;
}

/** How far before the window an order's payment may have been taken for a refund in the window to be checked. */
const paymentLookbackMs = 180 * 86_400_000;

/**
 * Refunds the provider made for hub orders that the hub never recorded (made directly in the provider's
 * dashboard, or whose webhook was lost): money went back that neither the order nor the ERP shows.
 */
export function providerRefundsCheck(deps: { store: Store; provider: ProviderRefundSide }): ReconciliationCheck {
  const { provider } = deps;
  return {
    name: `payments:${provider.connectionId}:refunds`,
    scope: 'payments',
    async run(window, signal) {
      const drift: Drift[] = [];
      for await (const page of provider.refundsCreated(window, signal)) {
        const refunds = page.filter((r) => r.status !== 'failed');
        const orders = await ordersByPaymentReference(deps.store.db, refunds.map((r) => r.paymentReference), window.from - paymentLookbackMs);
        const known = await documentReferencesOfOrders(deps.store.db, [...new Set(orders.values())]);
        for (const refund of refunds) {
          const orderId = orders.get(refund.paymentReference);
          if (orderId === undefined || known.get(orderId)?.has(refund.reference)) continue;
          drift.push({
            kind: 'refund_not_recorded',
            entity: `refund:${provider.connectionId}:${refund.reference}`,
            systems: [provider.connectionId, 'hub'],
            expected: { reference: refund.reference, orderId, amount: refund.amount, currency: refund.currency, createdAt: refund.createdAt },
            actual: null,
            severity: 'critical',
            correction: 'record-refund',
            detail: { orderId, connectionId: provider.connectionId, reference: refund.reference, amount: refund.amount },
          });
        }
      }
      return drift;
    },
  };
}

/** A refund made at the provider outside the hub: recorded on its order as the provider's refund (booked and posted like any refund, money not sent again). */
export function recordRefundCorrection(deps: { reflectRefund(tx: HandlerTransaction, refund: ChannelRefund): Promise<void> }): Correction {
  const field = (drift: StoredDrift, key: string) => drift.detail?.[key];
  return {
    name: 'record-refund',
    async commit(tx, drift) {
      const orderId = String(field(drift, 'orderId'));
      const reference = String(field(drift, 'reference'));
      const amount = Number(field(drift, 'amount'));
      await deps.reflectRefund(tx, { orderId, connectionId: String(field(drift, 'connectionId')), reference, amount, shipping: 0, lines: [], restock: false, reason: 'refunded directly at the payment provider' });
      return { summary: `recorded refund ${reference} of ${amount} on order ${orderId}` };
    },
  };
}
