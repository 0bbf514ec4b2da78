import type { JournalLine } from '../../model/index.js';

/** A payment received against an invoice, as the ERP records it (a Payment Entry). */
export interface InvoicePayment {
  reference: string;
  date: string;
  currency: string;
  /** The invoice it pays (its customer is the party). */
  invoice: string;
  /** Minor units. */
  amount: number;
  /** The account the money went to (payment clearing). */
  account: string;
  /** The provider's reference of the payment. */
  providerReference?: string | undefined;
}

/** An ERP that takes journal entries (LedgerSink): one document per entry and currency. */
export interface LedgerPort {
  readonly connectionId: string;
  /** Posts the lines of one currency; idempotent per reference (a repeat finds the document it made). */
  post(entry: { reference: string; date: string; currency: string; lines: JournalLine[]; memo: string | null }, signal: AbortSignal): Promise<{ document: string }>;
  /** Posts money received against an invoice as the ERP's payment document, allocated to it; idempotent per reference. */
  postPayment?(payment: InvoicePayment, signal: AbortSignal): Promise<{ document: string }>;
  /** Cancels a posted document (one whose amounts the ERP no longer agrees with); an already cancelled one is fine. */
  cancel?(document: string, signal: AbortSignal): Promise<void>;
}
