import { describe, expect, it } from 'vitest';
import { isTillbridgeError, systemClock, validatePayout } from '../../model/index.js';
import { InboundEvent } from '../framework/index.js';
import { interpretAmazonEvent } from './interpret.js';
import { amazonEventGroupToPayout } from './mapping-event-group.js';
import { amazonFinancialEventsToLines } from './mapping-finances.js';
import { amazonSettlementTopic, createAmazonEventGroupsPoller } from './poller.js';
import { clientOf, corpusGroupEvents, corpusGroupJson, emulatorsPerTest, eventGroup } from './test-support.js';

const start = emulatorsPerTest();

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isTillbridgeError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('interpretAmazonEvent', () => {
  it('turns the corpus group with its corpus events into one payout event with lines', () => {
    const payload = JSON.stringify({ group: corpusGroupJson(), financialEvents: corpusGroupEvents() });
    const events = interpretAmazonEvent(amazonSettlementTopic, payload);
    expect(events).toHaveLength(1);
    const event = InboundEvent.parse(events[0]);
    expect(event).toEqual(events[0]);
    if (event?.kind !== 'payout') throw new Error('expected a payout event');
    const { lines } = amazonFinancialEventsToLines(corpusGroupEvents());
    expect(lines.length).toBeGreaterThan(0);
    expect(event.payout).toEqual(amazonEventGroupToPayout(corpusGroupJson(), lines));
    expect(event.payout).toMatchObject({ id: '1', provider: 'amazon', currency: 'USD', amount: 1034, status: 'paid', arrivalDate: '2020-02-07' });
    expect(event.payout.lines.map((line) => line.id)).toEqual(lines.map((line) => line.id));
  });

  it('gives a payout whose lines add up to its amount when Amazon’s events do', () => {
    const usd = (amount: number) => ({ CurrencyCode: 'USD', CurrencyAmount: amount });
    const group = { ...corpusGroupJson(), OriginalTotal: usd(16.78) };
    const financialEvents = {
      ShipmentEventList: [
        {
          AmazonOrderId: '111-2222222-3333333',
          PostedDate: '2024-03-01T10:00:00Z',
          ShipmentItemList: [{ SellerSKU: 'TEE', OrderItemId: '1', ItemChargeList: [{ ChargeType: 'Principal', ChargeAmount: usd(20) }], ItemFeeList: [{ FeeType: 'Commission', FeeAmount: usd(-3.22) }] }],
        },
      ],
    };
    const event = InboundEvent.parse(interpretAmazonEvent(amazonSettlementTopic, JSON.stringify({ group, financialEvents }))[0]);
    if (event?.kind !== 'payout') throw new Error('expected a payout event');
    expect(event.payout.amount).toBe(1678);
    expect(event.payout.lines.reduce((sum, line) => sum + line.net, 0)).toBe(1678);
    expect(validatePayout(event.payout)).toEqual([]);
  });

  it('refuses another topic, a body without group, and event lists it cannot map', () => {
    expect(failure(() => interpretAmazonEvent('orders/create', '{}')).code).toBe('unknown_topic');
    expect(failure(() => interpretAmazonEvent(amazonSettlementTopic, 'not json')).code).toBe('invalid_payload');
    expect(failure(() => interpretAmazonEvent(amazonSettlementTopic, JSON.stringify({ financialEvents: {} }))).code).toBe('invalid_payload');
    const unknown = failure(() => interpretAmazonEvent(amazonSettlementTopic, JSON.stringify({ group: corpusGroupJson(), financialEvents: { BrandNewEventList: [{ x: 1 }] } })));
    expect(unknown).toEqual({ code: 'amazon_unmapped_events', message: 'Amazon financial events not mapped to settlement lines: /financialEvents/BrandNewEventList' });
  });

  it('interprets what the poller hands over from the emulator', async () => {
    const now = Date.now();
    const emulator = await start({ groups: [eventGroup('G-77', now - 86_400_000, { processing: 'Closed', transfer: 'Succeeded' })] });
    const poller = createAmazonEventGroupsPoller({ client: clientOf(emulator), intervalMs: 1000, clock: systemClock, initialLookbackMs: 2 * 86_400_000, overlapMs: 0 });
    const { items } = await poller.poll(null, new AbortController().signal);
    expect(items).toHaveLength(1);
    const event = InboundEvent.parse(interpretAmazonEvent(items[0]!.topic, items[0]!.payload)[0]);
    if (event?.kind !== 'payout') throw new Error('expected a payout event');
    expect(event.payout.id).toBe('G-77');
    expect(event.payout.status).toBe('paid');
    expect(event.payout.lines).toEqual(amazonFinancialEventsToLines(corpusGroupEvents()).lines);
  });
});
