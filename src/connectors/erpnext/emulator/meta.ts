/** Field types the emulator knows (a subset of Frappe's). */
export type FieldType = 'Data' | 'Link' | 'Dynamic Link' | 'Select' | 'Date' | 'Datetime' | 'Text' | 'Int' | 'Check' | 'Float' | 'Currency' | 'Percent' | 'Table';

/** One DocField. */
export interface FieldDef {
  fieldname: string;
  label: string;
  fieldtype: FieldType;
  /** Link target, Table child doctype, Select choices (newline-separated) or the Dynamic Link's doctype field. */
  options?: string;
  reqd?: boolean;
  default?: string | number;
  allowOnSubmit?: boolean;
  /** Marked Unique: the database refuses a second document with the same value. */
  unique?: boolean;
}

/** How a doctype names new documents. */
export type Naming =
  | { by: 'series'; series: string }
  | { by: 'field'; field: string }
  | { by: 'abbr'; field: string }
  | { by: 'customer-name' }
  | { by: 'hash' };

/** A DocType's meta. */
export interface DocTypeMeta {
  name: string;
  fields: FieldDef[];
  naming: Naming;
  isSubmittable?: boolean;
  isChild?: boolean;
  /** Writes through REST are refused (Bin is maintained by stock transactions). */
  readOnly?: boolean;
}

/** Fields every document has. */
export const standardFields = ['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx', 'doctype'];
/** Fields every child row has besides the standard ones. */
export const childFields = ['parent', 'parentfield', 'parenttype'];

const numeric = new Set<FieldType>(['Int', 'Check', 'Float', 'Currency', 'Percent']);
/** True for fields held as numbers. */
export const isNumeric = (type: FieldType) => numeric.has(type);
/** True for fields held as decimals (Float, Currency, Percent). */
export const isDecimal = (type: FieldType) => type === 'Float' || type === 'Currency' || type === 'Percent';

