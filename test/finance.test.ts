import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeSignatureHeader } from '../src/connectors/stripe/webhooks.js';
import type { Basket, Sandbox } from '../src/runtime/sandbox/index.js';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';
import { placeShopOrder, untilInHub, untilStatus, type PlacedOrder } from './support/shop-orders.js';

/**
 * Finance end to end on the sandbox: an order paid by Stripe and shipped is booked as its sale (the
 * ERPNext Sales Invoice), its capture (a submitted Journal Entry against the customer), a partial
 * refund (the credit note and the money paid back), a chargeback and the payout net of fees — each
 * once, with the events behind it, even when Stripe's webhooks come again.
 */
const key = 'finance-bootstrap-key-0123456789';
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let api: ReturnType<typeof apiClient>;

const url = (id: string) => sandbox.connections[id]!.baseUrl;
const stripeAuth = () => ({ authorization: `Bearer ${sandbox.connections['stripe-main']!.secretKey}` });

beforeAll(async () => {
  env = await startSandboxHub({ name: 'finance', key });
  ({ sandbox, api } = env);
  expect((await call('POST', `${url('wh-main')}/_sandbox/behaviour`, { shipDelayMs: 100, partialRate: 0 })).status).toBe(200);
}, 60_000);

afterAll(() => env?.stop());

interface Line {
  account: string;
  debit: number;
  credit: number;
  currency: string;
  partyType?: string;
  party?: string;
}

interface Entry {
  id: string;
  date: string;
  lines: Line[];
  sourceEvents: string[];
  correlationId: string;
  causationId: string | null;
  orderId: string | null;
  memo: string;
  status: string;
  erpDocument: string | null;
}

type Doc = Record<string, unknown>;

const journal = async (query = '') => (await api('GET', `/v1/journal${query}`)).body['data'] as Entry[];
const erpDocuments = async (doctype: string) => (await call('GET', `${url('erp-main')}/_sandbox/documents?doctype=${encodeURIComponent(doctype)}`)).body['data'] as Doc[];
const balanced = (entry: Entry) => entry.lines.reduce((sum, l) => sum + l.debit - l.credit, 0) === 0;
const total = (lines: Line[], side: 'debit' | 'credit') => lines.reduce((sum, l) => sum + l[side], 0);

const placeOrder = (basket: Basket): Promise<PlacedOrder> => placeShopOrder(sandbox, basket, { number: 9101 });
const hubOrder = async (externalId: string, status: string): Promise<Doc> => untilStatus(api, await untilInHub(api, externalId), status);

const steps = (order: Doc) => (order['workflows'] as { steps: { name: string; documents: Record<string, string> }[] }[]).flatMap((w) => w.steps);

/** Entries of the order once each of `keys` (memo fragments) is posted. */
async function postedEntries(orderId: string, count: number): Promise<Entry[]> {
  return (await waitFor(async () => {
    const entries = await journal(`?orderId=${orderId}`);
    return entries.length >= count && entries.every((e) => e.status === 'posted') ? entries : undefined;
  }, { timeoutMs: 30_000, what: `${count} posted entries of order ${orderId}` }))!;
}

async function replayWebhook(type: string): Promise<void> {
  const events = await call('GET', `${url('stripe-main')}/v1/events?type=${type}&limit=1`, undefined, stripeAuth());
  const event = (events.body['data'] as Doc[])[0]!;
  const secret = sandbox.connections['stripe-main']!['webhookSecret'] as string;
  // The same event again, and the same dispute as a new event: neither books anything twice.
  for (const body of [JSON.stringify(event), JSON.stringify({ ...event, id: `${String(event['id'])}_again` })]) {
    const response = await fetch(`${env!.hub.url}/webhooks/stripe/stripe-main`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignatureHeader(body, secret, Math.floor(Date.now() / 1000)) }, body });
    expect(response.status).toBeLessThan(300);
    const { status, inboxId } = (await response.json()) as { status: string; inboxId: string };
    if (status === 'duplicate') continue;
    // Wait until the hub has interpreted it (its events are kept in the transaction that books).
    await waitFor(async () => ((await api('GET', '/v1/connections/stripe-main/events?kind=payment&limit=50')).body['data'] as { id: string }[]).some((e) => e.id.startsWith(`${inboxId}:`)), { timeoutMs: 20_000, what: `webhook ${inboxId} interpreted` });
  }
}

