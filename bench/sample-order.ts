import { exampleOrder } from '../src/model/index.js';

/** A valid canonical order (the CONTRACT.md example) with a chosen external id and source. */
export function sampleOrder(externalId: string, source = 'bench-store'): Record<string, unknown> {
  const order = exampleOrder({ source, externalId, number: `#${externalId}` });
  const [payment] = order.payments as Record<string, unknown>[];
  return { ...order, payments: [{ ...payment, reference: `pi_${externalId}` }] };
}
