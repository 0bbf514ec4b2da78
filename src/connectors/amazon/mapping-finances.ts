import type { SettlementLine } from '../../model/index.js';
import { AmazonNode } from './finances-node.js';
import { amazonFinancesPayload } from './mapping-event-group.js';

type LineKind = SettlementLine['kind'];

/** How fees appear: on their own `fee` lines (default; gross 0, fee, net −fee) or inline as the line's `fee`. */
export type AmazonFeeLines = 'separate' | 'inline';

/** Options of the Amazon financial events mapping. */
export interface AmazonFinancesOptions {
  fees?: AmazonFeeLines;
}

/** Settlement lines read from a `FinancialEvents` object, and the pointers of the event lists this mapping does not know. */
export interface AmazonSettlementLines {
  lines: SettlementLine[];
  /** JSON pointers of non-empty event lists left unmapped (reported, never silently dropped). */
  unmapped: string[];
}

/** Where an amount goes: Amazon signs from the seller's side (charges +, fees −), so a fee is booked as −amount. */
type Role = 'gross' | 'fee' | 'withheld';

/** Sums of one unit of an event (an item, the order level, a whole event), in one currency. */
class Amounts {
  currency: string | undefined;
  readonly totals: Record<Role, number> = { gross: 0, fee: 0, withheld: 0 };
  readonly seen: Record<Role, boolean> = { gross: false, fee: false, withheld: false };

  /** Adds the Currency object at `node` to `role`; a second currency in one unit is an error naming its path. */
  add(node: AmazonNode, role: Role): void {
    const money = node.optionalMoney();
    if (money === undefined) return;
    if (this.currency !== undefined && money.currency !== this.currency) node.at('CurrencyCode').fail(`is ${money.currency}, but this event is in ${this.currency}`);
    this.currency = money.currency;
    this.totals[role] += role === 'fee' ? -money.amount : money.amount;
    this.seen[role] = true;
  }

  /** Adds each element's Currency object at `key` (e.g. ChargeAmount of a ChargeComponent list). */
  addList(list: AmazonNode, key: string, role: Role): void {
    for (const element of list.list()) this.add(element.object().at(key), role);
  }

  /** Adds the taxes of a TaxWithheldComponent list (`[{TaxCollectionModel, TaxesWithheld: [ChargeComponent]}]`). */
  addWithheld(list: AmazonNode): void {
    for (const element of list.list()) this.addList(element.object().at('TaxesWithheld'), 'ChargeAmount', 'withheld');
  }

  get empty(): boolean {
    return !this.seen.gross && !this.seen.fee && !this.seen.withheld;
  }
}

/** Identity of a unit: `id` must be stable across re-reads of the same event (Amazon events carry no id). */
interface Unit {
  id: string;
  kind: LineKind;
  reference: string;
  orderReference: string | undefined;
}

function linesOf(unit: Unit, amounts: Amounts, fees: AmazonFeeLines): SettlementLine[] {
  const currency = amounts.currency;
  if (currency === undefined) return [];
  const { gross, fee, withheld } = amounts.totals;
  const common = { reference: unit.reference, ...(unit.orderReference === undefined ? {} : { orderReference: unit.orderReference }), currency };
  const lines: SettlementLine[] = [];
  const inline = fees === 'inline' || !amounts.seen.gross;
  if (amounts.seen.gross || (amounts.seen.fee && inline)) {
    const lineFee = inline ? fee : 0;
    lines.push({ id: unit.id, kind: amounts.seen.gross ? unit.kind : 'fee', ...common, gross, fee: lineFee, net: gross - lineFee });
  }
  if (amounts.seen.fee && !inline) lines.push({ id: `${unit.id}:fee`, kind: 'fee', ...common, gross: 0, fee, net: -fee });
  if (amounts.seen.withheld) lines.push({ id: `${unit.id}:withheld-tax`, kind: 'adjustment', ...common, gross: withheld, fee: 0, net: withheld });
  return lines;
}

/** Event lists shaped like ShipmentEvent (order-level and item-level charges, fees, promotions, withheld tax). */
const shipmentLists: Readonly<Record<string, { kind: LineKind; prefix: string }>> = {
  ShipmentEventList: { kind: 'charge', prefix: 'shipment' },
  ShipmentSettleEventList: { kind: 'charge', prefix: 'shipment-settle' },
  RefundEventList: { kind: 'refund', prefix: 'refund' },
  GuaranteeClaimEventList: { kind: 'chargeback', prefix: 'guarantee-claim' },
  ChargebackEventList: { kind: 'chargeback', prefix: 'chargeback' },
};

