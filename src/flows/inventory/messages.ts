import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/** Units of a SKU became free (stock arrived, or an order gave its reservation back) while orders wait on hold for it. */
export const inventoryRestocked = defineMessageType({
  type: 'inventory.restocked',
  lane: 'standard',
  schemaVersion: 1,
  data: z.object({ sku: z.string().min(1) }),
});

/** The hold reason of an order whose stock could not be reserved. */
export const insufficientStock = 'insufficient_stock';
