import http from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { apiGateway, ConfigError, customDomains, testInvoke } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

const NOW = Date.UTC(2026, 11, 7, 4, 5, 6);

/** A MOCK method whose response template renders what `$context` says about the domain. */
const contextMethod = {
  integration: {
    type: 'MOCK' as const,
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [
      {
        statusCode: '200',
        responseTemplates: {
          'application/json':
            '{"v": "$context.domainName|$context.domainPrefix|$context.customDomain.basePathMatched|$context.path|$context.resourcePath|$context.stage"}',
        },
      },
    ],
  },
};

function petsOptions(extra: Partial<ApiGatewayOptions> = {}): ApiGatewayOptions {
  return {
    stageName: 'prod',
    restApiId: 'pets123456',
    accountId: '123456789012',
    clock: () => NOW,
    logger: silentLogger(),
    functions: { echo: echoEvent },
    resources: {
      '/pets/{id}': { GET: proxy('echo') },
      '/context': { GET: contextMethod },
    },
    ...extra,
  };
}

function ordersOptions(): ApiGatewayOptions {
  return {
    stageName: 'live',
    restApiId: 'orders1234',
    accountId: '123456789012',
    clock: () => NOW,
    logger: silentLogger(),
    functions: { echo: echoEvent },
    resources: { '/': { GET: proxy('echo') }, '/{orderId}': { GET: proxy('echo') } },
  };
}

function domains() {
  const pets = apiGateway(petsOptions());
  const orders = apiGateway(ordersOptions());
  return customDomains({
    'api.example.com': {
      mappings: {
        '': pets,
        v1: { restApi: pets, stage: 'prod' },
        'v1/orders': orders,
        legacy: { restApi: pets },
      },
    },
    'admin.example.com': { mappings: { internal: { restApi: orders, stage: 'live' } } },
  });
}

const eventOf = (res: request.Response) => JSON.parse(res.text) as APIGatewayProxyEvent;

describe.each(EXPRESS_VERSIONS)('custom domains on Express %s', (_version, express) => {
  function app() {
    const host = express();
    host.use(domains());
    host.use((_req, res) => {
      res.status(404).send('host app');
    });
    return host;
  }

  it('serves the root mapping with the path as sent and the custom domain in requestContext', async () => {
    const res = await request(app()).get('/pets/7').set('Host', 'api.example.com');
    expect(res.status).toBe(200);
    const event = eventOf(res);
    expect(event.resource).toBe('/pets/{id}');
    expect(event.path).toBe('/pets/7');
    expect(event.pathParameters).toEqual({ id: '7' });
    expect(event.requestContext).toMatchObject({
      path: '/pets/7',
      resourcePath: '/pets/{id}',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      stage: 'prod',
      apiId: 'pets123456',
    });
    expect(event.headers.Host).toBe('api.example.com');
  });

  it("keeps the base path in path and requestContext.path (AWS's REST quirk); resource is the API's", async () => {
    const res = await request(app()).get('/v1/pets/7').set('Host', 'api.example.com');
    expect(res.status).toBe(200);
    const event = eventOf(res);
    expect(event.resource).toBe('/pets/{id}');
    expect(event.path).toBe('/v1/pets/7');
    expect(event.pathParameters).toEqual({ id: '7' });
    expect(event.requestContext.path).toBe('/v1/pets/7');
    expect(event.requestContext.stage).toBe('prod');
    expect(event.requestContext.domainName).toBe('api.example.com');
  });

  it('picks the longest base path: v1/orders goes to the orders API, its root resource at /v1/orders', async () => {
    const one = await request(app()).get('/v1/orders/42').set('Host', 'api.example.com');
    expect(one.status).toBe(200);
    expect(eventOf(one)).toMatchObject({
      resource: '/{orderId}',
      path: '/v1/orders/42',
      pathParameters: { orderId: '42' },
      requestContext: { path: '/v1/orders/42', stage: 'live', apiId: 'orders1234' },
    });
    const root = await request(app()).get('/v1/orders').set('Host', 'api.example.com');
    expect(root.status).toBe(200);
    expect(eventOf(root)).toMatchObject({ resource: '/', path: '/v1/orders', pathParameters: null });
  });

  it('matches whole segments: /v1/ordersx is under v1, where the pets API has no such resource', async () => {
    const res = await request(app()).get('/v1/ordersx/1').set('Host', 'api.example.com');
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(res.text).toBe('{"message":"Missing Authentication Token"}');
  });

  it('takes the stage after the base path when a BasePathMapping names none, keeping it in the paths', async () => {
    const res = await request(app()).get('/legacy/prod/pets/7').set('Host', 'api.example.com');
    expect(res.status).toBe(200);
    expect(eventOf(res)).toMatchObject({
      resource: '/pets/{id}',
      path: '/legacy/prod/pets/7',
      requestContext: { path: '/legacy/prod/pets/7', stage: 'prod' },
    });
    const other = await request(app()).get('/legacy/dev/pets/7').set('Host', 'api.example.com');
    expect(other.status).toBe(403);
    expect(other.headers['x-amzn-errortype']).toBe('ForbiddenException');
    expect(other.text).toBe('{"message":"Forbidden"}');
  });

  it('chooses the domain by Host, case-insensitively and without the port', async () => {
    const res = await request(app()).get('/internal/9').set('Host', 'ADMIN.Example.com:8443');
    expect(res.status).toBe(200);
    expect(eventOf(res)).toMatchObject({
      resource: '/{orderId}',
      path: '/internal/9',
      requestContext: { domainName: 'admin.example.com', domainPrefix: 'admin', apiId: 'orders1234' },
    });
    expect(eventOf(res).headers.Host).toBe('ADMIN.Example.com:8443');
  });

  it('answers a base path no mapping covers 403 Forbidden, whatever the APIs under other domains serve', async () => {
    const res = await request(app()).get('/pets/7').set('Host', 'admin.example.com');
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('ForbiddenException');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.text).toBe('{"message":"Forbidden"}');
  });

  it('hands a request for another Host to the host app, even one a mapped API would take', async () => {
    const res = await request(app()).get('/prod/pets/7').set('Host', 'localhost');
    expect(res.status).toBe(404);
    expect(res.text).toBe('host app');
  });

  it('fills $context.domainName, domainPrefix, customDomain.basePathMatched and path in templates', async () => {
    const agent = request(app());
    const root = await agent.get('/context').set('Host', 'api.example.com');
    expect(root.body).toEqual({ v: 'api.example.com|api|(none)|/context|/context|prod' });
    const v1 = await agent.get('/v1/context').set('Host', 'api.example.com');
    expect(v1.body).toEqual({ v: 'api.example.com|api|v1|/v1/context|/context|prod' });
  });

  it('keeps $context.customDomain.basePathMatched empty on the execute-api URL', async () => {
    const host = express();
    host.use(apiGateway(petsOptions()));
    const res = await request(host)
      .get('/prod/context')
      .set('Host', 'pets123456.execute-api.us-east-1.amazonaws.com');
    expect(res.body).toEqual({
      v: 'pets123456.execute-api.us-east-1.amazonaws.com|pets123456||/prod/context|/context|prod',
    });
  });
});

