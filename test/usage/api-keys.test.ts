import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import { type ApiGatewayOptions, apiGateway, ConfigError, type Method } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

const FORBIDDEN = '{"message":"Forbidden"}';

const keyed = (): Method => ({ apiKeyRequired: true, ...proxy('echoEvent') });

/** A MOCK method that answers with the key `$context` saw. */
const keyedMock = (apiKeyRequired: boolean): Method => ({
  apiKeyRequired,
  integration: {
    type: 'MOCK',
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [
      {
        statusCode: '200',
        responseTemplates: {
          'application/json':
            '{"apiKey": "$context.identity.apiKey", "apiKeyId": "$context.identity.apiKeyId"}',
        },
      },
    ],
  },
  methodResponses: [{ statusCode: '200' }],
});

function keysApi(overrides: Partial<ApiGatewayOptions> = {}): ApiGatewayOptions {
  return {
    restApiId: 'abc123',
    stageName: 'prod',
    functions: { echoEvent },
    apiKeys: [
      'key-in-plan-by-value-0001',
      { id: 'k2id', name: 'by-id', value: 'key-in-plan-by-id-000002' },
      { id: 'k3id', name: 'by-name', value: 'key-in-plan-by-name-0003' },
      { name: 'disabled', value: 'key-disabled-00000000004', enabled: false },
      'key-in-no-plan-0000000005',
    ],
    usagePlans: [
      {
        name: 'basic',
        apiKeys: ['key-in-plan-by-value-0001', 'k2id', 'by-name', 'disabled'],
      },
    ],
    resources: {
      '/pets': { GET: keyed(), POST: proxy('echoEvent') },
      '/mock': { GET: keyedMock(true), POST: keyedMock(false) },
    },
    ...overrides,
  };
}

const eventOf = (res: request.Response) => JSON.parse(res.text) as APIGatewayProxyEvent;

function expectForbidden(res: request.Response): void {
  expect(res.status).toBe(403);
  expect(res.headers['x-amzn-errortype']).toBe('ForbiddenException');
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.text).toBe(FORBIDDEN);
}

