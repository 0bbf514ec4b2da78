import { z } from 'zod';
import { Address } from './address.js';

/** A customer as a selling system knows them; every field is optional because guests exist. */
export const Customer = z.object({
  externalId: z.string().min(1).optional(),
  email: z.string().regex(/^[^\s@]+@[^\s@]+$/, { error: 'must be an email address' }).optional(),
  name: z.string().optional(),
  phone: z.string().optional(),
  addresses: z.array(Address).optional(),
});

/** A customer as a selling system knows them. */
export type Customer = z.infer<typeof Customer>;
