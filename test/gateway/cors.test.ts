import request from 'supertest';
import type { ResolvedOptions } from '../../src/config/types.js';
import { expandCors } from '../../src/gateway/cors.js';
import type { ApiGatewayOptions, Method, ResourceMethods } from '../../src/index.js';
import { apiGateway, ConfigError } from '../../src/index.js';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const DEFAULT_HEADERS = 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token';

const mock = (body: string, extra: Partial<Method['integration']> = {}): Method => ({
  integration: {
    type: 'MOCK',
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': body } }],
    ...extra,
  },
});

const proxy: Method = { integration: { type: 'AWS_PROXY', function: 'hello' } };

function api(
  resources: ResolvedOptions['resources'],
  more: Partial<ApiGatewayOptions> = {},
): ResolvedOptions {
  return {
    functions: {
      hello: async () => ({ statusCode: 200, body: 'hi' }),
      malformed: async () => ({ statusCode: 200, body: { not: 'text' } }),
      echo: async (event: unknown) => event,
    },
    resources,
    ...more,
  };
}

describe.each(EXPRESS_VERSIONS)('CORS on Express %s', (_v, express) => {
  it('answers the preflight as the console builds it: 200, the three headers, an empty body', async () => {
    const app = createApp(api({ '/pets': { GET: proxy, cors: true } }), express);
    const res = await request(app)
      .options('/prod/pets')
      .set('Origin', 'https://example.com')
      .set('Access-Control-Request-Method', 'GET')
      .parse(asText);
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET,OPTIONS');
    expect(res.headers['access-control-allow-headers']).toBe(DEFAULT_HEADERS);
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers).not.toHaveProperty('x-amzn-errortype');
  });

  it('lists the methods in a stable order, ANY as every method the console writes for it', async () => {
    const app = createApp(
      api({
        '/many': { ...({ post: proxy } as ResourceMethods), GET: proxy, DELETE: proxy, cors: true },
        '/any': { ANY: proxy, cors: {} },
        '/bare': { cors: true },
      }),
      express,
    );
    expect((await request(app).options('/prod/many')).headers['access-control-allow-methods']).toBe(
      'DELETE,GET,OPTIONS,POST',
    );
    expect((await request(app).options('/prod/any')).headers['access-control-allow-methods']).toBe(
      'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT',
    );
    expect((await request(app).options('/prod/bare')).headers['access-control-allow-methods']).toBe(
      'OPTIONS',
    );
  });

  it('takes allowOrigin, allowHeaders and allowMethods as given', async () => {
    const app = createApp(
      api({
        '/pets': {
          GET: proxy,
          cors: { allowOrigin: 'https://shop.example', allowHeaders: 'X-Token', allowMethods: 'GET' },
        },
      }),
      express,
    );
    const res = await request(app).options('/prod/pets');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(res.headers['access-control-allow-headers']).toBe('X-Token');
    expect(res.headers['access-control-allow-methods']).toBe('GET');
  });

  it('adds Access-Control-Allow-Origin to the 200 of non-proxy methods, MOCK and AWS alike', async () => {
    const app = createApp(
      api({
        '/mock': { GET: mock('{"ok":true}'), cors: { allowOrigin: 'https://shop.example' } },
        '/aws': {
          POST: {
            integration: { type: 'AWS', function: 'echo', integrationResponses: [{ statusCode: '200' }] },
            methodResponses: [{ statusCode: '200' }],
          },
          cors: true,
        },
      }),
      express,
    );
    const mocked = await request(app).get('/prod/mock');
    expect([mocked.status, mocked.headers['access-control-allow-origin'], mocked.text]).toEqual([
      200,
      'https://shop.example',
      '{"ok":true}',
    ]);
    const aws = await request(app).post('/prod/aws').send({ a: 1 });
    expect([aws.status, aws.headers['access-control-allow-origin']]).toEqual([200, '*']);
  });

  it('adds nothing to other statuses, to proxy methods, nor over a header the method maps itself', async () => {
    const app = createApp(
      api({
        '/proxy': { GET: proxy, cors: true },
        '/teapot': {
          GET: {
            integration: {
              type: 'MOCK',
              requestTemplates: { 'application/json': '{"statusCode": 418}' },
              integrationResponses: [
                { statusCode: '200' },
                {
                  statusCode: '418',
                  selectionPattern: '418',
                  responseTemplates: { 'application/json': 'tea' },
                },
              ],
            },
          },
          cors: true,
        },
        '/own': {
          GET: mock('x', {
            integrationResponses: [
              {
                statusCode: '200',
                responseParameters: { 'method.response.header.access-control-allow-origin': "'https://own'" },
              },
            ],
          }),
          cors: true,
        },
      }),
      express,
    );
    const proxied = await request(app).get('/prod/proxy').parse(asText);
    expect([proxied.status, proxied.headers['access-control-allow-origin']]).toEqual([200, undefined]);
    const teapot = await request(app).get('/prod/teapot').parse(asText);
    expect([teapot.status, teapot.headers['access-control-allow-origin']]).toEqual([418, undefined]);
    const own = await request(app).get('/prod/own').parse(asText);
    expect([own.status, own.headers['access-control-allow-origin']]).toEqual([200, 'https://own']);
  });

  it('leaves a declared OPTIONS method in place', async () => {
    const app = createApp(
      api({ '/pets': { GET: proxy, ...({ options: mock('mine') } as ResourceMethods), cors: true } }),
      express,
    );
    const res = await request(app).options('/prod/pets').parse(asText);
    expect(res.status).toBe(200);
    expect(res.body).toBe('mine');
    expect(res.headers).not.toHaveProperty('access-control-allow-methods');
  });

  it('builds nothing for cors: false', async () => {
    const app = createApp(api({ '/pets': { GET: mock('x'), cors: false } }), express);
    const preflight = await request(app).options('/prod/pets');
    expect([preflight.status, preflight.text]).toEqual([403, '{"message":"Missing Authentication Token"}']);
    expect((await request(app).get('/prod/pets').parse(asText)).headers).not.toHaveProperty(
      'access-control-allow-origin',
    );
  });

  it('without gatewayResponses, a gateway error carries no CORS header', async () => {
    const app = createApp(api({ '/pets': { GET: proxy, cors: true } }), express);
    const res = await request(app).get('/prod/nope');
    expect([res.status, res.headers['access-control-allow-origin']]).toEqual([403, undefined]);
  });

  it('with gatewayResponses: true, the origin header reaches the 403 and the 5xx', async () => {
    const app = createApp(
      api({
        '/pets': { GET: proxy, cors: { allowOrigin: 'https://shop.example', gatewayResponses: true } },
        '/broken': { GET: { integration: { type: 'AWS_PROXY', function: 'malformed' } } },
      }),
      express,
    );
    const missing = await request(app).get('/prod/nope');
    expect([missing.status, missing.headers['access-control-allow-origin'], missing.text]).toEqual([
      403,
      'https://shop.example',
      '{"message":"Missing Authentication Token"}',
    ]);
    const broken = await request(app).get('/prod/broken');
    expect([broken.status, broken.headers['access-control-allow-origin'], broken.text]).toEqual([
      502,
      'https://shop.example',
      '{"message": "Internal server error"}',
    ]);
  });

  it("merges with the API's own DEFAULT_4XX, whose own origin header wins", async () => {
    const app = createApp(
      api(
        { '/pets': { GET: proxy, cors: { gatewayResponses: true } } },
        {
          gatewayResponses: {
            DEFAULT_4XX: {
              statusCode: '400',
              responseParameters: { 'gatewayresponse.header.X-Mine': "'m'" },
            },
            DEFAULT_5XX: {
              responseParameters: { 'gatewayresponse.header.access-control-allow-origin': "'https://mine'" },
            },
          },
        },
      ),
      express,
    );
    const missing = await request(app).get('/prod/nope');
    expect([
      missing.status,
      missing.headers['x-mine'],
      missing.headers['access-control-allow-origin'],
    ]).toEqual([400, 'm', '*']);
  });
});

