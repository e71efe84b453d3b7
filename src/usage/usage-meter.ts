import type { ThrottleSettings } from '../config/types.js';
import type { QuotaPeriod } from './quota-period.js';

/** What usage plans need of a store: a token from a bucket, a use counted against a quota. */
export interface UsageMeter {
  now(): number;
  /** Takes one token of the bucket `key`; false when it is empty (429 Too Many Requests). */
  take(key: string, throttle: ThrottleSettings): Promise<boolean>;
  /** Counts one use of `key` in `period`; false, and nothing counted, when `limit` is reached (429 Limit Exceeded). */
  use(key: string, limit: number, period: QuotaPeriod): Promise<boolean>;
}

/** The in-memory meter: token buckets refilled continuously, quota counts per period. */
export class MemoryMeter implements UsageMeter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly counts = new Map<string, { end: number; count: number }>();

  constructor(readonly now: () => number) {}

  async take(key: string, throttle: ThrottleSettings): Promise<boolean> {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: throttle.burstLimit, at: now };
    const refill = ((now - bucket.at) / 1000) * throttle.rateLimit;
    bucket.tokens = Math.min(
      throttle.burstLimit,
      bucket.tokens + (Number.isFinite(refill) ? refill : throttle.burstLimit),
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  async use(key: string, limit: number, period: QuotaPeriod): Promise<boolean> {
    const full = `${key}:${period.start}`;
    const entry = this.counts.get(full) ?? { end: period.end, count: 0 };
    if (entry.count >= limit) return false;
    entry.count++;
    this.counts.set(full, entry);
    return true;
  }
}
