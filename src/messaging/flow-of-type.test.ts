import { describe, expect, it } from 'vitest';
import { flowOfMessageType } from './flow-of-type.js';

describe('flowOfMessageType', () => {
  it('groups message types by the business flow they serve', () => {
    expect(flowOfMessageType('workflow.order-placement.book-sales-order')).toBe('order-to-cash');
    expect(flowOfMessageType('workflow.order-shipment.compensate')).toBe('order-to-cash');
    expect(flowOfMessageType('order.accepted')).toBe('order-to-cash');
    expect(flowOfMessageType('ledger.post')).toBe('finance');
    expect(flowOfMessageType('finance.payout-posting')).toBe('finance');
    expect(flowOfMessageType('subscription.delivery')).toBe('subscriptions');
    expect(flowOfMessageType('inbound.received')).toBe('inbound');
  });

  it('puts unknown types under other', () => {
    expect(flowOfMessageType('test.ping')).toBe('other');
    expect(flowOfMessageType('workflow.something-else.step')).toBe('other');
  });
});
