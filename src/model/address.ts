import { z } from 'zod';
import { CountryCode } from './primitives.js';

/** A postal address, for shipping, billing and locations. */
export const Address = z.object({
  name: z.string().optional(),
  company: z.string().optional(),
  line1: z.string().min(1, { error: 'line1 must not be empty' }),
  line2: z.string().optional(),
  city: z.string().min(1, { error: 'city must not be empty' }),
  region: z.string().optional(),
  postalCode: z.string().optional(),
  country: CountryCode,
  phone: z.string().optional(),
});

/** A postal address, for shipping, billing and locations. */
export type Address = z.infer<typeof Address>;
