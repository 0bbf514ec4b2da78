import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A Stripe-looking id: prefix, underscore, 24 base-62 characters (`pi_3Pgafy…`). */
export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return `${prefix}_${id}`;
}

/** A JSON object as the emulator stores and answers it. */
export type StripeObject = Record<string, unknown> & { id: string; object: string };

/** A deep copy, so a stored object never changes under an event or a saved idempotent answer. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}

/** A test card behind a payment method token (pm_card_visa and friends). */
export interface TestCard {
  brand: string;
  last4: string;
  funding: 'credit' | 'debit';
  /** Set when the card declines: Stripe's decline code and message. */
  decline?: { code: string; declineCode: string; message: string };
}

/** Stripe's test payment methods the emulator knows. */
export const testCards: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: 'visa', last4: '4242', funding: 'credit' },
  pm_card_visa_debit: { brand: 'visa', last4: '5556', funding: 'debit' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', funding: 'credit' },
  pm_card_amex: { brand: 'amex', last4: '8431', funding: 'credit' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', funding: 'credit', decline: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' } },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    funding: 'credit',
    decline: { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  },
  pm_card_chargeDeclinedExpiredCard: { brand: 'visa', last4: '0069', funding: 'credit', decline: { code: 'expired_card', declineCode: 'expired_card', message: 'Your card has expired.' } },
};

const nullAddress = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

/** A new PaymentIntent with every field Stripe returns. */
export function paymentIntentObject(fields: {
  id: string;
  amount: number;
  currency: string;
  captureMethod: string;
  created: number;
  description: string | null;
  metadata: Record<string, string>;
  paymentMethod: string | null;
  status: string;
  receiptEmail: string | null;
}): StripeObject {
  return {
    id: fields.id,
    object: 'payment_intent',
    amount: fields.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: fields.captureMethod,
    client_secret: `${fields.id}_secret_${stripeId('x', 25).slice(2)}`,
    confirmation_method: 'automatic',
    created: fields.created,
    currency: fields.currency,
    customer: null,
    customer_account: null,
    description: fields.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: { enabled: false },
    metadata: fields.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: fields.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    processing: null,
    receipt_email: fields.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: fields.status,
    transfer_data: null,
    transfer_group: null,
  };
}

