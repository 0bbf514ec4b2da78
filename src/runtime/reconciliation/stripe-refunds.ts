import type { Connection, StripeClient } from '../../connectors/index.js';
import { refundToEvents } from '../../connectors/stripe/index.js';
import type { ProviderRefund, ProviderRefundSide } from '../../flows/index.js';

/** Stripe's refunds created in a window (`GET /v1/refunds?created[gte]=…&created[lte]=…`), by the PaymentIntent they refund. */
export function stripeRefundSide(connection: Connection): ProviderRefundSide {
  const client = connection.instance.client as StripeClient;
  return {
    connectionId: connection.id,
    async *refundsCreated(window, signal) {
      for await (const page of client.refundsCreated({ from: Math.floor(window.from / 1000), to: Math.ceil(window.to / 1000) }, signal)) {
        const refunds: ProviderRefund[] = [];
        for (const refund of page) {
          const paymentReference = typeof refund.payment_intent === 'string' ? refund.payment_intent : refund.payment_intent?.id;
          const movement = refundToEvents(refund).find((e) => e.kind === 'payment');
          if (!paymentReference || !movement || movement.kind !== 'payment') continue;
          const { transaction } = movement;
          refunds.push({ reference: transaction.reference, paymentReference, amount: transaction.amount.amount, currency: transaction.amount.currency, status: transaction.status, createdAt: transaction.occurredAt });
        }
        yield refunds;
      }
    },
  };
}
