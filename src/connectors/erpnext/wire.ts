import { z } from 'zod';

const text = z.string();
const optionalText = z.string().nullish();
const number = z.number();
const optionalNumber = z.number().nullish();
const docstatus = z.union([z.literal(0), z.literal(1), z.literal(2)]);

/** Standard fields of every document. */
const standard = { name: text, docstatus, modified: text };

/** A Customer as Frappe answers it. */
export const CustomerWire = z.looseObject({
  ...standard,
  customer_name: text,
  customer_type: optionalText,
  customer_group: optionalText,
  territory: optionalText,
  email_id: optionalText,
  mobile_no: optionalText,
  disabled: z.number().int().nullish(),
});

/** An Item as Frappe answers it. */
export const ItemWire = z.looseObject({
  ...standard,
  item_code: text,
  item_name: optionalText,
  item_group: optionalText,
  stock_uom: optionalText,
  description: optionalText,
  is_stock_item: z.number().int().nullish(),
  disabled: z.number().int().nullish(),
  has_variants: z.number().int().nullish(),
  variant_of: optionalText,
  brand: optionalText,
  image: optionalText,
  weight_per_unit: optionalNumber,
  weight_uom: optionalText,
  barcodes: z.array(z.looseObject({ barcode: text, barcode_type: optionalText })).nullish(),
  attributes: z.array(z.looseObject({ attribute: text, attribute_value: optionalText })).nullish(),
});

/** An Item Price as Frappe answers it. */
export const ItemPriceWire = z.looseObject({
  name: text,
  modified: text,
  item_code: text,
  price_list: text,
  price_list_rate: number,
  currency: optionalText,
  uom: optionalText,
  valid_from: optionalText,
  valid_upto: optionalText,
});

/** A Bin (stock of one item in one warehouse) as Frappe answers it. */
export const BinWire = z.looseObject({
  name: text,
  modified: text,
  item_code: text,
  warehouse: text,
  actual_qty: optionalNumber,
  reserved_qty: optionalNumber,
  projected_qty: optionalNumber,
});

const taxRow = z.looseObject({ charge_type: text, account_head: text, description: optionalText, rate: optionalNumber, tax_amount: optionalNumber });
const sellingTotals = {
  currency: text,
  total: optionalNumber,
  net_total: optionalNumber,
  total_taxes_and_charges: optionalNumber,
  discount_amount: optionalNumber,
  grand_total: optionalNumber,
  rounded_total: optionalNumber,
  status: optionalText,
  customer: text,
  taxes: z.array(taxRow).nullish(),
};

/** A Sales Order as Frappe answers it. */
export const SalesOrderWire = z.looseObject({
  ...standard,
  ...sellingTotals,
  company: text,
  transaction_date: text,
  delivery_date: optionalText,
  per_delivered: optionalNumber,
  per_billed: optionalNumber,
  po_no: optionalText,
  items: z.array(
    z.looseObject({
      name: text,
      idx: optionalNumber,
      item_code: text,
      qty: number,
      rate: optionalNumber,
      amount: optionalNumber,
      delivered_qty: optionalNumber,
      billed_amt: optionalNumber,
      warehouse: optionalText,
      uom: optionalText,
      conversion_factor: optionalNumber,
      delivery_date: optionalText,
    }),
  ),
});

/** A Delivery Note as Frappe answers it. */
export const DeliveryNoteWire = z.looseObject({
  ...standard,
  ...sellingTotals,
  company: optionalText,
  posting_date: text,
  items: z.array(z.looseObject({ name: text, item_code: text, qty: number, rate: optionalNumber, warehouse: optionalText, against_sales_order: optionalText, so_detail: optionalText })),
});

/** A Sales Invoice as Frappe answers it. */
export const SalesInvoiceWire = z.looseObject({
  ...standard,
  ...sellingTotals,
  company: optionalText,
  posting_date: text,
  due_date: optionalText,
  debit_to: optionalText,
  outstanding_amount: optionalNumber,
  is_return: z.number().int().nullish(),
  return_against: optionalText,
  remarks: optionalText,
  items: z.array(
    z.looseObject({
      name: text,
      item_code: text,
      qty: number,
      rate: optionalNumber,
      amount: optionalNumber,
      sales_order: optionalText,
      so_detail: optionalText,
      sales_invoice_item: optionalText,
      warehouse: optionalText,
    }),
  ),
});

/** A Payment Entry as Frappe answers it. */
export const PaymentEntryWire = z.looseObject({
  ...standard,
  payment_type: text,
  posting_date: text,
  party_type: optionalText,
  party: optionalText,
  paid_from: text,
  paid_to: text,
  paid_to_account_currency: optionalText,
  paid_from_account_currency: optionalText,
  paid_amount: number,
  received_amount: optionalNumber,
  reference_no: optionalText,
  status: optionalText,
  references: z.array(z.looseObject({ reference_doctype: text, reference_name: text, allocated_amount: optionalNumber })).nullish(),
});

/** A Journal Entry as Frappe answers it. */
export const JournalEntryWire = z.looseObject({
  ...standard,
  posting_date: text,
  voucher_type: optionalText,
  user_remark: optionalText,
  total_debit: optionalNumber,
  total_credit: optionalNumber,
  accounts: z.array(
    z.looseObject({
      account: text,
      account_currency: optionalText,
      debit_in_account_currency: optionalNumber,
      credit_in_account_currency: optionalNumber,
      party_type: optionalText,
      party: optionalText,
    }),
  ),
});

/** The body of a webhook made with the recommended template `{"event": "<docevent>", "doc": {{ doc | tojson }}}`. */
export const WebhookEnvelope = z.looseObject({
  event: z.string().min(1).optional(),
  doc: z.looseObject({ doctype: z.string().min(1), name: z.string().min(1), modified: z.string().min(1) }).optional(),
  doctype: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  modified: z.string().min(1).optional(),
});