/** Other event lists: which fields hold money, in which role, and which fields identify the event. */
interface FlatSpec {
  kind: LineKind;
  prefix: string;
  money?: Readonly<Record<string, Role>>;
  charges?: readonly string[];
  fees?: readonly string[];
  withheld?: readonly string[];
  idFields: readonly string[];
}

const flatLists: Readonly<Record<string, FlatSpec>> = {
  ServiceFeeEventList: { kind: 'fee', prefix: 'service-fee', fees: ['FeeList'], idFields: ['FeeReason', 'FeeDescription', 'SellerSKU', 'FnSKU', 'ASIN'] },
  ImagingServicesFeeEventList: { kind: 'fee', prefix: 'imaging-fee', fees: ['FeeList'], idFields: ['ImagingRequestBillingItemID', 'ASIN'] },
  TrialShipmentEventList: { kind: 'fee', prefix: 'trial-shipment', fees: ['FeeList'], idFields: ['SKU', 'FinancialEventGroupId'] },
  PayWithAmazonEventList: { kind: 'charge', prefix: 'pay-with-amazon', money: { Charge: 'gross' }, fees: ['FeeList'], idFields: ['BusinessObjectType', 'PaymentAmountType', 'StoreName'] },
  RentalTransactionEventList: { kind: 'charge', prefix: 'rental', charges: ['RentalChargeList'], fees: ['RentalFeeList'], withheld: ['RentalTaxWithheldList'], idFields: ['RentalEventType', 'ExtensionLength'] },
  RetrochargeEventList: { kind: 'adjustment', prefix: 'retrocharge', money: { BaseTax: 'gross', ShippingTax: 'gross' }, withheld: ['RetrochargeTaxWithheldList'], idFields: ['RetrochargeEventType'] },
  ProductAdsPaymentEventList: { kind: 'fee', prefix: 'product-ads', money: { transactionValue: 'fee' }, idFields: ['invoiceId', 'transactionType'] },
  ServiceProviderCreditEventList: { kind: 'adjustment', prefix: 'provider-credit', money: { TransactionAmount: 'gross' }, idFields: ['ProviderTransactionType', 'ProviderId', 'SellerId'] },
  SolutionProviderCreditEventList: { kind: 'adjustment', prefix: 'solution-provider-credit', money: { TransactionAmount: 'gross' }, idFields: ['ProviderTransactionType', 'ProviderId', 'SellerId'] },
  AffordabilityExpenseEventList: { kind: 'fee', prefix: 'affordability-expense', money: { TotalExpense: 'fee' }, idFields: ['TransactionType'] },
  AffordabilityExpenseReversalEventList: { kind: 'fee', prefix: 'affordability-expense-reversal', money: { TotalExpense: 'fee' }, idFields: ['TransactionType'] },
  NetworkComminglingTransactionEventList: { kind: 'adjustment', prefix: 'netco', money: { TaxExclusiveAmount: 'gross', TaxAmount: 'gross' }, idFields: ['NetCoTransactionID', 'TransactionType'] },
  TaxWithholdingEventList: { kind: 'adjustment', prefix: 'tax-withholding', money: { WithheldAmount: 'withheld' }, idFields: [] },
  CouponPaymentEventList: { kind: 'fee', prefix: 'coupon', money: { ChargeComponent: 'gross', FeeComponent: 'fee' }, idFields: ['CouponId', 'SellerCouponDescription'] },
  SellerReviewEnrollmentPaymentEventList: { kind: 'fee', prefix: 'review-enrollment', money: { ChargeComponent: 'gross', FeeComponent: 'fee' }, idFields: ['EnrollmentId', 'ParentASIN'] },
  SAFETReimbursementEventList: { kind: 'adjustment', prefix: 'safet', money: { ReimbursedAmount: 'gross' }, idFields: ['SAFETClaimId', 'ReasonCode'] },
  TDSReimbursementEventList: { kind: 'adjustment', prefix: 'tds', money: { ReimbursedAmount: 'gross' }, idFields: ['TDSOrderId'] },
  DebtRecoveryEventList: { kind: 'adjustment', prefix: 'debt-recovery', money: { RecoveryAmount: 'gross' }, idFields: ['DebtRecoveryType'] },
  LoanServicingEventList: { kind: 'adjustment', prefix: 'loan', money: { LoanAmount: 'gross' }, idFields: ['SourceBusinessEventType'] },
  AdhocDisbursementEventList: { kind: 'adjustment', prefix: 'adhoc-disbursement', money: { TransactionAmount: 'gross' }, idFields: ['TransactionId', 'TransactionType'] },
  FailedAdhocDisbursementEventList: { kind: 'adjustment', prefix: 'failed-disbursement', money: { TransferAmount: 'gross' }, idFields: ['DisbursementId', 'TransferId'] },
  ValueAddedServiceChargeEventList: { kind: 'fee', prefix: 'value-added-service', money: { TransactionAmount: 'fee' }, idFields: ['TransactionType', 'Description'] },
  CapacityReservationBillingEventList: { kind: 'fee', prefix: 'capacity-reservation', money: { TransactionAmount: 'fee' }, idFields: ['TransactionType', 'Description'] },
  FBALiquidationEventList: { kind: 'charge', prefix: 'fba-liquidation', money: { LiquidationProceedsAmount: 'gross', LiquidationFeeAmount: 'fee' }, idFields: ['OriginalRemovalOrderId'] },
};

