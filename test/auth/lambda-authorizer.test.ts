import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import request from 'supertest';
import type { ResolvedOptions } from '../../src/config/types.js';
import { type ApiGatewayOptions, apiGateway, ConfigError } from '../../src/index.js';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent } from '../support/echo-function.js';

const API = { restApiId: 'abc123', accountId: '123456789012', region: 'us-east-1', stageName: 'prod' };
const ARN_PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod';
const EXPLICIT_DENY = '{"Message":"User is not authorized to access this resource with an explicit deny"}';
const NOT_ALLOWED = '{"Message":"User is not authorized to access this resource"}';

type Statement = { Effect: string; Action: string; Resource: string | string[] };
const result = (principalId: string, statements: Statement[], extra: Record<string, unknown> = {}) => ({
  principalId,
  policyDocument: { Version: '2012-10-17', Statement: statements },
  ...extra,
});
const allowArn = (arn: string): Statement => ({
  Effect: 'Allow',
  Action: 'execute-api:Invoke',
  Resource: arn,
});

/** A test clock: TTLs move when the test says so. */
function testClock(start = Date.UTC(2026, 10, 29, 12)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

interface Calls {
  events: unknown[];
}

/** The authorizer of the examples: `allow` → Allow on everything, `deny` → Deny, `me-only` → Allow on the first ARN only. */
function tokenAuthorizer(calls: Calls) {
  return async (event: { authorizationToken: string; methodArn: string }) => {
    calls.events.push(event);
    const token = event.authorizationToken.replace(/^Bearer /, '');
    switch (token) {
      case 'allow':
        return result('user-1', [allowArn(`${ARN_PREFIX}/*`)], {
          context: { str: 'hello', num: 123, bool: true, null: null },
        });
      case 'deny':
        return result('user-1', [
          { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `${ARN_PREFIX}/*` },
        ]);
      case 'me-only':
        return result('user-1', [allowArn(event.methodArn)]);
      case 'nothing':
        return result('user-1', [allowArn('arn:aws:execute-api:us-east-1:123456789012:other/*')]);
      case 'fail':
        throw new Error('database down');
      case 'bad-context':
        return result('user-1', [allowArn('*')], { context: { nested: { a: 1 } } });
      case 'list-context':
        return result('user-1', [allowArn('*')], { context: { list: [1] } });
      case 'no-principal':
        return { policyDocument: result('x', [allowArn('*')]).policyDocument };
      case 'no-policy':
        return { principalId: 'x' };
      case 'null':
        return null;
      default:
        throw new Error('Unauthorized');
    }
  };
}

function api(
  calls: Calls,
  overrides: Partial<ApiGatewayOptions> = {},
  authorizer: Record<string, unknown> = {},
): ResolvedOptions {
  const guarded = {
    authorizationType: 'CUSTOM' as const,
    authorizer: 'token-auth',
    integration: { type: 'AWS_PROXY' as const, function: 'echoEvent' },
  };
  return {
    ...API,
    logger: silentLogger(),
    functions: {
      echoEvent,
      auth: tokenAuthorizer(calls),
      slow: { handler: () => new Promise(() => {}), timeout: 0.05 },
    },
    authorizers: {
      'token-auth': {
        type: 'TOKEN',
        function: 'auth',
        identitySource: 'method.request.header.Authorization',
        ...authorizer,
      },
    },
    resources: {
      '/pets/{id}': {
        GET: guarded,
        DELETE: guarded,
        POST: { integration: { type: 'AWS_PROXY', function: 'echoEvent' } },
      },
      '/': { GET: guarded },
    },
    ...overrides,
  };
}

const eventOf = (res: request.Response) => JSON.parse(res.text) as APIGatewayProxyEvent;

describe.each(EXPRESS_VERSIONS)('TOKEN Lambda authorizers (Express %s)', (_v, express) => {
  it('lets an allowed request in, with principalId, stringified context and integrationLatency in requestContext.authorizer', async () => {
    const calls: Calls = { events: [] };
    const res = await request(createApp(api(calls), express))
      .get('/prod/pets/7')
      .set('Authorization', 'allow');
    expect(res.status).toBe(200);
    expect(eventOf(res).requestContext.authorizer).toEqual({
      str: 'hello',
      num: '123',
      bool: 'true',
      null: null,
      principalId: 'user-1',
      integrationLatency: expect.any(Number),
    });
    expect(calls.events).toEqual([
      { type: 'TOKEN', methodArn: `${ARN_PREFIX}/GET/pets/7`, authorizationToken: 'allow' },
    ]);
  });

  it('builds the methodArn from the request path, the root as an empty path', async () => {
    const calls: Calls = { events: [] };
    await request(createApp(api(calls), express))
      .get('/prod/')
      .set('Authorization', 'allow')
      .expect(200);
    expect(calls.events).toEqual([
      { type: 'TOKEN', methodArn: `${ARN_PREFIX}/GET/`, authorizationToken: 'allow' },
    ]);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty Authorization header', ''],
  ])('answers 401 without invoking for %s', async (_name, token) => {
    const calls: Calls = { events: [] };
    let req = request(createApp(api(calls), express)).get('/prod/pets/7');
    if (token !== undefined) req = req.set('Authorization', token);
    const res = await req;
    expect(res.status).toBe(401);
    expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
    expect(res.text).toBe('{"message":"Unauthorized"}');
    expect(calls.events).toEqual([]);
  });

  it('answers 401 without invoking when the token fails identityValidationExpression (a whole-string match)', async () => {
    const calls: Calls = { events: [] };
    const app = createApp(api(calls, {}, { identityValidationExpression: 'Bearer .+' }), express);
    const refused = await request(app).get('/prod/pets/7').set('Authorization', 'allow');
    expect(refused.status).toBe(401);
    expect(calls.events).toEqual([]);
    const prefixOnly = await request(app).get('/prod/pets/7').set('Authorization', 'xBearer allow');
    expect(prefixOnly.status).toBe(401);
    const passed = await request(app).get('/prod/pets/7').set('Authorization', 'Bearer allow');
    expect(passed.status).toBe(200);
    expect(calls.events).toHaveLength(1);
  });

  it.each([
    ['an explicit Deny', 'deny', EXPLICIT_DENY],
    ['no Allow for the methodArn', 'nothing', NOT_ALLOWED],
  ])('answers 403 AccessDeniedException for %s', async (_name, token, body) => {
    const res = await request(createApp(api({ events: [] }), express))
      .get('/prod/pets/7')
      .set('Authorization', token)
      .parse(asText);
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe(body);
  });

  it.each([
    [
      'throws Error("Unauthorized")',
      'anything-else',
      401,
      '{"message":"Unauthorized"}',
      'UnauthorizedException',
    ],
    ['throws another error', 'fail', 500, '{"message":null}', 'AuthorizerConfigurationException'],
    [
      'returns a context value that is an object',
      'bad-context',
      500,
      '{"message":null}',
      'AuthorizerConfigurationException',
    ],
    [
      'returns a context value that is an array',
      'list-context',
      500,
      '{"message":null}',
      'AuthorizerConfigurationException',
    ],
    ['returns no principalId', 'no-principal', 500, '{"message":null}', 'AuthorizerConfigurationException'],
    ['returns no policyDocument', 'no-policy', 500, '{"message":null}', 'AuthorizerConfigurationException'],
    ['returns null', 'null', 500, '{"message":null}', 'AuthorizerConfigurationException'],
  ])('when the function %s: %i', async (_name, token, status, body, errorType) => {
    const res = await request(createApp(api({ events: [] }), express))
      .get('/prod/pets/7')
      .set('Authorization', token)
      .parse(asText);
    expect(res.status).toBe(status);
    expect(res.body).toBe(body);
    expect(res.headers['x-amzn-errortype']).toBe(errorType);
  });

  it('answers 401 for callback("Unauthorized") and 500 for a function that times out', async () => {
    const options = api({ events: [] });
    options.functions = {
      ...options.functions,
      cb: (_event: unknown, _context: unknown, callback: (e: string) => void) => callback('Unauthorized'),
    };
    options.authorizers = {
      'token-auth': { type: 'TOKEN', function: 'cb' },
      slow: { type: 'TOKEN', function: 'slow' },
    };
    options.resources['/slow'] = {
      GET: {
        authorizationType: 'CUSTOM',
        authorizer: 'slow',
        integration: { type: 'AWS_PROXY', function: 'echoEvent' },
      },
    };
    const app = createApp(options, express);
    const unauthorized = await request(app).get('/prod/pets/1').set('Authorization', 't');
    expect([unauthorized.status, unauthorized.text]).toEqual([401, '{"message":"Unauthorized"}']);
    const slow = await request(app).get('/prod/slow').set('Authorization', 't');
    expect([slow.status, slow.text, slow.headers['x-amzn-errortype']]).toEqual([
      500,
      '{"message":null}',
      'AuthorizerConfigurationException',
    ]);
  });

  it('leaves methods without an authorizer open', async () => {
    const calls: Calls = { events: [] };
    const res = await request(createApp(api(calls), express)).post('/prod/pets/7');
    expect(res.status).toBe(200);
    expect(eventOf(res).requestContext).not.toHaveProperty('authorizer');
    expect(calls.events).toEqual([]);
  });
});

describe.each(EXPRESS_VERSIONS)('the authorizer result cache (Express %s)', (_v, express) => {
  it('reuses a result for the TTL, keyed on the token, then asks again', async () => {
    const calls: Calls = { events: [] };
    const clock = testClock();
    const app = createApp(api(calls, { clock: clock.now }, { authorizerResultTtlInSeconds: 60 }), express);
    await request(app).get('/prod/pets/1').set('Authorization', 'allow').expect(200);
    await request(app).get('/prod/pets/2').set('Authorization', 'allow').expect(200);
    await request(app).delete('/prod/pets/2').set('Authorization', 'allow').expect(200);
    expect(calls.events).toHaveLength(1);
    await request(app).get('/prod/pets/1').set('Authorization', 'Bearer allow').expect(200);
    expect(calls.events).toHaveLength(2); // another token, another entry
    clock.advance(59_999);
    await request(app).get('/prod/pets/1').set('Authorization', 'allow').expect(200);
    expect(calls.events).toHaveLength(2);
    clock.advance(2);
    await request(app).get('/prod/pets/1').set('Authorization', 'allow').expect(200);
    expect(calls.events).toHaveLength(3);
  });

  it('applies a cached policy to each later methodArn: the policy of GET /pets/1 denies DELETE /pets/1, and says why in the log', async () => {
    const calls: Calls = { events: [] };
    const logger = silentLogger();
    const app = createApp(api(calls, { logger }), express);
    await request(app).get('/prod/pets/1').set('Authorization', 'me-only').expect(200);
    const res = await request(app).delete('/prod/pets/1').set('Authorization', 'me-only').parse(asText);
    expect(res.status).toBe(403);
    expect(res.body).toBe(NOT_ALLOWED);
    expect(calls.events).toHaveLength(1);
    const warnings = logger.calls.filter((c) => c.level === 'warn').map((c) => String(c.args[0]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('token-auth');
    expect(warnings[0]).toContain(`${ARN_PREFIX}/GET/pets/1`);
    expect(warnings[0]).toContain(`${ARN_PREFIX}/DELETE/pets/1`);
    await request(app).delete('/prod/pets/1').set('Authorization', 'me-only').expect(403);
    expect(logger.calls.filter((c) => c.level === 'warn')).toHaveLength(1); // once per pair
  });

  it('asks every time with authorizerResultTtlInSeconds 0', async () => {
    const calls: Calls = { events: [] };
    const app = createApp(api(calls, {}, { authorizerResultTtlInSeconds: 0 }), express);
    await request(app).get('/prod/pets/1').set('Authorization', 'me-only').expect(200);
    await request(app).delete('/prod/pets/1').set('Authorization', 'me-only').expect(200);
    expect(calls.events).toHaveLength(2);
  });

  it('caches no failure: a thrown error is asked again', async () => {
    const calls: Calls = { events: [] };
    const app = createApp(api(calls), express);
    await request(app).get('/prod/pets/1').set('Authorization', 'fail').expect(500);
    await request(app).get('/prod/pets/1').set('Authorization', 'fail').expect(500);
    expect(calls.events).toHaveLength(2);
  });

  it('a cached Allow never opens a method its policy does not cover', async () => {
    const method = fc.constantFrom('GET', 'DELETE');
    const id = fc.constantFrom('1', '2', 'x');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(method, id), { minLength: 1, maxLength: 6 }), async (requests) => {
        const calls: Calls = { events: [] };
        const app = createApp(api(calls), express);
        const [firstMethod, firstId] = requests[0];
        for (const [m, i] of requests) {
          const res = await request(app)
            [m === 'GET' ? 'get' : 'delete'](`/prod/pets/${i}`)
            .set('Authorization', 'me-only');
          expect(res.status).toBe(m === firstMethod && i === firstId ? 200 : 403);
        }
        expect(calls.events).toHaveLength(1);
      }),
      { numRuns: 25 },
    );
  });
});

