import type { QuotaWindow } from './usage-store.js';

/** A usage plan's `quota.period`, as the REST API spells it. */
export type QuotaPeriodType = 'DAY' | 'WEEK' | 'MONTH';

const DAY_MS = 86_400_000;

/**
 * The quota period containing `now`, in UTC: a DAY from 00:00, a WEEK from Sunday 00:00, a
 * MONTH from the 1st at 00:00; `end` is the next period's `start`.
 *
 * Calendar periods, not rolling ones: a daily quota resets at midnight UTC (widely observed, e.g.
 * https://stackoverflow.com/questions/54136076), a monthly one "at the beginning of the month"
 * (AWS CLI `create-usage-plan` example). Sunday is the week start the API reference gave for the
 * default offset 0 ("with a time period of WEEK, an offset of 0 starts on Sunday, and an offset of
 * 1 starts on Monday", QuotaSettings.offset in the SDKs generated before 2023). The current API
 * reference and CloudFormation give `offset` another meaning instead: see `quotaLimit`.
 * @example
 * quotaPeriod('WEEK', Date.UTC(2024, 0, 3)) // { start: Date.UTC(2023, 11, 31), end: Date.UTC(2024, 0, 7) }
 */
export function quotaPeriod(period: QuotaPeriodType, now: number): QuotaWindow {
  const date = new Date(now);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (period === 'DAY') return { start: day, end: day + DAY_MS };
  if (period === 'WEEK') {
    const start = day - date.getUTCDay() * DAY_MS;
    return { start, end: start + 7 * DAY_MS };
  }
  return {
    start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
    end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1),
  };
}

/**
 * The limit that applies in `window`: `limit - offset` in the initial period (the one holding
 * `planStart`, when the usage plan came into force), `limit` in every later one, never below 0.
 *
 * "offset: The number of requests subtracted from the given limit in the initial time period"
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html; CloudFormation's
 * UsagePlan QuotaSettings: "When you first implement a usage plan, the plan might start in the
 * middle of the week or month. With this property, you can decrease the limit for this initial
 * time period"). Older SDK docs read `offset` as the week's start day instead; both agree on 0.
 * @example
 * quotaLimit({ limit: 100, offset: 40 }, quotaPeriod('MONTH', now), gatewayStartedAt) // 60, then 100
 */
export function quotaLimit(
  quota: { limit: number; offset?: number },
  window: QuotaWindow,
  planStart: number,
): number {
  const initial = planStart >= window.start && planStart < window.end;
  return initial ? Math.max(0, quota.limit - (quota.offset ?? 0)) : quota.limit;
}