/** Fields that name the event's order (Amazon's, else the seller's). */
function orderOf(event: AmazonNode): string | undefined {
  return event.at('AmazonOrderId').optionalText() ?? event.at('SellerOrderId').optionalText();
}

function postedOf(event: AmazonNode): string | undefined {
  return (event.at('PostedDate').present ? event.at('PostedDate') : event.at('postedDate').present ? event.at('postedDate') : event.at('TransactionPostedDate')).optionalTimestamp();
}

function unitId(...parts: (string | number | undefined)[]): string {
  return parts.map((part) => (part === undefined || part === '' ? '-' : String(part))).join(':');
}

function shipmentEventLines(event: AmazonNode, spec: { kind: LineKind; prefix: string }, fees: AmazonFeeLines): SettlementLine[] {
  event.object();
  const order = orderOf(event);
  const posted = postedOf(event);
  const orderLevel = new Amounts();
  orderLevel.addList(event.at('OrderChargeList'), 'ChargeAmount', 'gross');
  orderLevel.addList(event.at('OrderChargeAdjustmentList'), 'ChargeAmount', 'gross');
  orderLevel.addList(event.at('DirectPaymentList'), 'DirectPaymentAmount', 'gross');
  for (const key of ['ShipmentFeeList', 'ShipmentFeeAdjustmentList', 'OrderFeeList', 'OrderFeeAdjustmentList']) orderLevel.addList(event.at(key), 'FeeAmount', 'fee');
  const lines = linesOf({ id: unitId(spec.prefix, order, 'order', posted), kind: spec.kind, reference: order ?? unitId(spec.prefix, posted), orderReference: order }, orderLevel, fees);
  for (const key of ['ShipmentItemList', 'ShipmentItemAdjustmentList']) {
    for (const item of event.at(key).list()) {
      item.object();
      const amounts = new Amounts();
      amounts.addList(item.at('ItemChargeList'), 'ChargeAmount', 'gross');
      amounts.addList(item.at('ItemChargeAdjustmentList'), 'ChargeAmount', 'gross');
      amounts.addList(item.at('PromotionList'), 'PromotionAmount', 'gross');
      amounts.addList(item.at('PromotionAdjustmentList'), 'PromotionAmount', 'gross');
      amounts.addList(item.at('ItemFeeList'), 'FeeAmount', 'fee');
      amounts.addList(item.at('ItemFeeAdjustmentList'), 'FeeAmount', 'fee');
      amounts.addWithheld(item.at('ItemTaxWithheldList'));
      const itemId = item.at('OrderAdjustmentItemId').optionalText() ?? item.at('OrderItemId').optionalText() ?? item.at('SellerSKU').optionalText();
      lines.push(...linesOf({ id: unitId(spec.prefix, order, itemId, posted), kind: spec.kind, reference: itemId ?? order ?? unitId(spec.prefix, posted), orderReference: order }, amounts, fees));
    }
  }
  return lines;
}

function flatEventLines(event: AmazonNode, spec: FlatSpec, fees: AmazonFeeLines): SettlementLine[] {
  event.object();
  const amounts = new Amounts();
  for (const [field, role] of Object.entries(spec.money ?? {})) {
    const node = event.at(field);
    const component = node.present ? (['ChargeAmount', 'FeeAmount'].find((key) => node.object().at(key).present) ?? '') : '';
    amounts.add(component === '' ? node : node.at(component), role);
  }
  for (const key of spec.charges ?? []) amounts.addList(event.at(key), 'ChargeAmount', 'gross');
  for (const key of spec.fees ?? []) amounts.addList(event.at(key), 'FeeAmount', 'fee');
  for (const key of spec.withheld ?? []) amounts.addWithheld(event.at(key));
  if (amounts.empty) return [];
  const order = orderOf(event);
  const keys = spec.idFields.map((field) => {
    const value = event.at(field).value;
    return typeof value === 'string' || typeof value === 'number' ? value : undefined;
  });
  const id = unitId(spec.prefix, order, ...keys, postedOf(event));
  return linesOf({ id, kind: spec.kind, reference: keys.find((key) => key !== undefined)?.toString() ?? order ?? id, orderReference: order }, amounts, fees);
}