describe.each(EXPRESS_VERSIONS)('API keys (Express %s)', (_v, express) => {
  it('lets a key of a usage plan in, read from x-api-key in any case, and names it in requestContext.identity', async () => {
    const app = createApp(keysApi(), express);
    for (const header of ['x-api-key', 'X-API-Key', 'X-Api-Key']) {
      const res = await request(app).get('/prod/pets').set(header, 'key-in-plan-by-value-0001');
      expect(res.status).toBe(200);
      const { identity } = eventOf(res).requestContext;
      expect(identity.apiKey).toBe('key-in-plan-by-value-0001');
      expect(identity.apiKeyId).toMatch(/^[a-z0-9]{10}$/);
    }
  });

  it('gives a key its own id when it has one, and the same derived id on every request when not', async () => {
    const app = createApp(keysApi(), express);
    const byId = await request(app).get('/prod/pets').set('x-api-key', 'key-in-plan-by-id-000002');
    expect(byId.status).toBe(200);
    expect(eventOf(byId).requestContext.identity).toMatchObject({
      apiKey: 'key-in-plan-by-id-000002',
      apiKeyId: 'k2id',
    });
    const first = await request(app).get('/prod/pets').set('x-api-key', 'key-in-plan-by-value-0001');
    const second = await request(createApp(keysApi(), express))
      .get('/prod/pets')
      .set('x-api-key', 'key-in-plan-by-value-0001');
    expect(eventOf(first).requestContext.identity.apiKeyId).toBe(
      eventOf(second).requestContext.identity.apiKeyId,
    );
  });

  it('accepts keys that a plan names by value, by id and by name', async () => {
    const app = createApp(keysApi(), express);
    for (const key of ['key-in-plan-by-value-0001', 'key-in-plan-by-id-000002', 'key-in-plan-by-name-0003']) {
      const res = await request(app).get('/prod/pets').set('x-api-key', key);
      expect(res.status).toBe(200);
      expect(eventOf(res).requestContext.identity.apiKey).toBe(key);
    }
  });

  it.each([
    ['no key', undefined],
    ['an unknown key', 'no-such-key-000000000000'],
    ['a disabled key', 'key-disabled-00000000004'],
    ['a key in no usage plan', 'key-in-no-plan-0000000005'],
    ['a key id instead of its value', 'k2id'],
    ['a key name instead of its value', 'by-name'],
  ])('answers 403 Forbidden to %s, as AWS does to any key it cannot use', async (_what, key) => {
    const app = createApp(keysApi(), express);
    const req = request(app).get('/prod/pets');
    expectForbidden(await (key === undefined ? req : req.set('x-api-key', key)));
  });

  it('without usage plans, lets in every enabled key, unlimited, and still refuses disabled and unknown ones', async () => {
    const app = createApp(keysApi({ usagePlans: undefined }), express);
    for (let i = 0; i < 20; i++) {
      const res = await request(app).get('/prod/pets').set('x-api-key', 'key-in-no-plan-0000000005');
      expect(res.status).toBe(200);
    }
    expectForbidden(await request(app).get('/prod/pets').set('x-api-key', 'key-disabled-00000000004'));
    expectForbidden(await request(app).get('/prod/pets').set('x-api-key', 'nope'));
    expectForbidden(await request(app).get('/prod/pets'));
  });

  it('puts $context.identity.apiKey and apiKeyId in a MOCK template', async () => {
    const app = createApp(keysApi(), express);
    const res = await request(app).get('/prod/mock').set('x-api-key', 'key-in-plan-by-id-000002');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ apiKey: 'key-in-plan-by-id-000002', apiKeyId: 'k2id' });
  });

  it('leaves the key out of a method without apiKeyRequired, even when the client sends one', async () => {
    const app = createApp(keysApi(), express);
    for (const key of [undefined, 'key-in-plan-by-value-0001', 'nope']) {
      const req = request(app).post('/prod/pets');
      const res = await (key === undefined ? req : req.set('x-api-key', key));
      expect(res.status).toBe(200);
      const { identity } = eventOf(res).requestContext;
      expect(Object.keys(identity)).not.toContain('apiKey');
      expect(Object.keys(identity)).not.toContain('apiKeyId');
      expect(Object.keys(identity).sort()).toEqual(
        [
          'accessKey',
          'accountId',
          'caller',
          'cognitoAuthenticationProvider',
          'cognitoAuthenticationType',
          'cognitoIdentityId',
          'cognitoIdentityPoolId',
          'principalOrgId',
          'sourceIp',
          'user',
          'userAgent',
          'userArn',
        ].sort(),
      );
      const mock = await request(app).post('/prod/mock').set('x-api-key', 'key-in-plan-by-value-0001');
      expect(mock.status).toBe(200);
      expect(mock.body).toEqual({ apiKey: '', apiKeyId: '' });
    }
  });
});

/** A TOKEN authorizer whose token is `<allow|deny>:<usageIdentifierKey>`. */
async function keyAuthorizer(event: { authorizationToken: string; methodArn: string }) {
  const [verdict, usageIdentifierKey] = event.authorizationToken.split(':');
  if (verdict === 'unauthorized') throw new Error('Unauthorized');
  return {
    principalId: 'user-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: verdict === 'allow' ? 'Allow' : 'Deny', Action: 'execute-api:Invoke', Resource: '*' },
      ],
    },
    ...(usageIdentifierKey === undefined ? {} : { usageIdentifierKey }),
  };
}

function authorizerKeysApi(overrides: Partial<ApiGatewayOptions> = {}): ApiGatewayOptions {
  return keysApi({
    apiKeySource: 'AUTHORIZER',
    functions: { echoEvent, auth: keyAuthorizer },
    authorizers: {
      'key-auth': {
        type: 'TOKEN',
        function: 'auth',
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 0,
      },
    },
    resources: {
      '/pets': {
        GET: { authorizationType: 'CUSTOM', authorizer: 'key-auth', ...keyed() },
      },
      '/no-authorizer': { GET: keyed() },
    },
    ...overrides,
  });
}

