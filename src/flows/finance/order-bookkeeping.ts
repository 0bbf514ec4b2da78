import { Order, permanentError } from '../../model/index.js';
import { handlerFor, type HandlerRegistration } from '../../messaging/index.js';
import { getOrderRow, type Store } from '../../store/index.js';
import type { Ledger } from '../ledger/index.js';
import type { PostingConfig } from './config.js';
import { draftOf } from './draft.js';
import { orderPosting } from './messages.js';
import { orderPostings } from './order-postings.js';

/**
 * Books what order to cash reports (`finance.order-posting`): the sale as its Sales Invoice, captures,
 * refunds and advances given back, each recorded once per key under the order's correlation id with
 * the workflow step behind it (its message as causation and source event), and
 * posted to the ERP by the ledger. Without a `finance` configuration (or a ledger) it books nothing.
 */
export function orderBookkeeping(deps: { store: Store; config?: PostingConfig | undefined; ledger?: Pick<Ledger, 'record' | 'byKey'> | undefined }): HandlerRegistration {
  return handlerFor(orderPosting, async (ctx) => {
    const { config, ledger } = deps;
    if (!config || !ledger) return;
    const data = ctx.message.data;
    const row = await getOrderRow(deps.store.db, data.orderId);
    if (!row) throw permanentError('unknown_order', `order ${data.orderId} does not exist`, 404);
    const order = Order.parse(JSON.parse(row.data));
    if (data.event === 'payment-return' && data.capturedAs !== undefined) {
      const provider = data.provider ?? order.payments[0]?.provider ?? 'unknown';
      if (!(await ledger.byKey(deps.store.db, `capture:${provider}:${data.capturedAs}`))) return;
    }
    const causationId = ctx.message.causationid ?? ctx.message.id;
    const postings = orderPostings(data, order, { correlationId: row.correlation_id, causationId, sourceEvents: [causationId] }, config);
    await ctx.commit(async (tx) => {
      for (const { entry, postedAs, paymentAgainstInvoiceOf } of postings) await ledger.record(tx, draftOf(entry), { postedAs, paymentAgainstInvoiceOf });
    });
  });
}
