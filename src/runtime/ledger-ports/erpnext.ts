import { TillbridgeError } from '../../model/index.js';
import type { ErpnextClient } from '../../connectors/index.js';
import { frappeMoney } from '../../connectors/erpnext/index.js';
import type { LedgerPort } from '../../flows/index.js';

/**
 * ERPNext as the ledger: one Journal Entry per hub entry and currency — or, for money received
 * against an invoice, a Receive Payment Entry allocated to it — found by the hub's reference before
 * anything is created (so a retry or a lost answer posts nothing twice), and submitted. Receivable
 * and payable lines carry their party (party_type and party), which ERPNext requires on such accounts.
 */
export function erpnextLedgerPortOf(connectionId: string, client: ErpnextClient): LedgerPort {
  return {
    connectionId,
    async post({ reference, date, currency, lines, memo }, signal) {
      const ensured = await client.journalEntries.ensure(
        { reference, postingDate: date, currency, lines: lines.map((l) => ({ account: l.account, debit: l.debit, credit: l.credit, ...(l.party ? { partyType: l.partyType ?? 'Customer', party: l.party } : {}) })), ...(memo ? { memo } : {}) },
        signal,
      );
      const doc = ensured.doc.state === 'draft' ? await client.journalEntries.submit(ensured.doc.name, signal) : ensured.doc;
      return { document: doc.name };
    },
    async cancel(document, signal) {
      await client.cancelDoc('Journal Entry', document, signal);
    },
    async postPayment({ reference, date, invoice, amount, account, providerReference }, signal) {
      const ensured = await client.paymentEntries.ensure({ reference, invoice, amount, postingDate: date, account, ...(providerReference ? { referenceNo: providerReference } : {}) }, signal);
      if (ensured.doc.state !== 'draft') return { document: ensured.doc.name };
      // A draft left by an earlier try: the invoice may owe less by now (a credit note), so it is allocated again before it is submitted.
      const owed = await client.salesInvoices.get(invoice, signal);
      const allocated = Math.min(amount, Math.max(0, owed.outstanding));
      const allocate = (to: number) => client.updateDoc('Payment Entry', ensured.doc.name, { references: to > 0 ? [{ reference_doctype: 'Sales Invoice', reference_name: invoice, allocated_amount: frappeMoney(to, owed.currency) }] : [] }, signal);
      const submit = async () => ({ document: (await client.paymentEntries.submit(ensured.doc.name, signal)).name });
      try {
        await allocate(allocated);
        return await submit();
      } catch (error) {
        // ERPNext judges the invoice to owe less than it answered: the payment is kept unallocated (an advance) rather than refused.
        if (!(error instanceof TillbridgeError) || !error.message.includes('cannot be greater than outstanding')) throw error;
        await allocate(0);
        return submit();
      }
    },
  };
}
