import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isTillbridgeError, Payout, SettlementLine, validatePayout } from '../../model/index.js';
import { corpusUrl } from '../../testing/index.js';
import { InboundEvent } from '../framework/index.js';
import { amazonEventGroupToPayout, amazonFinancialEventGroup, amazonFinancialEventGroupsPage, amazonPayoutStatus } from './mapping-event-group.js';
import { amazonFinancialEventsPage, amazonFinancialEventsToLines } from './mapping-finances.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into vendor JSON freely
type Json = any;

const corpus: Record<string, { status: string; response: Json }[]> = JSON.parse(readFileSync(corpusUrl('amazon/financesV0-sandbox-examples.json'), 'utf8'));
const eventOperations = ['listFinancialEventsByGroupId', 'listFinancialEventsByOrderId', 'listFinancialEvents'];

function failure(run: () => unknown): { code: string; message: string; details: unknown; retryable: boolean } {
  try {
    run();
  } catch (err) {
    if (isTillbridgeError(err)) return { code: err.code, message: err.message, details: err.details, retryable: err.retryable };
    throw err;
  }
  throw new Error('expected a failure');
}

/** Fields of the SP-API models that restate or detail other amounts, so are not part of what the seller is paid. */
const informational = new Set(['CostOfPointsGranted', 'CostOfPointsReturned', 'BaseAmount', 'RentalInitialValue', 'RentalReimbursement', 'baseValue', 'taxValue', 'BaseExpense', 'TaxTypeCGST', 'TaxTypeSGST', 'TaxTypeIGST']);

/** Σ of every Currency object in `value` (in cents, via string arithmetic on the two-decimal samples), skipping informational fields. */
function signedCents(value: Json, key = ''): number {
  if (Array.isArray(value)) return value.reduce((sum: number, element: Json) => sum + signedCents(element), 0);
  if (typeof value !== 'object' || value === null || informational.has(key)) return 0;
  if ('CurrencyAmount' in value) {
    const [whole = '0', fraction = ''] = String(value.CurrencyAmount).replace('-', '').split('.');
    const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
    return String(value.CurrencyAmount).startsWith('-') ? -cents : cents;
  }
  return Object.entries(value).reduce((sum: number, [child, element]) => sum + signedCents(element, child), 0);
}

const netOf = (lines: readonly SettlementLine[]) => lines.reduce((sum, line) => sum + line.net, 0);

