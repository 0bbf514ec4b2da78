import { z } from 'zod';

const rate = z.number().min(0).max(1);
const fields = {
  /** Delay between an order's arrival (or a partial shipment) and its next shipment. */
  shipDelayMs: z.int().min(0).max(3_600_000),
  /** Chance that an order ships in two parcels (about half now, the rest after another delay). */
  partialRate: rate,
  /** Chance that a line with an entry in `substitutes` ships the substitute SKU. */
  substitutionRate: rate,
  /** Chance that a webhook is delivered twice. */
  duplicateRate: rate,
  /** Chance that a webhook is held back `reorderDelayMs`, so later ones arrive first. */
  reorderRate: rate,
  reorderDelayMs: z.int().min(0).max(600_000),
  /** Chance that a create or a line cancellation is stored but answered 502, as behind a proxy that lost the answer. */
  lostResponseRate: rate,
  /** Delay between a return's authorisation and the receipt of its parcel. */
  returnDelayMs: z.int().min(0).max(86_400_000),
};

/** How the emulated warehouse behaves (`POST /_sandbox/behaviour`). */
export const Behaviour = z.object({
  shipDelayMs: fields.shipDelayMs.default(2000),
  partialRate: fields.partialRate.default(0),
  substitutionRate: fields.substitutionRate.default(0),
  duplicateRate: fields.duplicateRate.default(0),
  reorderRate: fields.reorderRate.default(0),
  reorderDelayMs: fields.reorderDelayMs.default(300),
  lostResponseRate: fields.lostResponseRate.default(0),
  returnDelayMs: fields.returnDelayMs.default(5000),
});

/** How the emulated warehouse behaves. */
export type Behaviour = z.output<typeof Behaviour>;

/** A partial change of the behaviour: omitted keys stay as they are. */
export const BehaviourUpdate = z.object(fields).partial().strict();

/** A partial change of the behaviour. */
export type BehaviourUpdate = z.input<typeof BehaviourUpdate>;
