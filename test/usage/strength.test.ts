import request from 'supertest';
import type { MethodSetting } from '../../src/config/types.js';
import type { ApiGatewayOptions } from '../../src/index.js';
import { MemoryUsageStore } from '../../src/usage/memory-store.js';
import type { UsageStore } from '../../src/usage/usage-store.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';
import { TestClock } from './usage-store.shared.js';

/** A memory store that records each throttle it is asked to apply. */
class RecordingStore implements UsageStore {
  readonly takes: { key: string; rateLimit: number; burstLimit: number }[] = [];
  private readonly inner: MemoryUsageStore;
  constructor(now: () => number) {
    this.inner = new MemoryUsageStore(now);
  }
  takeToken(key: string, rateLimit: number, burstLimit: number): Promise<boolean> {
    this.takes.push({ key, rateLimit, burstLimit });
    return this.inner.takeToken(key, rateLimit, burstLimit);
  }
  useQuota(...args: Parameters<UsageStore['useQuota']>) {
    return this.inner.useQuota(...args);
  }
}

const setting = (resourcePath: string, httpMethod: string, rate?: number, burst?: number): MethodSetting => ({
  resourcePath,
  httpMethod,
  ...(rate === undefined ? {} : { throttlingRateLimit: rate }),
  ...(burst === undefined ? {} : { throttlingBurstLimit: burst }),
});

function stageApi(clock: TestClock, methodSettings: MethodSetting[], store?: UsageStore): ApiGatewayOptions {
  return {
    clock: clock.now,
    functions: { echo: echoEvent },
    methodSettings,
    ...(store ? { store } : {}),
    resources: { '/pets': { GET: proxy('echo'), POST: proxy('echo') } },
  };
}

describe('a throttle with a rate of 0', () => {
  it('refuses the first request of a key never seen, whatever the burst', async () => {
    const store = new MemoryUsageStore(new TestClock().now);
    expect(await store.takeToken('fresh', 0, 5)).toBe(false);
    expect(await store.takeToken('other', 0, 1)).toBe(false);
    expect(await store.takeToken('negative', -1, 5)).toBe(false);
    expect(await store.takeToken('nan', Number.NaN, 5)).toBe(false);
    expect(await store.takeToken('burst-nan', 1, Number.NaN)).toBe(false);
    // The control: a rate above 0 lets the first one through.
    expect(await store.takeToken('control', 0.001, 1)).toBe(true);
  });
});

describe.each(EXPRESS_VERSIONS)('stage method throttles (Express %s)', (_v, express) => {
  it('apply a stage rate of 1 and burst of 1: a second request 10 ms later is throttled, not let through at the account rate', async () => {
    const clock = new TestClock();
    const app = createApp(stageApi(clock, [setting('/*', '*', 1, 1)]), express);
    await request(app).get('/prod/pets').expect(200);
    clock.advance(10);
    const res = await request(app).get('/prod/pets');
    expect(res.status).toBe(429);
    expect(res.text).toBe('{"message":"Too Many Requests"}');
    clock.advance(990);
    await request(app).get('/prod/pets').expect(200);
  });

  it('refuse the first request under a rate of 0', async () => {
    const clock = new TestClock();
    const app = createApp(stageApi(clock, [setting('/pets', 'GET', 0, 10)]), express);
    expect((await request(app).get('/prod/pets')).status).toBe(429);
    await request(app).post('/prod/pets').expect(200);
  });

  it.each([
    ['rate only', setting('/*', '*', 2), { rateLimit: 2, burstLimit: 5000 }],
    ['burst only', setting('/*', '*', undefined, 3), { rateLimit: 10_000, burstLimit: 3 }],
  ])('apply a setting giving the %s, the account limit filling in the other', async (_name, s, expected) => {
    const clock = new TestClock();
    const store = new RecordingStore(clock.now);
    await request(createApp(stageApi(clock, [s], store), express))
      .get('/prod/pets')
      .expect(200);
    expect(store.takes).toEqual([{ key: expect.any(String), ...expected }]);
  });

  it('throttle with a burst-only setting (the account rate fills in)', async () => {
    const clock = new TestClock();
    const app = createApp(stageApi(clock, [setting('/*', '*', undefined, 1)]), express);
    await request(app).get('/prod/pets').expect(200);
    expect((await request(app).get('/prod/pets')).status).toBe(429);
  });

  // For GET /pets: /pets/GET > /pets/* > /*/GET > /*/*, whatever the order in the list.
  const ranked = [
    setting('/pets', 'GET', 1, 11),
    setting('/pets', '*', 2, 12),
    setting('/*', 'GET', 3, 13),
    setting('/*', '*', 4, 14),
  ];
  const pairs: [MethodSetting, MethodSetting][] = [];
  for (let i = 0; i < ranked.length; i++) {
    for (let j = i + 1; j < ranked.length; j++) {
      pairs.push([ranked[i], ranked[j]], [ranked[j], ranked[i]]);
    }
  }
  const name = (s: MethodSetting) => `${s.resourcePath}/${s.httpMethod}`;

  it.each(pairs.map((pair) => [name(pair[0]), name(pair[1]), pair] as const))(
    'let the most specific of %s and %s win',
    async (_a, _b, pair) => {
      const clock = new TestClock();
      const store = new RecordingStore(clock.now);
      await request(createApp(stageApi(clock, [...pair], store), express))
        .get('/prod/pets')
        .expect(200);
      const winner = ranked.find((s) => pair.includes(s)) as MethodSetting;
      expect(store.takes).toEqual([
        {
          key: expect.any(String),
          rateLimit: winner.throttlingRateLimit,
          burstLimit: winner.throttlingBurstLimit,
        },
      ]);
    },
  );

  it('take each of rate and burst from the most specific setting that gives it', async () => {
    const clock = new TestClock();
    const store = new RecordingStore(clock.now);
    const settings = [
      setting('/pets', 'GET', 5),
      setting('/*', '*', 7, 9),
      setting('/pets', '*', undefined, 6),
    ];
    const app = createApp(stageApi(clock, settings, store), express);
    await request(app).get('/prod/pets').expect(200);
    await request(app).post('/prod/pets').expect(200);
    expect(store.takes.map(({ rateLimit, burstLimit }) => [rateLimit, burstLimit])).toEqual([
      [5, 6],
      [7, 6],
    ]);
  });

  it('leave a method no setting names unthrottled', async () => {
    const clock = new TestClock();
    const store = new RecordingStore(clock.now);
    const app = createApp(stageApi(clock, [setting('/pets', 'POST', 1, 1)], store), express);
    await request(app).get('/prod/pets').expect(200);
    expect(store.takes).toEqual([]);
  });
});