describe('the methodArn and access log through a custom domain', () => {
  it('gives the authorizer the methodArn of the stage and resource path, without the base path', async () => {
    const seen: string[] = [];
    const options = petsOptions({
      functions: {
        echo: echoEvent,
        auth: async (event: APIGatewayTokenAuthorizerEvent) => {
          seen.push(event.methodArn);
          return {
            principalId: 'user',
            policyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn }],
            },
          };
        },
      },
      authorizers: {
        token: { type: 'TOKEN', function: 'auth', identitySource: 'method.request.header.Authorization' },
      },
      resources: {
        '/pets/{id}': { GET: { authorizationType: 'CUSTOM', authorizer: 'token', ...proxy('echo') } },
      },
    });
    const handler = customDomains({
      'api.example.com': { mappings: { 'v1/pets-api': apiGateway(options) } },
    });
    const res = await request(http.createServer(handler))
      .get('/v1/pets-api/pets/7')
      .set({ Host: 'api.example.com', Authorization: 'token' });
    expect(res.status).toBe(200);
    expect(seen).toEqual(['arn:aws:execute-api:us-east-1:123456789012:pets123456/prod/GET/pets/7']);
  });

  it('logs $context.customDomain.basePathMatched and domainName per request', async () => {
    const lines: string[] = [];
    const pets = apiGateway(
      petsOptions({
        accessLogSettings: {
          format:
            '$context.customDomain.basePathMatched $context.domainName $context.path $context.requestId',
          destination: (line) => lines.push(line),
        },
      }),
    );
    const handler = customDomains({ 'api.example.com': { mappings: { 'v1/pets': pets, '': pets } } });
    const server = http.createServer((req, res) => handler(req, res, () => pets(req, res)));
    await request(server).get('/v1/pets/pets/1').set('Host', 'api.example.com');
    await request(server).get('/pets/2').set('Host', 'api.example.com');
    await request(server).get('/prod/pets/3').set('Host', 'pets123456.execute-api.us-east-1.amazonaws.com');
    expect(lines.map((line) => line.slice(0, line.lastIndexOf(' ')))).toEqual([
      'v1/pets api.example.com /v1/pets/pets/1',
      '(none) api.example.com /pets/2',
      '(none) pets123456.execute-api.us-east-1.amazonaws.com /prod/pets/3',
    ]);
  });
});

