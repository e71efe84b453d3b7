import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import request from 'supertest';
import type { HttpApiOptions, HttpLambdaAuthorizer } from '../../../src/index.js';
import { createTestUserPool } from '../../../src/testing/index.js';
import { asText } from '../../support/as-text.js';
import { closeApis, HOSTS } from '../hosts.js';
import { echo, type Json, recorded } from './recorded.js';

/** Authorizers (reference §4): D-lauth's events and answers, D-jwt's token rules and observed refusals. */

afterAll(closeApis);

const LAUTH = recorded('aws-docs-lambda-authorizer.json');
const NOW = Date.UTC(2020, 2, 12, 19, 3, 58);
const pool = createTestUserPool({ now: () => NOW });
const UNAUTHORIZED = '{"message":"Unauthorized"}';

/** An authorizer function that records its events and answers with `answer(event)`. */
function authorizer(answer: (event: Json) => unknown) {
  const events: Json[] = [];
  const fn = async (event: Json) => {
    events.push(event);
    return answer(event);
  };
  return { fn, events };
}

/** D-lauth's sample API: abcdef123, stage test, GET /request, identity sources user1 and 123. */
function lambdaApi(
  fn: (event: Json) => Promise<unknown>,
  extra: Partial<HttpLambdaAuthorizer> = {},
  format: '1.0' | '2.0' = '2.0',
) {
  return {
    apiId: 'abcdef123',
    stageName: 'test',
    clock: () => NOW,
    functions: { echo, auth: fn },
    authorizers: {
      lambda: {
        type: 'REQUEST' as const,
        function: 'auth',
        authorizerPayloadFormatVersion: format,
        enableSimpleResponses: format === '2.0',
        identitySource: ['$request.header.Authorization', '$request.querystring.QueryString1'],
        ...extra,
      },
    },
    routes: {
      'GET /request': { integration: { function: 'echo' }, authorizer: 'lambda' },
      'GET /other': { integration: { function: 'echo' }, authorizer: 'lambda' },
    },
  } satisfies HttpApiOptions;
}

describe.each(HOSTS)('Lambda authorizers, %s', (_name, host) => {
  test('D-lauth 2.0 event: its keys in order, routeArn, identitySource values; no body', async () => {
    const auth = authorizer(() => ({ isAuthorized: true }));
    const res = await request(host(lambdaApi(auth.fn)))
      .get('/test/request?QueryString1=123')
      .set('Authorization', 'user1')
      .set('Cookie', 'cookie1; cookie2');
    expect(res.status).toBe(200);
    const [event] = auth.events;
    // stageVariables and pathParameters are absent here (none): the sample's other keys, in its order.
    const present = LAUTH.event2.keys.filter((k: string) => k in event);
    expect(Object.keys(event)).toEqual(present);
    expect(present).toEqual(
      LAUTH.event2.keys.filter((k: string) => k !== 'pathParameters' && k !== 'stageVariables'),
    );
    expect(event).toMatchObject({
      version: LAUTH.event2.version,
      type: LAUTH.event2.type,
      routeArn: LAUTH.event2.routeArn,
      identitySource: LAUTH.event2.identitySource,
      routeKey: 'GET /request',
      rawPath: '/test/request',
      cookies: ['cookie1', 'cookie2'],
    });
    // AWS's example function reads `event.headers.authorization`: names lower-cased.
    expect(event.headers.authorization).toBe('user1');
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('isBase64Encoded');
  });

  test('D-lauth 1.0 event: methodArn, identitySource and authorizationToken joined with commas', async () => {
    const auth = authorizer((event) => ({
      principalId: 'abcdef',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
      },
    }));
    const res = await request(host(lambdaApi(auth.fn, {}, '1.0')))
      .get('/test/request?QueryString1=123')
      .set('Authorization', 'user1');
    expect(res.status).toBe(200);
    expect(auth.events[0]).toMatchObject(LAUTH.event1);
  });

  test('D-lauth: the simple response context reaches the integration under authorizer.lambda, JSON types kept', async () => {
    const auth = authorizer(() => ({ isAuthorized: true, context: LAUTH.context }));
    const res = await request(host(lambdaApi(auth.fn)))
      .get('/test/request?QueryString1=123')
      .set('Authorization', 'user1');
    expect(JSON.parse(res.text).requestContext.authorizer).toEqual({ lambda: LAUTH.context });
  });

  test('D-lauth: an IAM policy allowing event.routeArn lets the request through with its context', async () => {
    const auth = authorizer((event) => ({
      principalId: 'abcdef',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.routeArn }],
      },
      context: LAUTH.context,
    }));
    const res = await request(host(lambdaApi(auth.fn, { enableSimpleResponses: false })))
      .get('/test/request?QueryString1=123')
      .set('Authorization', 'user1');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).requestContext.authorizer.lambda).toMatchObject(LAUTH.context);
  });

  test('D-lauth: an identity source missing → 401, the authorizer not invoked', async () => {
    const auth = authorizer(() => ({ isAuthorized: true }));
    const app = host(lambdaApi(auth.fn));
    expect((await request(app).get('/test/request?QueryString1=123')).status).toBe(401);
    expect((await request(app).get('/test/request').set('Authorization', 'user1')).status).toBe(401);
    // "present in the request, not null, and non-empty" (CFN-authorizer).
    expect((await request(app).get('/test/request?QueryString1=').set('Authorization', 'user1')).status).toBe(
      401,
    );
    expect(auth.events).toEqual([]);
  });

  test('D-lauth: a response in an invalid format → 500 Internal Server Error', async () => {
    const auth = authorizer(() => ({ allow: 'yes' }));
    const res = await request(host(lambdaApi(auth.fn)))
      .get('/test/request?QueryString1=123')
      .set('Authorization', 'user1');
    expect(res.status).toBe(500);
  });

  test('D-lauth caching: keyed by the identity source values, shared across routes; $context.routeKey splits it', async () => {
    const shared = authorizer(() => ({ isAuthorized: true }));
    const app = host(lambdaApi(shared.fn, { authorizerResultTtlInSeconds: 300 }));
    for (const path of ['/test/request', '/test/other', '/test/request'])
      expect((await request(app).get(`${path}?QueryString1=123`).set('Authorization', 'user1')).status).toBe(
        200,
      );
    expect(shared.events).toHaveLength(1);
    await request(app).get('/test/request?QueryString1=456').set('Authorization', 'user1');
    expect(shared.events).toHaveLength(2);
    const perRoute = authorizer(() => ({ isAuthorized: true }));
    const app2 = host(
      lambdaApi(perRoute.fn, {
        authorizerResultTtlInSeconds: 300,
        identitySource: ['$request.header.Authorization', '$context.routeKey'],
      }),
    );
    for (const path of ['/test/request', '/test/other', '/test/request'])
      await request(app2).get(path).set('Authorization', 'user1');
    expect(perRoute.events).toHaveLength(2);
  });
});