/** Makes line ids unique within one batch (identical events get `#2`, `#3`…, in payload order). */
function uniqueIds(lines: SettlementLine[]): SettlementLine[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const count = (seen.get(line.id) ?? 0) + 1;
    seen.set(line.id, count);
    return count === 1 ? line : { ...line, id: `${line.id}#${count}` };
  });
}

/**
 * SP-API Finances v0 `FinancialEvents` (or a response body `{"payload": {"FinancialEvents": …}}`) as
 * settlement lines, linked to AmazonOrderId: shipments → charge, refunds → refund, chargebacks and
 * A-to-z guarantee claims → chargeback, per item (Σ item charges and promotions; fees on their own
 * `fee` lines unless `fees: 'inline'`; marketplace-withheld tax as an `adjustment` line) and per order
 * (order charges, direct payments, order and shipment fees); service, imaging and other fee events →
 * fee; adjustment events → adjustment; the other known lists by their money fields. Amazon's signs are
 * kept (a refund's principal is negative, a fee reduces net). Malformed input throws
 * 'invalid_payload' naming the path; unknown non-empty lists are returned in `unmapped`.
 */
export function amazonFinancialEventsToLines(value: unknown, options: AmazonFinancesOptions = {}): AmazonSettlementLines {
  const fees = options.fees ?? 'separate';
  let root = new AmazonNode(value).object();
  if (root.at('payload').present) root = root.at('payload').object();
  if (root.at('FinancialEvents').present) root = root.at('FinancialEvents').object();
  const lines: SettlementLine[] = [];
  const unmapped: string[] = [];
  for (const list of root.keys()) {
    const events = root.at(list).list();
    const shipment = shipmentLists[list];
    const flat = flatLists[list];
    for (const event of events) {
      if (shipment) lines.push(...shipmentEventLines(event, shipment, fees));
      else if (flat) lines.push(...flatEventLines(event, flat, fees));
      else if (list === 'AdjustmentEventList') lines.push(...adjustmentEventLines(event, fees));
    }
    if (!shipment && !flat && list !== 'AdjustmentEventList' && events.length > 0) unmapped.push(root.at(list).path);
  }
  return { lines: uniqueIds(lines), unmapped };
}

/** An AdjustmentEvent: AdjustmentAmount (else Σ AdjustmentItemList TotalAmount) as one `adjustment` line. */
function adjustmentEventLines(event: AmazonNode, fees: AmazonFeeLines): SettlementLine[] {
  event.object();
  const amounts = new Amounts();
  if (event.at('AdjustmentAmount').present) amounts.add(event.at('AdjustmentAmount'), 'gross');
  else for (const item of event.at('AdjustmentItemList').list()) amounts.add(item.object().at('TotalAmount'), 'gross');
  const type = event.at('AdjustmentType').optionalText();
  const id = unitId('adjustment', type, postedOf(event));
  return linesOf({ id, kind: 'adjustment', reference: type ?? id, orderReference: undefined }, amounts, fees);
}

/** A page of `listFinancialEvents*`: its settlement lines, unmapped lists and the next page's token. */
export interface AmazonFinancialEventsPage extends AmazonSettlementLines {
  nextToken?: string;
}

/** A `listFinancialEvents`/`ByGroupId`/`ByOrderId` response body as settlement lines (errors bodies throw, see {@link amazonFinancesPayload}). */
export function amazonFinancialEventsPage(body: unknown, options: AmazonFinancesOptions = {}): AmazonFinancialEventsPage {
  const payload = amazonFinancesPayload(body);
  const nextToken = payload.at('NextToken').optionalText();
  const events = payload.at('FinancialEvents');
  const result = events.present ? amazonFinancialEventsToLines(events.object().value, options) : { lines: [], unmapped: [] };
  return { ...result, unmapped: result.unmapped.map((pointer) => `/payload/FinancialEvents${pointer}`), ...(nextToken === undefined ? {} : { nextToken }) };
}