describe.each(EXPRESS_VERSIONS)('REQUEST Lambda authorizers (Express %s)', (_v, express) => {
  const requestApi = (calls: Calls, ttl?: number): ApiGatewayOptions => ({
    ...API,
    logger: silentLogger(),
    stageVariables: { env: 'test' },
    functions: {
      echoEvent,
      auth: async (event: { methodArn: string; headers: Record<string, string> | null }) => {
        calls.events.push(event);
        return result(`tenant-${event.headers?.['X-User'] ?? 'none'}`, [allowArn(`${ARN_PREFIX}/*`)], {
          context: { seen: 1 },
        });
      },
    },
    authorizers: {
      'req-auth': {
        type: 'REQUEST',
        function: 'auth',
        identitySource: 'method.request.header.X-User, method.request.querystring.tenant',
        authorizerResultTtlInSeconds: ttl,
      },
    },
    resources: {
      '/pets/{id}': {
        GET: {
          authorizationType: 'CUSTOM',
          authorizer: 'req-auth',
          integration: { type: 'AWS_PROXY', function: 'echoEvent' },
        },
      },
    },
  });

  it('hands the function the REQUEST event: methodArn and the proxy event without its body', async () => {
    const calls: Calls = { events: [] };
    const res = await request(createApp(requestApi(calls), express))
      .get('/prod/pets/9?tenant=acme')
      .set('Host', 'abc123.execute-api.us-east-1.amazonaws.com')
      .set('X-User', 'ann');
    expect(res.status).toBe(200);
    const proxyEvent = eventOf(res);
    expect(calls.events).toHaveLength(1);
    const event = calls.events[0] as Record<string, unknown>;
    expect(Object.keys(event).slice(0, 2)).toEqual(['type', 'methodArn']);
    const { authorizer: _a, ...contextWithoutAuthorizer } = proxyEvent.requestContext as unknown as Record<
      string,
      unknown
    >;
    expect(event).toEqual({
      type: 'REQUEST',
      methodArn: `${ARN_PREFIX}/GET/pets/9`,
      resource: '/pets/{id}',
      path: '/pets/9',
      httpMethod: 'GET',
      headers: proxyEvent.headers,
      multiValueHeaders: proxyEvent.multiValueHeaders,
      queryStringParameters: { tenant: 'acme' },
      multiValueQueryStringParameters: { tenant: ['acme'] },
      pathParameters: { id: '9' },
      stageVariables: { env: 'test' },
      requestContext: {
        ...contextWithoutAuthorizer,
        requestId: expect.any(String),
        extendedRequestId: expect.any(String),
      },
    });
    expect(proxyEvent.requestContext.authorizer).toEqual({
      seen: '1',
      principalId: 'tenant-ann',
      integrationLatency: expect.any(Number),
    });
  });

  it('keys the cache on every identity source together', async () => {
    const calls: Calls = { events: [] };
    const app = createApp(requestApi(calls), express);
    await request(app).get('/prod/pets/1?tenant=a').set('X-User', 'ann').expect(200);
    await request(app).get('/prod/pets/2?tenant=a').set('X-User', 'ann').expect(200);
    await request(app).get('/prod/pets/1?tenant=b').set('X-User', 'ann').expect(200);
    await request(app).get('/prod/pets/1?tenant=a').set('X-User', 'bob').expect(200);
    expect(calls.events).toHaveLength(3);
  });

  it('answers 401 without invoking when a source is missing or empty and the cache is on', async () => {
    const calls: Calls = { events: [] };
    const app = createApp(requestApi(calls), express);
    await request(app).get('/prod/pets/1?tenant=a').expect(401);
    await request(app).get('/prod/pets/1').set('X-User', 'ann').expect(401);
    await request(app).get('/prod/pets/1?tenant=').set('X-User', 'ann').expect(401);
    expect(calls.events).toEqual([]);
  });

  it('invokes with sources missing when the cache is off', async () => {
    const calls: Calls = { events: [] };
    await request(createApp(requestApi(calls, 0), express))
      .get('/prod/pets/1')
      .expect(200);
    expect(calls.events).toHaveLength(1);
  });
});