describe('CORS expansion', () => {
  it('builds the MOCK OPTIONS method once, at startup, leaving the options given untouched', () => {
    const options = api({ '/pets': { GET: proxy, cors: true } });
    const before = JSON.stringify(options);
    const expanded = expandCors(options);
    expect(JSON.stringify(options)).toBe(before);
    expect(expanded.resources['/pets']).toEqual({
      GET: proxy,
      OPTIONS: {
        authorizationType: 'NONE',
        methodResponses: [
          {
            statusCode: '200',
            responseParameters: {
              'method.response.header.Access-Control-Allow-Headers': false,
              'method.response.header.Access-Control-Allow-Methods': false,
              'method.response.header.Access-Control-Allow-Origin': false,
            },
          },
        ],
        integration: {
          type: 'MOCK',
          passthroughBehavior: 'WHEN_NO_MATCH',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          integrationResponses: [
            {
              statusCode: '200',
              responseParameters: {
                'method.response.header.Access-Control-Allow-Headers': `'${DEFAULT_HEADERS}'`,
                'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'",
                'method.response.header.Access-Control-Allow-Origin': "'*'",
              },
              responseTemplates: { 'application/json': '' },
            },
          ],
        },
      },
    });
    expect(expanded.gatewayResponses).toBeUndefined();
  });

  it('leaves proxy methods as they are, integration responses and all', () => {
    const withResponses: Method = {
      integration: { ...proxy.integration, integrationResponses: [{ statusCode: '200' }] },
    };
    const expanded = expandCors(api({ '/p': { GET: withResponses, cors: true } }));
    expect(expanded.resources['/p'].GET).toBe(withResponses);
  });

  const options = (resources: unknown): ApiGatewayOptions =>
    ({ ...api(resources as ResolvedOptions['resources']), logger: silentLogger() }) as ApiGatewayOptions;

  it.each([
    [
      'a cors that is neither boolean nor object',
      { '/a': { cors: 'yes' } },
      /^resources\["\/a"\]\.cors: must be true, false or/,
    ],
    [
      'an unknown field',
      { '/a': { cors: { origin: '*' } } },
      /^resources\["\/a"\]\.cors: unknown field "origin"/,
    ],
    [
      'a non-string origin',
      { '/a': { cors: { allowOrigin: 1 } } },
      /^resources\["\/a"\]\.cors\.allowOrigin: must be a non-empty string/,
    ],
    [
      'an empty header list',
      { '/a': { cors: { allowHeaders: '' } } },
      /^resources\["\/a"\]\.cors\.allowHeaders: must be a non-empty string/,
    ],
    [
      'a header value Node refuses',
      { '/a': { cors: { allowMethods: 'GET\nPUT' } } },
      /^resources\["\/a"\]\.cors\.allowMethods: .* is not a valid header value/,
    ],
    [
      'a non-boolean gatewayResponses',
      { '/a': { cors: { gatewayResponses: 'yes' } } },
      /^resources\["\/a"\]\.cors\.gatewayResponses: must be a boolean/,
    ],
    [
      'two origins for the one DEFAULT_4XX',
      {
        '/a': { cors: { gatewayResponses: true } },
        '/b': { cors: { allowOrigin: 'https://b', gatewayResponses: true } },
      },
      /^resources\["\/b"\]\.cors\.gatewayResponses: DEFAULT_4XX and DEFAULT_5XX are the API's own and carry one origin/,
    ],
  ])('refuses %s', (_name, resources, message) => {
    expect(() => apiGateway(options(resources))).toThrow(ConfigError);
    expect(() => apiGateway(options(resources))).toThrow(message);
  });
});