describe('Amazon financial event groups', () => {
  it('maps the corpus group exactly and as a canonical payout', () => {
    const page = amazonFinancialEventGroupsPage(corpus.listFinancialEventGroups![0]!.response);
    expect(page.nextToken).toBe('3493805734095308457308475');
    expect(page.groups).toEqual([
      {
        id: '1',
        processingStatus: 'PROCESSED',
        fundTransferStatus: 'TRANSFERED',
        originalTotal: { amount: 1034, currency: 'USD' },
        convertedTotal: { amount: 3943, currency: 'USD' },
        beginningBalance: { amount: 5533, currency: 'USD' },
        fundTransferDate: '2020-02-07T14:38:42.128Z',
        start: '2020-02-07T14:38:42.128Z',
        end: '2020-02-07T14:38:42.128Z',
        traceId: '34550454504545',
        accountTail: '4854564857',
      },
    ]);
    const payout = amazonEventGroupToPayout(corpus.listFinancialEventGroups![0]!.response.payload.FinancialEventGroupList[0]);
    expect(payout).toEqual({ id: '1', provider: 'amazon', reference: '1', currency: 'USD', amount: 1034, status: 'paid', arrivalDate: '2020-02-07', lines: [] });
    expect(InboundEvent.parse({ kind: 'payout', payout })).toEqual({ kind: 'payout', payout });
  });

  it('turns every error example of the corpus into a permanent error with Amazon’s code', () => {
    const errors = Object.values(corpus).flat().filter((example) => example.status !== '200');
    expect(errors).toHaveLength(4);
    for (const example of errors) {
      const error = failure(() => (example.response.payload ? undefined : amazonFinancialEventsPage(example.response)));
      expect(error).toMatchObject({ code: 'amazon_request_rejected', retryable: false });
      expect(error.message).toMatch(/^Amazon Finances rejected the request: InvalidInput: /);
    }
    expect(failure(() => amazonFinancialEventGroupsPage(corpus.listFinancialEventGroups![1]!.response)).message).toBe('Amazon Finances rejected the request: InvalidInput: Date range is invalid.');
  });

  it('maps statuses: open → pending, transfer succeeded → paid, failed, processing → in_transit', () => {
    expect(amazonPayoutStatus({ processingStatus: 'Open', fundTransferStatus: 'Succeeded' })).toBe('pending');
    expect(amazonPayoutStatus({ processingStatus: 'Closed', fundTransferStatus: 'Succeeded' })).toBe('paid');
    expect(amazonPayoutStatus({ processingStatus: 'Closed', fundTransferStatus: 'Failed' })).toBe('failed');
    expect(amazonPayoutStatus({ processingStatus: 'Closed', fundTransferStatus: 'Processing' })).toBe('in_transit');
    expect(amazonPayoutStatus({ processingStatus: 'Closed' })).toBe('pending');
  });

  it('names the path of malformed group fields', () => {
    const group = corpus.listFinancialEventGroups![0]!.response.payload.FinancialEventGroupList[0];
    expect(failure(() => amazonEventGroupToPayout({ ...group, FinancialEventGroupId: undefined })).details).toEqual({ pointer: '/FinancialEventGroupId' });
    expect(failure(() => amazonEventGroupToPayout({ ...group, OriginalTotal: { CurrencyCode: 'USD', CurrencyAmount: '10,34' } })).message).toBe('Amazon /OriginalTotal/CurrencyAmount must be a decimal number, got "10,34"');
    expect(failure(() => amazonFinancialEventGroupsPage({ payload: { FinancialEventGroupList: [{ ...group, OriginalTotal: { CurrencyCode: 'XXY', CurrencyAmount: 1 } }] } })).message).toBe(
      'Amazon /payload/FinancialEventGroupList/0/OriginalTotal/CurrencyCode is not an ISO 4217 currency code: "XXY"',
    );
    expect(failure(() => amazonEventGroupToPayout({ ...group, FundTransferDate: '07/02/2020' })).details).toEqual({ pointer: '/FundTransferDate' });
  });
});