/** A new Charge of a PaymentIntent attempt, approved or declined. */
export function chargeObject(fields: {
  id: string;
  intent: StripeObject;
  paymentMethod: string;
  card: TestCard;
  captured: boolean;
  created: number;
  balanceTransaction: string | null;
}): StripeObject {
  const { intent, card } = fields;
  const amount = intent['amount'] as number;
  const declined = card.decline !== undefined;
  return {
    id: fields.id,
    object: 'charge',
    amount,
    amount_captured: fields.captured && !declined ? amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: fields.balanceTransaction,
    billing_details: { address: nullAddress, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'TILLBRIDGE SANDBOX',
    captured: fields.captured && !declined,
    created: fields.created,
    currency: intent['currency'],
    customer: null,
    description: intent['description'] ?? null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: card.decline?.code ?? null,
    failure_message: card.decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...(intent['metadata'] as Record<string, string>) },
    on_behalf_of: null,
    outcome: declined
      ? { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'declined_by_network', reason: card.decline?.declineCode ?? null, risk_level: 'normal', risk_score: 20, seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' }
      : { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 20, seller_message: 'Payment complete.', type: 'authorized' },
    paid: !declined,
    payment_intent: intent.id,
    payment_method: fields.paymentMethod,
    payment_method_details: {
      card: {
        amount_authorized: declined ? null : amount,
        brand: card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: 'US',
        exp_month: 12,
        exp_year: 2034,
        extended_authorization: { status: 'disabled' },
        fingerprint: 'TillbridgeSandbox',
        funding: card.funding,
        incremental_authorization: { status: 'unavailable' },
        installments: null,
        last4: card.last4,
        mandate: null,
        multicapture: { status: 'unavailable' },
        network: card.brand,
        network_token: { used: false },
        overcapture: { maximum_amount_capturable: amount, status: 'unavailable' },
        three_d_secure: null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: `https://pay.stripe.com/receipts/payment/${fields.id}`,
    refunded: false,
    refunds: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/charges/${fields.id}/refunds` },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: declined ? 'failed' : 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
}

/** A new Refund (Stripe refunds cards at once in test mode: status succeeded). */
export function refundObject(fields: {
  id: string;
  amount: number;
  charge: StripeObject;
  created: number;
  reason: string | null;
  metadata: Record<string, string>;
  balanceTransaction: string;
}): StripeObject {
  return {
    id: fields.id,
    object: 'refund',
    amount: fields.amount,
    balance_transaction: fields.balanceTransaction,
    charge: fields.charge.id,
    created: fields.created,
    currency: fields.charge['currency'],
    customer: null,
    customer_account: null,
    destination_details: { card: { reference: null, reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: fields.metadata,
    payment_intent: fields.charge['payment_intent'],
    payment_method: fields.charge['payment_method'],
    reason: fields.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}

const evidenceFields = [
  'access_activity_log', 'billing_address', 'cancellation_policy', 'cancellation_policy_disclosure', 'cancellation_rebuttal',
  'customer_communication', 'customer_email_address', 'customer_name', 'customer_purchase_ip', 'customer_signature',
  'duplicate_charge_documentation', 'duplicate_charge_explanation', 'duplicate_charge_id', 'product_description', 'receipt',
  'refund_policy', 'refund_policy_disclosure', 'refund_refusal_explanation', 'service_date', 'service_documentation',
  'shipping_address', 'shipping_carrier', 'shipping_date', 'shipping_documentation', 'shipping_tracking_number',
  'uncategorized_file', 'uncategorized_text',
];

/** A new Dispute (a chargeback: funds withdrawn, needs a response within three weeks). */
export function disputeObject(fields: { id: string; amount: number; charge: StripeObject; created: number; reason: string; balanceTransaction: StripeObject }): StripeObject {
  const card = (fields.charge['payment_method_details'] as { card?: { brand?: string } } | null)?.card;
  return {
    id: fields.id,
    object: 'dispute',
    amount: fields.amount,
    balance_transactions: [fields.balanceTransaction],
    charge: fields.charge.id,
    created: fields.created,
    currency: fields.charge['currency'],
    enhanced_eligibility_types: [],
    evidence: { ...Object.fromEntries(evidenceFields.map((field) => [field, null])), enhanced_evidence: {} },
    evidence_details: { due_by: fields.created + 21 * 86_400, has_evidence: false, past_due: false, submission_count: 0, enhanced_eligibility: {} },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: fields.charge['payment_intent'],
    payment_method_details: { card: { brand: card?.brand ?? 'visa', case_type: 'chargeback', network_reason_code: '10.4', network: card?.brand ?? 'visa' }, type: 'card' },
    reason: fields.reason,
    status: 'needs_response',
  };
}

/** A new automatic Payout to the account's bank. */
export function payoutObject(fields: { id: string; amount: number; currency: string; created: number; arrivalDate: number; balanceTransaction: string }): StripeObject {
  return {
    id: fields.id,
    object: 'payout',
    amount: fields.amount,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: fields.arrivalDate,
    automatic: true,
    balance_transaction: fields.balanceTransaction,
    created: fields.created,
    currency: fields.currency,
    description: 'STRIPE PAYOUT',
    destination: 'ba_1TillbridgeSandboxBank0',
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: {},
    method: 'standard',
    original_payout: null,
    payout_method: null,
    reconciliation_status: 'completed',
    reversed_by: null,
    source_type: 'card',
    statement_descriptor: null,
    status: 'pending',
    trace_id: { status: 'pending', value: null },
    type: 'bank_account',
  };
}

/** A new BalanceTransaction. */
export function balanceTransactionObject(fields: {
  id: string;
  amount: number;
  fee: number;
  feeDescription?: string;
  currency: string;
  created: number;
  type: string;
  reportingCategory: string;
  source: string;
  description: string | null;
  /** Settlement units per presentment unit (a decimal string) when the amount was converted. */
  exchangeRate?: string | null;
}): StripeObject {
  return {
    id: fields.id,
    object: 'balance_transaction',
    amount: fields.amount,
    available_on: fields.created,
    balance_type: 'payments',
    created: fields.created,
    currency: fields.currency,
    description: fields.description,
    exchange_rate: fields.exchangeRate ? Number(fields.exchangeRate) : null,
    fee: fields.fee,
    fee_details: fields.fee === 0 ? [] : [{ amount: fields.fee, application: null, currency: fields.currency, description: fields.feeDescription ?? 'Stripe processing fees', type: 'stripe_fee' }],
    net: fields.amount - fields.fee,
    reporting_category: fields.reportingCategory,
    source: fields.source,
    status: 'available',
    type: fields.type,
  };
}
