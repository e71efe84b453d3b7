import * as crypto from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import request from 'supertest';
import { createCognitoAuthorizer } from '../../src/auth/cognito.js';
import type { GuardContext } from '../../src/auth/guard.js';
import { createSigningKeys } from '../../src/auth/jwks.js';
import type { CognitoAuthorizer } from '../../src/config/types.js';
import type { GatewayRequest, RouteMatch } from '../../src/http/gateway-request.js';
import type { ApiGatewayOptions, Method } from '../../src/index.js';
import { apiGateway } from '../../src/index.js';
import type { ApiRuntime } from '../../src/integrations/compiled-integration.js';
import { GatewayError } from '../../src/responses/gateway-error.js';
import { createTestUserPool, type TestUserPool } from '../../src/testing/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

// 2016-07-29T18:52:53Z, the moment of AWS's published claims sample (amazon-cognito-identity-js#92).
const T0 = Date.UTC(2016, 6, 29, 18, 52, 53);
let now = T0;
const clock = () => now;
beforeEach(() => {
  now = T0;
});
afterEach(() => {
  jest.restoreAllMocks();
});

const pool = createTestUserPool({ now: clock });
const otherPool = createTestUserPool({ now: clock });
const secondPool = createTestUserPool({ now: clock, region: 'eu-west-1' });

const guarded = (authorizer: string, extra: Partial<Method> = {}): Method => ({
  authorizationType: 'COGNITO_USER_POOLS',
  authorizer,
  ...proxy('echo'),
  ...extra,
});

function apiOptions(overrides: Partial<ApiGatewayOptions> = {}, authorizer: Partial<CognitoAuthorizer> = {}) {
  return {
    clock,
    userPools: { ...pool.userPools, ...secondPool.userPools },
    authorizers: {
      users: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn], ...authorizer },
      both: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn, secondPool.providerArn] },
    },
    functions: { echo: echoEvent },
    resources: {
      '/me': { GET: guarded('users') },
      '/orders': { GET: guarded('users', { authorizationScopes: ['orders/read', 'orders/admin'] }) },
      '/both': { GET: guarded('both') },
      '/open': { GET: proxy('echo') },
    },
    ...overrides,
  } as ApiGatewayOptions;
}

/** AWS's 401 for a Cognito method, in full. */
function expectUnauthorized(res: request.Response): void {
  expect(res.status).toBe(401);
  expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ message: 'Unauthorized' });
}

const eventOf = (res: request.Response): APIGatewayProxyEvent => JSON.parse(res.text);

const FIXED = {
  sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  event_id: 'bbbbbbbb-cccc-dddd-eeee-ffffffffffff',
  origin_jti: 'cccccccc-dddd-eeee-ffff-000000000000',
  jti: 'dddddddd-eeee-ffff-0000-111111111111',
};

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const segments = (token: string) => token.split('.') as [string, string, string];
const payloadOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(segments(token)[1], 'base64url').toString());