describe('finance', () => {
  it('books an order paid by Stripe once each: sale as the Sales Invoice, capture, partial refund, chargeback, payout net of fees', async () => {
    const placed = await placeOrder({ lines: [{ sku: 'TEE-RED-M', title: 'Tee red M', quantity: 2, unitPrice: 2500 }, { sku: 'CAP-NAVY', title: 'Cap navy', quantity: 1, unitPrice: 1800 }], shipping: 599, taxRate: '0.0625' });
    const order = await hubOrder(placed.externalId, 'closed');
    const orderId = String(order['id']);
    const find = (name: string) => steps(order).find((s) => s.name === name)!;
    const salesInvoice = find('invoice').documents['salesInvoice']!;
    const customer = find('book-sales-order').documents['customer']!;

    // Sale and capture.
    const [sale, capture] = await (async () => {
      const entries = await postedEntries(orderId, 2);
      return [entries.find((e) => e.memo.startsWith('Sale'))!, entries.find((e) => e.memo.startsWith('Capture'))!];
    })();
    const abbr = sale.lines[0]!.account.split(' - ').at(-1)!;
    expect(sale).toMatchObject({ erpDocument: salesInvoice, status: 'posted', orderId, correlationId: order['correlationId'] });
    expect(balanced(sale)).toBe(true);
    expect(sale.lines).toContainEqual({ account: `Debtors - ${abbr}`, debit: placed.total, credit: 0, currency: 'USD', partyType: 'Customer', party: customer });
    const invoices = (await erpDocuments('Sales Invoice')).filter((d) => d['name'] === salesInvoice);
    expect(invoices).toEqual([expect.objectContaining({ docstatus: 1, grand_total: placed.total / 100 })]);
    expect(capture.lines).toEqual([
      { account: `Stripe Clearing - ${abbr}`, debit: placed.total, credit: 0, currency: 'USD' },
      { account: `Debtors - ${abbr}`, debit: 0, credit: placed.total, currency: 'USD', partyType: 'Customer', party: customer },
    ]);
    // Captured on shipment, the capture is a Payment Entry received against the Sales Invoice, which it pays.
    const capturePe = (await erpDocuments('Payment Entry')).filter((d) => d['name'] === capture.erpDocument);
    expect(capturePe).toEqual([expect.objectContaining({ docstatus: 1, payment_type: 'Receive', party_type: 'Customer', party: customer, paid_from: `Debtors - ${abbr}`, paid_to: `Stripe Clearing - ${abbr}`, paid_amount: placed.total / 100, reference_no: placed.intent })]);
    expect(capturePe[0]!['references']).toEqual([expect.objectContaining({ reference_doctype: 'Sales Invoice', reference_name: salesInvoice, allocated_amount: placed.total / 100 })]);
    expect((await erpDocuments('Sales Invoice')).find((d) => d['name'] === salesInvoice)).toMatchObject({ outstanding_amount: 0, status: 'Paid' });

    // A partial refund (the cap and the shipping, refund-only by the returns policy).
    const capLine = (order['lines'] as { lineId: string; sku: string }[]).find((l) => l.sku === 'CAP-NAVY')!.lineId;
    expect((await api('POST', `/v1/orders/${orderId}/returns`, { lines: [{ lineId: capLine, quantity: 1, reason: 'arrived-late' }] })).status).toBe(202);
    const refund = await waitFor(async () => ((await api('GET', `/v1/orders/${orderId}`)).body['refunds'] as { status: string; amount: number; documents: Record<string, string> }[]).find((r) => r.status === 'completed'), { timeoutMs: 30_000, what: 'the refund' });
    const afterRefund = await postedEntries(orderId, 4);
    const creditNote = afterRefund.find((e) => e.memo.endsWith('(credit note)'))!;
    const paidBack = afterRefund.find((e) => e.memo.endsWith('(paid back)'))!;
    expect(creditNote).toMatchObject({ erpDocument: refund!.documents['creditNote'] });
    expect(total(creditNote.lines, 'debit')).toBe(refund!.amount);
    expect(creditNote.lines.find((l) => l.credit > 0)).toEqual({ account: `Debtors - ${abbr}`, debit: 0, credit: refund!.amount, currency: 'USD', partyType: 'Customer', party: customer });
    expect(paidBack.lines).toEqual([
      { account: `Debtors - ${abbr}`, debit: refund!.amount, credit: 0, currency: 'USD', partyType: 'Customer', party: customer },
      { account: `Stripe Clearing - ${abbr}`, debit: 0, credit: refund!.amount, currency: 'USD' },
    ]);
    expect((await erpDocuments('Journal Entry')).filter((d) => d['name'] === paidBack.erpDocument)).toEqual([expect.objectContaining({ docstatus: 1 })]);

    // A chargeback on the charge, linked to the order through its capture.
    const charge = String((await call('GET', `${url('stripe-main')}/v1/payment_intents/${placed.intent}`, undefined, stripeAuth())).body['latest_charge']);
    const dispute = await call('POST', `${url('stripe-main')}/_sandbox/disputes`, { charge, amount: 1500 });
    expect(dispute.status).toBe(200);
    const withChargeback = await postedEntries(orderId, 5);
    const chargeback = withChargeback.find((e) => e.memo.startsWith('Chargeback'))!;
    expect(chargeback.lines).toEqual([
      { account: `Chargebacks - ${abbr}`, debit: 1500, credit: 0, currency: 'USD' },
      { account: `Stripe Clearing - ${abbr}`, debit: 0, credit: 1500, currency: 'USD' },
    ]);
    expect(chargeback.sourceEvents).toEqual([expect.stringMatching(/^stripe-main:inb_/)]);
    await replayWebhook('charge.dispute.created');

    // The payout: bank and fees against the clearing account's gross.
    const payout = await call('POST', `${url('stripe-main')}/_sandbox/payouts`, {});
    expect(payout.status).toBe(200);
    const reference = String(payout.body['id']);
    const amount = Number(payout.body['amount']);
    const payoutEntry = (await waitFor(async () => (await journal()).find((e) => e.memo.includes(reference) && e.status === 'posted'), { timeoutMs: 30_000, what: `payout ${reference} posted` }))!;
    const bank = payoutEntry.lines.find((l) => l.account === `Bank - ${abbr}`)!;
    const fees = payoutEntry.lines.find((l) => l.account === `Payment Processing Fees - ${abbr}`)!;
    const clearing = payoutEntry.lines.find((l) => l.account === `Stripe Clearing - ${abbr}`)!;
    expect(bank.debit).toBe(amount);
    expect(fees.debit).toBeGreaterThan(1500); // the dispute fee and the charge's fee
    expect(clearing.credit).toBe(amount + fees.debit);
    expect(payoutEntry.sourceEvents).toEqual([expect.stringMatching(/^stripe-main:inb_/)]);
    expect((await journal()).filter((e) => e.memo.includes(reference))).toHaveLength(1);

    // The books tie out: the payout empties the clearing account, and the customer owes nothing.
    const lines = (await journal()).flatMap((e) => e.lines);
    const balance = (match: (l: Line) => boolean) => lines.filter(match).reduce((sum, l) => sum + l.debit - l.credit, 0);
    expect(balance((l) => l.account === `Stripe Clearing - ${abbr}`)).toBe(0);
    expect(balance((l) => l.account === `Debtors - ${abbr}` && l.party === customer)).toBe(0);

    // Everything of the order, with the events behind it, once; nothing posted twice in the ERP.
    const all = await journal(`?orderId=${orderId}`);
    expect(all.map((e) => e.memo.split(':')[0]!.split(' ')[0]).sort()).toEqual(['Capture', 'Chargeback', 'Refund', 'Refund', 'Sale']);
    for (const entry of all) {
      expect(entry.sourceEvents.length).toBeGreaterThan(0);
      expect(entry.causationId).toEqual(expect.any(String));
      expect(balanced(entry)).toBe(true);
    }
    expect(all.every((e) => e.correlationId === order['correlationId'])).toBe(true);
    expect((await journal(`?correlationId=${String(order['correlationId'])}`)).map((e) => e.id).sort()).toEqual(all.map((e) => e.id).sort());
    const posted = (await erpDocuments('Journal Entry')).filter((d) => d['docstatus'] === 1);
    const documents = all.map((e) => e.erpDocument);
    expect(new Set(documents).size).toBe(documents.length);
    for (const entry of all.filter((e) => e.erpDocument?.startsWith('ACC-JV'))) expect(posted.filter((d) => d['name'] === entry.erpDocument)).toHaveLength(1);
    expect(posted.filter((d) => String(d['user_remark'] ?? '').startsWith('Chargeback'))).toHaveLength(1);
  }, 120_000);
});

