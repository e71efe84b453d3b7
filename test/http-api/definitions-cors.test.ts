import path from 'node:path';
import express from 'express';
import request from 'supertest';
import type { HttpApiMiddleware, HttpApiOptions } from '../../src/index.js';
import { ConfigError, httpApi, loadHttpApiDefinitions } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

const DIR = path.join(__dirname, '../fixtures/definitions/http-api');
const at = (file: string) => path.join(DIR, file);
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const clock = () => NOW;
const opened: HttpApiMiddleware[] = [];
afterAll(() => Promise.all(opened.map((api) => api.close())));

async function serve(options: HttpApiOptions) {
  const api = httpApi({ logger: silentLogger(), clock, ...options });
  opened.push(api);
  await api.ready;
  return express().use(api);
}

const ORIGIN = 'https://app.example.com';

describe.each([
  [
    'SAM Globals.HttpApi CorsConfiguration',
    { template: at('sam-auth.yaml'), parameterOverrides: { ClientId: 'c' } },
  ],
  ['CloudFormation Api CorsConfiguration (cdk synth)', { template: at('cdk-auth.json') }],
  ['serverless provider.httpApi.cors', { serverless: at('serverless-auth.yml') }],
] as const)('%s', (_name, source) => {
  test("a preflight is answered from the definition's CORS, before the route's authorizer", async () => {
    const app = await serve(source);
    const res = await request(app)
      .options('/admin')
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-methods']).toBe('GET,POST');
    expect(res.headers['access-control-allow-headers']).toBe('authorization,x-token');
    expect(res.headers['access-control-max-age']).toBe('600');
    const other = await request(app)
      .options('/admin')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('an answer to an allowed origin carries access-control-allow-origin', async () => {
    const app = await serve(source);
    const res = await request(app).get('/open').set('Origin', ORIGIN);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
  });
});

describe.each([
  ['SAM RouteSettings', { template: at('sam-auth.yaml'), parameterOverrides: { ClientId: 'c' } }],
  ['CloudFormation Stage RouteSettings', { template: at('cdk-auth.json') }],
] as const)('%s', (_name, source) => {
  test('a route throttled by its RouteSettings answers 429; the stage default leaves others alone', async () => {
    const app = await serve(source);
    expect((await request(app).get('/limited')).status).toBe(200);
    const second = await request(app).get('/limited');
    expect(second.status).toBe(429);
    expect(second.text).toBe('{"message":"Too Many Requests"}');
    for (let i = 0; i < 3; i++) expect((await request(app).get('/open')).status).toBe(200);
  });

  test('DefaultRouteSettings is the stage throttle, RouteSettings the routes', async () => {
    const [api] = await loadHttpApiDefinitions(source);
    expect(api.options.throttle).toEqual({ burstLimit: 100, rateLimit: 50 });
    expect(api.options.routeSettings).toEqual({
      'GET /limited': { throttle: { burstLimit: 1, rateLimit: 1 } },
    });
  });
});

describe('CORS rules of each source', () => {
  test('SAM CorsConfiguration: true allows every origin', async () => {
    const [api] = await loadHttpApiDefinitions({ template: samApi({ CorsConfiguration: true }) });
    expect(api.options.cors).toEqual({ allowOrigins: ['*'] });
    const app = await serve({ template: samApi({ CorsConfiguration: true }) });
    const res = await request(app).get('/x').set('Origin', 'https://any.example');
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  test('SAM: an unknown CorsConfiguration key, and AllowCredentials with origin *, refuse to start', async () => {
    await expect(
      loadHttpApiDefinitions({ template: samApi({ CorsConfiguration: { AllowOrigin: 'x' } }) }),
    ).rejects.toThrow(/Resources\.Api\.Properties\.CorsConfiguration: unknown property "AllowOrigin"/);
    const api = httpApi({
      template: samApi({ CorsConfiguration: { AllowOrigins: ['*'], AllowCredentials: true } }),
      logger: silentLogger(),
    });
    await expect(api.ready).rejects.toThrow(ConfigError);
  });

  test("serverless cors: true is origin *, serverless's headers, OPTIONS and the routes' methods", async () => {
    const [api] = await loadHttpApiDefinitions({ serverless: at('serverless.yml') });
    expect(api.options.cors).toEqual({
      allowOrigins: ['*'],
      allowHeaders: [
        'Content-Type',
        'X-Amz-Date',
        'Authorization',
        'X-Api-Key',
        'X-Amz-Security-Token',
        'X-Amz-User-Agent',
        'X-Amzn-Trace-Id',
      ],
      // `GET /pets/{id}`, an ANY route and `*`: every method serverless knows.
      allowMethods: ['OPTIONS', 'GET', 'POST', 'PUT', 'PATCH', 'HEAD', 'DELETE'],
    });
  });

  test('serverless: a cors object keeps the default origins and headers it leaves out; methods from the routes', async () => {
    const doc = {
      service: 's',
      provider: {
        name: 'aws',
        httpApi: {
          cors: {
            allowCredentials: true,
            allowedOrigins: 'https://a.example',
            exposedResponseHeaders: ['x-id'],
          },
        },
      },
      functions: { f: { handler: 'h.f', events: [{ httpApi: 'POST /x' }] } },
    };
    const [api] = await loadHttpApiDefinitions({ serverless: doc });
    expect(api.options.cors).toMatchObject({
      allowOrigins: ['https://a.example'],
      allowMethods: ['OPTIONS', 'POST'],
      allowCredentials: true,
      exposeHeaders: ['x-id'],
    });
    expect(api.options.cors?.allowHeaders).toContain('X-Amzn-Trace-Id');
  });

  test('a RouteSettings key that names no route is a ConfigError', async () => {
    const api = httpApi({
      template: samApi({ RouteSettings: { 'GET /nope': { ThrottlingRateLimit: 1 } } }),
      logger: silentLogger(),
    });
    await expect(api.ready).rejects.toThrow(/routeSettings\["GET \/nope"\]: no such route/);
  });

  test('a SAM event RouteSettings joins the stage under its route key', async () => {
    const [api] = await loadHttpApiDefinitions({
      template: samApi({}, { RouteSettings: { ThrottlingBurstLimit: 2, DetailedMetricsEnabled: true } }),
    });
    expect(api.options.routeSettings).toEqual({ 'GET /x': { throttle: { burstLimit: 2 } } });
  });
});

function samApi(props: Record<string, unknown>, event: Record<string, unknown> = {}) {
  return {
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      Api: { Type: 'AWS::Serverless::HttpApi', Properties: props },
      F: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          CodeUri: DIR,
          Handler: 'src/handlers.plain',
          Runtime: 'nodejs20.x',
          Events: {
            X: {
              Type: 'HttpApi',
              Properties: { ApiId: { Ref: 'Api' }, Path: '/x', Method: 'GET', ...event },
            },
          },
        },
      },
    },
  };
}
