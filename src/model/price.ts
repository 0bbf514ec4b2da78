import { z } from 'zod';
import { CurrencyCode } from './currency.js';
import { NonNegativeMinorUnits } from './money.js';
import { ConnectionId, Identifier, Timestamp } from './primitives.js';

/** The price of a SKU in one channel (a connection id, or 'default') and currency, optionally time-bounded. */
export const Price = z
  .object({
    sku: Identifier,
    channel: ConnectionId,
    currency: CurrencyCode,
    amount: NonNegativeMinorUnits,
    compareAt: NonNegativeMinorUnits.optional(),
    validFrom: Timestamp.optional(),
    validTo: Timestamp.optional(),
  })
  .superRefine((price, ctx) => {
    if (price.validFrom && price.validTo && Date.parse(price.validTo) <= Date.parse(price.validFrom)) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'validTo must be after validFrom' });
    }
  });

/** The price of a SKU in one channel and currency. */
export type Price = z.infer<typeof Price>;
