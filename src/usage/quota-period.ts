/** One quota period: `[start, end)` in ms since the epoch. */
export interface QuotaPeriod {
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;

/**
 * The usage-plan quota period holding `now`, in UTC as AWS counts them (QuotaSettings): DAY
 * from midnight; WEEK from the day `offset` gives (0 = Sunday, 1 = Monday …); MONTH from day
 * `offset + 1` of the month (0 = the 1st).
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html)
 * @example quotaPeriod(Date.UTC(2026, 10, 29, 12), 'DAY', 0) // → { start: Date.UTC(2026, 10, 29), end: Date.UTC(2026, 10, 30) }
 */
export function quotaPeriod(now: number, period: 'DAY' | 'WEEK' | 'MONTH', offset: number): QuotaPeriod {
  const day = Math.floor(now / DAY_MS) * DAY_MS;
  if (period === 'DAY') return { start: day, end: day + DAY_MS };
  const date = new Date(day);
  if (period === 'WEEK') {
    const back = (date.getUTCDay() - offset + 7) % 7;
    const start = day - back * DAY_MS;
    return { start, end: start + 7 * DAY_MS };
  }
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  let start = Date.UTC(y, m, 1 + offset);
  if (start > day) start = Date.UTC(y, m - 1, 1 + offset);
  const end = Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth() + 1, 1 + offset);
  return { start, end };
}