describe.each(EXPRESS_VERSIONS)("apiKeySource: 'AUTHORIZER' (Express %s)", (_v, express) => {
  it("takes the key from the Lambda authorizer's usageIdentifierKey and ignores x-api-key", async () => {
    const app = createApp(authorizerKeysApi(), express);
    const res = await request(app)
      .get('/prod/pets')
      .set('Authorization', 'allow:key-in-plan-by-id-000002')
      .set('x-api-key', 'key-in-plan-by-value-0001');
    expect(res.status).toBe(200);
    expect(eventOf(res).requestContext.identity).toMatchObject({
      apiKey: 'key-in-plan-by-id-000002',
      apiKeyId: 'k2id',
    });
    expect(eventOf(res).requestContext.authorizer).toMatchObject({ principalId: 'user-1' });
  });

  it('refuses with 403 Forbidden when the authorizer gives no key, or one that is unknown, disabled or in no plan', async () => {
    const app = createApp(authorizerKeysApi(), express);
    for (const token of [
      'allow',
      'allow:nope',
      'allow:key-disabled-00000000004',
      'allow:key-in-no-plan-0000000005',
    ]) {
      expectForbidden(
        await request(app)
          .get('/prod/pets')
          .set('Authorization', token)
          .set('x-api-key', 'key-in-plan-by-value-0001'),
      );
    }
  });

  it('refuses a keyed method without an authorizer: there is no usageIdentifierKey to read', async () => {
    const app = createApp(authorizerKeysApi(), express);
    expectForbidden(
      await request(app).get('/prod/no-authorizer').set('x-api-key', 'key-in-plan-by-value-0001'),
    );
  });
});

