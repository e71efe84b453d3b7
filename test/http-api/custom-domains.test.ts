import http from 'node:http';
import path from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import request from 'supertest';
import { loadHttpApiDefinitions } from '../../src/http-api/definitions/load-http-api-definition.js';
import { readHttpApiMappings } from '../../src/http-api/domains/http-api-definition-domains.js';
import { httpApiPaths } from '../../src/http-api/domains/http-api-paths.js';
import type { CustomDomainName, HttpApiMiddleware, HttpApiOptions } from '../../src/index.js';
import { apiGateway, ConfigError, customDomains, definitionDomainNames, httpApi } from '../../src/index.js';
import { type CliServer, serveCli } from '../support/cli-process.js';
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

describe('access logs behind a custom domain', () => {
  test('$context.customDomain.basePathMatched and $context.domainName are the mapping’s', async () => {
    const lines: string[] = [];
    const api = mount({
      routes: { 'GET /{id}': { integration: { function: 'echo' } } },
      accessLogSettings: {
        format: '$context.requestId $context.customDomain.basePathMatched $context.domainName',
        destination: (line: string) => lines.push(line),
      },
    });
    const app = http.createServer(customDomains({ 'api.example.com': { mappings: { 'v1/orders': api } } }));
    expect((await request(app).get('/v1/orders/7').set('Host', 'api.example.com')).status).toBe(200);
    expect((await request(http.createServer(api)).get('/7')).status).toBe(200);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\S+ v1\/orders api\.example\.com$/);
    // On the execute-api URL no base path matched.
    expect(lines[1]).toMatch(/^\S+ - /);
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
    // Served anyway, the mapping refuses rather than serve another stage.
    const res = await request(http.createServer((req, res) => handler(req, res)))
      .get('/v1/a')
      .set('Host', 'api.example.com');
    expect([res.status, res.text]).toEqual([403, '{"message":"Forbidden"}']);
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

const FIXTURES = path.join(__dirname, '../fixtures/definitions/http-api/domains');
const at = (file: string) => path.join(FIXTURES, file);

describe('HTTP API mappings read from definitions', () => {
  test('SAM HttpApi Domain: one ApiMapping per BasePath, slashes at the ends dropped, to the API’s stage', async () => {
    expect(await readHttpApiMappings({ template: at('sam.yaml') })).toEqual([
      {
        domainName: 'api.example.com',
        basePath: 'v2',
        apiId: 'PetsHttpApi',
        stage: 'dev',
        where: 'Resources.PetsHttpApi.Properties.Domain',
      },
      {
        domainName: 'api.example.com',
        basePath: 'orders/live',
        apiId: 'PetsHttpApi',
        stage: 'dev',
        where: 'Resources.PetsHttpApi.Properties.Domain',
      },
    ]);
  });

  test('CloudFormation: AWS::ApiGatewayV2::ApiMapping to an HTTP API, its DomainName and Stage by Ref', async () => {
    expect(await readHttpApiMappings({ template: at('cfn.json') })).toEqual([
      {
        domainName: 'api.example.org',
        basePath: 'shop/orders',
        apiId: 'OrdersHttpApi5B3A7C11',
        stage: 'live',
        where: 'Resources.OrdersMapping5A6B7C8D.Properties',
      },
      {
        domainName: 'api.example.org',
        basePath: '',
        apiId: 'OrdersHttpApi5B3A7C11',
        stage: 'live',
        where: 'Resources.RootMapping9E8D7C6B.Properties',
      },
    ]);
  });

  test('serverless-domain-manager: apiType http and `http:` items, the $default stage; REST items are not the HTTP API’s', async () => {
    expect(await readHttpApiMappings({ serverless: at('serverless.yml') })).toEqual([
      { domainName: 'pets.example.net', basePath: '', stage: '$default', where: 'custom.customDomain' },
      {
        domainName: 'api.example.net',
        basePath: 'v2',
        stage: '$default',
        where: 'custom.customDomains[0].http',
      },
    ]);
  });

  test('SAM: a mapping by `!Ref Api.Stage` and Globals.HttpApi.Domain for the implicit API', async () => {
    const template = {
      Transform: 'AWS::Serverless-2016-10-31',
      Globals: { HttpApi: { Domain: { DomainName: 'api.example.com', BasePath: '/' } } },
      Resources: {
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: { Handler: 'a.b', CodeUri: '.', Events: { E: { Type: 'HttpApi' } } },
        },
        Other: {
          Type: 'AWS::Serverless::HttpApi',
          Properties: { StageName: 'beta', Domain: { DomainName: 'b.example.com' } },
        },
        Extra: {
          Type: 'AWS::ApiGatewayV2::ApiMapping',
          Properties: {
            ApiId: { Ref: 'Other' },
            DomainName: 'c.example.com',
            Stage: { Ref: 'Other.Stage' },
            ApiMappingKey: 'x',
          },
        },
      },
    };
    const mappings = await readHttpApiMappings({ template });
    expect(mappings.map((m) => [m.domainName, m.basePath, m.apiId, m.stage])).toEqual([
      ['api.example.com', '', 'ServerlessHttpApi', '$default'],
      ['b.example.com', '', 'Other', 'beta'],
      ['c.example.com', 'x', 'Other', 'beta'],
    ]);
  });

  test('SAM: a BasePath with other characters than letters, digits, /, - and _ is refused, as SAM refuses it', async () => {
    const template = {
      Resources: {
        Api: {
          Type: 'AWS::Serverless::HttpApi',
          Properties: { Domain: { DomainName: 'a.example.com', BasePath: ['v1.0'] } },
        },
      },
    };
    await expect(readHttpApiMappings({ template })).rejects.toThrow(
      'Resources.Api.Properties.Domain.BasePath: "v1.0" (letters, digits, /, - and _)',
    );
  });
});

describe('HTTP APIs on the custom domains of their definition', () => {
  test('SAM: definitionDomainNames(source, httpApi()) serves the HttpApi’s Domain', async () => {
    const api = mount({ template: at('sam.yaml') });
    const handler = customDomains(
      await definitionDomainNames({ template: at('sam.yaml') }, api, silentLogger()),
    );
    await handler.ready;
    const server = http.createServer((req, res) => handler(req, res));
    const res = await request(server).get('/v2/pets/7').set('Host', 'api.example.com');
    expect(res.status).toBe(200);
    expect(v2(res)).toMatchObject({
      rawPath: '/dev/pets/7',
      routeKey: 'GET /pets/{id}',
      requestContext: { stage: 'dev', domainName: 'api.example.com', domainPrefix: 'api' },
    });
    expect((await request(server).get('/orders/live/pets/8').set('Host', 'api.example.com')).status).toBe(
      200,
    );
    // The REST API's `v1` is not this HTTP API's: no mapping, the domain refuses.
    expect((await request(server).get('/v1/pets/7').set('Host', 'api.example.com')).status).toBe(403);
  });

  test('CloudFormation: the ApiMappings of a cdk-synth-like template, payload 1.0 behind a multi-level key', async () => {
    const api = mount({ template: at('cfn.json') });
    const app = EXPRESS_VERSIONS[1][1]();
    app.use(customDomains(await definitionDomainNames({ template: at('cfn.json') }, api, silentLogger())));
    const res = await request(app).get('/shop/orders/42').set('Host', 'api.example.org');
    expect(res.status).toBe(200);
    expect(v1(res)).toMatchObject({
      version: '1.0',
      path: '/shop/orders/42',
      resource: '/{orderId}',
      pathParameters: { orderId: '42' },
      requestContext: { stage: 'live', domainName: 'api.example.org' },
    });
    const root = await request(app).get('/42').set('Host', 'api.example.org');
    expect(v1(root)).toMatchObject({ path: '/42', requestContext: { stage: 'live' } });
  });

  test('serverless: the HTTP domains of serverless-domain-manager', async () => {
    const api = mount({ serverless: at('serverless.yml') });
    const handler = customDomains(
      await definitionDomainNames({ serverless: at('serverless.yml') }, api, silentLogger()),
    );
    const server = http.createServer((req, res) => handler(req, res));
    const res = await request(server).get('/v2/pets/3').set('Host', 'api.example.net');
    expect(v2(res)).toMatchObject({ rawPath: '/pets/3', requestContext: { domainName: 'api.example.net' } });
    expect((await request(server).get('/pets/3').set('Host', 'pets.example.net')).status).toBe(200);
  });

  test('a mapping to a stage the API does not serve is left out, with a warning', async () => {
    const api = mount({ template: at('cfn.json'), stageName: 'beta' });
    const logger = silentLogger();
    expect(await definitionDomainNames({ template: at('cfn.json') }, api, logger)).toEqual({});
    expect(logger.calls.map((c) => String(c.args[0]))).toContain(
      'apigw-express: Resources.OrdersMapping5A6B7C8D.Properties: maps api.example.org/shop/orders to stage live of OrdersHttpApi5B3A7C11, which serves beta; left out',
    );
  });
});

describe('serve: HTTP API and REST API mappings of one template on one domain', () => {
  let server: CliServer;
  beforeAll(async () => {
    server = await serveCli(['sam.yaml'], FIXTURES);
  }, 30_000);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  test('the Host picks the domain, the key the API: REST keeps the base path in path, the HTTP API’s rawPath has its stage', async () => {
    const origin = new URL(server.url).origin;
    const rest = await request(origin).get('/v1/pets/7').set('Host', 'api.example.com');
    expect(rest.status).toBe(200);
    expect(v1(rest)).toMatchObject({ path: '/v1/pets/7', requestContext: { stage: 'prod' } });
    const http2 = await request(origin).get('/v2/pets/7').set('Host', 'api.example.com');
    expect(http2.status).toBe(200);
    expect(v2(http2)).toMatchObject({
      rawPath: '/dev/pets/7',
      requestContext: { stage: 'dev', domainName: 'api.example.com' },
    });
    const missing = await request(origin).get('/v2/nothing').set('Host', 'api.example.com');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('{"message":"Not Found"}');
    // Neither API's mappings were taken for the other's.
    expect(server.output()).not.toMatch(/maps api\.example\.com/);
  });
});

describe('disableExecuteApiEndpoint read from definitions', () => {
  const sam = {
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      Api: { Type: 'AWS::Serverless::HttpApi', Properties: { DisableExecuteApiEndpoint: true } },
      Fn: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Handler: 'a.b',
          CodeUri: '.',
          Events: {
            E: { Type: 'HttpApi', Properties: { ApiId: { Ref: 'Api' }, Path: '/a', Method: 'GET' } },
          },
        },
      },
    },
  };
  const cfn = {
    Resources: {
      Api: {
        Type: 'AWS::ApiGatewayV2::Api',
        Properties: {
          ProtocolType: 'HTTP',
          Target: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
          DisableExecuteApiEndpoint: 'true',
        },
      },
    },
  };
  const sls = {
    service: 'pets',
    provider: { name: 'aws', httpApi: { disableDefaultEndpoint: true } },
    functions: { fn: { handler: 'a.b', events: [{ httpApi: 'GET /a' }] } },
  };

  test.each([
    ['SAM DisableExecuteApiEndpoint', { template: sam }],
    ['AWS::ApiGatewayV2::Api DisableExecuteApiEndpoint', { template: cfn }],
    ['serverless provider.httpApi.disableDefaultEndpoint', { serverless: sls }],
  ])('%s', async (_name, source) => {
    const [api] = await loadHttpApiDefinitions(source);
    expect(api.options.disableExecuteApiEndpoint).toBe(true);
  });

  test('served from the definition, its own URL answers 403', async () => {
    const api = mount({ template: sam, functions: { Fn: echo } });
    await api.ready;
    const res = await request(http.createServer((req, res) => api(req, res))).get('/a');
    expect(res.status).toBe(403);
    expect(res.text).toBe('{"message":"Forbidden"}');
  });
});