describe('finance, capturing at acceptance', () => {
  let early: SandboxHub | undefined;
  beforeAll(async () => {
    early = await startSandboxHub({ name: 'finance-acceptance', key, configure: (config) => void (config['orderToCash']!['captureOn'] = 'acceptance') });
  }, 60_000);
  afterAll(() => early?.stop());

  it('books the capture once the ERP customer exists, the money of cancelled units given back, and the sale of what shipped', async () => {
    ({ sandbox, api } = early!);
    expect((await call('POST', `${url('wh-main')}/_sandbox/behaviour`, { shipDelayMs: 600_000, partialRate: 0 })).status).toBe(200);
    const placed = await placeOrder({ lines: [{ sku: 'TEE-RED-M', title: 'Tee red M', quantity: 2, unitPrice: 2500 }, { sku: 'CAP-NAVY', title: 'Cap navy', quantity: 1, unitPrice: 1800 }], shipping: 599, taxRate: '0.0625' });
    const released = await hubOrder(placed.externalId, 'released');
    const orderId = String(released['id']);
    const capLine = (released['lines'] as { lineId: string; sku: string }[]).find((l) => l.sku === 'CAP-NAVY')!.lineId;
    expect((await api('POST', `/v1/orders/${orderId}/cancel`, { lines: [{ lineId: capLine, quantity: 1 }], reason: 'out of stock' })).status).toBe(202);
    await hubOrder(placed.externalId, 'partially_cancelled');
    const [capture, back] = await (async () => {
      const entries = await postedEntries(orderId, 2);
      return [entries.find((e) => e.memo.startsWith('Capture'))!, entries.find((e) => e.memo.startsWith('Payment returned'))!];
    })();
    expect((await call('POST', `${url('wh-main')}/_sandbox/behaviour`, { shipDelayMs: 100 })).status).toBe(200);
    expect((await call('POST', `${url('wh-main')}/_sandbox/ship`, {})).status).toBeLessThan(500);
    const closed = await hubOrder(placed.externalId, 'closed');
    const customer = steps(closed).find((s) => s.name === 'book-sales-order')!.documents['customer']!;
    const salesInvoice = steps(closed).find((s) => s.name === 'invoice')!.documents['salesInvoice']!;
    const entries = await postedEntries(orderId, 3);
    const sale = entries.find((e) => e.memo.startsWith('Sale'))!;
    const abbr = capture.lines[0]!.account.split(' - ').at(-1)!;
    const debtors = (entry: Entry) => entry.lines.filter((l) => l.account === `Debtors - ${abbr}`);

    expect(capture.lines).toEqual([
      { account: `Stripe Clearing - ${abbr}`, debit: placed.total, credit: 0, currency: 'USD' },
      { account: `Debtors - ${abbr}`, debit: 0, credit: placed.total, currency: 'USD', partyType: 'Customer', party: customer },
    ]);
    const returned = debtors(back)[0]!.debit;
    expect(debtors(back)).toEqual([{ account: `Debtors - ${abbr}`, debit: returned, credit: 0, currency: 'USD', partyType: 'Customer', party: customer }]);
    expect(returned).toBe(1800 + Math.round(1800 * 0.0625));
    expect(sale.erpDocument).toBe(salesInvoice);
    const [invoice] = (await erpDocuments('Sales Invoice')).filter((d) => d['name'] === salesInvoice);
    const invoiced = (invoice!['items'] as Doc[]).reduce((sum, i) => sum + Math.round(Number(i['amount']) * 100), 0);
    expect(sale.lines.find((l) => l.account === `Sales - ${abbr}`)).toMatchObject({ credit: invoiced });
    expect(debtors(sale)[0]!.debit).toBe(placed.total - returned);
    // The customer owes nothing, and what stays in clearing is what Stripe kept.
    const all = entries.flatMap((e) => e.lines);
    expect(all.filter((l) => l.party === customer).reduce((sum, l) => sum + l.debit - l.credit, 0)).toBe(0);
    const intent = (await call('GET', `${url('stripe-main')}/v1/payment_intents/${placed.intent}`, undefined, stripeAuth())).body;
    const charge = (await call('GET', `${url('stripe-main')}/v1/charges/${String(intent['latest_charge'])}`, undefined, stripeAuth())).body;
    expect(Number(charge['amount_refunded'])).toBe(returned);
    expect(all.filter((l) => l.account === `Stripe Clearing - ${abbr}`).reduce((sum, l) => sum + l.debit - l.credit, 0)).toBe(Number(charge['amount_captured']) - Number(charge['amount_refunded']));
    expect(entries).toHaveLength(3);
  }, 120_000);
});
