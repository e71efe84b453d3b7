import http from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import request from 'supertest';
import { httpApiPaths } from '../../src/http-api/domains/http-api-paths.js';
import type { CustomDomainName, HttpApiMiddleware, HttpApiOptions } from '../../src/index.js';
import { apiGateway, ConfigError, customDomains, httpApi } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';
import { echo } from './hosts.js';

const opened: HttpApiMiddleware[] = [];
afterAll(async () => {
  await Promise.all(opened.splice(0).map((api) => api.close()));
});

function mount(options: HttpApiOptions): HttpApiMiddleware {
  const api = httpApi({ logger: silentLogger(), functions: { echo }, ...options });
  opened.push(api);
  return api;
}

/** pets: `$default` stage, 2.0; orders: stage `live`, 2.0; legacy: payload 1.0. */
function domains(): Record<string, CustomDomainName> {
  const pets = mount({
    routes: { 'GET /pets/{id}': { integration: { function: 'echo' } } },
    apiId: 'pets123456',
  });
  const orders = mount({
    stageName: 'live',
    apiId: 'orders1234',
    routes: {
      'GET /{orderId}': {
        integration: {
          function: 'echo',
          // $context through parameter mapping sees the domain and the mapping key.
          requestParameters: {
            'overwrite:header.x-base': '$context.customDomain.basePathMatched',
            'overwrite:header.x-domain': '$context.domainName',
          },
        },
      },
    },
  });
  const legacy = mount({
    routes: { 'GET /pets/{id}': { integration: { function: 'echo', payloadFormatVersion: '1.0' } } },
  });
  const rest = apiGateway({
    stageName: 'prod',
    logger: silentLogger(),
    functions: { echo: echoEvent },
    resources: { '/pets/{id}': { GET: proxy('echo') } },
  });
  return {
    'api.example.com': {
      mappings: { '': pets, 'v1/orders': { httpApi: orders, stage: 'live' }, legacy, rest },
    },
    'admin.example.com': { mappings: { internal: pets } },
  };
}

const HOSTS: [string, () => http.RequestListener][] = [
  ...EXPRESS_VERSIONS.map(([version, factory]): [string, () => http.RequestListener] => [
    `Express ${version}`,
    () => {
      const app = factory();
      app.use(customDomains(domains()));
      app.use((_req, res) => {
        res.status(404).send('host app');
      });
      return app as unknown as http.RequestListener;
    },
  ]),
  [
    'node:http',
    () => {
      const handler = customDomains(domains());
      return (req, res) => handler(req, res);
    },
  ],
];

const v2 = (res: request.Response) => JSON.parse(res.text) as APIGatewayProxyEventV2;
const v1 = (res: request.Response) => JSON.parse(res.text) as APIGatewayProxyEvent;

describe.each(HOSTS)('HTTP APIs behind custom domains, %s', (name, host) => {
  const app = host();

  test('the root mapping: rawPath and http.path as on the execute-api URL, domainName the custom domain', async () => {
    const res = await request(app).get('/pets/7').set('Host', 'API.example.com:8443');
    expect(res.status).toBe(200);
    const event = v2(res);
    expect(event).toMatchObject({
      rawPath: '/pets/7',
      routeKey: 'GET /pets/{id}',
      pathParameters: { id: '7' },
      requestContext: {
        apiId: 'pets123456',
        domainName: 'api.example.com',
        domainPrefix: 'api',
        stage: '$default',
        http: { path: '/pets/7' },
      },
    });
    // The Host header itself is passed on as sent.
    expect(event.headers.host).toBe('API.example.com:8443');
  });

  test('a multi-level key: routes below it; rawPath has the named stage, not the key', async () => {
    const res = await request(app).get('/v1/orders/42').set('Host', 'api.example.com');
    expect(res.status).toBe(200);
    const event = v2(res);
    expect(event).toMatchObject({
      rawPath: '/live/42',
      routeKey: 'GET /{orderId}',
      pathParameters: { orderId: '42' },
      requestContext: { stage: 'live', http: { path: '/live/42' }, domainName: 'api.example.com' },
    });
    expect(event.headers['x-base']).toBe('v1/orders');
    expect(event.headers['x-domain']).toBe('api.example.com');
  });

  test('escapes below the key are decoded as rawPath decodes them (twice)', async () => {
    const res = await request(app).get('/v1/orders/a%2520b').set('Host', 'api.example.com');
    expect(v2(res)).toMatchObject({ rawPath: '/live/a b', pathParameters: { orderId: 'a b' } });
    const lone = await request(app).get('/v1/orders/percent%25done').set('Host', 'api.example.com');
    expect(lone.status).toBe(400);
  });

  test('payload 1.0: path and requestContext.path keep the mapping key', async () => {
    const res = await request(app).get('/legacy/pets/7').set('Host', 'api.example.com');
    expect(res.status).toBe(200);
    const event = v1(res);
    expect(event).toMatchObject({
      version: '1.0',
      path: '/legacy/pets/7',
      resource: '/pets/{id}',
      requestContext: { path: '/legacy/pets/7', domainName: 'api.example.com', domainPrefix: 'api' },
    });
  });

  test('a REST API on the same domain keeps its own event', async () => {
    const res = await request(app).get('/rest/pets/7').set('Host', 'api.example.com');
    expect(res.status).toBe(200);
    expect(v1(res)).toMatchObject({ path: '/rest/pets/7', resource: '/pets/{id}' });
  });

  test('no route below the mapping: the HTTP API’s 404 Not Found, never the host app', async () => {
    for (const path of ['/v1/orders', '/v1/orders/1/2', '/nothing']) {
      const res = await request(app).get(path).set('Host', 'api.example.com');
      expect(res.status).toBe(404);
      expect(res.text).toBe('{"message":"Not Found"}');
      expect(res.headers['apigw-requestid']).toBeDefined();
    }
  });

  test('a path no mapping covers: the domain’s 403 Forbidden', async () => {
    const res = await request(app).get('/pets/7').set('Host', 'admin.example.com');
    expect(res.status).toBe(403);
    expect(res.text).toBe('{"message":"Forbidden"}');
    const mapped = await request(app).get('/internal/pets/7').set('Host', 'admin.example.com');
    expect(v2(mapped)).toMatchObject({ rawPath: '/pets/7', requestContext: { domainPrefix: 'admin' } });
  });

  test('another Host is not the domains’ (the host app, or 404 on node:http)', async () => {
    const res = await request(app).get('/pets/7').set('Host', 'other.example.com');
    expect(res.status).toBe(404);
    if (name !== 'node:http') expect(res.text).toBe('host app');
  });
});

