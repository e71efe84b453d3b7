import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import type { UsagePlan } from '../../src/config/types.js';
import { type ApiGatewayOptions, apiGateway, type Method } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

const TOO_MANY = '{"message":"Too Many Requests"}';
const LIMIT_EXCEEDED = '{"message":"Limit Exceeded"}';

/** Wednesday 3 January 2024, noon UTC. */
const WEDNESDAY = Date.UTC(2024, 0, 3, 12);

/** The gateway's clock, moved by the test. */
function testClock(start = WEDNESDAY) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    set: (ms: number) => {
      now = ms;
    },
  };
}

const keyed = (): Method => ({ apiKeyRequired: true, ...proxy('echoEvent') });

function planApi(
  clock: { now: () => number },
  plans: UsagePlan[],
  overrides: Partial<ApiGatewayOptions> = {},
): ApiGatewayOptions {
  return {
    clock: clock.now,
    functions: { echoEvent },
    apiKeys: ['key-a', 'key-b', 'key-c'],
    usagePlans: plans,
    resources: {
      '/pets': { GET: keyed(), POST: keyed() },
      '/': { GET: keyed() },
    },
    ...overrides,
  };
}

function expectThrottled(res: request.Response): void {
  expect(res.status).toBe(429);
  expect(res.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
  expect(res.headers['retry-after']).toBeUndefined();
  expect(res.text).toBe(TOO_MANY);
}

function expectQuotaExceeded(res: request.Response): void {
  expect(res.status).toBe(429);
  expect(res.headers['x-amzn-errortype']).toBe('LimitExceededException');
  expect(res.headers['retry-after']).toBeUndefined();
  expect(res.text).toBe(LIMIT_EXCEEDED);
}

describe.each(EXPRESS_VERSIONS)('usage plan throttling (Express %s)', (_v, express) => {
  it('lets a burst of 2 through, throttles the 3rd with 429 Too Many Requests, and lets one more in a second later', async () => {
    const clock = testClock();
    const app = createApp(
      planApi(clock, [{ name: 'p', apiKeys: ['key-a'], throttle: { rateLimit: 1, burstLimit: 2 } }]),
      express,
    );
    const get = () => request(app).get('/prod/pets').set('x-api-key', 'key-a');
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    expectThrottled(await get());
    clock.advance(999);
    expectThrottled(await get());
    clock.advance(1);
    expect((await get()).status).toBe(200);
    expectThrottled(await get());
  });

  it('throttles across the methods of the stage: the plan throttle is one budget per key', async () => {
    const clock = testClock();
    const app = createApp(
      planApi(clock, [{ name: 'p', apiKeys: ['key-a'], throttle: { rateLimit: 1, burstLimit: 2 } }]),
      express,
    );
    expect((await request(app).get('/prod/pets').set('x-api-key', 'key-a')).status).toBe(200);
    expect((await request(app).post('/prod/pets').set('x-api-key', 'key-a')).status).toBe(200);
    expectThrottled(await request(app).get('/prod/').set('x-api-key', 'key-a'));
  });

  it('gives each key of a plan its own budget, and keys of another plan theirs', async () => {
    const clock = testClock();
    const app = createApp(
      planApi(clock, [
        { name: 'p', apiKeys: ['key-a', 'key-b'], throttle: { rateLimit: 1, burstLimit: 1 } },
        { name: 'q', apiKeys: ['key-c'], throttle: { rateLimit: 1, burstLimit: 1 } },
      ]),
      express,
    );
    const get = (key: string) => request(app).get('/prod/pets').set('x-api-key', key);
    expect((await get('key-a')).status).toBe(200);
    expectThrottled(await get('key-a'));
    expect((await get('key-b')).status).toBe(200);
    expectThrottled(await get('key-b'));
    expect((await get('key-c')).status).toBe(200);
    expectThrottled(await get('key-c'));
  });

  it("limits only the method a plan's methodThrottle names", async () => {
    const clock = testClock();
    const app = createApp(
      planApi(clock, [
        {
          name: 'p',
          apiKeys: ['key-a', 'key-b'],
          throttle: { rateLimit: 100, burstLimit: 100 },
          methodThrottle: { '/pets/GET': { rateLimit: 1, burstLimit: 1 } },
        },
      ]),
      express,
    );
    expect((await request(app).get('/prod/pets').set('x-api-key', 'key-a')).status).toBe(200);
    expectThrottled(await request(app).get('/prod/pets').set('x-api-key', 'key-a'));
    for (let i = 0; i < 5; i++) {
      expect((await request(app).post('/prod/pets').set('x-api-key', 'key-a')).status).toBe(200);
      expect((await request(app).get('/prod/').set('x-api-key', 'key-a')).status).toBe(200);
    }
    // Per key, as the plan throttle is.
    expect((await request(app).get('/prod/pets').set('x-api-key', 'key-b')).status).toBe(200);
    clock.advance(1000);
    expect((await request(app).get('/prod/pets').set('x-api-key', 'key-a')).status).toBe(200);
  });

  it("throttles the root resource's methods by their '//GET' key", async () => {
    const clock = testClock();
    const app = createApp(
      planApi(clock, [
        { name: 'p', apiKeys: ['key-a'], methodThrottle: { '//GET': { rateLimit: 1, burstLimit: 1 } } },
      ]),
      express,
    );
    expect((await request(app).get('/prod/').set('x-api-key', 'key-a')).status).toBe(200);
    expectThrottled(await request(app).get('/prod/').set('x-api-key', 'key-a'));
    expect((await request(app).get('/prod/pets').set('x-api-key', 'key-a')).status).toBe(200);
  });

  it('limits every caller of a method by the stage methodSettings, without any key, the most specific setting winning', async () => {
    const clock = testClock();
    const app = createApp(
      {
        clock: clock.now,
        functions: { echoEvent },
        resources: {
          '/pets': { GET: proxy('echoEvent'), POST: proxy('echoEvent') },
          '/toys': { GET: proxy('echoEvent') },
        },
        methodSettings: [
          { resourcePath: '/*', httpMethod: '*', throttlingRateLimit: 1, throttlingBurstLimit: 2 },
          { resourcePath: '/pets', httpMethod: 'GET', throttlingRateLimit: 1, throttlingBurstLimit: 1 },
        ],
      },
      express,
    );
    expect((await request(app).get('/prod/pets').set('X-Forwarded-For', '198.51.100.1')).status).toBe(200);
    expectThrottled(await request(app).get('/prod/pets').set('X-Forwarded-For', '198.51.100.2'));
    // Each method has its own bucket under the '/*' '*' default.
    for (const path of ['/prod/toys']) {
      expect((await request(app).get(path)).status).toBe(200);
      expect((await request(app).get(path)).status).toBe(200);
      expectThrottled(await request(app).get(path));
    }
    expect((await request(app).post('/prod/pets')).status).toBe(200);
    expect((await request(app).post('/prod/pets')).status).toBe(200);
    expectThrottled(await request(app).post('/prod/pets'));
    clock.advance(1000);
    expect((await request(app).get('/prod/pets')).status).toBe(200);
    expectThrottled(await request(app).get('/prod/pets'));
  });

  it("takes a method setting's missing field from a less specific setting, then from the account's limits", async () => {
    const clock = testClock();
    const app = createApp(
      {
        clock: clock.now,
        functions: { echoEvent },
        resources: { '/pets': { GET: proxy('echoEvent'), POST: proxy('echoEvent') } },
        methodSettings: [
          { resourcePath: '/*', httpMethod: '*', throttlingBurstLimit: 2 },
          { resourcePath: '/pets', httpMethod: 'GET', throttlingRateLimit: 1 },
          { resourcePath: '/pets', httpMethod: 'POST', throttlingBurstLimit: 3 },
        ],
      },
      express,
    );
    // GET: rate 1 from its own setting, burst 2 from '/*' '*'.
    expect((await request(app).get('/prod/pets')).status).toBe(200);
    expect((await request(app).get('/prod/pets')).status).toBe(200);
    expectThrottled(await request(app).get('/prod/pets'));
    // POST: burst 3, rate 10,000 per second (the account's): 3 now, 3 more a millisecond later.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++) expect((await request(app).post('/prod/pets')).status).toBe(200);
      expectThrottled(await request(app).post('/prod/pets'));
      clock.advance(1);
    }
  });

  it('throttles at the stage before the key is checked: a request with a refused key spends the stage throttle', async () => {
    const clock = testClock();
    const app = createApp(
      planApi(clock, [{ name: 'p', apiKeys: ['key-a'] }], {
        methodSettings: [
          { resourcePath: '/pets', httpMethod: 'GET', throttlingRateLimit: 1, throttlingBurstLimit: 1 },
        ],
      }),
      express,
    );
    expect((await request(app).get('/prod/pets').set('x-api-key', 'nope')).status).toBe(403);
    expectThrottled(await request(app).get('/prod/pets').set('x-api-key', 'key-a'));
    clock.advance(1000);
    expect((await request(app).get('/prod/pets').set('x-api-key', 'key-a')).status).toBe(200);
  });
});

