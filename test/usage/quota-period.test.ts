import fc from 'fast-check';
import { quotaLimit, quotaPeriod } from '../../src/usage/quota-period.js';

describe('quotaPeriod: calendar periods in UTC', () => {
  it('a DAY runs from 00:00 UTC to the next 00:00 UTC', () => {
    expect(quotaPeriod('DAY', Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toEqual({
      start: Date.UTC(2024, 1, 29),
      end: Date.UTC(2024, 2, 1),
    });
  });

  it('a WEEK runs from Sunday 00:00 UTC to the next Sunday', () => {
    const week = { start: Date.UTC(2023, 11, 31), end: Date.UTC(2024, 0, 7) }; // Sun 31 Dec → Sun 7 Jan
    expect(quotaPeriod('WEEK', Date.UTC(2023, 11, 31))).toEqual(week);
    expect(quotaPeriod('WEEK', Date.UTC(2024, 0, 3, 12))).toEqual(week);
    expect(quotaPeriod('WEEK', Date.UTC(2024, 0, 6, 23, 59, 59, 999))).toEqual(week);
    expect(quotaPeriod('WEEK', Date.UTC(2024, 0, 7)).start).toBe(Date.UTC(2024, 0, 7));
  });

  it('a MONTH runs from the 1st 00:00 UTC, across year ends and leap years', () => {
    expect(quotaPeriod('MONTH', Date.UTC(2024, 1, 10))).toEqual({
      start: Date.UTC(2024, 1, 1),
      end: Date.UTC(2024, 2, 1),
    });
    expect(quotaPeriod('MONTH', Date.UTC(2023, 11, 31, 23))).toEqual({
      start: Date.UTC(2023, 11, 1),
      end: Date.UTC(2024, 0, 1),
    });
  });

  it('always holds `now`, and the next period starts where this one ends', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('DAY' as const, 'WEEK' as const, 'MONTH' as const),
        fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }),
        (period, now) => {
          const window = quotaPeriod(period, now);
          expect(window.start).toBeLessThanOrEqual(now);
          expect(window.end).toBeGreaterThan(now);
          expect(quotaPeriod(period, window.end).start).toBe(window.end);
          expect(quotaPeriod(period, window.end - 1)).toEqual(window);
        },
      ),
    );
  });
});

describe('quotaLimit: offset subtracts from the limit in the initial period only', () => {
  const january = quotaPeriod('MONTH', Date.UTC(2024, 0, 15));
  const february = quotaPeriod('MONTH', Date.UTC(2024, 1, 15));
  const planStart = Date.UTC(2024, 0, 20);

  it('gives limit - offset in the period the plan started in, then the full limit', () => {
    expect(quotaLimit({ limit: 100, offset: 40 }, january, planStart)).toBe(60);
    expect(quotaLimit({ limit: 100, offset: 40 }, february, planStart)).toBe(100);
  });

  it('gives the limit without an offset, and never less than 0', () => {
    expect(quotaLimit({ limit: 100 }, january, planStart)).toBe(100);
    expect(quotaLimit({ limit: 10, offset: 40 }, january, planStart)).toBe(0);
  });
});
