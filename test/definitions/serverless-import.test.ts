// biome-ignore-all lint/suspicious/noTemplateCurlyInString: serverless.yml ${…} variables, not template literals
import { createRequire } from 'node:module';
import path from 'node:path';
import request from 'supertest';
import { ConfigError } from '../../src/config/config-error.js';
import { importServerless } from '../../src/definitions/serverless-import.js';
import { apiGateway, type LambdaHandler } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { asText } from '../support/as-text.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const SERVICE_DIR = path.join(__dirname, '../fixtures/definitions/serverless');
const SERVICE_FILE = path.join(SERVICE_DIR, 'serverless.yml');
const load = createRequire(__filename);
const items = load(path.join(SERVICE_DIR, 'src/items.js'));
const profile = load(path.join(SERVICE_DIR, 'src/profile.js'));
const reports = load(path.join(SERVICE_DIR, 'src/reports.js'));
const auth = load(path.join(SERVICE_DIR, 'src/auth.js'));

// Loading handlers by path is another part's job: the fixture's own handlers are passed in.
const HANDLERS: Record<string, LambdaHandler> = {
  listItems: items.list,
  createItem: items.create,
  getItem: items.get,
  getProfile: profile.get,
  partnerReport: reports.partner,
  authorize: auth.authorize,
};

const ctx = (stageName?: string) => ({ baseDir: SERVICE_DIR, stageName, logger: silentLogger() });

describe('serverless.yml import: functions', () => {
  it('keeps each function under its serverless.yml key, with handler, code folder, environment, timeout and memory', async () => {
    const { options } = await importServerless(SERVICE_FILE, ctx());
    expect(options.stageName).toBe('dev');
    expect(options.region).toBe('eu-west-1');
    const environment = {
      TABLE_NAME: 'shop-api-items-dev',
      STAGE: 'dev',
      LOG_LEVEL: 'info',
      GREETING: 'Hello from shop-api',
    };
    expect(options.functions?.listItems).toEqual({
      handler: 'src/items.list',
      codeUri: SERVICE_DIR,
      environment,
      timeout: 10,
      memorySize: 512,
    });
    expect(options.functions?.createItem).toEqual({
      handler: 'src/items.create',
      codeUri: SERVICE_DIR,
      environment: { ...environment, AUDIT: 'off' },
      timeout: 3,
      memorySize: 512,
    });
    expect(Object.keys(options.functions ?? {})).toEqual([
      'listItems',
      'createItem',
      'getItem',
      'getProfile',
      'partnerReport',
      'authorize',
      'onUpload',
    ]);
  });

  it('takes the stage asked for into ${opt:stage}, ${sls:stage} and ${self:provider.stage}', async () => {
    process.env.SHOP_LOG_LEVEL = 'debug';
    try {
      const { options } = await importServerless(SERVICE_FILE, ctx('prod'));
      expect(options.stageName).toBe('prod');
      expect(options.functions?.listItems).toMatchObject({
        environment: { TABLE_NAME: 'shop-api-items-prod', STAGE: 'prod', LOG_LEVEL: 'debug' },
      });
    } finally {
      delete process.env.SHOP_LOG_LEVEL;
    }
  });

  it('names what it leaves out: unresolvable variables and non-http events', async () => {
    const { unsupported } = await importServerless(SERVICE_FILE, ctx());
    expect(unsupported).toEqual([
      'functions.onUpload.events[0].s3: s3 events',
      'provider.environment.PAYMENT_SECRET: ${ssm:/shop/payment-secret} (the "ssm" variable source is not resolved locally; the property is left out)',
    ]);
  });

  it('falls back to the framework defaults: stage dev, timeout 6 s, 1024 MB, lambda-proxy', async () => {
    const { options } = await importServerless(
      {
        service: 'tiny',
        provider: { name: 'aws' },
        functions: { hello: { handler: 'handler.hello', events: [{ http: 'GET hello' }] } },
      },
      ctx(),
    );
    expect(options.stageName).toBe('dev');
    expect(options.functions?.hello).toEqual({
      handler: 'handler.hello',
      codeUri: SERVICE_DIR,
      environment: {},
      timeout: 6,
      memorySize: 1024,
    });
    expect(options.resources).toEqual({
      '/hello': {
        GET: {
          authorizationType: 'NONE',
          apiKeyRequired: false,
          integration: { type: 'AWS_PROXY', function: 'hello' },
        },
      },
    });
  });
});

