import type { Clock, QuotaUse, QuotaWindow, UsageStore } from './usage-store.js';

interface Bucket {
  tokens: number;
  at: number;
  /** When the bucket is full again, so holds nothing a fresh bucket would not. */
  fullAt: number;
}

interface Counter {
  used: number;
  end: number;
}

/** Clock time between two sweeps of full buckets and ended quota periods. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The default store: one process's buckets and counters in two Maps. Each call runs to the end
 * without awaiting, so concurrent requests cannot interleave between reading and writing.
 * Memory stays bounded by the keys active lately: full buckets and ended periods are dropped.
 */
export class MemoryUsageStore implements UsageStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly counters = new Map<string, Counter>();
  private sweptAt: number;
  private closed = false;

  constructor(private readonly now: Clock) {
    this.sweptAt = now();
  }

  /** Buckets and quota counters held, for tests of the expiry. */
  get size(): number {
    return this.buckets.size + this.counters.size;
  }

  async takeToken(key: string, rateLimit: number, burstLimit: number): Promise<boolean> {
    const now = this.tick();
    if (!(rateLimit > 0) || !(burstLimit >= 1)) return false;
    const bucket = this.buckets.get(key);
    let tokens = burstLimit;
    let at = now;
    if (bucket) {
      // A clock stepping back (NTP, a test) must not refill the bucket a second time.
      at = Math.max(bucket.at, now);
      tokens = Math.min(burstLimit, bucket.tokens + ((at - bucket.at) * rateLimit) / 1000);
    }
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    const fullAt = at + Math.ceil(((burstLimit - tokens) * 1000) / rateLimit);
    this.buckets.set(key, { tokens, at, fullAt });
    return allowed;
  }

  async useQuota(key: string, limit: number, window: QuotaWindow): Promise<QuotaUse> {
    this.tick();
    const id = `${key}\n${window.start}`;
    const counter = this.counters.get(id);
    const used = counter?.used ?? 0;
    if (used >= limit) return { allowed: false, used };
    if (counter) counter.used = used + 1;
    else this.counters.set(id, { used: 1, end: window.end });
    return { allowed: true, used: used + 1 };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.buckets.clear();
    this.counters.clear();
  }

  private tick(): number {
    if (this.closed) throw new Error('usage store is closed');
    const now = this.now();
    if (now - this.sweptAt >= SWEEP_EVERY_MS) {
      this.sweptAt = now;
      for (const [key, bucket] of this.buckets) if (bucket.fullAt <= now) this.buckets.delete(key);
      for (const [id, counter] of this.counters) if (counter.end <= now) this.counters.delete(id);
    }
    return now;
  }
}