describe.each(EXPRESS_VERSIONS)('usage plan quotas (Express %s)', (_v, express) => {
  const quotaApp = (clock: { now: () => number }, quota: UsagePlan['quota']) =>
    createApp(planApi(clock, [{ name: 'p', apiKeys: ['key-a', 'key-b'], quota }]), express);
  const get = (app: ReturnType<typeof createApp>, key = 'key-a') =>
    request(app).get('/prod/pets').set('x-api-key', key);

  it('lets 5 requests a DAY through, answers the 6th 429 Limit Exceeded, and starts again at 00:00 UTC', async () => {
    const clock = testClock();
    const app = quotaApp(clock, { limit: 5, period: 'DAY' });
    for (let i = 0; i < 5; i++) expect((await get(app)).status).toBe(200);
    expectQuotaExceeded(await get(app));
    // Another key of the same plan has a quota of its own.
    expect((await get(app, 'key-b')).status).toBe(200);
    clock.set(Date.UTC(2024, 0, 3, 23, 59, 59, 999));
    expectQuotaExceeded(await get(app));
    clock.set(Date.UTC(2024, 0, 4));
    for (let i = 0; i < 5; i++) expect((await get(app)).status).toBe(200);
    expectQuotaExceeded(await get(app));
  });

  it('starts a WEEK quota again on Sunday 00:00 UTC', async () => {
    const clock = testClock();
    const app = quotaApp(clock, { limit: 2, period: 'WEEK' });
    expect((await get(app)).status).toBe(200);
    clock.set(Date.UTC(2024, 0, 5)); // Friday
    expect((await get(app)).status).toBe(200);
    expectQuotaExceeded(await get(app));
    clock.set(Date.UTC(2024, 0, 6, 23, 59, 59, 999)); // Saturday night
    expectQuotaExceeded(await get(app));
    clock.set(Date.UTC(2024, 0, 7)); // Sunday
    expect((await get(app)).status).toBe(200);
    expect((await get(app)).status).toBe(200);
    expectQuotaExceeded(await get(app));
  });

  it('starts a MONTH quota again on the 1st at 00:00 UTC', async () => {
    const clock = testClock();
    const app = quotaApp(clock, { limit: 1, period: 'MONTH' });
    expect((await get(app)).status).toBe(200);
    clock.set(Date.UTC(2024, 0, 31, 23, 59, 59, 999));
    expectQuotaExceeded(await get(app));
    clock.set(Date.UTC(2024, 1, 1));
    expect((await get(app)).status).toBe(200);
    expectQuotaExceeded(await get(app));
  });

  it('takes offset requests off the first period only', async () => {
    const clock = testClock();
    const app = quotaApp(clock, { limit: 5, period: 'DAY', offset: 2 });
    for (let i = 0; i < 3; i++) expect((await get(app)).status).toBe(200);
    expectQuotaExceeded(await get(app));
    clock.set(Date.UTC(2024, 0, 4));
    for (let i = 0; i < 5; i++) expect((await get(app)).status).toBe(200);
    expectQuotaExceeded(await get(app));
  });

  it('answers a throttled request 429 Too Many Requests without spending quota', async () => {
    const clock = testClock();
    const app = createApp(
      planApi(clock, [
        {
          name: 'p',
          apiKeys: ['key-a'],
          throttle: { rateLimit: 1, burstLimit: 1 },
          quota: { limit: 2, period: 'DAY' },
        },
      ]),
      express,
    );
    expect((await get(app)).status).toBe(200);
    for (let i = 0; i < 3; i++) expectThrottled(await get(app));
    clock.advance(1000);
    expect((await get(app)).status).toBe(200);
    clock.advance(1000);
    expectQuotaExceeded(await get(app));
  });
});