describe('serverless.yml import: what the framework compiles', () => {
  it('gives integration: lambda the default status codes, selected by "[NNN]" in the error message', async () => {
    const { options } = await importServerless(SERVICE_FILE, ctx());
    const integration = options.resources['/items/{id}'].GET?.integration;
    expect(integration?.type).toBe('AWS');
    expect(integration?.passthroughBehavior).toBe('NEVER');
    expect(integration?.integrationResponses?.map((r) => [r.statusCode, r.selectionPattern])).toEqual([
      ['200', undefined],
      ['400', '[\\s\\S]*\\[400\\][\\s\\S]*'],
      ['401', '[\\s\\S]*\\[401\\][\\s\\S]*'],
      ['403', '[\\s\\S]*\\[403\\][\\s\\S]*'],
      ['404', '[\\s\\S]*\\[404\\][\\s\\S]*'],
      ['422', '[\\s\\S]*\\[422\\][\\s\\S]*'],
      ['500', '[\\s\\S]*(Process\\s?exited\\s?before\\s?completing\\s?request|\\[500\\])[\\s\\S]*'],
      ['502', '[\\s\\S]*\\[502\\][\\s\\S]*'],
      ['504', '([\\s\\S]*\\[504\\][\\s\\S]*)|(.*Task timed out after \\d+\\.\\d+ seconds$)'],
    ]);
    expect(Object.keys(integration?.requestTemplates ?? {})).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
    ]);
  });

  it('merges the CORS of every event on a path into one OPTIONS MOCK, later events first', async () => {
    const { options } = await importServerless(SERVICE_FILE, ctx());
    const preflight = options.resources['/items'].OPTIONS;
    expect(preflight?.integration.type).toBe('MOCK');
    expect(preflight?.integration.requestTemplates).toEqual({ 'application/json': '{statusCode:200}' });
    expect(preflight?.integration.integrationResponses?.[0].responseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Origin': "'https://shop.example.com'",
      'method.response.header.Access-Control-Allow-Headers':
        "'Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id'",
      'method.response.header.Access-Control-Allow-Methods': "'OPTIONS,POST,GET'",
      'method.response.header.Access-Control-Allow-Credentials': "'true'",
      'method.response.header.Access-Control-Max-Age': "'600'",
    });
  });

  it('declares the authorizers, the models, one validator for body and parameters, the key and its plan', async () => {
    const { options } = await importServerless(SERVICE_FILE, ctx());
    expect(options.authorizers).toEqual({
      authorize: {
        type: 'TOKEN',
        function: 'authorize',
        authorizerResultTtlInSeconds: 300,
        identitySource: 'method.request.header.Authorization',
      },
      userPool: {
        type: 'COGNITO_USER_POOLS',
        providerARNs: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123'],
        authorizerResultTtlInSeconds: 300,
        identitySource: 'method.request.header.Authorization',
      },
    });
    expect(options.models).toEqual({
      NewItem: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, price: { type: 'number' } },
      },
    });
    expect(options.requestValidators).toEqual({
      'shop-api-dev | Validate request body and querystring parameters': {
        validateRequestBody: true,
        validateRequestParameters: true,
      },
    });
    expect(options.apiKeys).toEqual([
      { name: 'partner-key', value: 'partnerKey0123456789abcdef', enabled: true },
    ]);
    expect(options.usagePlans).toEqual([
      {
        name: 'shop-api-dev',
        apiKeys: ['partnerKey0123456789abcdef'],
        quota: { limit: 2, period: 'DAY' },
        throttle: { burstLimit: 10, rateLimit: 5 },
      },
    ]);
  });

  it('matches an authorizer ARN to the service function deployed under that name', async () => {
    const { options } = await importServerless(
      {
        service: 'svc',
        provider: { name: 'aws' },
        functions: {
          auth: { handler: 'a.h' },
          api: {
            handler: 'b.h',
            events: [
              {
                http: {
                  path: 'x',
                  method: 'get',
                  authorizer: {
                    arn: 'arn:aws:lambda:us-east-1:123456789012:function:svc-dev-auth',
                    type: 'request',
                    resultTtlInSeconds: 0,
                  },
                },
              },
            ],
          },
        },
      },
      ctx(),
    );
    // naming.js extractAuthorizerNameFromArn: the part after the last dash
    expect(options.authorizers).toEqual({
      auth: { type: 'REQUEST', function: 'auth', authorizerResultTtlInSeconds: 0 },
    });
    expect(options.resources['/x'].GET).toMatchObject({ authorizationType: 'CUSTOM', authorizer: 'auth' });
  });

  it('maps async: true to an Event invocation', async () => {
    const { options } = await importServerless(
      {
        service: 'svc',
        provider: { name: 'aws' },
        functions: {
          job: { handler: 'j.h', events: [{ http: { path: 'jobs', method: 'post', async: true } }] },
        },
      },
      ctx(),
    );
    expect(options.resources['/jobs'].POST?.integration).toMatchObject({
      type: 'AWS',
      requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
    });
  });

  it('reads http-proxy events, and leaves out HTTP API events and a shared restApiId, naming them', async () => {
    const { options, unsupported } = await importServerless(
      {
        service: 'svc',
        provider: { name: 'aws', apiGateway: { restApiId: 'abc123', restApiRootResourceId: 'r00t' } },
        functions: {
          proxy: {
            handler: 'p.h',
            events: [
              {
                http: {
                  path: 'out',
                  method: 'get',
                  integration: 'http-proxy',
                  request: { uri: 'https://example.com' },
                },
              },
              { httpApi: 'GET /v2' },
            ],
          },
        },
      },
      ctx(),
    );
    expect(options.resources).toEqual({
      '/out': {
        GET: {
          authorizationType: 'NONE',
          apiKeyRequired: false,
          integration: { type: 'HTTP_PROXY', uri: 'https://example.com', httpMethod: 'GET' },
        },
      },
    });
    expect(unsupported).toEqual([
      'provider.apiGateway.restApiId',
      'provider.apiGateway.restApiRootResourceId',
      'functions.proxy.events[1].httpApi: HTTP API (v2) events (an HTTP API: httpApi() serves it; apigw-express serve serves both)',
    ]);
  });
});

