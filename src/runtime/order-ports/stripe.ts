import type { StripeClient } from '../../connectors/index.js';
import type { PaymentPort } from '../../flows/index.js';

/** Stripe as order-to-cash's PaymentPort: PaymentIntent capture, cancel (void) and Refunds, each once per idempotency key. */
export function stripePaymentPortOf(connectionId: string, client: StripeClient): PaymentPort {
  return {
    connectionId,
    system: 'stripe',
    async capture({ payment, amount, currency, idempotencyKey }, signal) {
      const result = await client.capturePaymentIntent(payment, { amountToCapture: { amount, currency }, idempotencyKey, signal });
      return { capture: result.paymentIntent.id, amount };
    },
    async void({ payment, idempotencyKey }, signal) {
      const result = await client.cancelPaymentIntent(payment, { idempotencyKey, reason: 'requested_by_customer', signal });
      return { voided: result.paymentIntent };
    },
    async refund({ payment, amount, currency, idempotencyKey, reason }, signal) {
      const result = await client.createRefund({
        paymentIntent: payment,
        amount: { amount, currency },
        idempotencyKey,
        ...(reason === 'duplicate' || reason === 'fraudulent' || reason === 'requested_by_customer' ? { reason } : {}),
        signal,
      });
      return { refund: result.refund.id, amount };
    },
  };
}