describe('Amazon financial events → settlement lines', () => {
  it('parses every 200 example of the corpus, leaves nothing unmapped, and nets what the events add up to', () => {
    const examples = eventOperations.flatMap((operation) => corpus[operation]!.filter((example) => example.status === '200'));
    expect(examples).toHaveLength(3);
    for (const example of examples) {
      const page = amazonFinancialEventsPage(example.response);
      expect(page.unmapped).toEqual([]);
      expect(page.nextToken).toBe('Next token value');
      expect(page.lines.length).toBeGreaterThan(0);
      for (const line of page.lines) expect(SettlementLine.parse(line)).toEqual(line);
      expect(new Set(page.lines.map((line) => line.id)).size).toBe(page.lines.length);
      expect(netOf(page.lines)).toBe(signedCents(example.response.payload.FinancialEvents));
      const inline = amazonFinancialEventsPage(example.response, { fees: 'inline' });
      expect(netOf(inline.lines)).toBe(netOf(page.lines));
    }
  });

  it('maps the corpus chargeback event per order and per item, linked to the AmazonOrderId', () => {
    const { lines } = amazonFinancialEventsToLines(corpus.listFinancialEventsByGroupId![0]!.response);
    const order = '444-555-3343433';
    const posted = '2020-02-05T13:56:00.363Z';
    const chargeback = lines.filter((line) => line.id.startsWith('chargeback:'));
    expect(chargeback.map((line) => [line.id, line.kind, line.reference, line.orderReference, line.gross, line.fee, line.net])).toEqual([
      [`chargeback:${order}:order:${posted}`, 'chargeback', order, order, 7611, 0, 7611],
      [`chargeback:${order}:order:${posted}:fee`, 'fee', order, order, 0, -10148, 10148],
      [`chargeback:${order}:456456465464:${posted}`, 'chargeback', '456456465464', order, 10148, 0, 10148],
      [`chargeback:${order}:456456465464:${posted}:fee`, 'fee', '456456465464', order, 0, -5074, 5074],
      [`chargeback:${order}:456456465464:${posted}:withheld-tax`, 'adjustment', '456456465464', order, 2537, 0, 2537],
      [`chargeback:${order}:456456465464:${posted}#2`, 'chargeback', '456456465464', order, 10148, 0, 10148],
      [`chargeback:${order}:456456465464:${posted}:fee#2`, 'fee', '456456465464', order, 0, -5074, 5074],
      [`chargeback:${order}:456456465464:${posted}:withheld-tax#2`, 'adjustment', '456456465464', order, 2537, 0, 2537],
    ]);
    expect(lines.filter((line) => !line.id.startsWith('chargeback:')).map((line) => [line.kind, line.orderReference, line.net])).toEqual([
      ['fee', undefined, 2537],
      ['adjustment', undefined, 5074],
      ['fee', order, 2537],
      ['fee', order, 2537],
      ['adjustment', undefined, 2537],
    ]);
  });

  it('links service fees and Pay with Amazon events to their orders', () => {
    const byOrder = amazonFinancialEventsToLines(corpus.listFinancialEventsByOrderId![0]!.response).lines;
    expect(byOrder.find((line) => line.id.startsWith('service-fee:'))).toMatchObject({ kind: 'fee', orderReference: '444-555-3343433', gross: 0, fee: -2537, net: 2537 });
    const events = amazonFinancialEventsToLines(corpus.listFinancialEvents![0]!.response).lines;
    expect(events.filter((line) => line.id.startsWith('pay-with-amazon:')).map((line) => [line.kind, line.orderReference, line.gross, line.fee])).toEqual([
      ['charge', '454645645656456', 2537, 0],
      ['fee', '454645645656456', 0, -2537],
    ]);
  });

  it('reconciles a hand-made settlement: a sale with fees and withheld tax, a refund, a service fee, an adjustment', () => {
    const usd = (amount: string) => ({ CurrencyCode: 'USD', CurrencyAmount: Number(amount) });
    const charge = (type: string, amount: string) => ({ ChargeType: type, ChargeAmount: usd(amount) });
    const fee = (type: string, amount: string) => ({ FeeType: type, FeeAmount: usd(amount) });
    const events = {
      ShipmentEventList: [
        {
          AmazonOrderId: '111-2222222-3333333',
          PostedDate: '2024-03-01T10:00:00Z',
          ShipmentItemList: [
            {
              SellerSKU: 'TSHIRT-M',
              OrderItemId: '50001',
              ItemChargeList: [charge('Principal', '20.00'), charge('Tax', '1.60'), charge('ShippingCharge', '3.99')],
              ItemFeeList: [fee('Commission', '-3.00'), fee('FBAPerUnitFulfillmentFee', '-3.22')],
              ItemTaxWithheldList: [{ TaxCollectionModel: 'MarketplaceFacilitator', TaxesWithheld: [charge('MarketplaceFacilitator-Tax-Principal', '-1.60')] }],
              PromotionList: [{ PromotionType: 'PromotionMetaDataDefinitionValue', PromotionId: 'P1', PromotionAmount: usd('-1.00') }],
            },
          ],
        },
      ],
      RefundEventList: [
        {
          AmazonOrderId: '111-2222222-3333333',
          PostedDate: '2024-03-04T10:00:00Z',
          ShipmentItemAdjustmentList: [
            { SellerSKU: 'TSHIRT-M', OrderAdjustmentItemId: '70001', ItemChargeAdjustmentList: [charge('Principal', '-20.00')], ItemFeeAdjustmentList: [fee('Commission', '2.40'), fee('RefundCommission', '-0.60')] },
          ],
        },
      ],
      ServiceFeeEventList: [{ FeeReason: 'Subscription', FeeList: [fee('Subscription', '-39.99')] }],
      AdjustmentEventList: [{ AdjustmentType: 'ReserveDebit', PostedDate: '2024-03-05T00:00:00Z', AdjustmentAmount: usd('-5.00') }],
      DebtRecoveryEventList: [],
    };
    const { lines, unmapped } = amazonFinancialEventsToLines({ payload: { FinancialEvents: events } });
    expect(unmapped).toEqual([]);
    // 20 + 1.60 + 3.99 − 1.00 − 3.00 − 3.22 − 1.60 − 20 + 2.40 − 0.60 − 39.99 − 5.00 = −46.42
    const group = { FinancialEventGroupId: 'G-1', ProcessingStatus: 'Closed', FundTransferStatus: 'Succeeded', OriginalTotal: usd('-46.42'), FundTransferDate: '2024-03-06T23:30:00-05:00' };
    const payout = amazonEventGroupToPayout(group, lines);
    expect(payout).toMatchObject({ amount: -4642, status: 'paid', arrivalDate: '2024-03-07' });
    expect(Payout.parse(payout)).toEqual(payout);
    expect(validatePayout(payout)).toEqual([]);
    expect(lines.map((line) => [line.kind, line.reference, line.orderReference, line.gross, line.fee, line.net])).toEqual([
      ['charge', '50001', '111-2222222-3333333', 2459, 0, 2459],
      ['fee', '50001', '111-2222222-3333333', 0, 622, -622],
      ['adjustment', '50001', '111-2222222-3333333', -160, 0, -160],
      ['refund', '70001', '111-2222222-3333333', -2000, 0, -2000],
      ['fee', '70001', '111-2222222-3333333', 0, -180, 180],
      ['fee', 'Subscription', undefined, 0, 3999, -3999],
      ['adjustment', 'ReserveDebit', undefined, -500, 0, -500],
    ]);
    const inline = amazonFinancialEventsToLines(events, { fees: 'inline' }).lines;
    expect(inline.map((line) => [line.kind, line.gross, line.fee, line.net])).toEqual([
      ['charge', 2459, 622, 1837],
      ['adjustment', -160, 0, -160],
      ['refund', -2000, -180, -1820],
      ['fee', 0, 3999, -3999],
      ['adjustment', -500, 0, -500],
    ]);
    expect(validatePayout(amazonEventGroupToPayout(group, inline))).toEqual([]);
  });

  it('converts JPY (no decimals) and rejects over-precise JPY amounts with the path', () => {
    const jpy = (amount: number) => ({ CurrencyCode: 'JPY', CurrencyAmount: amount });
    const events = { ShipmentEventList: [{ AmazonOrderId: '250-1', PostedDate: '2024-03-01T10:00:00+09:00', ShipmentItemList: [{ OrderItemId: '9', ItemChargeList: [{ ChargeType: 'Principal', ChargeAmount: jpy(1500) }], ItemFeeList: [{ FeeType: 'Commission', FeeAmount: jpy(-225) }] }] }] };
    expect(amazonFinancialEventsToLines(events, { fees: 'inline' }).lines).toEqual([
      { id: 'shipment:250-1:9:2024-03-01T10:00:00+09:00', kind: 'charge', reference: '9', orderReference: '250-1', gross: 1500, fee: 225, net: 1275, currency: 'JPY' },
    ]);
    const bad = structuredClone(events);
    bad.ShipmentEventList[0]!.ShipmentItemList[0]!.ItemFeeList[0]!.FeeAmount = jpy(25.37);
    const error = failure(() => amazonFinancialEventsToLines(bad));
    expect(error).toMatchObject({ code: 'invalid_payload', retryable: false, details: { pointer: '/ShipmentEventList/0/ShipmentItemList/0/ItemFeeList/0/FeeAmount/CurrencyAmount' } });
    expect(error.message).toMatch(/is not a valid JPY amount: 25\.37 has more than 0 decimal places/);
  });

  it('names the path of malformed events, and reports lists it does not know instead of dropping them', () => {
    const item = (changes: Json) => ({ ShipmentEventList: [{ AmazonOrderId: 'A', ShipmentItemList: [{ OrderItemId: '1', ...changes }] }] });
    const usd = { CurrencyCode: 'USD', CurrencyAmount: 1 };
    expect(failure(() => amazonFinancialEventsToLines(item({ ItemChargeList: [{ ChargeType: 'Principal', ChargeAmount: { CurrencyAmount: 1 } }] }))).message).toBe(
      'Amazon /ShipmentEventList/0/ShipmentItemList/0/ItemChargeList/0/ChargeAmount/CurrencyCode is required',
    );
    expect(failure(() => amazonFinancialEventsToLines(item({ ItemChargeList: [{ ChargeAmount: usd }], ItemFeeList: [{ FeeAmount: { ...usd, CurrencyCode: 'EUR' } }] }))).message).toBe(
      'Amazon /ShipmentEventList/0/ShipmentItemList/0/ItemFeeList/0/FeeAmount/CurrencyCode is EUR, but this event is in USD',
    );
    expect(failure(() => amazonFinancialEventsToLines(item({ ItemChargeList: { ChargeAmount: usd } }))).details).toEqual({ pointer: '/ShipmentEventList/0/ShipmentItemList/0/ItemChargeList' });
    expect(failure(() => amazonFinancialEventsToLines({ RefundEventList: ['x'] })).message).toBe('Amazon /RefundEventList/0 must be an object');
    expect(failure(() => amazonFinancialEventsToLines({ ShipmentEventList: [{ PostedDate: 'yesterday' }] })).details).toEqual({ pointer: '/ShipmentEventList/0/PostedDate' });
    expect(failure(() => amazonFinancialEventsToLines('{}')).message).toBe('Amazon (payload) must be an object');
    const { lines, unmapped } = amazonFinancialEventsToLines({ RemovalShipmentEventList: [{ MerchantOrderId: 'R1' }], FutureEventList: [], ShipmentEventList: [{ AmazonOrderId: 'A' }] });
    expect(lines).toEqual([]);
    expect(unmapped).toEqual(['/RemovalShipmentEventList']);
    expect(amazonFinancialEventsPage({ payload: { FinancialEvents: { NewKindEventList: [{}] } } }).unmapped).toEqual(['/payload/FinancialEvents/NewKindEventList']);
  });

  it('keeps amounts exact where floating point would not (0.1 + 0.2, large amounts)', () => {
    const usd = (amount: number) => ({ CurrencyCode: 'USD', CurrencyAmount: amount });
    const { lines } = amazonFinancialEventsToLines({ AdjustmentEventList: [{ AdjustmentType: 'X', AdjustmentItemList: [{ TotalAmount: usd(0.1) }, { TotalAmount: usd(0.2) }] }, { AdjustmentType: 'Y', AdjustmentAmount: usd(123456789.99) }] });
    expect(lines.map((line) => line.net)).toEqual([30, 12345678999]);
    expect(amazonFinancialEventGroup({ FinancialEventGroupId: 'g', OriginalTotal: { CurrencyCode: 'KWD', CurrencyAmount: '1.234' } }).originalTotal).toEqual({ amount: 1234, currency: 'KWD' });
  });
});
