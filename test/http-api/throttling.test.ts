import request from 'supertest';
import { routeThrottle } from '../../src/http-api/throttling.js';
import type { HttpApiOptions, UsageStore } from '../../src/index.js';
import { httpApi } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';
import { closeApis, HOSTS } from './hosts.js';

afterAll(closeApis);

const ok = async () => ({ statusCode: 200, body: '"ok"' });
const TOO_MANY = '{"message":"Too Many Requests"}';

function api(extra: Partial<HttpApiOptions>): HttpApiOptions {
  return {
    functions: { fn: { handler: ok as never } },
    routes: { 'GET /a': { integration: { function: 'fn' } }, 'GET /b': { integration: { function: 'fn' } } },
    ...extra,
  };
}

describe.each(HOSTS)('HTTP API throttling, %s', (_name, host) => {
  test('the stage default: each route has its own bucket; past the burst 429 with AWS body', async () => {
    let now = 1_000_000;
    const app = host(api({ throttle: { rateLimit: 1, burstLimit: 2 }, clock: () => now }));
    expect((await request(app).get('/a')).status).toBe(200);
    expect((await request(app).get('/a')).status).toBe(200);
    const refused = await request(app).get('/a');
    expect(refused.status).toBe(429);
    expect(refused.text).toBe(TOO_MANY);
    expect(refused.headers['content-type']).toBe('application/json');
    expect(refused.headers['apigw-requestid']).toBeDefined();
    // Another route is not spent by /a.
    expect((await request(app).get('/b')).status).toBe(200);
    // One second refills one token.
    now += 1000;
    expect((await request(app).get('/a')).status).toBe(200);
    expect((await request(app).get('/a')).status).toBe(429);
  });

  test('routeSettings override the stage default for their route', async () => {
    const now = 5_000;
    const app = host(
      api({
        throttle: { rateLimit: 100, burstLimit: 100 },
        routeSettings: { 'GET /b': { throttle: { burstLimit: 1 } } },
        clock: () => now,
      }),
    );
    expect((await request(app).get('/b')).status).toBe(200);
    expect((await request(app).get('/b')).status).toBe(429);
    expect((await request(app).get('/a')).status).toBe(200);
    expect((await request(app).get('/a')).status).toBe(200);
  });

  test('a limit of 0 refuses every request on the route', async () => {
    const app = host(api({ routeSettings: { 'GET /a': { throttle: { rateLimit: 0, burstLimit: 0 } } } }));
    expect((await request(app).get('/a')).status).toBe(429);
    expect((await request(app).get('/b')).status).toBe(200);
  });

  test('a failing store refuses the request (500), never lets it through', async () => {
    const store: UsageStore = {
      takeToken: async () => {
        throw new Error('down');
      },
      useQuota: async () => ({ allowed: true, used: 0 }),
    };
    const res = await request(host(api({ throttle: { rateLimit: 5, burstLimit: 5 }, store }))).get('/a');
    expect(res.status).toBe(500);
    expect(res.text).toBe('{"message":"Internal Server Error"}');
  });

  test('a store answering outside its contract refuses too', async () => {
    const store = {
      takeToken: async () => 'yes',
      useQuota: async () => ({ allowed: true, used: 0 }),
    } as unknown as UsageStore;
    const res = await request(host(api({ throttle: { rateLimit: 5, burstLimit: 5 }, store }))).get('/a');
    expect(res.status).toBe(500);
  });
});

describe('throttle settings', () => {
  test('route over stage over account, field by field', () => {
    expect(routeThrottle(undefined, undefined)).toEqual({ rateLimit: 10_000, burstLimit: 5_000 });
    expect(routeThrottle({ rateLimit: 5 }, { throttle: { burstLimit: 2 } })).toEqual({
      rateLimit: 5,
      burstLimit: 2,
    });
  });
  test('bad settings are ConfigErrors naming the field', () => {
    const build = (extra: object) => () =>
      httpApi({ ...api(extra as Partial<HttpApiOptions>), logger: silentLogger() });
    expect(build({ throttle: { rateLimit: -1 } })).toThrow(/throttle\.rateLimit/);
    expect(build({ throttle: { burstLimit: 1.5 } })).toThrow(/throttle\.burstLimit/);
    expect(build({ routeSettings: { 'GET /nope': { throttle: { burstLimit: 1 } } } })).toThrow(
      /routeSettings\["GET \/nope"\]: no such route/,
    );
    expect(build({ routeSettings: { 'GET /a': { throttling: {} } } })).toThrow(/unknown option "throttling"/);
  });
});
