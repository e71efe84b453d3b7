import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createUsageStore } from '../../src/usage/create-usage-store.js';
import { quotaPeriod } from '../../src/usage/quota-period.js';
import { RedisUsageStore } from '../../src/usage/redis-store.js';
import { StoreUnavailableError } from '../../src/usage/store-unavailable-error.js';
import type { QuotaUse, UsageStore } from '../../src/usage/usage-store.js';
import { startRedisServer, type TestRedis, testRedis } from '../support/redis-server.js';
import { describeUsageStore, TestClock } from './usage-store.shared.js';

let redis: TestRedis;
let prefixes = 0;
const freshPrefix = () => `test:${process.pid}:${++prefixes}:`;

beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  if (process.env.APIGW_TEST_REDIS_URL && redis) await removeKeys(redis.url, `test:${process.pid}:*`);
  await redis?.close();
});

describeUsageStore('redis', (now) => createUsageStore({ redis: redis.url, keyPrefix: freshPrefix() }, now));

describe('redis store: keys expire', () => {
  let inspect: Redis;
  let store: UsageStore;
  beforeEach(() => {
    inspect = new Redis(redis.url);
  });
  afterEach(async () => {
    await store?.close?.();
    await inspect.quit();
  });

  it('under keyPrefix: a bucket once it would be full again, a quota counter a minute after its period', async () => {
    const clock = new TestClock();
    const keyPrefix = freshPrefix();
    store = createUsageStore({ redis: redis.url, keyPrefix }, clock.now);
    await store.takeToken('k', 2, 10);
    await store.takeToken('k', 2, 10); // 2 tokens short at 2 per second: full in 1 s
    const window = quotaPeriod('MONTH', clock.time);
    await store.useQuota('k', 10, window);

    expect((await inspect.keys(`${keyPrefix}*`)).sort()).toEqual([
      `${keyPrefix}bucket:k`,
      `${keyPrefix}quota:k:${window.start}`,
    ]);
    const bucketTtl = await inspect.pttl(`${keyPrefix}bucket:k`);
    expect(bucketTtl).toBeGreaterThan(900);
    expect(bucketTtl).toBeLessThanOrEqual(1000);
    const quotaTtl = await inspect.pttl(`${keyPrefix}quota:k:${window.start}`);
    expect(quotaTtl).toBeGreaterThan(window.end - clock.time + 60_000 - 5_000);
    expect(quotaTtl).toBeLessThanOrEqual(window.end - clock.time + 60_000);
  });
});

describe('redis store: never fails open', () => {
  let own: TestRedis;
  let store: UsageStore;
  beforeAll(async () => {
    own = await startRedisServer();
  });
  afterEach(async () => {
    await store?.close?.();
  });
  afterAll(async () => {
    await own?.close();
  });

  const window = quotaPeriod('DAY', Date.UTC(2024, 0, 3));
  const attempt = (s: UsageStore) =>
    s.useQuota('k', 100, window).then(
      (use): QuotaUse | Error => use,
      (error: Error) => error,
    );

  it('refuses while Redis is down and counts again once it is back', async () => {
    store = createUsageStore({ redis: { ...portOf(own.url), retryStrategy: () => 20 } }, Date.now);
    expect(await store.useQuota('k', 100, window)).toEqual({ allowed: true, used: 1 });

    await own.stop();
    await expect(store.useQuota('k', 100, window)).rejects.toThrow(StoreUnavailableError);
    await expect(store.takeToken('k', 10, 10)).rejects.toThrow(
      expect.objectContaining({ name: 'StoreUnavailableError', code: 'APIGW_STORE_UNAVAILABLE' }),
    );
    await expect(store.useQuota('k', 100, window)).rejects.toThrow(/^usage store: Redis is unavailable/);

    await own.start();
    let outcome = await attempt(store);
    for (let tries = 0; outcome instanceof Error && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      outcome = await attempt(store);
    }
    // The restarted server kept nothing (--save ''), so counting starts over.
    expect(outcome).toEqual({ allowed: true, used: 1 });
    expect(await store.useQuota('k', 100, window)).toEqual({ allowed: true, used: 2 });
  });

  it('refuses at once when Redis was never reachable', async () => {
    await own.stop();
    store = createUsageStore({ redis: own.url }, Date.now);
    await expect(store.useQuota('k', 100, window)).rejects.toThrow(StoreUnavailableError);
    await expect(store.takeToken('k', 10, 10)).rejects.toThrow(/ECONNREFUSED/);
    await own.start();
  });

  it('refuses after close', async () => {
    store = new RedisUsageStore(own.url, 'x:', Date.now);
    await store.close?.();
    await expect(store.useQuota('k', 100, window)).rejects.toThrow(StoreUnavailableError);
  });
});

describe('redis store: several instances share one quota', () => {
  const worker = join(__dirname, 'fixtures', 'quota-worker.js');

  it('lets exactly 5 of 20 uses through across two processes at a quota of 5', async () => {
    const keyPrefix = freshPrefix();
    const clock = String(Date.UTC(2024, 0, 3, 12));
    const processes = [0, 1].map(() =>
      spawn(process.execPath, [worker, redis.url, keyPrefix, '5', '10', clock]),
    );
    try {
      await Promise.all(processes.map((child) => lineFrom(child)));
      for (const child of processes) child.stdin.write('go\n');
      const outputs = await Promise.all(processes.map((child) => lineFrom(child)));
      const uses = outputs.flatMap((line) => JSON.parse(line) as QuotaUse[]);
      expect(uses).toHaveLength(20);
      const allowed = uses.filter((use) => use.allowed);
      expect(allowed.map((use) => use.used).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      for (const child of processes) child.kill();
    }
  }, 20_000);
});

/** Leaves a shared Redis as it was found. */
async function removeKeys(url: string, pattern: string): Promise<void> {
  const client = new Redis(url);
  const keys = await client.keys(pattern);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
}

function portOf(url: string): { host: string; port: number } {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
}

/** The next line a worker prints; rejects with its stderr if it exits first. */
function lineFrom(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString();
      const end = stdout.indexOf('\n');
      if (end >= 0) {
        child.stdout.off('data', onData);
        child.off('exit', onExit);
        resolve(stdout.slice(0, end));
      }
    };
    const onExit = (code: number | null) => reject(new Error(`quota worker exited (${code}):\n${stderr}`));
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', onExit);
  });
}