describe.each(EXPRESS_VERSIONS)('COGNITO_USER_POOLS authorizer on Express %s', (_version, express) => {
  const app = createApp(apiOptions(), express);

  describe('a valid ID token', () => {
    it('lets the request in and hands the claims over as strings, in AWS formats', async () => {
      const token = pool.idToken({ ...FIXED, 'cognito:groups': ['admin', 'staging-manager'] });
      const res = await request(app).get('/prod/me').set('Authorization', token);
      expect(res.status).toBe(200);
      expect(eventOf(res).requestContext.authorizer).toEqual({
        claims: {
          sub: FIXED.sub,
          email_verified: 'true',
          iss: pool.issuer,
          'cognito:username': 'test-user',
          origin_jti: FIXED.origin_jti,
          aud: pool.clientId,
          event_id: FIXED.event_id,
          token_use: 'id',
          auth_time: '1469818373',
          exp: 'Fri Jul 29 19:52:53 UTC 2016',
          iat: 'Fri Jul 29 18:52:53 UTC 2016',
          jti: FIXED.jti,
          email: 'test-user@example.com',
          'cognito:groups': 'admin,staging-manager',
        },
      });
      // The Authorization header still reaches the handler, as on AWS.
      expect(eventOf(res).headers.Authorization).toBe(token);
    });

    it('accepts the token behind a Bearer prefix', async () => {
      const res = await request(app).get('/prod/me').set('Authorization', `Bearer ${pool.idToken()}`);
      expect(res.status).toBe(200);
      expect(eventOf(res).requestContext.authorizer?.claims.token_use).toBe('id');
    });

    it('accepts a token of any pool the authorizer names', async () => {
      for (const p of [pool, secondPool]) {
        const res = await request(app).get('/prod/both').set('Authorization', p.idToken());
        expect(res.status).toBe(200);
        expect(eventOf(res).requestContext.authorizer?.claims.iss).toBe(p.issuer);
      }
    });

    it('leaves methods without an authorizer untouched', async () => {
      const res = await request(app).get('/prod/open');
      expect(res.status).toBe(200);
      expect(eventOf(res).requestContext.authorizer).toBeUndefined();
    });
  });

  describe('no usable token: 401 Unauthorized', () => {
    it('when the Authorization header is missing', async () => {
      expectUnauthorized(await request(app).get('/prod/me'));
    });

    it.each([
      ['empty', ''],
      ['only a Bearer prefix', 'Bearer '],
      ['a word', 'hello'],
      ['two segments', 'eyJhbGciOiJSUzI1NiJ9.e30'],
      ['four segments', `${pool.idToken()}.e30`],
      ['a header that is not base64url', `!!!.${segments(pool.idToken())[1]}.${segments(pool.idToken())[2]}`],
      ['a header that is not JSON', `${Buffer.from('{alg').toString('base64url')}.e30.c2ln`],
      ['a payload that is not JSON', `${b64({ alg: 'RS256', kid: pool.kid })}.bm90IGpzb24.c2ln`],
      ['a token in quotes', `"${pool.idToken()}"`],
      ['the token twice', `${pool.idToken()} ${pool.idToken()}`],
    ])('when it is %s', async (_name, value) => {
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', value));
    });
  });

  describe('a token past or before its lifetime: 401 Unauthorized', () => {
    it('is refused from the second of its exp on', async () => {
      const token = pool.idToken();
      now = T0 + 3599_000;
      expect((await request(app).get('/prod/me').set('Authorization', token)).status).toBe(200);
      now = T0 + 3600_000;
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', token));
    });

    it('is refused without exp', async () => {
      expectUnauthorized(
        await request(app)
          .get('/prod/me')
          .set('Authorization', pool.idToken({ exp: undefined })),
      );
    });

    it('is refused when issued more than a minute ahead of the clock', async () => {
      const s = T0 / 1000;
      expectUnauthorized(
        await request(app)
          .get('/prod/me')
          .set('Authorization', pool.idToken({ iat: s + 120 })),
      );
      expectUnauthorized(
        await request(app)
          .get('/prod/me')
          .set('Authorization', pool.idToken({ nbf: s + 120 })),
      );
      const skewed = await request(app)
        .get('/prod/me')
        .set('Authorization', pool.idToken({ iat: s + 30 }));
      expect(skewed.status).toBe(200);
    });
  });

  describe('a token not signed by the pool: 401 Unauthorized', () => {
    it('when another key signed it under the pool kid', async () => {
      const forged = otherPool.sign(payloadOf(pool.idToken()), { kid: pool.kid });
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', forged));
    });

    it('when its payload was changed after signing', async () => {
      const [h, p, s] = segments(pool.idToken());
      const claims = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), 'cognito:groups': ['admin'] };
      expectUnauthorized(
        await request(app)
          .get('/prod/me')
          .set('Authorization', `${h}.${b64(claims)}.${s}`),
      );
    });

    it('when its header was changed after signing', async () => {
      const [, p, s] = segments(pool.idToken());
      const header = b64({ kid: pool.kid, alg: 'RS256', typ: 'JWT' });
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', `${header}.${p}.${s}`));
    });

    it.each([
      ['an empty signature', ''],
      ['any signature', 'c2lnbmF0dXJl'],
    ])('when its alg is none, with %s', async (_name, signature) => {
      const payload = payloadOf(pool.idToken());
      const token = `${b64({ alg: 'none', kid: pool.kid })}.${b64(payload)}.${signature}`;
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', token));
    });

    it.each([
      ['the PEM public key', () => pool.jwks.keys[0] && publicPem(pool)],
      ['the JWK modulus', () => pool.jwks.keys[0].n as string],
      ['the JWKS JSON', () => JSON.stringify(pool.jwks)],
    ])('when it is HS256 signed with %s as the secret', async (_name, secret) => {
      const input = `${b64({ alg: 'HS256', kid: pool.kid })}.${b64(payloadOf(pool.idToken()))}`;
      const mac = crypto.createHmac('sha256', secret()).update(input).digest('base64url');
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', `${input}.${mac}`));
    });

    it('when its kid is none of the pool keys', async () => {
      const token = pool.sign(payloadOf(pool.idToken()), { kid: 'unknown-kid' });
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', token));
    });

    it('when it has no kid', async () => {
      const token = pool.sign(payloadOf(pool.idToken()), { kid: undefined });
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', token));
    });
  });

  describe('a token of another issuer: 401 Unauthorized', () => {
    it('when another pool issued it (valid there)', async () => {
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', otherPool.idToken()));
    });

    it('when a pool the authorizer does not name issued it, though the gateway knows its keys', async () => {
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', secondPool.idToken()));
    });

    it.each([
      [
        'the same pool id in another region',
        `https://cognito-idp.eu-west-1.amazonaws.com/${pool.userPoolId}`,
      ],
      ['a trailing slash', `${pool.issuer}/`],
      ['http', pool.issuer.replace('https:', 'http:')],
      ['no issuer', undefined],
      ['an issuer that is not a string', 42],
    ])('when its iss is %s, even signed by the pool key', async (_name, iss) => {
      const token = pool.idToken({ iss });
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', token));
    });
  });

  describe('token kinds and scopes', () => {
    it('lets an access token with one of the method scopes in', async () => {
      const token = pool.accessToken({ scopes: ['profile', 'orders/admin'] });
      const res = await request(app).get('/prod/orders').set('Authorization', token);
      expect(res.status).toBe(200);
      const claims = eventOf(res).requestContext.authorizer?.claims;
      expect(claims).toMatchObject({ token_use: 'access', scope: 'profile orders/admin', version: '2' });
      expect(claims.client_id).toBe(pool.clientId);
    });

    it('refuses an ID token on a method with scopes', async () => {
      expectUnauthorized(await request(app).get('/prod/orders').set('Authorization', pool.idToken()));
    });

    it('refuses an access token on a method without scopes', async () => {
      const token = pool.accessToken({ scopes: ['orders/read'] });
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', token));
    });

    it('refuses an access token carrying none of the method scopes', async () => {
      for (const scopes of [[], ['orders/write'], ['orders/read-only'], ['orders']]) {
        const token = pool.accessToken({ scopes });
        expectUnauthorized(await request(app).get('/prod/orders').set('Authorization', token));
      }
    });

    it('refuses an access token whose scope claim is not a string', async () => {
      const token = pool.accessToken({ scope: ['orders/read'] });
      expectUnauthorized(await request(app).get('/prod/orders').set('Authorization', token));
    });

    it.each([
      ['missing', undefined],
      ['another value', 'refresh'],
      ['not a string', 1],
    ])('refuses a token whose token_use is %s', async (_name, tokenUse) => {
      const token = pool.idToken({ token_use: tokenUse });
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', token));
    });
  });

  it('reads the token from the identity source header it is given', async () => {
    const custom = createApp(apiOptions({}, { identitySource: 'method.request.header.X-Id-Token' }), express);
    const token = pool.idToken();
    expect((await request(custom).get('/prod/me').set('x-id-token', token)).status).toBe(200);
    expectUnauthorized(await request(custom).get('/prod/me').set('Authorization', token));
  });
});