describe('disableExecuteApiEndpoint on an HTTP API', () => {
  const options: HttpApiOptions = {
    stageName: 'dev',
    disableExecuteApiEndpoint: true,
    routes: { 'GET /pets/{id}': { integration: { function: 'echo' } } },
  };

  test('its own URL answers 403 Forbidden; a custom domain serves it', async () => {
    const api = mount(options);
    const handler = customDomains({ 'api.example.com': { mappings: { v2: api } } });
    const server = http.createServer((req, res) =>
      req.headers.host === 'api.example.com' ? handler(req, res) : api(req, res),
    );
    const own = await request(server).get('/dev/pets/1');
    expect(own.status).toBe(403);
    expect(own.text).toBe('{"message":"Forbidden"}');
    const mapped = await request(server).get('/v2/pets/1').set('Host', 'api.example.com');
    expect(mapped.status).toBe(200);
    expect(v2(mapped).rawPath).toBe('/dev/pets/1');
  });

  test('outside its stage, the host app still gets the request', async () => {
    const [, factory] = EXPRESS_VERSIONS[0];
    const app = factory();
    app.use(mount(options));
    app.get('/health', (_req, res) => {
      res.send('ok');
    });
    expect((await request(app).get('/health')).text).toBe('ok');
  });

  test('not a boolean: ConfigError', () => {
    expect(() => mount({ ...options, disableExecuteApiEndpoint: 'yes' as never })).toThrow(
      /disableExecuteApiEndpoint: true or false/,
    );
  });
});

describe('HTTP API mappings refused', () => {
  test('a stage the API does not serve: ready rejects, naming the mapping', async () => {
    const api = mount({ stageName: 'dev', routes: { 'GET /a': { integration: { function: 'echo' } } } });
    const handler = customDomains({
      'api.example.com': { mappings: { v1: { httpApi: api, stage: 'prod' } } },
    });
    await expect(handler.ready).rejects.toThrow(ConfigError);
    await expect(handler.ready).rejects.toThrow(
      `customDomains["api.example.com"].mappings["v1"].stage: 'prod' is not the stage this HTTP API serves ('dev')`,
    );
  });

  test('a stage that is no stage name, or a mapping that is no HTTP API', () => {
    const api = mount({ routes: { 'GET /a': { integration: { function: 'echo' } } } });
    expect(() =>
      customDomains({ 'api.example.com': { mappings: { v1: { httpApi: api, stage: 'my stage' } } } }),
    ).toThrow('customDomains["api.example.com"].mappings["v1"].stage: "$default" or a stage name');
    expect(() =>
      customDomains({ 'api.example.com': { mappings: { v1: { httpApi: (() => undefined) as never } } } }),
    ).toThrow('customDomains["api.example.com"].mappings["v1"].httpApi: what httpApi() returned');
  });
});

describe('httpApiPaths', () => {
  const segment = fc.stringMatching(/^[A-Za-z0-9$\-_.+!*'()]{1,8}$/);
  const rest = fc
    .array(fc.stringMatching(/^[A-Za-z0-9._~-]{0,8}$/), { maxLength: 4 })
    .map((s) => s.map((p) => `/${p}`).join(''));

  test('behind a key: routes below it, rawPath is the stage prefix and the rest, 1.0 path keeps the key', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        rest,
        fc.constantFrom('', '/dev'),
        (key, tail, stage) => {
          const basePath = `/${key.join('/')}`;
          const paths = httpApiPaths(`${basePath}${tail}`, stage, {
            domainName: 'api.example.com',
            basePath,
            basePathMatched: key.join('/'),
            stageInPath: false,
          });
          expect(paths).toEqual({
            rawPath: `${stage}${tail}` || '/',
            routePath: tail || '/',
            customDomain: {
              domainName: 'api.example.com',
              basePathMatched: key.join('/'),
              path: `${basePath}${tail}`,
            },
          });
        },
      ),
    );
  });
});
