import type { Clock } from '../../model/index.js';
import { productPublicationFacts, settlementPostingFacts, workflowStepFacts, type Db, type SlaFact, type SlaWindow, type Store } from '../../store/index.js';
import type { SlasConfig } from './config.js';
import { evaluateSla, slaNames, type SlaName, type SlaReport } from './evaluate.js';

/** Where each SLA's start and end facts come from. */
const factsOf: Record<SlaName, (db: Db, window: SlaWindow) => Promise<SlaFact[]>> = {
  productPublication: productPublicationFacts,
  orderAcceptance: (db, window) => workflowStepFacts(db, { workflow: 'order-placement', step: 'book-sales-order', window, startOfOrder: true }),
  shipmentConfirmation: (db, window) => workflowStepFacts(db, { workflow: 'order-shipment', step: 'push-fulfillment', window }),
  refundProcessing: (db, window) => workflowStepFacts(db, { workflow: 'order-refund', step: 'refund-payment', window }),
  settlementPosting: settlementPostingFacts,
};

/** The business SLAs, measured over a window ending now. */
export interface BusinessSlas {
  /** The configured default window (ms). */
  readonly defaultWindowMs: number;
  evaluate(options?: { windowMs?: number | undefined }): Promise<SlaReport[]>;
}

/** Business SLAs over the store, with the configured targets. */
export function createBusinessSlas(deps: { store: Store; clock: Clock; config: SlasConfig }): BusinessSlas {
  return {
    defaultWindowMs: deps.config.window,
    async evaluate(options = {}) {
      const now = deps.clock.now();
      const window = { from: now - (options.windowMs ?? deps.config.window), to: now };
      const reports: SlaReport[] = [];
      for (const name of slaNames) {
        const facts = await factsOf[name](deps.store.db, window);
        reports.push(evaluateSla({ name, target: deps.config[name] }, facts, window, now));
      }
      return reports;
    },
  };
}
