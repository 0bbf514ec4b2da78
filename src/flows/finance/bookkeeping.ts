import type { PaymentTransaction } from '../../model/index.js';
import type { ParsedInboundEvent } from '../../connectors/framework/index.js';
import type { HandlerTransaction } from '../../messaging/index.js';
import { getConnectorState, setConnectorState } from '../../store/index.js';
import type { InboundSink } from '../inbound/index.js';
import type { Ledger } from '../ledger/index.js';
import type { PostingConfig } from './config.js';
import { draftOf } from './draft.js';
import { payoutPosting } from './messages.js';
import type { FetchesPayoutLines } from './payout-bookkeeping.js';
import { postChargeback, postChargebackReversal } from './payments.js';
import { postPayout } from './payout.js';

type PayoutEvent = Extract<ParsedInboundEvent, { kind: 'payout' }>;
type PaymentEvent = Extract<ParsedInboundEvent, { kind: 'payment' }>;

/** Connector-state key remembering which payment a provider's charge (capture) belongs to. */
const paymentOfCharge = (charge: string) => `payment-of:${charge}`;

/**
 * The hub order a provider movement belongs to, through the capture entry the order's own capture
 * recorded (`capture:<provider>:<payment>`); a dispute names the charge, which the capture's
 * webhook tied to its payment.
 */
async function orderOfMovement(tx: HandlerTransaction, ledger: Pick<Ledger, 'byKey'>, connectionId: string, movement: PaymentTransaction): Promise<{ orderId: string; correlationId: string } | undefined> {
  const charge = movement.parentReference;
  if (charge === undefined) return undefined;
  const payment = (await getConnectorState(tx.db, connectionId, paymentOfCharge(charge))) ?? charge;
  for (const reference of new Set([payment, charge])) {
    const capture = await ledger.byKey(tx.db, `capture:${movement.provider}:${reference}`);
    if (capture?.orderId) return { orderId: capture.orderId, correlationId: capture.correlationId };
  }
  return undefined;
}

/**
 * Books what payment providers report into the journal: a payout that is paid (or in transit) becomes
 * bank against payment clearing and its lines' fees (so fees are booked once, with the payout; lines a
 * webhook did not carry are read from the provider first); a chargeback and its reversal (a won dispute) move the disputed amount between
 * payment clearing and the chargebacks account, linked to the order whose capture they dispute (under
 * its correlation id). Each
 * is recorded once per provider reference with the webhook or poll behind it, and posted to the ERP
 * by the ledger. Captures and refunds are booked by order to cash (which knows the order and its
 * customer); a capture's webhook only ties its charge to its payment for later disputes. Pending,
 * failed and cancelled movements book nothing.
 */
export function providerBookkeeping(deps: { config: PostingConfig; ledger: Pick<Ledger, 'record' | 'byKey'>; fetchesPayoutLines?: FetchesPayoutLines | undefined }): InboundSink {
  return {
    kinds: ['payout', 'payment'],
    async apply(tx, event, source) {
      const trace = { correlationId: source.correlationId, causationId: source.inboxId, sourceEvents: [`${source.connection.id}:${source.inboxId}`] };
      if (event.kind === 'payout') {
        const { payout } = event as PayoutEvent;
        if (payout.status !== 'paid' && payout.status !== 'in_transit') return;
        if (payout.lines.length === 0 && deps.fetchesPayoutLines?.(source.connection.id)) {
          // Its fees are on lines the webhook did not carry: read them first, then book (once per payout).
          if (await deps.ledger.byKey(tx.db, `payout:${payout.provider}:${payout.reference}`)) return;
          tx.emit(payoutPosting, { connectionId: source.connection.id, payout, causationId: trace.causationId, sourceEvents: trace.sourceEvents }, { subject: payout.reference });
          return;
        }
        const entry = postPayout({ payout, feesFromLines: true }, trace, deps.config);
        if (entry) await deps.ledger.record(tx, draftOf(entry));
        return;
      }
      const movement = (event as PaymentEvent).transaction;
      if (movement.status !== 'succeeded') return;
      if (movement.kind === 'capture') {
        const payment = movement.parentReference ?? movement.reference;
        if (payment !== movement.id) await setConnectorState(tx.db, source.connection.id, paymentOfCharge(movement.id), payment, tx.now);
        return;
      }
      if (movement.kind !== 'chargeback' && movement.kind !== 'chargeback_reversal') return;
      // Linked to the order (and its business transaction) whose capture it disputes, when the hub made it.
      const order = await orderOfMovement(tx, deps.ledger, source.connection.id, movement);
      const linked: PaymentTransaction = { ...movement, ...(order ? { orderId: order.orderId } : {}) };
      if (!order) delete linked.orderId;
      const orderTrace = order ? { ...trace, correlationId: order.correlationId } : trace;
      const entry = movement.kind === 'chargeback' ? postChargeback(linked, orderTrace, deps.config) : postChargebackReversal(linked, orderTrace, deps.config);
      if (entry) await deps.ledger.record(tx, draftOf(entry));
    },
  };
}
