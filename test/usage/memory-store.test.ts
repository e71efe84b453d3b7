import { MemoryUsageStore } from '../../src/usage/memory-store.js';
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
});