describe('API keys and usage plans: config errors at apiGateway() time', () => {
  const resources = { '/pets': { GET: keyed(), POST: keyed() } };
  const base = (extra: Record<string, unknown>): ApiGatewayOptions =>
    ({ logger: silentLogger(), functions: { echoEvent }, resources, ...extra }) as ApiGatewayOptions;

  function configError(options: ApiGatewayOptions): ConfigError {
    try {
      void apiGateway(options).close();
    } catch (error) {
      return error as ConfigError;
    }
    throw new Error('apiGateway() accepted the config');
  }

  it.each([
    [
      'a plan naming a key that apiKeys lacks',
      base({ apiKeys: ['a-key'], usagePlans: [{ name: 'p', apiKeys: ['b-key'] }] }),
      'usagePlans[0].apiKeys[0]: no key in apiKeys has the value, id or name "b-key"',
    ],
    [
      'a key in two plans',
      base({
        apiKeys: [{ id: 'k1', value: 'a-key' }],
        usagePlans: [
          { name: 'p', apiKeys: ['a-key'] },
          { name: 'q', apiKeys: ['k1'] },
        ],
      }),
      'usagePlans[1].apiKeys[0]: the key is already in usage plan "p" (a key takes one plan per stage)',
    ],
    [
      'a key in two plans of the same name',
      base({
        apiKeys: ['a-key'],
        usagePlans: [
          { name: 'p', apiKeys: ['a-key'] },
          { name: 'p', apiKeys: ['a-key'] },
        ],
      }),
      'usagePlans[1].apiKeys[0]: the key is already in usage plan "p" (a key takes one plan per stage)',
    ],
    [
      'a plan reference that names two keys',
      base({
        apiKeys: ['a-key', { name: 'a-key', value: 'b-key' }],
        usagePlans: [{ name: 'p', apiKeys: ['a-key'] }],
      }),
      'usagePlans[0].apiKeys[0]: "a-key" names more than one key in apiKeys (apiKeys[0], apiKeys[1])',
    ],
    [
      'a quota period AWS does not have',
      base({
        apiKeys: ['a-key'],
        usagePlans: [{ name: 'p', apiKeys: ['a-key'], quota: { limit: 5, period: 'YEAR' } }],
      }),
      'usagePlans[0].quota.period: DAY, WEEK or MONTH (got "YEAR")',
    ],
    [
      'a quota offset above the limit',
      base({
        apiKeys: ['a-key'],
        usagePlans: [{ name: 'p', apiKeys: ['a-key'], quota: { limit: 5, period: 'DAY', offset: 6 } }],
      }),
      'usagePlans[0].quota.offset: an integer from 0 to the limit (5)',
    ],
    [
      'a negative quota offset',
      base({
        apiKeys: ['a-key'],
        usagePlans: [{ name: 'p', apiKeys: ['a-key'], quota: { limit: 5, period: 'MONTH', offset: -1 } }],
      }),
      'usagePlans[0].quota.offset: an integer from 0 to the limit (5)',
    ],
    [
      'a negative quota limit',
      base({
        apiKeys: ['a-key'],
        usagePlans: [{ name: 'p', apiKeys: ['a-key'], quota: { limit: -1, period: 'DAY' } }],
      }),
      'usagePlans[0].quota.limit: an integer of at least 0',
    ],
    [
      'a negative rateLimit',
      base({
        apiKeys: ['a-key'],
        usagePlans: [{ name: 'p', apiKeys: ['a-key'], throttle: { rateLimit: -1, burstLimit: 2 } }],
      }),
      'usagePlans[0].throttle.rateLimit: requests per second, a number of at least 0',
    ],
    [
      'a fractional burstLimit',
      base({
        apiKeys: ['a-key'],
        usagePlans: [{ name: 'p', apiKeys: ['a-key'], throttle: { rateLimit: 1, burstLimit: 1.5 } }],
      }),
      'usagePlans[0].throttle.burstLimit: an integer of at least 0',
    ],
    [
      'a methodThrottle for a method the API lacks',
      base({
        apiKeys: ['a-key'],
        usagePlans: [
          {
            name: 'p',
            apiKeys: ['a-key'],
            methodThrottle: { '/pets/DELETE': { rateLimit: 1, burstLimit: 1 } },
          },
        ],
      }),
      `usagePlans[0].methodThrottle["/pets/DELETE"]: no such method (use '/resource/path/METHOD', e.g. '/pets/GET')`,
    ],
    [
      'a methodThrottle with a bad throttle',
      base({
        apiKeys: ['a-key'],
        usagePlans: [
          {
            name: 'p',
            apiKeys: ['a-key'],
            methodThrottle: { '/pets/GET': { rateLimit: -2, burstLimit: 1 } },
          },
        ],
      }),
      'usagePlans[0].methodThrottle["/pets/GET"].rateLimit: requests per second, a number of at least 0',
    ],
    [
      'a key value used twice',
      base({ apiKeys: ['a-key', { id: 'other', value: 'a-key' }] }),
      'apiKeys[1]: the key value is used twice',
    ],
    [
      'a key id used twice',
      base({
        apiKeys: [
          { id: 'k', value: 'a-key' },
          { id: 'k', value: 'b-key' },
        ],
      }),
      'apiKeys[1].id: "k" is used twice',
    ],
    ['an empty key value', base({ apiKeys: [''] }), 'apiKeys[0]: a non-empty key value'],
    [
      'an unknown key field',
      base({ apiKeys: [{ value: 'a-key', stageKeys: [] }] }),
      'apiKeys[0]: unknown field "stageKeys" (allowed: id, name, value, enabled)',
    ],
    [
      'an unknown apiKeySource',
      base({ apiKeySource: 'QUERY' }),
      'apiKeySource: must be HEADER or AUTHORIZER (got "QUERY")',
    ],
    [
      'a negative throttlingRateLimit in methodSettings',
      base({ methodSettings: [{ resourcePath: '/*', httpMethod: '*', throttlingRateLimit: -1 }] }),
      'methodSettings[0].throttlingRateLimit: a number of at least 0',
    ],
    [
      'a methodSettings entry for a method the resource does not have',
      base({ methodSettings: [{ resourcePath: '/pets', httpMethod: 'DELETE', throttlingRateLimit: 1 }] }),
      'methodSettings[0] (/pets/DELETE).httpMethod: /pets has no DELETE method (it has GET, POST), so the setting would apply to nothing',
    ],
    [
      'a methodSettings entry for a resource the API does not have',
      base({
        methodSettings: [
          { resourcePath: '/*', httpMethod: '*', throttlingRateLimit: 5 },
          { resourcePath: '/pet', httpMethod: 'GET', throttlingRateLimit: 1 },
        ],
      }),
      "methodSettings[1] (/pet/GET).resourcePath: the API has no methods on /pet, so the setting would apply to nothing (use a resource path of the API, e.g. '/pets/{id}', or '/*')",
    ],
    [
      'a methodSettings entry for any method of a resource the API does not have',
      base({ methodSettings: [{ resourcePath: '/pets/{id}', httpMethod: '*', throttlingBurstLimit: 1 }] }),
      "methodSettings[0] (/pets/{id}/*).resourcePath: the API has no methods on /pets/{id}, so the setting would apply to nothing (use a resource path of the API, e.g. '/pets/{id}', or '/*')",
    ],
    [
      'a methodSettings entry whose httpMethod is not an HTTP method',
      base({ methodSettings: [{ resourcePath: '/*', httpMethod: 'GETS', throttlingRateLimit: 1 }] }),
      "methodSettings[0] (/*/GETS).httpMethod: not an HTTP method (use one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, ANY, or '*')",
    ],
    [
      'an unknown store option',
      base({ store: { redis: 'redis://127.0.0.1:6379', prefix: 'x' } }),
      'store.prefix: unknown option (expected redis, keyPrefix)',
    ],
    [
      'a store URL that is not redis://',
      base({ store: { redis: 'http://127.0.0.1:6379' } }),
      'store.redis: expected a redis:// or rediss:// URL or ioredis options',
    ],
    [
      'a store whose redis URL is undefined (an unset environment variable)',
      base({ store: { redis: undefined } }),
      'store.redis: undefined (is the environment variable that should hold the URL set?); leave out store.redis to count usage in memory',
    ],
    [
      'a store whose redis URL is empty',
      base({ store: { redis: '', keyPrefix: 'apigw:' } }),
      'store.redis: an empty string (is the environment variable that should hold the URL set?); leave out store.redis to count usage in memory',
    ],
    [
      'a store that is a bare string',
      base({ store: 'redis://127.0.0.1:6379' }),
      'store: expected { redis?, keyPrefix? } or an object with takeToken and useQuota',
    ],
  ])('refuses %s', (_what, options, message) => {
    const error = configError(options);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(message);
  });

  it('accepts methodSettings naming a method of the API, in any casing, or any method of a resource', async () => {
    const gateway = apiGateway(
      base({
        methodSettings: [
          { resourcePath: '/*', httpMethod: '*', throttlingRateLimit: 5 },
          { resourcePath: '/*', httpMethod: 'PUT', throttlingRateLimit: 5 },
          { resourcePath: '/pets', httpMethod: 'get', throttlingRateLimit: 1 },
          { resourcePath: '/pets', httpMethod: '*', throttlingBurstLimit: 1 },
        ],
      }),
    );
    await gateway.close();
  });

  it('accepts ioredis connection options as store.redis', async () => {
    const gateway = apiGateway(
      base({ store: { redis: { host: '127.0.0.1', port: 1, lazyConnect: true }, keyPrefix: 'x:' } }),
    );
    await gateway.close();
  });
});

