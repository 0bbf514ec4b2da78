import { describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../model/index.js';
import { assertTransition, canTransition, orderStatuses, orderTransitions, type OrderStatus } from './order-status.js';

/** Every status reachable from `from` by allowed moves. */
function reachable(from: OrderStatus): Set<OrderStatus> {
  const seen = new Set<OrderStatus>([from]);
  const queue = [from];
  while (queue.length) {
    for (const next of orderTransitions[queue.shift()!]) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}

describe('order status state machine', () => {
  it('walks the happy path accepted → booked → released → partially_shipped → shipped → invoiced → closed', () => {
    const path: OrderStatus[] = ['accepted', 'booked', 'released', 'partially_shipped', 'shipped', 'invoiced', 'closed'];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it('rejects skipping steps and leaving final states, naming what is allowed', () => {
    expect(canTransition('accepted', 'shipped')).toBe(false);
    expect(canTransition('shipped', 'cancelled')).toBe(false);
    expect(() => assertTransition('closed', 'accepted')).toThrow(/cannot go from closed to accepted \(from closed it can go to nothing: it is final\)/);
    let error: unknown;
    try {
      assertTransition('booked', 'invoiced');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TillbridgeError);
    expect(error).toMatchObject({ code: 'invalid_transition', retryable: false, httpStatus: 409 });
    expect((error as Error).message).toContain('released, on_hold, cancelled, partially_cancelled');
  });

  it('holds can be released, every status can still end (closed or cancelled), and only closed and cancelled are final', () => {
    expect(canTransition('on_hold', 'accepted')).toBe(true);
    for (const status of orderStatuses) {
      const ends = reachable(status);
      expect(ends.has('closed') || ends.has('cancelled'), status).toBe(true);
      expect(orderTransitions[status].length === 0, status).toBe(status === 'closed' || status === 'cancelled');
      for (const next of orderTransitions[status]) expect(orderStatuses).toContain(next);
    }
  });
});
