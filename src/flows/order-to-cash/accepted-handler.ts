import { handlerFor } from '../../messaging/index.js';
import { appendTimeline } from '../../store/index.js';
import { orderAccepted } from './messages.js';

/**
 * Until the ERP and warehouse connectors exist, an accepted order's workflow records that it was
 * taken up on the order's timeline; the entry is written once per message, with its completion.
 */
export const recordAcceptedOrder = handlerFor(orderAccepted, async (ctx) => {
  await ctx.commit(async (tx) => {
    await appendTimeline(tx.db, [
      {
        order_id: ctx.message.data.orderId,
        at: tx.now,
        event: 'workflow.started',
        system: 'tillbridge',
        detail: JSON.stringify({ note: 'awaiting downstream systems (none configured)' }),
        correlation_id: ctx.message.correlationid,
        message_id: ctx.message.id,
      },
    ]);
  });
});