describe('a bare node:http server', () => {
  it('serves mapped domains and answers 404 for another Host', async () => {
    const server = http.createServer(domains());
    const ok = await request(server).get('/v1/orders/5').set('Host', 'api.example.com');
    expect(ok.status).toBe(200);
    expect(eventOf(ok).path).toBe('/v1/orders/5');
    const other = await request(server).get('/v1/orders/5').set('Host', 'other.example.com');
    expect(other.status).toBe(404);
    expect(other.text).toBe('');
  });
});

describe('disableExecuteApiEndpoint', () => {
  it.each(EXPRESS_VERSIONS)(
    'answers the execute-api URL 403 Forbidden on Express %s; the custom domain still serves',
    async (_version, express) => {
      const pets = apiGateway(petsOptions({ disableExecuteApiEndpoint: true }));
      const host = express();
      host.use(customDomains({ 'api.example.com': { mappings: { v1: pets } } }));
      host.use(pets);
      host.use((_req, res) => {
        res.status(404).send('host app');
      });
      const direct = await request(host).get('/prod/pets/7');
      expect(direct.status).toBe(403);
      expect(direct.headers['x-amzn-errortype']).toBe('ForbiddenException');
      expect(direct.text).toBe('{"message":"Forbidden"}');
      const mapped = await request(host).get('/v1/pets/7').set('Host', 'api.example.com');
      expect(mapped.status).toBe(200);
      expect(eventOf(mapped).requestContext.domainName).toBe('api.example.com');
      // Outside the stage stays the host app's.
      const outside = await request(host).get('/elsewhere');
      expect(outside.text).toBe('host app');
    },
  );

  it("leaves the console's test invoke working, as on AWS", async () => {
    const pets = apiGateway(petsOptions({ disableExecuteApiEndpoint: true }));
    const result = await testInvoke(pets, { method: 'GET', path: '/pets/7' });
    expect(result.status).toBe(200);
  });

  it('is true or false', () => {
    expect(() => apiGateway(petsOptions({ disableExecuteApiEndpoint: 'yes' as unknown as boolean }))).toThrow(
      new ConfigError('disableExecuteApiEndpoint: "yes" (true or false)'),
    );
  });
});

describe('mappings AWS would refuse', () => {
  const pets = apiGateway(petsOptions());
  it.each([
    ['/v1', 'customDomains["api.example.com"].mappings["/v1"]: a base path such as'],
    ['v1/', 'customDomains["api.example.com"].mappings["v1/"]: a base path such as'],
    ['v1//x', 'customDomains["api.example.com"].mappings["v1//x"]: a base path such as'],
    ['v 1', 'customDomains["api.example.com"].mappings["v 1"]: a base path such as'],
  ])('refuses the base path %s', (key, message) => {
    expect(() => customDomains({ 'api.example.com': { mappings: { [key]: pets } } })).toThrow(message);
  });

  it('refuses the root given twice, a mapping without an API and a bad domain name', () => {
    expect(() => customDomains({ 'api.example.com': { mappings: { '': pets, '(none)': pets } } })).toThrow(
      'customDomains["api.example.com"].mappings["(none)"]: the same base path as another mapping of this domain',
    );
    expect(() =>
      customDomains({ 'api.example.com': { mappings: { v1: { restApi: undefined as never } } } }),
    ).toThrow('customDomains["api.example.com"].mappings["v1"].restApi: what apiGateway() returned');
    expect(() => customDomains({ 'https://api.example.com': { mappings: { v1: pets } } })).toThrow(
      'customDomains["https://api.example.com"]: not a domain name such as api.example.com',
    );
    expect(() => customDomains({ 'api.example.com': { mappings: {} } })).toThrow(
      'customDomains["api.example.com"].mappings: at least one base path → API',
    );
  });

  it('rejects ready when a mapping names a stage its API does not serve', async () => {
    const handler = customDomains({
      'api.example.com': { mappings: { v1: { restApi: pets, stage: 'dev' } } },
    });
    await expect(handler.ready).rejects.toThrow(
      new ConfigError(
        `customDomains["api.example.com"].mappings["v1"].stage: 'dev' is not a stage of this API (it serves 'prod')`,
      ),
    );
    const res = await request(http.createServer(handler)).get('/v1/pets/1').set('Host', 'api.example.com');
    expect(res.status).toBe(403);
    expect(res.text).toBe('{"message":"Forbidden"}');
  });

  it('settles ready once every mapped API is ready', async () => {
    await expect(domains().ready).resolves.toBeUndefined();
  });
});