/** A TOKEN authorizer: `allow:<key>` lets in with that usageIdentifierKey, `deny` denies, anything else is 401. */
async function keyAuthorizer(event: { authorizationToken: string }) {
  const [verdict, usageIdentifierKey] = event.authorizationToken.split(':');
  if (verdict !== 'allow' && verdict !== 'deny') throw new Error('Unauthorized');
  return {
    principalId: 'user-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: verdict === 'allow' ? 'Allow' : 'Deny', Action: 'execute-api:Invoke', Resource: '*' },
      ],
    },
    usageIdentifierKey,
  };
}

describe.each(EXPRESS_VERSIONS)('what a refused request spends (Express %s)', (_v, express) => {
  const authorized = (apiKeySource: 'HEADER' | 'AUTHORIZER'): ApiGatewayOptions => ({
    clock: testClock().now,
    apiKeySource,
    functions: { echoEvent, auth: keyAuthorizer },
    authorizers: {
      'key-auth': { type: 'TOKEN', function: 'auth', identitySource: 'method.request.header.Authorization' },
    },
    apiKeys: ['key-a', 'key-b'],
    usagePlans: [{ name: 'p', apiKeys: ['key-a'], quota: { limit: 2, period: 'DAY' } }],
    resources: { '/pets': { GET: { authorizationType: 'CUSTOM', authorizer: 'key-auth', ...keyed() } } },
  });

  it('spends no quota on a request the authorizer or the key check refused (x-api-key)', async () => {
    const app = createApp(authorized('HEADER'), express);
    const get = () => request(app).get('/prod/pets').set('x-api-key', 'key-a');
    for (let i = 0; i < 3; i++) {
      expect((await get()).status).toBe(401); // no token
      expect((await get().set('Authorization', 'nope')).status).toBe(401);
      expect((await get().set('Authorization', 'deny')).status).toBe(403);
      expect((await request(app).get('/prod/pets').set('Authorization', 'allow')).status).toBe(403); // no key
    }
    expect((await get().set('Authorization', 'allow')).status).toBe(200);
    expect((await get().set('Authorization', 'allow')).status).toBe(200);
    expectQuotaExceeded(await get().set('Authorization', 'allow'));
  });

  it('spends no quota on a request the authorizer or the key check refused (usageIdentifierKey)', async () => {
    const app = createApp(authorized('AUTHORIZER'), express);
    const get = (token: string) => request(app).get('/prod/pets').set('Authorization', token);
    for (let i = 0; i < 3; i++) {
      expect((await get('nope:key-a')).status).toBe(401);
      expect((await get('deny:key-a')).status).toBe(403);
      expect((await get('allow:key-b')).status).toBe(403); // a key in no plan
      expect((await get('allow')).status).toBe(403); // no key
    }
    expect((await get('allow:key-a')).status).toBe(200);
    expect((await get('allow:key-a')).status).toBe(200);
    expectQuotaExceeded(await get('allow:key-a'));
  });
});