describe('serverless.yml import: refusals name the field', () => {
  const service = (http: unknown) => ({
    service: 'svc',
    provider: { name: 'aws' },
    functions: { api: { handler: 'a.h', events: [{ http }] } },
  });

  it.each([
    [
      { path: 'x', method: 'get', authorizer: 'nope' },
      'functions.api.events[0].http.authorizer: function "nope" doesn\'t exist in this service',
    ],
    [
      { path: 'x', method: 'fetch' },
      'functions.api.events[0].http.method: "fetch" is not an HTTP method or any',
    ],
    [
      { path: 'x', method: 'get', integration: 'lambda', request: { passThrough: 'ALWAYS' } },
      'functions.api.events[0].http.request.passThrough: "ALWAYS" (NEVER, WHEN_NO_MATCH or WHEN_NO_TEMPLATES)',
    ],
    [
      { path: 'x', method: 'get', request: { parameters: { cookies: { a: true } } } },
      'functions.api.events[0].http.request.parameters.cookies: unknown location (querystrings, paths, headers)',
    ],
  ])('%j', async (http, message) => {
    await expect(importServerless(service(http), ctx())).rejects.toThrow(new ConfigError(message));
  });

  it('refuses a provider other than aws', async () => {
    await expect(importServerless({ service: 's', provider: { name: 'azure' } }, ctx())).rejects.toThrow(
      'provider.name: "azure" (only aws)',
    );
  });
});

