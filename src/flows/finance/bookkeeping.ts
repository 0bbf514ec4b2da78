import type { ParsedInboundEvent } from '../../connectors/framework/index.js';
import type { InboundSink } from '../inbound/index.js';
import type { Ledger } from '../ledger/index.js';
import type { PostingConfig } from './config.js';
import { postPayout } from './payout.js';

type PayoutEvent = Extract<ParsedInboundEvent, { kind: 'payout' }>;

/**
 * Books what payment providers report into the journal: a payout that is paid (or in transit) becomes
 * bank against payment clearing (and its lines' fees, when it carries them), recorded once per payout
 * with the webhook or poll behind it, and posted to the ERP by the ledger. Pending, failed and
 * cancelled payouts move no money and book nothing.
 */
export function providerBookkeeping(deps: { config: PostingConfig; ledger: Pick<Ledger, 'record'> }): InboundSink {
  return {
    kinds: ['payout'],
    async apply(tx, event, source) {
      const { payout } = event as PayoutEvent;
      if (payout.status !== 'paid' && payout.status !== 'in_transit') return;
      const entry = postPayout({ payout, feesFromLines: true }, { correlationId: source.correlationId, causationId: source.inboxId, sourceEvents: [`${source.connection.id}:${source.inboxId}`] }, deps.config);
      if (!entry) return;
      await deps.ledger.record(tx, { ...entry, memo: entry.movedFrom ? `${entry.memo} (moved from ${entry.movedFrom}: period closed)` : entry.memo });
    },
  };
}
