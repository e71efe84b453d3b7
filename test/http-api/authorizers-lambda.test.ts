import fc from 'fast-check';
import request from 'supertest';
import { parsePolicyDocument } from '../../src/auth/evaluate-policy.js';
import { applyVerdict, readVerdict } from '../../src/http-api/auth/lambda-authorizer.js';
import type { HttpApiOptions, HttpLambdaAuthorizer } from '../../src/index.js';
import { ConfigError, httpApi } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';
import { closeApis, echo, HOSTS } from './hosts.js';

afterAll(closeApis);

type Event = Record<string, unknown> & { headers: Record<string, string> };

/** An authorizer function that records its events and answers by the `x-answer` header. */
function recorder() {
  const events: Event[] = [];
  const fn = async (event: Event) => {
    events.push(event);
    const answer = event.headers['x-answer'] ?? 'allow';
    if (answer === 'throw-unauthorized') throw new Error('Unauthorized');
    if (answer === 'throw') throw new Error('boom');
    if (answer === 'garbage') return { hello: 'world' };
    if (answer === 'simple-yes') return { isAuthorized: true, context: { user: 'ann', n: 1, ok: true } };
    if (answer === 'simple-no') return { isAuthorized: false };
    const effect = answer === 'deny' ? 'Deny' : 'Allow';
    const resource =
      answer === 'other-route'
        ? `${String(event.routeArn ?? event.methodArn).replace(/\/GET\/.*$/, '')}/GET/other`
        : (event.routeArn ?? event.methodArn);
    return {
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
      },
      context: { user: 'ann', n: 1 },
    };
  };
  return { events, fn };
}

function api(
  authorizer: Partial<HttpLambdaAuthorizer>,
  fn: (event: Event) => Promise<unknown>,
  extra: Partial<HttpApiOptions> = {},
): HttpApiOptions {
  return {
    functions: { echo, auth: fn },
    stageName: 'dev',
    stageVariables: { tier: 'gold' },
    authorizers: {
      lam: {
        type: 'REQUEST',
        function: 'auth',
        authorizerPayloadFormatVersion: '2.0',
        identitySource: ['$request.header.X-Token'],
        ...authorizer,
      } as HttpLambdaAuthorizer,
    },
    routes: {
      'GET /pets/{id}': { integration: { function: 'echo' }, authorizer: 'lam' },
      'GET /v1': { integration: { function: 'echo', payloadFormatVersion: '1.0' }, authorizer: 'lam' },
    },
    ...extra,
  };
}