describe.each(EXPRESS_VERSIONS)('apiGateway({ serverless }) (Express %s)', (_v, express) => {
  const pool = createTestUserPool({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf123' });

  async function app(logger = silentLogger()) {
    const gateway = apiGateway({
      serverless: SERVICE_FILE,
      functions: HANDLERS,
      userPools: pool.userPools,
      logger,
    });
    await gateway.ready;
    const server = express();
    server.use(gateway);
    return server;
  }

  it('warns once at startup about what it left out', async () => {
    const logger = silentLogger();
    await app(logger);
    const warnings = logger.calls.filter((c) => c.level === 'warn').map((c) => c.args.join(' '));
    expect(warnings).toEqual([
      'apigw-express: serverless: not supported, left out: functions.onUpload.events[0].s3: s3 events; provider.environment.PAYMENT_SECRET: ${ssm:/shop/payment-secret} (the "ssm" variable source is not resolved locally; the property is left out)',
    ]);
  });

  it('serves lambda-proxy under the stage, and refuses a missing required query string', async () => {
    const server = await app();
    const ok = await request(server).get('/dev/items?limit=5');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ items: [], limit: 5 });
    const missing = await request(server).get('/dev/items');
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ message: 'Missing required request parameters: [limit]' });
  });

  it('answers the preflight with the framework headers, echoing a second origin that matches', async () => {
    const server = await app();
    const res = await request(server)
      .options('/dev/items')
      .set('Origin', 'https://app.example.org')
      .parse(asText);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(res.headers['access-control-allow-methods']).toBe('OPTIONS,POST,GET');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.body).toMatch(/^\s*$/); // only the template's own blanks
    const other = await request(server)
      .options('/dev/items')
      .set('Origin', 'https://evil.example.net')
      .parse(asText);
    expect(other.headers['access-control-allow-origin']).toBe('https://shop.example.com');
  });

  it('runs the authorizer function, then validates the body against the schema', async () => {
    const server = await app();
    const none = await request(server).post('/dev/items').send({ name: 'tea' });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ message: 'Unauthorized' });
    const denied = await request(server)
      .post('/dev/items')
      .set('Authorization', 'deny')
      .send({ name: 'tea' });
    expect(denied.status).toBe(403);
    const invalid = await request(server).post('/dev/items').set('Authorization', 'allow').send({ price: 2 });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ message: 'Invalid request body' });
    const created = await request(server)
      .post('/dev/items')
      .set('Authorization', 'allow')
      .send({ name: 'tea' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ created: { name: 'tea' }, by: 'user-1' });
  });

  it('integration: lambda renders the framework event and maps "[404]" errors to 404', async () => {
    const server = await app();
    const ok = await request(server).get('/dev/items/42');
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('*');
    expect(ok.body).toEqual({ id: '42', stage: 'dev' });
    const missing = await request(server).get('/dev/items/missing');
    expect(missing.status).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe('*');
    expect(missing.body).toMatchObject({ errorMessage: '[404] Item not found', errorType: 'Error' });
  });

  it('passes Cognito claims, "custom:role" under "role", into cognitoPoolClaims', async () => {
    const server = await app();
    const none = await request(server).get('/dev/me');
    expect(none.status).toBe(401);
    const token = pool.idToken({ email: 'ann@example.com', 'custom:role': 'admin' });
    const res = await request(server).get('/dev/me').set('Authorization', token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ email: 'ann@example.com', role: 'admin' });
  });

  it('private: true wants the API key, within the usage plan quota', async () => {
    const server = await app();
    const none = await request(server).get('/dev/partner/report');
    expect(none.status).toBe(403);
    expect(none.body).toEqual({ message: 'Forbidden' });
    const key = 'partnerKey0123456789abcdef';
    for (let i = 0; i < 2; i++) {
      const ok = await request(server).get('/dev/partner/report').set('x-api-key', key);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ report: 'ok' });
    }
    const over = await request(server).get('/dev/partner/report').set('x-api-key', key);
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ message: 'Limit Exceeded' });
  });
});
