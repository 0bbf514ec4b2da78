import { z } from 'zod';
import { Identifier, requiredOr, Timestamp } from './primitives.js';

/** Units that can be promised: on hand minus reserved (may be negative when oversold). */
export function availableOf(level: { onHand: number; reserved: number }): number {
  return level.onHand - level.reserved;
}

/** Stock of one SKU at one location; `available` must equal onHand − reserved. */
export const InventoryLevel = z
  .object({
    sku: Identifier,
    locationId: Identifier,
    onHand: z.int({ error: requiredOr('onHand is an integer') }),
    reserved: z.int({ error: requiredOr('reserved is an integer') }).min(0, { error: 'reserved must not be negative' }),
    available: z.int({ error: requiredOr('available is an integer') }),
    updatedAt: Timestamp,
  })
  .superRefine((level, ctx) => {
    const expected = availableOf(level);
    if (level.available !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['available'],
        message: `available is ${level.available} but onHand − reserved is ${expected}`,
      });
    }
  });

/** Stock of one SKU at one location. */
export type InventoryLevel = z.infer<typeof InventoryLevel>;
