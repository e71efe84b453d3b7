import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import { evaluatePolicy, parsePolicyDocument } from '../../src/auth/evaluate-policy.js';
import { isWithinLifetime, parseJwt, verifyRs256 } from '../../src/auth/jwt.js';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

// Each test here pins a refusal a guard owes: a change to the guard that lets the request in fails one.

const ARN_PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod';
const METHOD_ARN = `${ARN_PREFIX}/GET/pets`;
const T0 = Date.UTC(2026, 0, 5, 12);
const clock = () => T0;

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const b64Text = (text: string): string => Buffer.from(text).toString('base64url');

describe('a returned policy IAM cannot read is never an allow', () => {
  const invoke = { Effect: 'Allow', Action: 'execute-api:Invoke' };

  it.each([
    ['a Resource list mixing a string and a number', { ...invoke, Resource: [METHOD_ARN, 5] }],
    ['a Resource list mixing a number and a string', { ...invoke, Resource: [5, METHOD_ARN] }],
    [
      'an Action list mixing a string and a number',
      { Effect: 'Allow', Action: ['execute-api:Invoke', 5], Resource: METHOD_ARN },
    ],
    [
      'a NotResource list mixing a string and null',
      { ...invoke, NotResource: ['arn:aws:execute-api:us-east-1:123456789012:other/*', null] },
    ],
    ['both Resource and NotResource', { ...invoke, Resource: METHOD_ARN, NotResource: 'arn:other' }],
    [
      'both Action and NotAction',
      { Effect: 'Allow', Action: 'execute-api:Invoke', NotAction: 'iam:*', Resource: METHOD_ARN },
    ],
  ])('refuses %s', (_name, statement) => {
    expect(parsePolicyDocument({ Version: '2012-10-17', Statement: [statement] })).toBeUndefined();
  });

  it('reads a well-formed list of strings (the control case of the refusals above)', () => {
    const policy = parsePolicyDocument({
      Statement: [{ ...invoke, Resource: [METHOD_ARN, `${ARN_PREFIX}/*`] }],
    });
    expect(policy && evaluatePolicy(policy, METHOD_ARN)).toBe('allow');
  });

  describe.each(EXPRESS_VERSIONS)('through the gateway (Express %s)', (_v, express) => {
    const policies: Record<string, unknown> = {
      mixed: { Statement: [{ ...invoke, Resource: [METHOD_ARN, 5] }] },
      'mixed-action': { Statement: [{ Effect: 'Allow', Action: ['execute-api:Invoke', 5], Resource: '*' }] },
      'both-resources': {
        Statement: [{ ...invoke, Resource: METHOD_ARN, NotResource: `${ARN_PREFIX}/POST/*` }],
      },
      good: { Statement: [{ ...invoke, Resource: METHOD_ARN }] },
    };
    const options: ApiGatewayOptions = {
      restApiId: 'abc123',
      accountId: '123456789012',
      region: 'us-east-1',
      stageName: 'prod',
      functions: {
        echo: echoEvent,
        auth: async (event: { authorizationToken: string }) => ({
          principalId: 'user',
          policyDocument: { Version: '2012-10-17', ...(policies[event.authorizationToken] as object) },
        }),
      },
      authorizers: {
        tokens: { type: 'TOKEN', function: 'auth', identitySource: 'method.request.header.Authorization' },
      },
      resources: {
        '/pets': { GET: { authorizationType: 'CUSTOM', authorizer: 'tokens', ...proxy('echo') } },
      },
    };
    const app = createApp(options, express);

    it.each(['mixed', 'mixed-action', 'both-resources'])('answers 500 to a %s policy', async (token) => {
      const res = await request(app).get('/prod/pets').set('Authorization', token).parse(asText);
      expect(res.status).toBe(500);
      expect(res.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
      expect(res.body).toBe('{"message":null}');
    });

    it('lets the well-formed policy in', async () => {
      await request(app).get('/prod/pets').set('Authorization', 'good').expect(200);
    });
  });
});

describe('JWT lifetime and signature', () => {
  it('refuses an exp of Infinity (1e400 in the token), which would never expire', () => {
    expect(isWithinLifetime({ exp: Number.POSITIVE_INFINITY }, T0)).toBe(false);
    expect(isWithinLifetime({ exp: Number.NaN }, T0)).toBe(false);
    expect(isWithinLifetime({ exp: T0 / 1000 + 60, nbf: Number.NEGATIVE_INFINITY }, T0)).toBe(false);
    expect(isWithinLifetime({ exp: T0 / 1000 + 60, iat: Number.NEGATIVE_INFINITY }, T0)).toBe(false);
    expect(isWithinLifetime({ exp: T0 / 1000 + 60 }, T0)).toBe(true);
  });

  it.each([
    [
      'a header holding invalid UTF-8',
      `${Buffer.from('{"alg":"RS256","kid":"\xff"}', 'latin1').toString('base64url')}.${b64({})}.${b64Text('sig')}`,
    ],
    [
      'a payload holding invalid UTF-8',
      `${b64({ alg: 'RS256' })}.${Buffer.from('{"sub":"\xc3"}', 'latin1').toString('base64url')}.${b64Text('sig')}`,
    ],
    ['a payload that is a JSON string', `${b64({ alg: 'RS256' })}.${b64('claims')}.${b64Text('sig')}`],
    ['a header that is a JSON number', `${b64(1)}.${b64({})}.${b64Text('sig')}`],
    // No dot at all: its slices would read 'e30' as header and payload and 'e30A' as signature.
    ['a token without a dot', 'e30A'],
  ])('does not parse %s', (_name, token) => {
    expect(parseJwt(token)).toBeUndefined();
  });

  it('refuses an ECDSA signature under an EC key, although it verifies', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const input = `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ sub: 'x' })}`;
    const token = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    const jwt = parseJwt(token);
    if (jwt === undefined) throw new Error('not parsed');
    expect(verifyRs256(jwt, publicKey)).toBe(false);
  });

  it('refuses a private key handed in as the verifying key, and accepts its public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ sub: 'x' })}`;
    const token = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    const jwt = parseJwt(token);
    if (jwt === undefined) throw new Error('not parsed');
    expect(verifyRs256(jwt, privateKey)).toBe(false);
    expect(verifyRs256(jwt, publicKey)).toBe(true);
  });
});