function titleOf(fieldname: string): string {
  return fieldname
    .split('_')
    .map((w) => (w === 'qty' ? 'Qty' : w === 'uom' ? 'UOM' : w === 'no' ? 'No' : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

function field(fieldname: string, fieldtype: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return { fieldname, label: extra.label ?? titleOf(fieldname), fieldtype, ...extra };
}
const link = (fieldname: string, target: string, extra: Partial<FieldDef> = {}) => field(fieldname, 'Link', { options: target, ...extra });
const table = (fieldname: string, child: string, extra: Partial<FieldDef> = {}) => field(fieldname, 'Table', { options: child, ...extra });
const select = (fieldname: string, choices: string[], extra: Partial<FieldDef> = {}) => field(fieldname, 'Select', { options: choices.join('\n'), ...extra });
const currency = (fieldname: string, extra: Partial<FieldDef> = {}) => field(fieldname, 'Currency', extra);
const float = (fieldname: string, extra: Partial<FieldDef> = {}) => field(fieldname, 'Float', extra);
const check = (fieldname: string, extra: Partial<FieldDef> = {}) => field(fieldname, 'Check', { default: 0, ...extra });
const data = (fieldname: string, extra: Partial<FieldDef> = {}) => field(fieldname, 'Data', extra);
const date = (fieldname: string, extra: Partial<FieldDef> = {}) => field(fieldname, 'Date', extra);

const named = (doctype: string, nameField: string, extra: FieldDef[] = []): DocTypeMeta => ({
  name: doctype,
  naming: { by: 'field', field: nameField },
  fields: [data(nameField, { reqd: true }), ...extra],
});

const sellingTotals = [
  currency('total'),
  currency('net_total'),
  currency('total_taxes_and_charges'),
  currency('grand_total'),
  currency('rounding_adjustment'),
  currency('rounded_total'),
  check('disable_rounded_total'),
  select('apply_discount_on', ['', 'Grand Total', 'Net Total'], { default: 'Grand Total' }),
  currency('discount_amount', { label: 'Additional Discount Amount' }),
  float('total_qty'),
  currency('base_grand_total'),
];

const sellingHeader = [
  link('customer', 'Customer', { reqd: true }),
  data('customer_name'),
  link('company', 'Company', { reqd: true }),
  link('currency', 'Currency'),
  float('conversion_rate', { default: 1, label: 'Exchange Rate' }),
  link('selling_price_list', 'Price List', { label: 'Price List' }),
  link('set_warehouse', 'Warehouse', { label: 'Set Source Warehouse' }),
  data('po_no', { label: "Customer's Purchase Order", allowOnSubmit: true }),
  table('taxes', 'Sales Taxes and Charges', { label: 'Sales Taxes and Charges' }),
  field('status', 'Data'),
];

const itemRow = [
  link('item_code', 'Item', { reqd: true }),
  data('item_name'),
  float('qty', { reqd: true, label: 'Quantity' }),
  currency('rate'),
  currency('amount'),
  currency('price_list_rate'),
  currency('net_rate'),
  currency('net_amount'),
  link('uom', 'UOM'),
  link('stock_uom', 'UOM'),
  float('conversion_factor', { default: 1, label: 'UOM Conversion Factor' }),
  link('warehouse', 'Warehouse'),
];

const doctypeList: DocTypeMeta[] = [
  named('Currency', 'currency_name', [check('enabled', { default: 1 }), data('symbol')]),
  named('Company', 'company_name', [
    data('abbr', { reqd: true }),
    link('default_currency', 'Currency', { reqd: true }),
    data('country'),
    link('default_receivable_account', 'Account'),
    link('default_income_account', 'Account'),
    link('default_cash_account', 'Account'),
    link('round_off_account', 'Account'),
  ]),
  {
    name: 'Warehouse',
    naming: { by: 'abbr', field: 'warehouse_name' },
    fields: [data('warehouse_name', { reqd: true }), link('company', 'Company', { reqd: true }), check('is_group'), link('parent_warehouse', 'Warehouse'), check('disabled')],
  },
  {
    name: 'Account',
    naming: { by: 'abbr', field: 'account_name' },
    fields: [
      data('account_name', { reqd: true }),
      link('company', 'Company', { reqd: true }),
      select('root_type', ['', 'Asset', 'Liability', 'Income', 'Expense', 'Equity']),
      select('account_type', ['', 'Bank', 'Cash', 'Receivable', 'Payable', 'Tax', 'Income Account', 'Expense Account', 'Chargeable', 'Round Off', 'Stock', 'Cost of Goods Sold']),
      link('account_currency', 'Currency'),
      check('is_group'),
      link('parent_account', 'Account'),
    ],
  },
  named('Price List', 'price_list_name', [link('currency', 'Currency', { reqd: true }), check('selling', { default: 1 }), check('buying'), check('enabled', { default: 1 })]),
  named('Customer Group', 'customer_group_name', [check('is_group')]),
  named('Territory', 'territory_name', [check('is_group')]),
  named('Item Group', 'item_group_name', [check('is_group')]),
  named('UOM', 'uom_name', [check('must_be_whole_number')]),
  named('Mode of Payment', 'mode_of_payment', [select('type', ['Cash', 'Bank', 'General', 'Phone'], { default: 'Cash' })]),
  {
    name: 'Customer',
    naming: { by: 'customer-name' },
    fields: [
      data('customer_name', { reqd: true }),
      select('customer_type', ['Company', 'Individual', 'Partnership'], { default: 'Company', reqd: true }),
      link('customer_group', 'Customer Group'),
      link('territory', 'Territory'),
      data('email_id', { label: 'Email Id' }),
      data('mobile_no', { label: 'Mobile No' }),
      link('default_currency', 'Currency', { label: 'Billing Currency' }),
      link('default_price_list', 'Price List'),
      check('disabled'),
    ],
  },
  {
    name: 'Item',
    naming: { by: 'field', field: 'item_code' },
    fields: [
      data('item_code', { reqd: true }),
      data('item_name'),
      link('item_group', 'Item Group', { reqd: true }),
      link('stock_uom', 'UOM', { reqd: true, label: 'Default Unit of Measure' }),
      field('description', 'Text'),
      check('is_stock_item', { default: 1, label: 'Maintain Stock' }),
      check('is_sales_item', { default: 1 }),
      check('disabled'),
      check('has_variants'),
      link('variant_of', 'Item'),
      data('brand'),
      data('image'),
      float('weight_per_unit'),
      link('weight_uom', 'UOM'),
      currency('standard_rate', { label: 'Standard Selling Rate' }),
      table('barcodes', 'Item Barcode'),
      table('attributes', 'Item Variant Attribute'),
      table('item_defaults', 'Item Default'),
    ],
  },
  { name: 'Item Barcode', isChild: true, naming: { by: 'hash' }, fields: [data('barcode', { reqd: true }), select('barcode_type', ['', 'EAN', 'UPC-A', 'UPC', 'GTIN', 'CODE-128', 'ISBN']), link('uom', 'UOM')] },
  { name: 'Item Variant Attribute', isChild: true, naming: { by: 'hash' }, fields: [data('attribute', { reqd: true }), data('attribute_value')] },
  { name: 'Item Default', isChild: true, naming: { by: 'hash' }, fields: [link('company', 'Company', { reqd: true }), link('default_warehouse', 'Warehouse'), link('default_price_list', 'Price List')] },
  {
    name: 'Item Price',
    naming: { by: 'hash' },
    fields: [
      link('item_code', 'Item', { reqd: true }),
      data('item_name'),
      link('price_list', 'Price List', { reqd: true }),
      currency('price_list_rate', { reqd: true, label: 'Rate' }),
      link('currency', 'Currency'),
      link('uom', 'UOM'),
      date('valid_from'),
      date('valid_upto'),
      check('selling'),
      check('buying'),
    ],
  },
  {
    name: 'Bin',
    naming: { by: 'hash' },
    readOnly: true,
    fields: [
      link('item_code', 'Item', { reqd: true }),
      link('warehouse', 'Warehouse', { reqd: true }),
      float('actual_qty'),
      float('reserved_qty'),
      float('ordered_qty'),
      float('indented_qty'),
      float('planned_qty'),
      float('projected_qty'),
      link('stock_uom', 'UOM'),
    ],
  },
  {
    name: 'Sales Order',
    naming: { by: 'series', series: 'SAL-ORD-.YYYY.-' },
    isSubmittable: true,
    fields: [
      data('naming_series', { default: 'SAL-ORD-.YYYY.-' }),
      select('order_type', ['', 'Sales', 'Maintenance', 'Shopping Cart'], { default: 'Sales' }),
      ...sellingHeader,
      date('transaction_date', { reqd: true, label: 'Date' }),
      date('delivery_date'),
      table('items', 'Sales Order Item', { reqd: true }),
      ...sellingTotals,
      field('per_delivered', 'Percent', { label: '% Delivered' }),
      field('per_billed', 'Percent', { label: '% Amount Billed' }),
      field('delivery_status', 'Data'),
      field('billing_status', 'Data'),
    ],
  },
  {
    name: 'Sales Order Item',
    isChild: true,
    naming: { by: 'hash' },
    fields: [...itemRow, date('delivery_date'), float('delivered_qty'), currency('billed_amt', { label: 'Billed Amount' })],
  },
  {
    name: 'Sales Taxes and Charges',
    isChild: true,
    naming: { by: 'hash' },
    fields: [
      select('charge_type', ['', 'Actual', 'On Net Total', 'On Previous Row Amount', 'On Previous Row Total', 'On Item Quantity'], { reqd: true, label: 'Type' }),
      link('account_head', 'Account', { reqd: true }),
      field('description', 'Text', { reqd: true }),
      float('rate'),
      currency('tax_amount', { label: 'Amount' }),
      currency('total'),
      check('included_in_print_rate', { label: 'Is this Tax included in Basic Rate?' }),
    ],
  },
  {
    name: 'Delivery Note',
    naming: { by: 'series', series: 'MAT-DN-.YYYY.-' },
    isSubmittable: true,
    fields: [
      data('naming_series', { default: 'MAT-DN-.YYYY.-' }),
      ...sellingHeader,
      date('posting_date', { reqd: true, label: 'Date' }),
      table('items', 'Delivery Note Item', { reqd: true }),
      ...sellingTotals,
      field('per_billed', 'Percent', { label: '% Amount Billed' }),
      check('is_return'),
    ],
  },
  {
    name: 'Delivery Note Item',
    isChild: true,
    naming: { by: 'hash' },
    fields: [...itemRow, link('against_sales_order', 'Sales Order'), data('so_detail', { label: 'Against Sales Order Item' })],
  },
  {
    name: 'Sales Invoice',
    naming: { by: 'series', series: 'ACC-SINV-.YYYY.-' },
    isSubmittable: true,
    fields: [
      data('naming_series', { default: 'ACC-SINV-.YYYY.-' }),
      ...sellingHeader,
      date('posting_date', { reqd: true, label: 'Date' }),
      date('due_date', { label: 'Payment Due Date' }),
      link('debit_to', 'Account'),
      check('is_pos', { label: 'Include Payment (POS)' }),
      check('update_stock'),
      check('is_return', { label: 'Is Return (Credit Note)' }),
      link('return_against', 'Sales Invoice', { label: 'Return Against' }),
      check('update_outstanding_for_self', { default: 1, label: 'Update Outstanding for Self' }),
      check('update_billed_amount_in_sales_order', { label: 'Update Billed Amount in Sales Order' }),
      field('remarks', 'Text', { label: 'Remarks' }),
      table('items', 'Sales Invoice Item', { reqd: true }),
      ...sellingTotals,
      currency('outstanding_amount'),
    ],
  },
  {
    name: 'Sales Invoice Item',
    isChild: true,
    naming: { by: 'hash' },
    fields: [
      ...itemRow,
      link('income_account', 'Account'),
      link('sales_order', 'Sales Order'),
      data('so_detail', { label: 'Sales Order Item' }),
      link('delivery_note', 'Delivery Note'),
      data('dn_detail', { label: 'Delivery Note Item' }),
      data('sales_invoice_item', { label: 'Sales Invoice Item' }),
    ],
  },
  {
    name: 'Payment Entry',
    naming: { by: 'series', series: 'ACC-PAY-.YYYY.-' },
    isSubmittable: true,
    fields: [
      data('naming_series', { default: 'ACC-PAY-.YYYY.-' }),
      select('payment_type', ['Receive', 'Pay', 'Internal Transfer'], { reqd: true }),
      date('posting_date', { reqd: true }),
      link('company', 'Company', { reqd: true }),
      link('mode_of_payment', 'Mode of Payment'),
      select('party_type', ['', 'Customer', 'Supplier', 'Employee', 'Shareholder']),
      field('party', 'Dynamic Link', { options: 'party_type' }),
      data('party_name'),
      link('paid_from', 'Account', { reqd: true, label: 'Account Paid From' }),
      link('paid_from_account_currency', 'Currency'),
      link('paid_to', 'Account', { reqd: true, label: 'Account Paid To' }),
      link('paid_to_account_currency', 'Currency'),
      currency('paid_amount', { reqd: true }),
      currency('received_amount', { reqd: true }),
      float('source_exchange_rate', { reqd: true, default: 1, label: 'Exchange Rate' }),
      float('target_exchange_rate', { reqd: true, default: 1, label: 'Exchange Rate' }),
      data('reference_no', { label: 'Cheque/Reference No' }),
      date('reference_date', { label: 'Cheque/Reference Date' }),
      table('references', 'Payment Entry Reference', { label: 'Payment References' }),
      currency('total_allocated_amount'),
      currency('unallocated_amount'),
      currency('difference_amount'),
      field('status', 'Data'),
    ],
  },
  {
    name: 'Payment Entry Reference',
    isChild: true,
    naming: { by: 'hash' },
    fields: [
      select('reference_doctype', ['Sales Invoice', 'Sales Order', 'Journal Entry'], { reqd: true, label: 'Type' }),
      field('reference_name', 'Dynamic Link', { options: 'reference_doctype', reqd: true, label: 'Name' }),
      date('due_date'),
      currency('total_amount', { label: 'Grand Total' }),
      currency('outstanding_amount', { label: 'Outstanding' }),
      currency('allocated_amount', { label: 'Allocated' }),
    ],
  },
  {
    name: 'Journal Entry',
    naming: { by: 'series', series: 'ACC-JV-.YYYY.-' },
    isSubmittable: true,
    fields: [
      data('naming_series', { default: 'ACC-JV-.YYYY.-' }),
      data('title'),
      select('voucher_type', ['Journal Entry', 'Bank Entry', 'Cash Entry', 'Credit Card Entry', 'Debit Note', 'Credit Note', 'Write Off Entry', 'Exchange Rate Revaluation'], { default: 'Journal Entry', reqd: true, label: 'Entry Type' }),
      date('posting_date', { reqd: true }),
      link('company', 'Company', { reqd: true }),
      table('accounts', 'Journal Entry Account', { reqd: true, label: 'Accounting Entries' }),
      field('user_remark', 'Text', { allowOnSubmit: true }),
      data('cheque_no', { label: 'Reference Number' }),
      date('cheque_date', { label: 'Reference Date' }),
      check('multi_currency'),
      currency('total_debit'),
      currency('total_credit'),
      currency('difference', { label: 'Difference (Dr - Cr)' }),
    ],
  },
  {
    name: 'Journal Entry Account',
    isChild: true,
    naming: { by: 'hash' },
    fields: [
      link('account', 'Account', { reqd: true }),
      link('account_currency', 'Currency'),
      float('exchange_rate', { default: 1 }),
      currency('debit_in_account_currency', { label: 'Debit' }),
      currency('credit_in_account_currency', { label: 'Credit' }),
      currency('debit', { label: 'Debit in Company Currency' }),
      currency('credit', { label: 'Credit in Company Currency' }),
      select('party_type', ['', 'Customer', 'Supplier', 'Employee']),
      field('party', 'Dynamic Link', { options: 'party_type' }),
      data('reference_type'),
      data('reference_name'),
      field('user_remark', 'Text'),
    ],
  },
];

/** Doctypes the hub writes, which carry the reference custom field. */
export const referenceDoctypes = ['Customer', 'Item', 'Item Price', 'Sales Order', 'Delivery Note', 'Sales Invoice', 'Payment Entry', 'Journal Entry'];

/** The emulator's doctypes; the reference custom field (when configured, Unique or not) is appended to the hub's doctypes, `amended_from` to submittable ones. */
export function buildMeta(referenceField: string | null, uniqueReference = false): Map<string, DocTypeMeta> {
  const metas = new Map<string, DocTypeMeta>();
  for (const meta of doctypeList) {
    const custom = referenceField ? data(referenceField, { label: 'Tillbridge Reference', ...(uniqueReference ? { unique: true } : {}) }) : undefined;
    const withCustom = custom && referenceDoctypes.includes(meta.name) ? [...meta.fields, custom] : meta.fields;
    // Frappe gives every submittable doctype `amended_from` (the cancelled document an amendment replaces).
    const withAmended = meta.isSubmittable ? [...withCustom, link('amended_from', meta.name, { label: 'Amended From' })] : withCustom;
    metas.set(meta.name, { ...meta, fields: withAmended });
  }
  return metas;
}

/** A field of a doctype by name. */
export function fieldOf(meta: DocTypeMeta, fieldname: string): FieldDef | undefined {
  return meta.fields.find((f) => f.fieldname === fieldname);
}