describe('unknown API keys create no state', () => {
  /** A store that records every key it is asked about. */
  function recordingStore() {
    const keys = new Set<string>();
    return {
      keys,
      store: {
        takeToken: async (key: string) => {
          keys.add(key);
          return true;
        },
        useQuota: async (key: string) => {
          keys.add(key);
          return { allowed: true, used: 1 };
        },
      },
    };
  }

  const planned = {
    usagePlans: [
      {
        name: 'basic',
        apiKeys: ['k2id'],
        throttle: { rateLimit: 10, burstLimit: 10 },
        quota: { limit: 1000, period: 'DAY' as const },
        methodThrottle: { '/pets/GET': { rateLimit: 5, burstLimit: 5 } },
      },
    ],
  };

  it.each(EXPRESS_VERSIONS)(
    'a flood of random x-api-key values reaches no store: only configured keys are metered (Express %s)',
    async (_v, express) => {
      const { keys, store } = recordingStore();
      const app = createApp(keysApi({ ...planned, store }), express);
      for (let i = 0; i < 300; i++) {
        const key = `random-${i}-${Math.random().toString(36).slice(2)}`;
        expectForbidden(await request(app).get('/prod/pets').set('x-api-key', key));
      }
      expect(keys.size).toBe(0);
      expect((await request(app).get('/prod/pets').set('x-api-key', 'key-in-plan-by-id-000002')).status).toBe(
        200,
      );
      expect([...keys].sort()).toEqual(['plan:0:k2id', 'plan:0:k2id:/pets/GET']);
    },
  );

  it('nor do random usageIdentifierKey values from an authorizer', async () => {
    const { keys, store } = recordingStore();
    const app = createApp(
      keysApi({
        ...planned,
        store,
        apiKeySource: 'AUTHORIZER',
        functions: {
          echoEvent,
          auth: async (event: { authorizationToken: string }) => ({
            principalId: 'u',
            usageIdentifierKey: event.authorizationToken,
            policyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
            },
          }),
        },
        authorizers: { auth: { type: 'TOKEN', function: 'auth' } },
        resources: {
          '/pets': { GET: { ...keyed(), authorizationType: 'CUSTOM', authorizer: 'auth' } },
        },
      }),
    );
    for (let i = 0; i < 100; i++) {
      expectForbidden(await request(app).get('/prod/pets').set('Authorization', `random-${i}`));
    }
    expect(keys.size).toBe(0);
  });
});