describe.each(EXPRESS_VERSIONS)('$context.authorizer in mapping templates (Express %s)', (_v, express) => {
  it('reads principalId and context values', async () => {
    const options = api({ events: [] });
    options.resources['/mapped'] = {
      GET: {
        authorizationType: 'CUSTOM',
        authorizer: 'token-auth',
        integration: {
          type: 'MOCK',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          integrationResponses: [
            {
              statusCode: '200',
              responseTemplates: {
                'application/json':
                  '$context.authorizer.principalId $context.authorizer.num $context.authorizer.bool',
              },
            },
          ],
        },
        methodResponses: [{ statusCode: '200' }],
      },
    };
    const res = await request(createApp(options, express))
      .get('/prod/mapped')
      .set('Authorization', 'allow')
      .parse(asText);
    expect(res.body).toBe('user-1 123 true');
  });
});

describe('authorizer configuration errors at startup', () => {
  const base =
    (
      authorizers: Record<string, unknown>,
      method: Record<string, unknown> = { authorizationType: 'CUSTOM', authorizer: 'a' },
    ) =>
    () =>
      apiGateway({
        functions: { fn: echoEvent },
        authorizers: authorizers as ApiGatewayOptions['authorizers'],
        resources: { '/x': { GET: { ...method, integration: { type: 'AWS_PROXY', function: 'fn' } } } },
      });
  it.each([
    [
      'a method naming no authorizer',
      base({}, { authorizationType: 'CUSTOM' }),
      'GET /x: authorizer: missing',
    ],
    [
      'a method naming an unknown authorizer',
      base({ b: { type: 'TOKEN', function: 'fn' } }),
      'GET /x: authorizer: unknown authorizer "a" (known: b)',
    ],
    [
      'a TOKEN authorizer with two identity sources',
      base({
        a: {
          type: 'TOKEN',
          function: 'fn',
          identitySource: 'method.request.header.A, method.request.header.B',
        },
      }),
      'authorizers["a"].identitySource: a TOKEN authorizer takes exactly one header',
    ],
    [
      'a path parameter as identity source',
      base({ a: { type: 'REQUEST', function: 'fn', identitySource: 'method.request.path.id' } }),
      'authorizers["a"].identitySource: method.request.path.id: a path parameter cannot be an identity source',
    ],
    [
      'an unknown function',
      base({ a: { type: 'TOKEN', function: 'nope' } }),
      'authorizers["a"].function: unknown function "nope"',
    ],
    [
      'an unknown type',
      base({ a: { type: 'JWT', function: 'fn' } }),
      'authorizers["a"].type: must be TOKEN, REQUEST or COGNITO_USER_POOLS',
    ],
    [
      'a TTL over 3600',
      base({ a: { type: 'TOKEN', function: 'fn', authorizerResultTtlInSeconds: 3601 } }),
      'authorizers["a"].authorizerResultTtlInSeconds',
    ],
    [
      'an unknown authorizer field',
      base({ a: { type: 'TOKEN', function: 'fn', ttl: 5 } }),
      'authorizers["a"]: unknown field "ttl"',
    ],
    [
      'a bad identityValidationExpression',
      base({ a: { type: 'TOKEN', function: 'fn', identityValidationExpression: '(' } }),
      'authorizers["a"].identityValidationExpression',
    ],
    [
      'identityValidationExpression on a REQUEST authorizer',
      base({
        a: {
          type: 'REQUEST',
          function: 'fn',
          identityValidationExpression: '.*',
          identitySource: 'method.request.header.A',
        },
      }),
      'only TOKEN authorizers validate their token',
    ],
    [
      'a Cognito authorizer on a CUSTOM method',
      base({
        a: {
          type: 'COGNITO_USER_POOLS',
          providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_ABC123'],
        },
      }),
      'is a COGNITO_USER_POOLS authorizer',
    ],
    [
      'an authorizer on a NONE method',
      base({ a: { type: 'TOKEN', function: 'fn' } }, { authorizer: 'a' }),
      'GET /x: authorizer: only CUSTOM and COGNITO_USER_POOLS',
    ],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(message);
  });
});

