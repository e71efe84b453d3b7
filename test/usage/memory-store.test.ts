import { randomBytes } from 'node:crypto';
import { StoreUnavailableError } from '../../src/index.js';
import { DEFAULT_MEMORY_STORE_BYTES, MemoryUsageStore } from '../../src/usage/memory-store.js';
import { quotaPeriod } from '../../src/usage/quota-period.js';
import { describeUsageStore, TestClock } from './usage-store.shared.js';

describeUsageStore('memory', (now) => new MemoryUsageStore(now));

describe('memory store: bounded memory', () => {
  it('drops buckets that have refilled and quota periods that have ended', async () => {
    const clock = new TestClock();
    const store = new MemoryUsageStore(clock.now);
    for (let i = 0; i < 100; i++) {
      await store.takeToken(`key-${i}`, 1, 5);
      await store.useQuota(`key-${i}`, 10, quotaPeriod('DAY', clock.time));
    }
    expect(store.size).toBe(200);

    clock.advance(59_000);
    await store.takeToken('recent', 1, 5);
    expect(store.size).toBe(201); // within a minute: nothing swept yet

    clock.advance(1_000);
    await store.takeToken('recent', 1, 5);
    expect(store.size).toBe(101); // the idle buckets are full again; today's counters stay

    clock.time = quotaPeriod('DAY', clock.time).end + 60_000;
    await store.useQuota('tomorrow', 10, quotaPeriod('DAY', clock.time));
    expect(store.size).toBe(1);
  });

  it('keeps a bucket that is still refilling', async () => {
    const clock = new TestClock();
    const store = new MemoryUsageStore(clock.now);
    for (let i = 0; i < 5; i++) await store.takeToken('slow', 0.05, 5); // empty; 100 s to refill
    clock.advance(60_000);
    await store.takeToken('other', 1, 1);
    expect(store.size).toBe(2);
    expect(await store.takeToken('slow', 0.05, 5)).toBe(true); // 3 tokens refilled, not reset to 5
    expect(await store.takeToken('slow', 0.05, 5)).toBe(true);
    expect(await store.takeToken('slow', 0.05, 5)).toBe(true);
    expect(await store.takeToken('slow', 0.05, 5)).toBe(false);
  });

  it('refuses calls once closed', async () => {
    const store = new MemoryUsageStore(Date.now);
    await store.close();
    await expect(store.takeToken('k', 1, 1)).rejects.toThrow('usage store is closed');
  });

  describe('bounded in bytes', () => {
    const budget = 64 * 1024;
    const randomKey = () => `plan:0:${randomBytes(16).toString('hex')}`;

    it('holds a flood of random keys within its budget, refusing new keys once full and never touching live state', async () => {
      const clock = new TestClock();
      const store = new MemoryUsageStore(clock.now, budget);
      const day = quotaPeriod('DAY', clock.time);
      // A key in use: its bucket empty, its quota half spent.
      for (let i = 0; i < 3; i++) await store.takeToken('known', 0.01, 3);
      for (let i = 0; i < 5; i++) await store.useQuota('known', 10, day);

      let refused = 0;
      for (let i = 0; i < 5_000; i++) {
        try {
          await (i % 2 === 0 ? store.takeToken(randomKey(), 0.01, 3) : store.useQuota(randomKey(), 10, day));
        } catch (error) {
          expect(error).toBeInstanceOf(StoreUnavailableError);
          expect((error as Error).message).toBe(
            `memory usage store is full (${budget} bytes of buckets and quota counters still in use)`,
          );
          refused++;
        }
        expect(store.calculatedSize).toBeLessThanOrEqual(budget);
      }
      expect(refused).toBeGreaterThan(4_500);
      expect(store.calculatedSize).toBeGreaterThan(budget * 0.95);

      // Nothing of the key in use was evicted: still throttled, its count goes on.
      expect(await store.takeToken('known', 0.01, 3)).toBe(false);
      expect(await store.useQuota('known', 10, day)).toEqual({ allowed: true, used: 6 });
    });

    it('makes room from idle state at once when full: refilled buckets and ended quota periods', async () => {
      const clock = new TestClock();
      const store = new MemoryUsageStore(clock.now, budget);
      const day = quotaPeriod('DAY', clock.time);
      const keys: string[] = [];
      for (;;) {
        const key = randomKey();
        try {
          await store.takeToken(key, 10, 1);
        } catch {
          break;
        }
        keys.push(key);
      }
      await expect(store.useQuota('late', 10, day)).rejects.toThrow(StoreUnavailableError);
      // 100 ms later every bucket of rate 10 is full again: nothing a fresh bucket would not hold.
      clock.advance(100);
      await expect(store.useQuota('late', 10, day)).rejects.toThrow(StoreUnavailableError); // swept at most once a second
      clock.advance(900);
      expect(await store.useQuota('late', 10, day)).toEqual({ allowed: true, used: 1 });
      expect(store.size).toBe(1);
      expect(keys.length).toBeGreaterThan(100);
    });

    it('gives its memory back on close', async () => {
      const store = new MemoryUsageStore(Date.now, budget);
      await store.takeToken('k', 1, 1);
      expect(store.calculatedSize).toBeGreaterThan(0);
      await store.close();
      expect(store.calculatedSize).toBe(0);
    });

    it('defaults to 64 MiB', () => {
      expect(new MemoryUsageStore(Date.now).maxBytes).toBe(64 * 1024 * 1024);
      expect(DEFAULT_MEMORY_STORE_BYTES).toBe(64 * 1024 * 1024);
    });
  });
});
