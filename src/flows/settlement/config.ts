import { z } from 'zod';
import { Duration } from '../order-to-cash/index.js';

/** How settlement lines are matched and how long captured money may take to reach a payout. */
export const SettlementConfig = z.object({
  /** How far (absolute minor units) a settled amount may differ from the hub's and still match. */
  tolerance: z.int().nonnegative().default(0),
  /** How long after a capture its money is expected in a payout; reconciliation reports a capture in no payout after it. */
  delay: Duration.default(7 * 86_400_000),
});
export type SettlementConfig = z.infer<typeof SettlementConfig>;
