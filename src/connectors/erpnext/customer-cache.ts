import { transientError } from '../../model/index.js';
import type { CustomerOps, NewCustomer } from './catalog.js';
import { excTypeOf } from './errors.js';

/** Customer document names by hub reference, so a returning customer costs no call. */
export interface CustomerCache {
  /**
   * Runs `use` with the Customer's document name: remembered, else found by reference or created
   * (concurrent calls for one reference share one look-up). When ERPNext answers `use` that a
   * remembered Customer does not exist (renamed, merged or deleted since), the name is forgotten
   * and a transient `erpnext_customer_stale` error is thrown, so the retry looks it up again.
   */
  withCustomer<T>(input: NewCustomer, use: (name: string) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Forgets the reference's Customer. */
  forget(reference: string): void;
  /** References remembered now (at most the capacity). */
  size(): number;
}

/** True when a rejected create names `customer` as a link ERPNext could not find ("Could not find Customer: …"). */
export function isMissingCustomer(error: unknown, customer: string): boolean {
  if (excTypeOf(error) !== 'LinkValidationError' || !(error instanceof Error)) return false;
  return error.message.includes(`Customer: ${customer}`);
}

/** A customer cache of at most `capacity` references (default 10,000), the least recently used forgotten first. */
export function createCustomerCache(customers: Pick<CustomerOps, 'ensure'>, options: { capacity?: number } = {}): CustomerCache {
  const capacity = options.capacity ?? 10_000;
  const names = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();

  const remember = (reference: string, name: string) => {
    names.delete(reference);
    names.set(reference, name);
    if (names.size > capacity) names.delete(names.keys().next().value as string);
  };

  const lookUp = (input: NewCustomer, signal?: AbortSignal): Promise<string> => {
    const shared = pending.get(input.reference);
    if (shared) return shared;
    const found = customers.ensure(input, signal).then(({ customer }) => {
      remember(input.reference, customer.name);
      return customer.name;
    });
    pending.set(input.reference, found);
    const settle = () => void pending.delete(input.reference);
    found.then(settle, settle);
    return found;
  };

  return {
    async withCustomer(input, use, signal) {
      const remembered = names.get(input.reference);
      if (remembered === undefined) return use(await lookUp(input, signal));
      remember(input.reference, remembered);
      try {
        return await use(remembered);
      } catch (error) {
        if (!isMissingCustomer(error, remembered)) throw error;
        if (names.get(input.reference) === remembered) names.delete(input.reference);
        throw transientError('erpnext_customer_stale', `Customer ${remembered} remembered for ${input.reference} is no longer in ERPNext: it is looked up again on the retry`, { httpStatus: 409, cause: error });
      }
    },
    forget: (reference) => void names.delete(reference),
    size: () => names.size,
  };
}