describe.each(EXPRESS_VERSIONS)(
  'authorizer answers through gateway responses (Express %s)',
  (_v, express) => {
    it('renders UNAUTHORIZED and ACCESS_DENIED templates with $context.error, and DEFAULT_4XX headers on both', async () => {
      const options = api(
        { events: [] },
        {
          gatewayResponses: {
            UNAUTHORIZED: {
              statusCode: '401',
              responseTemplates: {
                'application/json':
                  '{"error":$context.error.messageString,"type":"$context.error.responseType"}',
              },
            },
            ACCESS_DENIED: {
              responseTemplates: { 'application/json': '{"denied":"$context.error.message"}' },
            },
            DEFAULT_4XX: {
              responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
            },
          },
        },
      );
      const app = createApp(options, express);
      const unauthorized = await request(app).get('/prod/pets/1').parse(asText);
      expect(unauthorized.status).toBe(401);
      expect(unauthorized.body).toBe('{"error":"Unauthorized","type":"UNAUTHORIZED"}');
      const denied = await request(app).get('/prod/pets/1').set('Authorization', 'deny').parse(asText);
      expect(denied.status).toBe(403);
      expect(denied.body).toBe(
        '{"denied":"User is not authorized to access this resource with an explicit deny"}',
      );
      const failed = await request(app).get('/prod/pets/1').set('Authorization', 'fail').parse(asText);
      expect([failed.status, failed.body]).toEqual([500, '{"message":null}']);
      const missing = await request(app).get('/prod/nowhere').parse(asText);
      expect(missing.status).toBe(403);
      expect(missing.headers['access-control-allow-origin']).toBe('*');
    });
  },
);
