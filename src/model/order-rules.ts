import type { z } from 'zod';
import { TillbridgeError } from './errors.js';
import { Order } from './order.js';
import { toJsonPointer, type Violation } from './violation.js';

/** Outcome of {@link parseOrder}: the parsed order, or every violation found. */
export type ParseOrderResult = { ok: true; order: Order } | { ok: false; errors: Violation[] };

interface Sum {
  value: number;
  safe: boolean;
}

function add(sum: Sum, amount: number): void {
  sum.value += amount;
  if (!Number.isSafeInteger(sum.value)) sum.safe = false;
}

function check(violations: Violation[], pointer: string, declared: number, sum: Sum, what: string): void {
  const name = pointer.slice(pointer.lastIndexOf('/') + 1);
  if (!sum.safe) {
    violations.push({ pointer, detail: `${what} exceeds the safe integer range` });
  } else if (declared !== sum.value) {
    violations.push({ pointer, detail: `${name} is ${declared} but ${what} is ${sum.value}` });
  }
}

/** The parts of an order its arithmetic depends on. */
export type OrderAmounts = Pick<Order, 'lines' | 'shipping' | 'totals' | 'taxesIncluded'>;

const OrderAmounts = Order.pick({ lines: true, shipping: true, totals: true, taxesIncluded: true });

/** Checks the contract's order arithmetic and returns every violation (empty when the order adds up). */
export function validateOrderArithmetic(order: OrderAmounts): Violation[] {
  const violations: Violation[] = [];
  const subtotal: Sum = { value: 0, safe: true };
  const discount: Sum = { value: 0, safe: true };
  const shipping: Sum = { value: 0, safe: true };
  const tax: Sum = { value: 0, safe: true };

  order.lines.forEach((line, index) => {
    const extended = line.quantity * line.unitPrice;
    add(subtotal, extended);
    add(discount, line.discount);
    for (const t of line.taxes) add(tax, t.amount);
    if (!Number.isSafeInteger(extended)) {
      violations.push({ pointer: `/lines/${index}/quantity`, detail: 'quantity × unitPrice exceeds the safe integer range' });
    } else if (line.discount > extended) {
      violations.push({
        pointer: `/lines/${index}/discount`,
        detail: `discount ${line.discount} exceeds the line's extended price ${extended} (quantity × unitPrice)`,
      });
    }
  });

  order.shipping.forEach((charge, index) => {
    add(shipping, charge.price);
    add(discount, charge.discount);
    for (const t of charge.taxes) add(tax, t.amount);
    if (charge.discount > charge.price) {
      violations.push({
        pointer: `/shipping/${index}/discount`,
        detail: `discount ${charge.discount} exceeds the shipping price ${charge.price}`,
      });
    }
  });

  const { totals } = order;
  check(violations, '/totals/subtotal', totals.subtotal, subtotal, 'Σ quantity × unitPrice');
  check(violations, '/totals/discount', totals.discount, discount, 'Σ line and shipping discounts');
  check(violations, '/totals/shipping', totals.shipping, shipping, 'Σ shipping prices');
  check(violations, '/totals/tax', totals.tax, tax, 'Σ line and shipping tax amounts');

  const total: Sum = { value: 0, safe: true };
  add(total, totals.subtotal);
  add(total, -totals.discount);
  add(total, totals.shipping);
  if (!order.taxesIncluded) add(total, totals.tax);
  const formula = order.taxesIncluded ? 'subtotal − discount + shipping (taxes included)' : 'subtotal − discount + shipping + tax';
  check(violations, '/totals/total', totals.total, total, formula);
  return violations;
}

const parseErrorMap: z.core.$ZodErrorMap = (issue) =>
  issue.input === undefined && issue.code === 'invalid_type' ? 'is required' : undefined;

/** Parses an untrusted canonical order and lists every violation: schema ones, and arithmetic ones whenever the amounts themselves parse. */
export function parseOrder(input: unknown): ParseOrderResult {
  const parsed = Order.safeParse(input, { error: parseErrorMap });
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ pointer: toJsonPointer(issue.path), detail: issue.message }));
    const amounts = OrderAmounts.safeParse(input);
    return { ok: false, errors: amounts.success ? [...errors, ...validateOrderArithmetic(amounts.data)] : errors };
  }
  const errors = validateOrderArithmetic(parsed.data);
  return errors.length === 0 ? { ok: true, order: parsed.data } : { ok: false, errors };
}

/** Like {@link parseOrder} but throws a 422 'validation_failed' error whose details are the violations. */
export function assertOrder(input: unknown): Order {
  const result = parseOrder(input);
  if (result.ok) return result.order;
  throw new TillbridgeError('validation_failed', `order is invalid: ${result.errors.length} violation(s)`, {
    httpStatus: 422,
    details: result.errors,
  });
}