/** A user pool whose tokens are signed from raw payload text, so a claim can hold what JSON.stringify never writes. */
function rawPool() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const poolId = 'us-east-1_RawPool01';
  const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`;
  const kid = 'raw-key';
  const signRaw = (payloadText: string, key: KeyObject = privateKey): string => {
    const input = `${b64({ alg: 'RS256', kid })}.${b64Text(payloadText)}`;
    return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
  };
  return {
    issuer,
    providerArn: `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${poolId}`,
    userPools: {
      [poolId]: { jwks: { keys: [{ alg: 'RS256', e: jwk.e, kid, kty: 'RSA', n: jwk.n, use: 'sig' }] } },
    },
    signRaw,
  };
}

describe.each(EXPRESS_VERSIONS)(
  'Cognito tokens a scoped or unscoped method must refuse (Express %s)',
  (_v, express) => {
    const pool = createTestUserPool({ now: clock });
    const raw = rawPool();
    const cognito = (authorizationScopes?: string[]) => ({
      authorizationType: 'COGNITO_USER_POOLS' as const,
      authorizer: 'users',
      ...(authorizationScopes ? { authorizationScopes } : {}),
      ...proxy('echo'),
    });
    const app = createApp(
      {
        clock,
        userPools: { ...pool.userPools, ...raw.userPools },
        authorizers: {
          users: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn, raw.providerArn] },
          // No result cache: each request is verified afresh.
          fresh: {
            type: 'COGNITO_USER_POOLS',
            providerARNs: [raw.providerArn],
            authorizerResultTtlInSeconds: 0,
          },
        },
        functions: { echo: echoEvent },
        resources: {
          '/me': { GET: cognito() },
          '/fresh': { GET: { ...cognito(), authorizer: 'fresh' } },
          '/orders': { GET: cognito(['orders/read']) },
          '/blank': { GET: cognito(['']) },
        },
      },
      express,
    );
    const expect401 = (res: request.Response) => {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthorized' });
    };
    const seconds = T0 / 1000;
    const claims = (exp: string) =>
      `{"iss":"${raw.issuer}","token_use":"id","sub":"s","iat":${seconds},"exp":${exp}}`;

    it('refuses an ID token whose exp is 1e400, and lets in the same token with a real exp', async () => {
      for (const path of ['/prod/me', '/prod/fresh']) {
        expect401(
          await request(app)
            .get(path)
            .set('Authorization', raw.signRaw(claims('1e400'))),
        );
        await request(app)
          .get(path)
          .set('Authorization', raw.signRaw(claims(String(seconds + 3600))))
          .expect(200);
      }
    });

    it('refuses an ID token carrying a scope claim on a scoped method: scoped methods take access tokens', async () => {
      expect401(
        await request(app)
          .get('/prod/orders')
          .set('Authorization', pool.idToken({ scope: 'orders/read' })),
      );
      const ok = await request(app)
        .get('/prod/orders')
        .set('Authorization', pool.accessToken({ scopes: ['orders/read'] }));
      expect(ok.status).toBe(200);
      expect((JSON.parse(ok.text) as APIGatewayProxyEvent).requestContext.authorizer?.claims.token_use).toBe(
        'access',
      );
    });

    it('refuses an access token on a method without scopes', async () => {
      expect401(
        await request(app)
          .get('/prod/me')
          .set('Authorization', pool.accessToken({ scopes: ['orders/read'] })),
      );
    });

    it.each([
      ['a trailing space', 'orders/write '],
      ['a leading space', ' orders/write'],
      ['a double space', 'orders/write  profile'],
      ['nothing but a space', ' '],
    ])('does not open a method scope of "" to a scope claim with %s', async (_name, scope) => {
      expect401(await request(app).get('/prod/blank').set('Authorization', pool.accessToken({ scope })));
    });
  },
);

describe.each(EXPRESS_VERSIONS)(
  'Cognito: cache, partitions and refusal reasons (Express %s)',
  (_v, express) => {
    let now = T0;
    const moving = () => now;
    beforeEach(() => {
      now = T0;
    });

    it('never serves a cached token from the second of its exp on, though the cache TTL is longer', async () => {
      const pool = createTestUserPool({ now: moving });
      const app = createApp(
        {
          clock: moving,
          userPools: pool.userPools,
          authorizers: { users: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn] } },
          functions: { echo: echoEvent },
          resources: {
            '/me': {
              GET: { authorizationType: 'COGNITO_USER_POOLS', authorizer: 'users', ...proxy('echo') },
            },
          },
        },
        express,
      );
      const token = pool.idToken({ exp: T0 / 1000 + 10 });
      await request(app).get('/prod/me').set('Authorization', token).expect(200);
      now = T0 + 9_999;
      await request(app).get('/prod/me').set('Authorization', token).expect(200);
      now = T0 + 10_000;
      expect((await request(app).get('/prod/me').set('Authorization', token)).status).toBe(401);
    });

    it('reads the Bearer prefix in any case and with several spaces', async () => {
      const pool = createTestUserPool({ now: moving });
      const app = createApp(
        {
          clock: moving,
          userPools: pool.userPools,
          authorizers: { users: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn] } },
          functions: { echo: echoEvent },
          resources: {
            '/me': {
              GET: { authorizationType: 'COGNITO_USER_POOLS', authorizer: 'users', ...proxy('echo') },
            },
          },
        },
        express,
      );
      for (const prefix of ['bearer ', 'BEARER ', 'Bearer   ']) {
        await request(app).get('/prod/me').set('Authorization', `${prefix}${pool.idToken()}`).expect(200);
      }
      // Only a prefix at the start is one.
      expect(
        (await request(app).get('/prod/me').set('Authorization', `x Bearer ${pool.idToken()}`)).status,
      ).toBe(401);
      const token = pool.idToken();
      const split = `${token.slice(0, 5)}Bearer ${token.slice(5)}`;
      expect((await request(app).get('/prod/me').set('Authorization', split)).status).toBe(401);
    });

    it("trusts a China-partition pool's own issuer (amazonaws.com.cn) and no other", async () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = publicKey.export({ format: 'jwk' });
      const poolId = 'cn-north-1_ChinaPool';
      const token = (iss: string) => {
        const input = `${b64({ alg: 'RS256', kid: 'cn' })}.${b64({ iss, token_use: 'id', sub: 's', exp: T0 / 1000 + 60 })}`;
        return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
      };
      const app = createApp(
        {
          clock: moving,
          userPools: {
            [poolId]: {
              jwks: { keys: [{ alg: 'RS256', e: jwk.e, kid: 'cn', kty: 'RSA', n: jwk.n, use: 'sig' }] },
            },
          },
          authorizers: {
            users: {
              type: 'COGNITO_USER_POOLS',
              providerARNs: [`arn:aws-cn:cognito-idp:cn-north-1:123456789012:userpool/${poolId}`],
            },
          },
          functions: { echo: echoEvent },
          resources: {
            '/me': {
              GET: { authorizationType: 'COGNITO_USER_POOLS', authorizer: 'users', ...proxy('echo') },
            },
          },
        },
        express,
      );
      await request(app)
        .get('/prod/me')
        .set('Authorization', token(`https://cognito-idp.cn-north-1.amazonaws.com.cn/${poolId}`))
        .expect(200);
      const other = await request(app)
        .get('/prod/me')
        .set('Authorization', token(`https://cognito-idp.cn-north-1.amazonaws.com/${poolId}`));
      expect(other.status).toBe(401);
    });

    it('logs why it refused each token', async () => {
      const pool = createTestUserPool({ now: moving });
      const logger = silentLogger();
      const method = (extra = {}) => ({
        authorizationType: 'COGNITO_USER_POOLS' as const,
        authorizer: 'users',
        ...proxy('echo'),
        ...extra,
      });
      const app = createApp(
        {
          clock: moving,
          logger,
          userPools: pool.userPools,
          authorizers: { users: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn] } },
          functions: { echo: echoEvent },
          resources: {
            '/me': { GET: method() },
            '/orders': { GET: method({ authorizationScopes: ['orders/read'] }) },
          },
        },
        express,
      );
      const cases: [string, string | undefined, string][] = [
        ['/prod/me', undefined, 'no token in the identity source'],
        ['/prod/me', 'not.a.jwt', 'not a JWT'],
        ['/prod/me', pool.sign({ iss: pool.issuer }, { alg: 'RS512' }), 'algorithm "RS512" (RS256 only)'],
        ['/prod/me', pool.idToken({ iss: 'https://elsewhere' }), 'issuer "https://elsewhere" is none of'],
        ['/prod/me', pool.sign({ iss: pool.issuer }, { kid: undefined }), 'no kid'],
        ['/prod/me', pool.sign({ iss: pool.issuer }, { kid: 'other' }), 'unknown kid "other"'],
        ['/prod/me', `${pool.idToken().slice(0, -4)}AAAA`, 'bad signature'],
        ['/prod/me', pool.idToken({ exp: T0 / 1000 - 1 }), 'expired or not yet valid'],
        ['/prod/me', pool.idToken({ token_use: 'refresh' }), 'token_use "refresh"'],
        ['/prod/me', pool.accessToken(), 'an ID token is expected'],
        ['/prod/orders', pool.idToken(), 'an access token is expected'],
        ['/prod/orders', pool.accessToken({ scopes: ['orders/write'] }), 'no matching scope'],
      ];
      for (const [path, token, reason] of cases) {
        logger.calls.length = 0;
        const req = request(app).get(path);
        const res = await (token === undefined ? req : req.set('Authorization', token));
        expect(res.status).toBe(401);
        const lines = logger.calls.filter((c) => c.level === 'debug').map((c) => String(c.args[0]));
        expect(lines).toEqual([expect.stringContaining(`authorizer "users" refused the token: ${reason}`)]);
      }
    });
  },
);