describe.each(HOSTS)('Lambda authorizers, %s', (_name, host) => {
  test('payload 2.0: the event D-lauth lists, and authorizer.lambda in the integration event', async () => {
    const { events, fn } = recorder();
    const app = host(
      api(
        {
          identitySource: [
            '$request.header.X-Token',
            '$request.querystring.q',
            '$stageVariables.tier',
            '$context.routeKey',
          ],
        },
        fn,
      ),
    );
    const res = await request(app).get('/dev/pets/7?q=1').set('X-Token', 'abc').send();
    expect(res.status).toBe(200);
    const event = events[0];
    expect(event.version).toBe('2.0');
    expect(event.type).toBe('REQUEST');
    expect(event.routeArn).toMatch(/^arn:aws:execute-api:us-east-1:123456789012:\w+\/dev\/GET\/pets\/7$/);
    expect(event.identitySource).toEqual(['abc', '1', 'gold', 'GET /pets/{id}']);
    expect(event.routeKey).toBe('GET /pets/{id}');
    expect(event.pathParameters).toEqual({ id: '7' });
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('isBase64Encoded');
    expect(JSON.parse(res.text).requestContext.authorizer).toEqual({ lambda: { user: 'ann', n: 1 } });
  });

  test('payload 1.0: methodArn, identitySource and authorizationToken as one string; 1.0 integration gets the REST shape', async () => {
    const { events, fn } = recorder();
    const app = host(
      api(
        {
          authorizerPayloadFormatVersion: '1.0',
          identitySource: ['$request.header.X-Token', '$request.querystring.q'],
        },
        fn,
      ),
    );
    const res = await request(app).get('/dev/v1?q=2').set('X-Token', 'abc');
    expect(res.status).toBe(200);
    const event = events[0];
    expect(event.version).toBe('1.0');
    expect(event.type).toBe('REQUEST');
    expect(event.methodArn).toMatch(/\/dev\/GET\/v1$/);
    expect(event.identitySource).toBe('abc,2');
    expect(event.authorizationToken).toBe('abc,2');
    expect(JSON.parse(res.text).requestContext.authorizer).toEqual({
      user: 'ann',
      n: 1,
      principalId: 'user-1',
    });
  });

  test('simple responses: isAuthorized true passes context with its JSON types; false → 403', async () => {
    const { fn } = recorder();
    const app = host(api({ enableSimpleResponses: true }, fn));
    const yes = await request(app).get('/dev/pets/1').set('X-Token', 'a').set('x-answer', 'simple-yes');
    expect(yes.status).toBe(200);
    expect(JSON.parse(yes.text).requestContext.authorizer.lambda).toEqual({ user: 'ann', n: 1, ok: true });
    const no = await request(app).get('/dev/pets/1').set('X-Token', 'a').set('x-answer', 'simple-no');
    expect(no.status).toBe(403);
    expect(no.text).toBe('{"message":"Forbidden"}');
    // With simple responses on, an IAM policy is still read.
    expect((await request(app).get('/dev/pets/1').set('X-Token', 'a').set('x-answer', 'deny')).status).toBe(
      403,
    );
  });

  test.each([
    ['a Deny policy', 'deny', 403, '{"message":"Forbidden"}'],
    ['an Allow for another route only', 'other-route', 403, '{"message":"Forbidden"}'],
    ['isAuthorized without enableSimpleResponses', 'simple-yes', 500, '{"message":"Internal Server Error"}'],
    ['an answer in no known format', 'garbage', 500, '{"message":"Internal Server Error"}'],
    ['a function error', 'throw', 500, '{"message":"Internal Server Error"}'],
    ['an "Unauthorized" error', 'throw-unauthorized', 401, '{"message":"Unauthorized"}'],
  ])('%s → %i', async (_case, answer, status, body) => {
    const { fn } = recorder();
    const app = host(api({}, fn));
    const res = await request(app).get('/dev/pets/1').set('X-Token', 'a').set('x-answer', answer);
    expect(res.status).toBe(status);
    expect(res.text).toBe(body);
  });

  test('a missing or empty identity source → 401 without calling the function', async () => {
    const { events, fn } = recorder();
    const app = host(api({ identitySource: ['$request.header.X-Token', '$request.querystring.q'] }, fn));
    for (const req of [
      request(app).get('/dev/pets/1?q=1'),
      request(app).get('/dev/pets/1?q=1').set('X-Token', ''),
      request(app).get('/dev/pets/1').set('X-Token', 'a'),
      request(app).get('/dev/pets/1?Q=1').set('X-Token', 'a'),
    ]) {
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.text).toBe('{"message":"Unauthorized"}');
    }
    expect(events).toHaveLength(0);
  });

  test('the cache: same identity values within the TTL reuse the answer across routes; TTL end or new values call again', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { events, fn } = recorder();
    const app = host(
      api({ authorizerResultTtlInSeconds: 60, enableSimpleResponses: true }, fn, { clock: () => now }),
    );
    const get = (token: string, answer = 'simple-yes') =>
      request(app).get('/dev/pets/1').set('X-Token', token).set('x-answer', answer);
    expect((await get('a')).status).toBe(200);
    expect((await get('a', 'simple-no')).status).toBe(200); // cached yes
    expect((await request(app).get('/dev/v1').set('X-Token', 'a').set('x-answer', 'simple-no')).status).toBe(
      200,
    );
    expect(events).toHaveLength(1);
    expect((await get('b', 'simple-no')).status).toBe(403);
    expect(events).toHaveLength(2);
    now += 59_000;
    expect((await get('a', 'simple-no')).status).toBe(200);
    now += 1_001;
    expect((await get('a', 'simple-no')).status).toBe(403);
    expect(events).toHaveLength(3);
  });

  test('errors are not cached; TTL 0 calls every time', async () => {
    const { events, fn } = recorder();
    const cached = host(api({ authorizerResultTtlInSeconds: 300 }, fn));
    expect(
      (await request(cached).get('/dev/pets/1').set('X-Token', 'a').set('x-answer', 'throw')).status,
    ).toBe(500);
    expect((await request(cached).get('/dev/pets/1').set('X-Token', 'a')).status).toBe(200);
    const uncached = host(api({ authorizerResultTtlInSeconds: 0 }, fn));
    await request(uncached).get('/dev/pets/1').set('X-Token', 'a');
    await request(uncached).get('/dev/pets/1').set('X-Token', 'a');
    expect(events).toHaveLength(4);
  });
});