describe.each(EXPRESS_VERSIONS)(
  'key, throttle and quota refusals through gateway responses (Express %s)',
  (_v, express) => {
    it('renders INVALID_API_KEY and THROTTLED by their own responses, QUOTA_EXCEEDED by DEFAULT_4XX', async () => {
      const clock = testClock();
      const app = createApp(
        planApi(
          clock,
          [
            { name: 'p', apiKeys: ['key-a'], throttle: { rateLimit: 1, burstLimit: 1 } },
            { name: 'q', apiKeys: ['key-b'], quota: { limit: 1, period: 'DAY' } },
          ],
          {
            gatewayResponses: {
              INVALID_API_KEY: {
                statusCode: '401',
                responseTemplates: { 'application/json': '{"error":"$context.error.responseType"}' },
              },
              THROTTLED: { responseTemplates: { 'application/json': '{"slow":"down"}' } },
              DEFAULT_4XX: {
                responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
              },
            },
          },
        ),
        express,
      );
      const forbidden = await request(app).get('/prod/pets').set('x-api-key', 'nope');
      expect([forbidden.status, forbidden.text]).toEqual([401, '{"error":"INVALID_API_KEY"}']);

      expect((await request(app).get('/prod/pets').set('x-api-key', 'key-a')).status).toBe(200);
      const throttled = await request(app).get('/prod/pets').set('x-api-key', 'key-a');
      expect([throttled.status, throttled.text]).toEqual([429, '{"slow":"down"}']);
      expect(throttled.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
      // A type's own response replaces DEFAULT_4XX whole; QUOTA_EXCEEDED has none here.
      expect(throttled.headers['access-control-allow-origin']).toBeUndefined();

      expect((await request(app).get('/prod/pets').set('x-api-key', 'key-b')).status).toBe(200);
      const exceeded = await request(app).get('/prod/pets').set('x-api-key', 'key-b');
      expect([exceeded.status, exceeded.text]).toEqual([429, LIMIT_EXCEEDED]);
      expect(exceeded.headers['x-amzn-errortype']).toBe('LimitExceededException');
      expect(exceeded.headers['access-control-allow-origin']).toBe('*');
    });
  },
);

/** One listening server for many requests; closed with its gateway. */
async function listen(options: ApiGatewayOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const gateway = apiGateway({ logger: silentLogger(), ...options });
  const server: Server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await gateway.close();
    },
  };
}