describe.each(HOSTS)('JWT authorizers, %s', (_name, host) => {
  const app = host({
    clock: () => NOW,
    functions: { echo },
    authorizers: {
      jwt: {
        type: 'JWT',
        identitySource: '$request.header.Authorization',
        issuer: pool.issuer,
        audience: [pool.clientId],
        jwks: pool.jwks,
      },
    },
    routes: { 'GET /route': { integration: { function: 'echo' }, authorizer: 'jwt' } },
  });

  test('D-jwt: the token alone or after "Bearer "; the integration gets authorizer.jwt { claims, scopes }', async () => {
    for (const value of [pool.idToken(), `Bearer ${pool.idToken()}`]) {
      const res = await request(app).get('/route').set('Authorization', value);
      expect(res.status).toBe(200);
      const { authorizer } = JSON.parse(res.text).requestContext;
      expect(Object.keys(authorizer)).toEqual(['jwt']);
      expect(Object.keys(authorizer.jwt)).toEqual(['claims', 'scopes']);
      expect(authorizer.jwt.claims.iss).toBe(pool.issuer);
    }
  });

  test('observed: no token → 401, www-authenticate: Bearer, {"message":"Unauthorized"}', async () => {
    const res = await request(app).get('/route').parse(asText);
    expect([res.status, res.headers['www-authenticate'], res.body]).toEqual([401, 'Bearer', UNAUTHORIZED]);
  });

  test('observed: "Bearer not-a-token" → the invalid-number-of-segments challenge', async () => {
    const res = await request(app).get('/route').set('Authorization', 'Bearer not-a-token').parse(asText);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer scope="" error="invalid_token" error_description="token contains an invalid number of segments"',
    );
    expect(res.body).toBe(UNAUTHORIZED);
  });

  test('D-jwt-ts: client_id counts only without aud; with both, aud decides', async () => {
    const ok = await request(app)
      .get('/route')
      .set('Authorization', pool.sign({ iss: pool.issuer, client_id: pool.clientId, exp: NOW / 1000 + 60 }));
    expect(ok.status).toBe(200);
    const both = await request(app)
      .get('/route')
      .set(
        'Authorization',
        pool.sign({ iss: pool.issuer, aud: 'other', client_id: pool.clientId, exp: NOW / 1000 + 60 }),
      );
    expect(both.status).toBe(401);
    expect(both.headers['www-authenticate']).toContain(
      'error_description="the token does not have a valid audience"',
    );
  });
});

// aws/aws-lambda-go events/testdata/apigw-v2-request-iam.json: requestContext.authorizer.iam's keys, in order.
const IAM_KEYS = [
  'accessKey',
  'accountId',
  'callerId',
  'cognitoIdentity',
  'principalOrgId',
  'userArn',
  'userId',
];
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe.each(HOSTS)('AWS_IAM routes, %s', (_name, host) => {
  test('the integration gets authorizer.iam with the keys AWS sends, in its order', async () => {
    const app = host({
      clock: () => NOW,
      functions: { echo },
      awsCredentials: { [KEY]: { secretAccessKey: SECRET, userArn: 'arn:aws:iam::1234567890:user/Admin' } },
      routes: { 'GET /my/path': { integration: { function: 'echo' }, authorizationType: 'AWS_IAM' } },
    });
    const signer = new SignatureV4({
      credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
      region: 'us-east-1',
      service: 'execute-api',
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: 'api.example.com',
        path: '/my/path',
        query: {},
        headers: { host: 'api.example.com' },
      },
      { signingDate: new Date(NOW) },
    );
    const res = await request(app)
      .get('/my/path')
      .set(signed.headers as Record<string, string>);
    expect(res.status).toBe(200);
    const { authorizer } = JSON.parse(res.text).requestContext;
    expect(Object.keys(authorizer)).toEqual(['iam']);
    expect(Object.keys(authorizer.iam)).toEqual(IAM_KEYS);
    expect(authorizer.iam).toMatchObject({
      accessKey: KEY,
      accountId: '1234567890',
      userArn: 'arn:aws:iam::1234567890:user/Admin',
    });
  });
});
