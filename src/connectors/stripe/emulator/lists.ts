import { resourceMissing } from './errors.js';
import { snapshot, type StripeObject } from './objects.js';

/** A page of a list endpoint. */
export interface StripeListPage {
  object: 'list';
  data: StripeObject[];
  has_more: boolean;
  url: string;
}

/** One page of a list (items newest first), by Stripe's cursors: `starting_after` pages on, `ending_before` pages back. */
export function page(items: StripeObject[], filter: { limit: number; startingAfter?: string; endingBefore?: string }, url: string, kind: string): StripeListPage {
  let start = 0;
  let end = items.length;
  if (filter.startingAfter !== undefined) {
    const at = items.findIndex((item) => item.id === filter.startingAfter);
    if (at < 0) throw resourceMissing(kind, filter.startingAfter, 'starting_after');
    start = at + 1;
    end = Math.min(items.length, start + filter.limit);
  } else if (filter.endingBefore !== undefined) {
    const at = items.findIndex((item) => item.id === filter.endingBefore);
    if (at < 0) throw resourceMissing(kind, filter.endingBefore, 'ending_before');
    end = at;
    start = Math.max(0, end - filter.limit);
  } else {
    end = Math.min(items.length, filter.limit);
  }
  const hasMore = filter.endingBefore !== undefined ? start > 0 : end < items.length;
  return { object: 'list', data: items.slice(start, end).map(snapshot), has_more: hasMore, url };
}