describe('usage plans under concurrent requests (memory store)', () => {
  it('lets exactly 50 of 200 simultaneous requests through a quota of 50', async () => {
    const clock = testClock();
    const server = await listen(
      planApi(clock, [{ name: 'p', apiKeys: ['key-a'], quota: { limit: 50, period: 'DAY' } }]),
    );
    try {
      const answers = await Promise.all(
        Array.from({ length: 200 }, () => request(server.url).get('/prod/pets').set('x-api-key', 'key-a')),
      );
      const ok = answers.filter((r) => r.status === 200);
      const refused = answers.filter((r) => r.status === 429 && r.text === LIMIT_EXCEEDED);
      expect([ok.length, refused.length]).toEqual([50, 150]);
    } finally {
      await server.close();
    }
  });
});

describe('plan throttle (property)', () => {
  it('never lets more than burst + rate × elapsed seconds through, and always lets a full bucket through', async () => {
    const step = fc.record({
      advanceMs: fc.integer({ min: 0, max: 3000 }),
      requests: fc.integer({ min: 0, max: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(step, { minLength: 1, maxLength: 8 }),
        async (rateLimit, burstLimit, steps) => {
          const clock = testClock();
          const server = await listen(
            planApi(clock, [{ name: 'p', apiKeys: ['key-a'], throttle: { rateLimit, burstLimit } }]),
          );
          try {
            const fullAfterMs = Math.ceil((burstLimit * 1000) / rateLimit);
            let elapsed = 0;
            let passed = 0;
            let sinceLastRequest = Number.POSITIVE_INFINITY;
            for (const { advanceMs, requests } of steps) {
              clock.advance(advanceMs);
              elapsed += advanceMs;
              sinceLastRequest += advanceMs;
              const full = sinceLastRequest >= fullAfterMs;
              for (let i = 0; i < requests; i++) {
                const res = await fetch(`${server.url}/prod/pets`, { headers: { 'x-api-key': 'key-a' } });
                await res.arrayBuffer();
                expect([200, 429]).toContain(res.status);
                if (res.status === 200) passed++;
                expect(passed).toBeLessThanOrEqual(burstLimit + (rateLimit * elapsed) / 1000);
                if (full && i < burstLimit) expect(res.status).toBe(200);
                sinceLastRequest = 0;
              }
            }
          } finally {
            await server.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
