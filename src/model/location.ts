import { z } from 'zod';
import { Address } from './address.js';
import { Identifier } from './primitives.js';

/** Kinds of places that hold stock. */
export const LocationType = z.enum(['warehouse', 'store', '3pl', 'virtual']);

/** A place that holds stock: a warehouse, a store, a third-party logistics site or a virtual pool. */
export const Location = z.object({
  id: Identifier,
  name: z.string().min(1, { error: 'name must not be empty' }),
  type: LocationType,
  address: Address.optional(),
});

/** A place that holds stock. */
export type Location = z.infer<typeof Location>;
