import { StoreUnavailableError } from './store-unavailable-error.js';
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
/** A full store sweeps at once, but at most this often, so refusals stay cheap. */
const FULL_SWEEP_EVERY_MS = 1_000;

/**
 * Default memory budget: 64 MiB, about 300,000 buckets and counters. The gateway only creates
 * state for configured stage throttles and API keys (an unknown key is refused before the
 * store is asked), so the budget is a backstop that a sane config never reaches.
 */
export const DEFAULT_MEMORY_STORE_BYTES = 64 * 1024 * 1024;
/** Map slot, object and number fields of one bucket or counter (an estimate). */
const ENTRY_OVERHEAD_BYTES = 160;

const entryBytes = (key: string): number => ENTRY_OVERHEAD_BYTES + 2 * key.length;

/**
 * The default store: one process's buckets and counters in two Maps. Each call runs to the end
 * without awaiting, so concurrent requests cannot interleave between reading and writing.
 * Memory stays bounded by the keys active lately: full buckets and ended periods are dropped.
 *
 * Memory is also bounded in bytes: when a new key would pass `maxBytes`, idle state (full
 * buckets, ended periods) is dropped at once; if that is not enough the new key is refused
 * with StoreUnavailableError (the gateway answers 500). Live state is never evicted: a
 * dropped bucket that is refilling would grant a fresh burst, a dropped counter a fresh
 * quota, both letting through what the limits refuse.
 */
export class MemoryUsageStore implements UsageStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly counters = new Map<string, Counter>();
  private sweptAt: number;
  private fullSweptAt = Number.NEGATIVE_INFINITY;
  private bytes = 0;
  private closed = false;

  constructor(
    private readonly now: Clock,
    readonly maxBytes: number = DEFAULT_MEMORY_STORE_BYTES,
  ) {
    this.sweptAt = now();
  }

  /** Buckets and quota counters held, for tests of the expiry. */
  get size(): number {
    return this.buckets.size + this.counters.size;
  }

  /** Bytes accounted to the buckets and counters held: never more than `maxBytes`. */
  get calculatedSize(): number {
    return this.bytes;
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
    } else {
      this.reserve(key, now);
    }
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    const fullAt = at + Math.ceil(((burstLimit - tokens) * 1000) / rateLimit);
    this.buckets.set(key, { tokens, at, fullAt });
    return allowed;
  }

  async useQuota(key: string, limit: number, window: QuotaWindow): Promise<QuotaUse> {
    const now = this.tick();
    const id = `${key}\n${window.start}`;
    const counter = this.counters.get(id);
    const used = counter?.used ?? 0;
    if (used >= limit) return { allowed: false, used };
    if (counter) counter.used = used + 1;
    else {
      this.reserve(id, now);
      this.counters.set(id, { used: 1, end: window.end });
    }
    return { allowed: true, used: used + 1 };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.buckets.clear();
    this.counters.clear();
    this.bytes = 0;
  }

  /** Accounts a new key's entry, making room from idle state, or throws when there is none. */
  private reserve(key: string, now: number): void {
    const bytes = entryBytes(key);
    if (this.bytes + bytes > this.maxBytes && now - this.fullSweptAt >= FULL_SWEEP_EVERY_MS) {
      this.fullSweptAt = now;
      this.sweep(now);
    }
    if (this.bytes + bytes > this.maxBytes) {
      throw new StoreUnavailableError(
        `memory usage store is full (${this.maxBytes} bytes of buckets and quota counters still in use)`,
      );
    }
    this.bytes += bytes;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets) {
      if (bucket.fullAt <= now) {
        this.buckets.delete(key);
        this.bytes -= entryBytes(key);
      }
    }
    for (const [id, counter] of this.counters) {
      if (counter.end <= now) {
        this.counters.delete(id);
        this.bytes -= entryBytes(id);
      }
    }
  }

  private tick(): number {
    if (this.closed) throw new Error('usage store is closed');
    const now = this.now();
    if (now - this.sweptAt >= SWEEP_EVERY_MS) this.sweep(now);
    return now;
  }
}