function publicPem(p: TestUserPool): string {
  return crypto
    .createPublicKey({ key: p.jwks.keys[0] as crypto.JsonWebKey, format: 'jwk' })
    .export({ format: 'pem', type: 'spki' })
    .toString();
}

describe('the result cache', () => {
  // The module object the source reads `verify` from (a namespace import would be a frozen copy).
  const nodeCrypto: typeof crypto = jest.requireActual('node:crypto');
  const verifyCalls = () => jest.spyOn(nodeCrypto, 'verify');

  it('verifies a token once while its entry lives (default TTL 300 s)', async () => {
    const app = createApp(apiOptions());
    const spy = verifyCalls();
    const token = pool.idToken();
    for (let i = 0; i < 3; i++) {
      expect((await request(app).get('/prod/me').set('Authorization', token)).status).toBe(200);
    }
    expect(spy).toHaveBeenCalledTimes(1);
    now += 299_000;
    expect((await request(app).get('/prod/me').set('Authorization', token)).status).toBe(200);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('verifies again once the entry expired', async () => {
    const app = createApp(apiOptions());
    const spy = verifyCalls();
    const token = pool.idToken();
    expect((await request(app).get('/prod/me').set('Authorization', token)).status).toBe(200);
    now += 300_000;
    expect((await request(app).get('/prod/me').set('Authorization', token)).status).toBe(200);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('follows authorizerResultTtlInSeconds', async () => {
    const app = createApp(apiOptions({}, { authorizerResultTtlInSeconds: 10 }));
    const spy = verifyCalls();
    const token = pool.idToken();
    await request(app).get('/prod/me').set('Authorization', token);
    now += 9_000;
    await request(app).get('/prod/me').set('Authorization', token);
    expect(spy).toHaveBeenCalledTimes(1);
    now += 1_000;
    expect((await request(app).get('/prod/me').set('Authorization', token)).status).toBe(200);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('does not cache with a TTL of 0', async () => {
    const app = createApp(apiOptions({}, { authorizerResultTtlInSeconds: 0 }));
    const spy = verifyCalls();
    const token = pool.idToken();
    await request(app).get('/prod/me').set('Authorization', token);
    await request(app).get('/prod/me').set('Authorization', token);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('never outlives the token: a cached token is refused from its exp on', async () => {
    const app = createApp(apiOptions());
    const token = pool.idToken({ exp: T0 / 1000 + 60 });
    expect((await request(app).get('/prod/me').set('Authorization', token)).status).toBe(200);
    now += 60_000;
    expectUnauthorized(await request(app).get('/prod/me').set('Authorization', token));
  });

  it('checks the token kind and scopes per method on a cached result', async () => {
    const app = createApp(apiOptions());
    const spy = verifyCalls();
    const id = pool.idToken();
    expect((await request(app).get('/prod/me').set('Authorization', id)).status).toBe(200);
    expectUnauthorized(await request(app).get('/prod/orders').set('Authorization', id));
    const access = pool.accessToken({ scopes: ['orders/read'] });
    expect((await request(app).get('/prod/orders').set('Authorization', access)).status).toBe(200);
    expectUnauthorized(await request(app).get('/prod/me').set('Authorization', access));
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('keeps one cache per authorizer', async () => {
    const app = createApp(apiOptions());
    const spy = verifyCalls();
    const token = pool.idToken();
    await request(app).get('/prod/me').set('Authorization', token);
    await request(app).get('/prod/both').set('Authorization', token);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('does not cache refusals', async () => {
    const app = createApp(apiOptions());
    const forged = otherPool.sign(payloadOf(pool.idToken()), { kid: pool.kid });
    const spy = verifyCalls();
    expectUnauthorized(await request(app).get('/prod/me').set('Authorization', forged));
    expectUnauthorized(await request(app).get('/prod/me').set('Authorization', forged));
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('hands each event its own copy of the cached claims', async () => {
    const app = createApp({
      ...apiOptions(),
      functions: {
        echo: async (event: APIGatewayProxyEvent) => {
          const seen = event.requestContext.authorizer?.claims.email;
          event.requestContext.authorizer = { claims: { email: 'mutated' } };
          return { statusCode: 200, body: JSON.stringify(seen) };
        },
      },
    });
    const token = pool.idToken();
    expect((await request(app).get('/prod/me').set('Authorization', token)).body).toBe(
      'test-user@example.com',
    );
    expect((await request(app).get('/prod/me').set('Authorization', token)).body).toBe(
      'test-user@example.com',
    );
  });
});

/** A JWKS server on 127.0.0.1 whose answer a test can change, counting the fetches. */
class JwksServer {
  fetches = 0;
  answer: { status: number; body: string } = { status: 200, body: '{"keys":[]}' };
  private server: Server = createServer((_req, res) => {
    this.fetches++;
    res.writeHead(this.answer.status, { 'content-type': 'application/json' }).end(this.answer.body);
  });

  serve(...pools: TestUserPool[]): void {
    this.answer = { status: 200, body: JSON.stringify({ keys: pools.flatMap((p) => p.jwks.keys) }) };
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('where the keys come from', () => {
  it('reads a JWKS file', async () => {
    const file = join(tmpdir(), `cognito-jwks-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(pool.jwks));
    const app = createApp(apiOptions({ userPools: { [pool.userPoolId]: { jwks: file } } }));
    expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(200);
    expectUnauthorized(
      await request(app)
        .get('/prod/me')
        .set('Authorization', otherPool.idToken({ iss: pool.issuer })),
    );
  });

  it('refuses at startup a JWKS file it cannot read', () => {
    expect(() =>
      apiGateway(apiOptions({ userPools: { [pool.userPoolId]: { jwks: '/nonexistent/jwks.json' } } })),
    ).toThrow(`userPools["${pool.userPoolId}"].jwks: cannot read /nonexistent/jwks.json`);
  });

  it('refuses at startup a plain http URL to another machine', () => {
    expect(() =>
      apiGateway(
        apiOptions({ userPools: { [pool.userPoolId]: { jwks: 'http://keys.example.com/jwks.json' } } }),
      ),
    ).toThrow(/keys are fetched over https \(http only from localhost\)/);
  });

  describe('a JWKS URL (http on 127.0.0.1 stands in for https)', () => {
    const server = new JwksServer();
    let url: string;
    beforeAll(async () => {
      url = await server.start();
    });
    afterAll(() => server.stop());
    beforeEach(() => {
      server.fetches = 0;
      server.serve(pool);
    });

    const appFor = (ttl = 0) =>
      createApp(
        apiOptions(
          { userPools: { [pool.userPoolId]: { jwks: url } } },
          { authorizerResultTtlInSeconds: ttl },
        ),
      );

    it('fetches the keys once, on first use, and keeps them', async () => {
      const app = appFor();
      expect(server.fetches).toBe(0);
      for (let i = 0; i < 3; i++) {
        expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(200);
      }
      expect(server.fetches).toBe(1);
    });

    it('shares one fetch between concurrent requests', async () => {
      const app = appFor();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => request(app).get('/prod/me').set('Authorization', pool.idToken())),
      );
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(server.fetches).toBe(1);
    });

    it('refetches for an unknown kid, at most once a minute by the clock', async () => {
      const app = appFor();
      const rotated = createTestUserPool({ now: clock, userPoolId: pool.userPoolId });
      expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(200);
      now += 60_000;
      server.serve(pool, rotated);
      // The new key is found by the refetch its unknown kid triggers.
      expect((await request(app).get('/prod/me').set('Authorization', rotated.idToken())).status).toBe(200);
      expect(server.fetches).toBe(2);
      // Forged kids within the minute cost no fetch.
      for (const kid of ['a', 'b', 'c']) {
        const token = pool.sign(payloadOf(pool.idToken()), { kid });
        expectUnauthorized(await request(app).get('/prod/me').set('Authorization', token));
      }
      expect(server.fetches).toBe(2);
      now += 59_999;
      expectUnauthorized(
        await request(app)
          .get('/prod/me')
          .set('Authorization', pool.sign(payloadOf(pool.idToken()), { kid: 'd' })),
      );
      expect(server.fetches).toBe(2);
      now += 1;
      expectUnauthorized(
        await request(app)
          .get('/prod/me')
          .set('Authorization', pool.sign(payloadOf(pool.idToken()), { kid: 'e' })),
      );
      expect(server.fetches).toBe(3);
    });

    it('does not refetch within a minute of the first fetch', async () => {
      const app = appFor();
      const rotated = createTestUserPool({ now: clock, userPoolId: pool.userPoolId });
      expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(200);
      server.serve(pool, rotated);
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', rotated.idToken()));
      expect(server.fetches).toBe(1);
    });

    it.each([
      ['an HTTP error', { status: 503, body: 'unavailable' }],
      ['a body that is not JSON', { status: 200, body: '<html>' }],
      ['JSON that is not a JWKS', { status: 200, body: '{"keys":"none"}' }],
    ])(
      'refuses with 500 AuthorizerConfigurationException when the keys cannot be had: %s',
      async (_name, answer) => {
        const logger = silentLogger();
        const app = createApp({ ...apiOptions({ userPools: { [pool.userPoolId]: { jwks: url } } }), logger });
        server.answer = answer;
        const res = await request(app).get('/prod/me').set('Authorization', pool.idToken());
        expect(res.status).toBe(500);
        expect(res.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
        expect(res.body).toEqual({ message: null });
        expect(logger.calls.some((c) => c.level === 'error' && String(c.args[0]).includes(url))).toBe(true);
        // The failure pauses fetching for a second (refused meanwhile); then the pool works.
        server.serve(pool);
        expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(500);
        expect(server.fetches).toBe(1);
        now += 1_000;
        expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(200);
        expect(server.fetches).toBe(2);
      },
    );

    describe('a first fetch that fails backs off', () => {
      const expectConfigurationError = (res: request.Response) => {
        expect(res.status).toBe(500);
        expect(res.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
        expect(res.body).toEqual({ message: null });
      };

      it('refuses without fetching for 1 s, 2 s, 4 s … up to 30 s after each failure, then serves once the keys come', async () => {
        const logger = silentLogger();
        const app = createApp({ ...apiOptions({ userPools: { [pool.userPoolId]: { jwks: url } } }), logger });
        server.answer = { status: 503, body: 'unavailable' };
        const get = () => request(app).get('/prod/me').set('Authorization', pool.idToken());
        expectConfigurationError(await get());
        expect(server.fetches).toBe(1);
        let fetches = 1;
        for (const pause of [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]) {
          // Ten requests in the pause: refused at once, no fetch.
          for (let i = 0; i < 10; i++) expectConfigurationError(await get());
          now += pause - 1;
          expectConfigurationError(await get());
          expect(server.fetches).toBe(fetches);
          now += 1;
          expectConfigurationError(await get());
          expect(server.fetches).toBe(++fetches);
        }
        expect(
          logger.calls.some(
            (c) => c.level === 'error' && String(c.args[0]).endsWith('refused without a fetch for 30 s'),
          ),
        ).toBe(true);
        server.serve(pool);
        now += 30_000;
        expect((await get()).status).toBe(200);
        expect(server.fetches).toBe(fetches + 1);
      });

      it('waits out the pause, then keeps the keys: a failed refetch for an unknown kid pauses nothing for known kids', async () => {
        const app = appFor();
        server.answer = { status: 500, body: '' };
        expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(500);
        now += 1_000;
        expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(500);
        server.serve(pool);
        now += 2_000;
        expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(200);
        expect(server.fetches).toBe(3);
        // The keys stay: a failed refetch for an unknown kid pauses nothing for known kids.
        now += 60_000;
        server.answer = { status: 500, body: '' };
        const forged = pool.sign(payloadOf(pool.idToken()), { kid: 'other' });
        expect((await request(app).get('/prod/me').set('Authorization', forged)).status).toBe(500);
        expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(200);
        expect(server.fetches).toBe(4);
      });

      it('backs off when the connection is dropped, too', async () => {
        const dropping = createServer((req) => req.socket.destroy());
        await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
        let connections = 0;
        dropping.on('connection', () => connections++);
        const dropUrl = `http://127.0.0.1:${(dropping.address() as AddressInfo).port}/jwks.json`;
        try {
          const app = createApp(apiOptions({ userPools: { [pool.userPoolId]: { jwks: dropUrl } } }));
          for (let i = 0; i < 5; i++) {
            expectConfigurationError(await request(app).get('/prod/me').set('Authorization', pool.idToken()));
          }
          expect(connections).toBe(1);
        } finally {
          await new Promise((resolve) => dropping.close(resolve));
        }
      });
    });

    it('shares one hanging fetch between concurrent lookups', async () => {
      const held: (() => void)[] = [];
      const slow = createServer((_req, res) => {
        held.push(() => res.writeHead(200).end(JSON.stringify(pool.jwks)));
      });
      await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
      let requests = 0;
      slow.on('request', () => requests++);
      try {
        const keys = createSigningKeys(
          pool.userPoolId,
          pool.issuer,
          `http://127.0.0.1:${(slow.address() as AddressInfo).port}/jwks.json`,
          clock,
          silentLogger(),
        );
        const kid = String(pool.jwks.keys[0].kid);
        const lookups = Array.from({ length: 20 }, () => keys.find(kid));
        await new Promise<void>((resolve) => slow.once('request', () => setImmediate(resolve)));
        for (const answer of held.splice(0)) answer();
        const found = await Promise.all(lookups);
        expect(found.every((k) => typeof k === 'object')).toBe(true);
        expect(requests).toBe(1);
      } finally {
        await new Promise((resolve) => slow.close(resolve));
      }
    });

    it('refuses with 500 when the refetch for an unknown kid fails', async () => {
      const app = appFor();
      expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(200);
      now += 60_000;
      server.answer = { status: 500, body: '' };
      const token = pool.sign(payloadOf(pool.idToken()), { kid: 'rotated' });
      expect((await request(app).get('/prod/me').set('Authorization', token)).status).toBe(500);
      // The known key keeps working.
      expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(200);
    });

    it('refuses with 500 when nothing listens at the URL', async () => {
      const gone = new JwksServer();
      const goneUrl = await gone.start();
      await gone.stop();
      const app = createApp(apiOptions({ userPools: { [pool.userPoolId]: { jwks: goneUrl } } }));
      expect((await request(app).get('/prod/me').set('Authorization', pool.idToken())).status).toBe(500);
    });

    it('does not fetch for a token it refuses before needing a key', async () => {
      const app = appFor();
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', otherPool.idToken()));
      expectUnauthorized(await request(app).get('/prod/me').set('Authorization', 'garbage'));
      expect(server.fetches).toBe(0);
    });
  });

  it("fetches the pool's public JWKS when userPools does not list it", async () => {
    const fetchSpy = jest
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async () => new Response(JSON.stringify(otherPool.jwks), { status: 200 }));
    const app = createApp(
      apiOptions({
        authorizers: { users: { type: 'COGNITO_USER_POOLS', providerARNs: [otherPool.providerArn] } },
        resources: { '/me': { GET: guarded('users') } },
      }),
    );
    expect((await request(app).get('/prod/me').set('Authorization', otherPool.idToken())).status).toBe(200);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(String(fetchSpy.mock.calls[0][0])).toBe(
      `https://cognito-idp.us-east-1.amazonaws.com/${otherPool.userPoolId}/.well-known/jwks.json`,
    );
  });

  it('shares the keys of a pool between the authorizers that name it', async () => {
    const fetchSpy = jest
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async () => new Response(JSON.stringify(otherPool.jwks), { status: 200 }));
    const arn = otherPool.providerArn;
    const app = createApp(
      apiOptions({
        authorizers: {
          a: { type: 'COGNITO_USER_POOLS', providerARNs: [arn] },
          b: { type: 'COGNITO_USER_POOLS', providerARNs: [arn] },
        },
        resources: { '/a': { GET: guarded('a') }, '/b': { GET: guarded('b') } },
      }),
    );
    expect((await request(app).get('/prod/a').set('Authorization', otherPool.idToken())).status).toBe(200);
    expect((await request(app).get('/prod/b').set('Authorization', otherPool.idToken())).status).toBe(200);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });
});

describe('any token that is not exactly a valid one is refused (property)', () => {
  const ctx: GuardContext = {
    options: { resources: {}, userPools: pool.userPools },
    functions: new Map(),
    identity: {} as GuardContext['identity'],
    logger: silentLogger(),
    now: clock,
  };
  const authorizer = createCognitoAuthorizer(
    'users',
    { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn], authorizerResultTtlInSeconds: 0 },
    ctx,
  );
  const unscoped = authorizer.guard('GET /me', []);
  const scoped = authorizer.guard('GET /orders', ['orders/read']);
  const authorize = (guard: typeof unscoped, token: string) =>
    guard.authorize(
      { headers: { lower: new Map([['authorization', token]]) } } as unknown as GatewayRequest,
      {} as RouteMatch,
      {} as ApiRuntime,
    );
  const isUnauthorized = (outcome: unknown) =>
    outcome instanceof GatewayError && outcome.responseType === 'UNAUTHORIZED';

  const idToken = pool.idToken();
  const accessToken = pool.accessToken({ scopes: ['orders/read'] });

  it('lets the unchanged tokens in (the properties start from valid tokens)', async () => {
    expect(await authorize(unscoped, idToken)).toEqual({ authorizer: { claims: expect.any(Object) } });
    expect(await authorize(scoped, accessToken)).toEqual({ authorizer: { claims: expect.any(Object) } });
  });

  it('refuses any single-character change anywhere in a valid token', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(['id', idToken, unscoped] as const, ['access', accessToken, scoped] as const),
        fc.nat(),
        fc.integer({ min: 1, max: 0xffff }),
        async ([, token, guard], at, code) => {
          const i = at % token.length;
          const replacement = String.fromCharCode(code);
          fc.pre(replacement !== token[i]);
          const changed = token.slice(0, i) + replacement + token.slice(i + 1);
          expect(isUnauthorized(await authorize(guard, changed))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses any change within the signature and payload alphabets', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const [h] = segments(idToken);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...alphabet.split('')), async (at, replacement) => {
        const i = h.length + 1 + (at % (idToken.length - h.length - 1));
        fc.pre(idToken[i] !== '.' && replacement !== idToken[i]);
        const changed = idToken.slice(0, i) + replacement + idToken.slice(i + 1);
        expect(isUnauthorized(await authorize(unscoped, changed))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every other spelling of the last character of each segment (unused base64 bits)', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const ends = segments(idToken).map((_, n, parts) => parts.slice(0, n + 1).join('.').length - 1);
    for (const i of ends) {
      for (const replacement of alphabet.split('').filter((c) => c !== idToken[i])) {
        const changed = idToken.slice(0, i) + replacement + idToken.slice(i + 1);
        expect(isUnauthorized(await authorize(unscoped, changed))).toBe(true);
      }
    }
  });

  it('refuses the signature of one token on the payload of another', async () => {
    const other = pool.idToken({ 'cognito:groups': ['admin'] });
    const [h, p] = segments(other);
    const [, , s] = segments(idToken);
    expect(isUnauthorized(await authorize(unscoped, `${h}.${p}.${s}`))).toBe(true);
  });

  it('refuses random strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 600 }), async (text) => {
        expect(isUnauthorized(await authorize(unscoped, text))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses random JWT-shaped tokens, whatever their header and payload say', async () => {
    const json = fc.oneof(
      fc.jsonValue(),
      fc.record({
        alg: fc.constantFrom('RS256', 'none', 'HS256', 'RS512'),
        kid: fc.oneof(fc.constant(pool.kid), fc.string()),
      }),
    );
    const claims = fc.oneof(
      fc.jsonValue(),
      fc.record({
        iss: fc.constantFrom(pool.issuer, otherPool.issuer),
        token_use: fc.constantFrom('id', 'access'),
        exp: fc.integer({ min: 0, max: 4_000_000_000 }),
      }),
    );
    const signature = fc
      .uint8Array({ minLength: 0, maxLength: 300 })
      .map((b) => Buffer.from(b).toString('base64url'));
    await fc.assert(
      fc.asyncProperty(json, claims, signature, async (header, payload, sig) => {
        expect(isUnauthorized(await authorize(unscoped, `${b64(header)}.${b64(payload)}.${sig}`))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it.each(EXPRESS_VERSIONS)(
    'refuses any printable single-character change over HTTP (Express %s)',
    async (_v, express) => {
      const app = createApp(apiOptions({}, { authorizerResultTtlInSeconds: 0 }), express);
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.integer({ min: 0x21, max: 0x7e }), async (at, code) => {
          const i = at % idToken.length;
          fc.pre(String.fromCharCode(code) !== idToken[i]);
          const changed = idToken.slice(0, i) + String.fromCharCode(code) + idToken.slice(i + 1);
          expectUnauthorized(await request(app).get('/prod/me').set('Authorization', changed));
        }),
        { numRuns: 100 },
      );
    },
  );
});
