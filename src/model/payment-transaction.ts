import { z } from 'zod';
import { Money } from './money.js';
import { Identifier, Timestamp } from './primitives.js';

/** Kinds of movements a payment provider reports. */
export const PaymentTransactionKind = z.enum([
  'authorization',
  'capture',
  'refund',
  'void',
  'fee',
  'chargeback',
  'chargeback_reversal',
]);

/** Outcome of a payment transaction. */
export const PaymentTransactionStatus = z.enum(['pending', 'succeeded', 'failed']);

/** One movement at a payment provider (authorization, capture, refund, ...), linked to its parent by reference. */
export const PaymentTransaction = z.object({
  id: Identifier,
  provider: z.string().min(1, { error: 'provider must not be empty' }),
  reference: Identifier,
  orderId: Identifier.optional(),
  kind: PaymentTransactionKind,
  status: PaymentTransactionStatus,
  amount: Money,
  occurredAt: Timestamp,
  parentReference: Identifier.optional(),
  /** Why it happened or failed, in the provider's words (decline message, dispute or refund reason). */
  reason: z.string().optional(),
});

/** One movement at a payment provider. */
export type PaymentTransaction = z.infer<typeof PaymentTransaction>;
