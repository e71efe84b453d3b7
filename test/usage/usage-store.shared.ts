import { quotaPeriod } from '../../src/usage/quota-period.js';
import type { Clock, UsageStore } from '../../src/usage/usage-store.js';

/** A clock the tests move by hand. */
export class TestClock {
  constructor(public time = Date.UTC(2024, 0, 3, 12)) {}
  readonly now: Clock = () => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/**
 * The behaviour every UsageStore owes the gateway, run against each implementation.
 * `create` gets a fresh clock and must return a store sharing no state with earlier ones.
 */
export function describeUsageStore(name: string, create: (now: Clock) => UsageStore): void {
  describe(`${name}: the UsageStore contract`, () => {
    let clock: TestClock;
    let store: UsageStore;
    beforeEach(() => {
      clock = new TestClock();
      store = create(clock.now);
    });
    afterEach(async () => {
      await store.close?.();
    });

    const takeMany = async (count: number, key = 'k', rate = 1, burst = 3) => {
      const results: boolean[] = [];
      for (let i = 0; i < count; i++) results.push(await store.takeToken(key, rate, burst));
      return results;
    };

    describe('token bucket', () => {
      it('starts full: burstLimit requests pass at once, the next one is throttled', async () => {
        expect(await takeMany(4, 'k', 1, 3)).toEqual([true, true, true, false]);
      });

      it('refills at rateLimit tokens per second of clock time', async () => {
        await takeMany(3, 'k', 2, 3);
        clock.advance(499);
        expect(await store.takeToken('k', 2, 3)).toBe(false);
        clock.advance(1);
        expect(await takeMany(2, 'k', 2, 3)).toEqual([true, false]);
        clock.advance(1000);
        expect(await takeMany(3, 'k', 2, 3)).toEqual([true, true, false]);
      });

      it('refills a fractional rate (0.5 per second: one token every 2 s)', async () => {
        expect(await takeMany(2, 'k', 0.5, 1)).toEqual([true, false]);
        clock.advance(1999);
        expect(await store.takeToken('k', 0.5, 1)).toBe(false);
        clock.advance(1);
        expect(await store.takeToken('k', 0.5, 1)).toBe(true);
      });

      it('never holds more than burstLimit tokens after a long idle time', async () => {
        await takeMany(3, 'k', 10, 3);
        clock.advance(3_600_000);
        expect(await takeMany(4, 'k', 10, 3)).toEqual([true, true, true, false]);
      });

      it('does not refill when the clock steps back', async () => {
        await takeMany(3, 'k', 1, 3);
        clock.advance(-5000);
        expect(await store.takeToken('k', 1, 3)).toBe(false);
        clock.advance(5000);
        expect(await store.takeToken('k', 1, 3)).toBe(false);
        clock.advance(1000);
        expect(await takeMany(2, 'k', 1, 3)).toEqual([true, false]);
      });

      it('keeps one bucket per key', async () => {
        expect(await takeMany(2, 'a', 1, 1)).toEqual([true, false]);
        expect(await takeMany(2, 'b', 1, 1)).toEqual([true, false]);
      });

      it('throttles everything when the bucket can hold no token or never refills', async () => {
        expect(await store.takeToken('k', 10, 0)).toBe(false);
        expect(await store.takeToken('k', 0, 10)).toBe(false);
      });

      it('lets exactly burstLimit of 200 simultaneous requests through', async () => {
        const results = await Promise.all(Array.from({ length: 200 }, () => store.takeToken('k', 1, 20)));
        expect(results.filter(Boolean)).toHaveLength(20);
      });
    });

    describe('quota', () => {
      const month = () => quotaPeriod('MONTH', clock.time);

      it('counts uses up to the limit and refuses the next without counting it', async () => {
        const uses = [];
        for (let i = 0; i < 5; i++) uses.push(await store.useQuota('k', 3, month()));
        expect(uses).toEqual([
          { allowed: true, used: 1 },
          { allowed: true, used: 2 },
          { allowed: true, used: 3 },
          { allowed: false, used: 3 },
          { allowed: false, used: 3 },
        ]);
      });

      it('starts again at 0 in the next period', async () => {
        for (let i = 0; i < 3; i++) await store.useQuota('k', 3, month());
        clock.time = month().end - 1;
        expect(await store.useQuota('k', 3, month())).toEqual({ allowed: false, used: 3 });
        clock.time = month().end;
        expect(await store.useQuota('k', 3, month())).toEqual({ allowed: true, used: 1 });
      });

      it('keeps one count per key', async () => {
        await store.useQuota('a', 1, month());
        expect(await store.useQuota('a', 1, month())).toEqual({ allowed: false, used: 1 });
        expect(await store.useQuota('b', 1, month())).toEqual({ allowed: true, used: 1 });
      });

      it('refuses every use under a limit of 0', async () => {
        expect(await store.useQuota('k', 0, month())).toEqual({ allowed: false, used: 0 });
      });

      it('allows exactly 50 of 200 simultaneous uses at a limit of 50, counting each once', async () => {
        const window = month();
        const uses = await Promise.all(Array.from({ length: 200 }, () => store.useQuota('k', 50, window)));
        const allowed = uses.filter((use) => use.allowed);
        expect(allowed).toHaveLength(50);
        expect(allowed.map((use) => use.used).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 50 }, (_, i) => i + 1),
        );
        expect(uses.filter((use) => !use.allowed).every((use) => use.used === 50)).toBe(true);
        expect(await store.useQuota('k', 50, window)).toEqual({ allowed: false, used: 50 });
      });
    });
  });
}
