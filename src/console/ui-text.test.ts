import { describe, expect, it } from 'vitest';
import { adviceFor } from './ui/advice.js';
import { duration, money } from './ui/format.js';

describe('console wording', () => {
  it('shows minor units as money exactly, with each currency’s own decimals', () => {
    expect(money(123456789012345, 'USD').replace(/\s/g, ' ')).toContain('1,234,567,890,123.45');
    expect(money(5, 'USD')).toContain('0.05');
    expect(money(-1050, 'EUR')).toMatch(/-.*10\.50/);
    expect(money(1000, 'JPY')).toContain('1,000');
    expect(money(1000, 'JPY')).not.toContain('.');
    expect(money(1234, 'KWD')).toContain('1.234');
    expect(money(null, 'USD')).toBe('—');
  });

  it('says durations in words', () => {
    expect(duration(850)).toBe('850 ms');
    expect(duration(125_000)).toBe('2 min 5 s');
    expect(duration(3 * 3_600_000 + 20 * 60_000)).toBe('3 h 20 min');
    expect(duration(52 * 3_600_000)).toBe('2 d 4 h');
  });

  it('tells a person what to do about a failed message from its reason', () => {
    expect(adviceFor('permanent error erpnext_validation: erp-main: POST /api/resource/Sales%20Order → 417: LinkValidationError: Could not find Row #1: Item Code: LAUNCH-JACKET-M')).toContain('The ERP has no item LAUNCH-JACKET-M');
    expect(adviceFor('order_not_received: no order for refund re_1')).toContain('reconciliation');
    expect(adviceFor('transient error: erp-main: POST /api/resource/Sales Order → 503')).toContain('Connections');
    expect(adviceFor(null)).toContain('replay');
  });
});