describe('Lambda authorizer config refused at startup, naming the field', () => {
  const make = (a: Partial<HttpLambdaAuthorizer>) => () =>
    httpApi({ logger: silentLogger(), ...api(a, async () => ({})) });
  test.each([
    [{ function: 'nope' }, /authorizers\["lam"\]\.function: "nope" is not in functions/],
    [{ authorizerPayloadFormatVersion: undefined }, /authorizerPayloadFormatVersion: "1.0" or "2.0"/],
    [
      { authorizerPayloadFormatVersion: '1.0', enableSimpleResponses: true },
      /enableSimpleResponses: only with/,
    ],
    [{ identitySource: ['$request.body.x'] }, /authorizers\["lam"\]\.identitySource/],
    [{ identitySource: ['$context.nothing'] }, /authorizers\["lam"\]\.identitySource/],
    [{ authorizerResultTtlInSeconds: 3601 }, /authorizerResultTtlInSeconds: an integer from 0 to 3600/],
    [
      { identitySource: [], authorizerResultTtlInSeconds: 5 },
      /identitySource: needed when authorizerResultTtlInSeconds/,
    ],
  ] as [Partial<HttpLambdaAuthorizer>, RegExp][])('%j', (a, message) => {
    expect(make(a)).toThrow(ConfigError);
    expect(make(a)).toThrow(message);
  });

  test('scopes need a JWT authorizer', () => {
    const options = api({}, async () => ({}));
    (options.routes ?? {})['GET /pets/{id}'].authorizationScopes = ['a'];
    expect(() => httpApi({ logger: silentLogger(), ...options })).toThrow(
      /authorizationScopes: needs a JWT authorizer/,
    );
  });
});

describe('policy decisions', () => {
  const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc/dev/GET/pets/1';
  test('allow exactly when an Allow matches and no Deny does; simple answers ignore the route', () => {
    const resource = fc.constantFrom(
      ARN,
      'arn:aws:execute-api:us-east-1:123456789012:abc/dev/*',
      'arn:aws:execute-api:us-east-1:123456789012:abc/dev/POST/*',
      '*',
    );
    const statement = fc.record({
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.constant('execute-api:Invoke'),
      Resource: resource,
    });
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.boolean(), (statements, simple) => {
        const matches = (r: string) =>
          r === '*' || r === ARN || (r.endsWith('/dev/*') && !r.includes('POST'));
        const expected =
          statements.some((s) => s.Effect === 'Allow' && matches(s.Resource)) &&
          !statements.some((s) => s.Effect === 'Deny' && matches(s.Resource));
        const verdict = readVerdict(
          { principalId: 'p', policyDocument: { Version: '2012-10-17', Statement: statements } },
          simple,
        );
        expect(verdict).toBeDefined();
        expect(applyVerdict(verdict as NonNullable<typeof verdict>, ARN).kind).toBe(
          expected ? 'allow' : 'forbidden',
        );
        expect(parsePolicyDocument({ Statement: statements })).toBeDefined();
        const yes = readVerdict({ isAuthorized: true }, true);
        expect(applyVerdict(yes as NonNullable<typeof yes>, ARN).kind).toBe('allow');
      }),
    );
  });
});

describe('Lambda authorizers and parameter mapping', () => {
  test('the authorizer judges the request as sent; the mapping shapes only what the integration gets', async () => {
    const { events, fn } = recorder();
    const [, host] = HOSTS[0];
    const app = host(
      api({}, fn, {
        routes: {
          'GET /pets/{id}': {
            authorizer: 'lam',
            integration: { function: 'echo', requestParameters: { 'remove:header.X-Token': "''" } },
          },
        },
      }),
    );
    const res = await request(app).get('/dev/pets/7').set('X-Token', 'secret');
    expect(res.status).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0].headers['x-token']).toBe('secret');
    expect(JSON.parse(res.text).headers['x-token']).toBeUndefined();
  });
});
