import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import request from 'supertest';
import { type ApiGatewayOptions, apiGateway, ConfigError } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

const NOW = Date.UTC(2024, 0, 15, 12, 30, 45);
const clock = () => NOW;
const API = { restApiId: 'a1b2c3d4e5', accountId: '111122223333', region: 'us-east-1', stageName: 'prod' };
const ARN = 'arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod';
// AWS shows the API's account masked but for its last four digits (ASFHyP3/hyp3#2283).
const SHOWN = 'arn:aws:execute-api:us-east-1:********3333:a1b2c3d4e5/prod';
const HOST = 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com';

// supertest connects over loopback: 127.0.0.1 (reported by a dual-stack socket as ::ffff:127.0.0.1).
const HERE = ['127.0.0.0/8', '::1/128'];
const ELSEWHERE = ['203.0.113.0/24', '2001:db8::/32'];

type Statement = Record<string, unknown>;
const policy = (...statements: Statement[]) => ({ Version: '2012-10-17', Statement: statements });
const allowFrom = (cidrs: string[], resource = 'execute-api:/*'): Statement => ({
  Effect: 'Allow',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: resource,
  Condition: { IpAddress: { 'aws:SourceIp': cidrs } },
});
const denyFrom = (cidrs: string[], resource = 'execute-api:/*'): Statement => ({
  Effect: 'Deny',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: resource,
  Condition: { IpAddress: { 'aws:SourceIp': cidrs } },
});
const ALLOW_ALL: Statement = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' };

const denied = (user: string, path: string, explicit: boolean) => ({
  Message: `User: ${user} is not authorized to perform: execute-api:Invoke on resource: ${SHOWN}${path}${explicit ? ' with an explicit deny' : ''}`,
});

function expectDenied(res: request.Response, user: string, path: string, explicit: boolean): void {
  expect(res.status).toBe(403);
  expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  expect(res.body).toEqual(denied(user, path, explicit));
}

const USER_KEY = 'AKIAIOSFODNN7EXAMPLE';
const USER_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ROLE_KEY = 'ASIAIOSFODNN7EXAMPLE';
const ROLE_SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
const ROLE_TOKEN = 'FwoGZXIvYXdzEXAMPLETOKEN';
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:sts::444455556666:assumed-role/Admin/bob-session';

/** SigV4 headers for a GET, as an AWS SDK signs it. */
async function signedHeaders(path: string, as: 'alice' | 'bob'): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials:
      as === 'alice'
        ? { accessKeyId: USER_KEY, secretAccessKey: USER_SECRET }
        : { accessKeyId: ROLE_KEY, secretAccessKey: ROLE_SECRET, sessionToken: ROLE_TOKEN },
    region: 'us-east-1',
    service: 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    { method: 'GET', protocol: 'https:', hostname: HOST, path, query: {}, headers: { host: HOST } },
    { signingDate: new Date(NOW) },
  );
  return signed.headers as Record<string, string>;
}

const pool = createTestUserPool({ now: clock, accountId: API.accountId });

interface Calls {
  count: number;
}

/** A TOKEN authorizer: `allow` → Allow on everything, `deny` → Deny, `nothing` → an Allow on another API only. */
function authorizer(calls: Calls) {
  return async (event: { authorizationToken: string }) => {
    calls.count++;
    const statement = (Effect: string, Resource: string) => ({
      Effect,
      Action: 'execute-api:Invoke',
      Resource,
    });
    const doc = (s: Statement) => ({ principalId: 'user-1', policyDocument: policy(s) });
    switch (event.authorizationToken) {
      case 'allow':
        return doc(statement('Allow', `${ARN}/*`));
      case 'deny':
        return doc(statement('Deny', `${ARN}/*`));
      default:
        return doc(statement('Allow', 'arn:aws:execute-api:us-east-1:111122223333:other/*'));
    }
  };
}

function options(
  resourcePolicy: unknown,
  calls: Calls = { count: 0 },
  extra: Partial<ApiGatewayOptions> = {},
) {
  return {
    ...API,
    clock,
    resourcePolicy,
    functions: { echo: echoEvent, auth: authorizer(calls) },
    authorizers: {
      token: { type: 'TOKEN', function: 'auth', authorizerResultTtlInSeconds: 0 },
      users: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn] },
    },
    userPools: pool.userPools,
    awsCredentials: {
      [USER_KEY]: { secretAccessKey: USER_SECRET, userArn: ALICE },
      [ROLE_KEY]: { secretAccessKey: ROLE_SECRET, userArn: BOB, sessionToken: ROLE_TOKEN },
    },
    resources: {
      '/open': { GET: proxy('echo'), DELETE: proxy('echo') },
      '/custom': { GET: { authorizationType: 'CUSTOM', authorizer: 'token', ...proxy('echo') } },
      '/iam': { GET: { authorizationType: 'AWS_IAM', ...proxy('echo') } },
      '/cognito': { GET: { authorizationType: 'COGNITO_USER_POOLS', authorizer: 'users', ...proxy('echo') } },
    },
    ...extra,
  } as ApiGatewayOptions;
}

describe.each(EXPRESS_VERSIONS)('resource policy on Express %s', (_v, express) => {
  const app = (resourcePolicy: unknown, calls?: Calls, extra?: Partial<ApiGatewayOptions>) =>
    createApp(options(resourcePolicy, calls, extra), express);

  describe('alone (authorizationType NONE): an explicit Allow is needed', () => {
    it('lets in a caller whose address an Allow names (IPv4 loopback, as a dual-stack socket reports it)', async () => {
      const res = await request(app(policy(allowFrom(HERE)))).get('/prod/open');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).requestContext.identity.sourceIp).toBe('127.0.0.1');
    });

    it('refuses a caller no Allow names: implicit deny, anonymous, account masked', async () => {
      const res = await request(app(policy(allowFrom(ELSEWHERE)))).get('/prod/open');
      expectDenied(res, 'anonymous', '/GET/open', false);
    });

    it('refuses a caller a Deny names, with an explicit deny, whatever Allows', async () => {
      const res = await request(app(policy(ALLOW_ALL, denyFrom(HERE)))).get('/prod/open');
      expectDenied(res, 'anonymous', '/GET/open', true);
    });

    it("SAM's IpRangeWhitelist form (Allow, and Deny NotIpAddress) lets the listed range in and keeps others out", async () => {
      const whitelist = (cidrs: string[]) =>
        policy(
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: ['execute-api:/prod/GET/open'],
          },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: ['execute-api:/prod/GET/open'],
            Condition: { NotIpAddress: { 'aws:SourceIp': cidrs } },
          },
        );
      expect((await request(app(whitelist(['127.0.0.1']))).get('/prod/open')).status).toBe(200);
      expectDenied(
        await request(app(whitelist(ELSEWHERE))).get('/prod/open'),
        'anonymous',
        '/GET/open',
        true,
      );
      // DELETE is in no statement: implicit deny.
      expectDenied(
        await request(app(whitelist(['127.0.0.1']))).delete('/prod/open'),
        'anonymous',
        '/DELETE/open',
        false,
      );
    });

    it('matches the methodArn: a Deny on one method leaves the others open', async () => {
      const app1 = app(policy(ALLOW_ALL, denyFrom(['0.0.0.0/0', '::/0'], 'execute-api:/prod/DELETE/*')));
      expect((await request(app1).get('/prod/open')).status).toBe(200);
      expectDenied(await request(app1).delete('/prod/open'), 'anonymous', '/DELETE/open', true);
    });

    it('takes the policy as JSON text too', async () => {
      const res = await request(app(JSON.stringify(policy(allowFrom(ELSEWHERE))))).get('/prod/open');
      expectDenied(res, 'anonymous', '/GET/open', false);
    });

    it('answers through the ACCESS_DENIED gateway response', async () => {
      const res = await request(
        app(policy(allowFrom(ELSEWHERE)), undefined, {
          gatewayResponses: {
            ACCESS_DENIED: {
              statusCode: '451',
              responseTemplates: { 'application/json': '{"why":$context.error.messageString}' },
            },
          },
        }),
      ).get('/prod/open');
      expect(res.status).toBe(451);
      expect(res.body).toEqual({ why: denied('anonymous', '/GET/open', false).Message });
    });

    it('leaves an API without a resource policy open', async () => {
      expect((await request(app(undefined)).get('/prod/open')).status).toBe(200);
    });
  });

  describe('with a Lambda authorizer (CUSTOM): Deny first, then Table A', () => {
    it('refuses on an explicit Deny before calling the authorizer, even without a token', async () => {
      const calls = { count: 0 };
      const target = app(policy(ALLOW_ALL, denyFrom(HERE)), calls);
      expectDenied(
        await request(target).get('/prod/custom').set('Authorization', 'allow'),
        'anonymous',
        '/GET/custom',
        true,
      );
      expectDenied(await request(target).get('/prod/custom'), 'anonymous', '/GET/custom', true);
      expect(calls.count).toBe(0);
    });

    it.each([
      ['Allow', 'allow', 200],
      ['Allow', 'nothing', 200],
      ['neither', 'allow', 200],
    ])('resource policy %s + authorizer %s → %i', async (rp, token, status) => {
      const calls = { count: 0 };
      const doc = rp === 'Allow' ? policy(allowFrom(HERE)) : policy(allowFrom(ELSEWHERE));
      const res = await request(app(doc, calls)).get('/prod/custom').set('Authorization', token);
      expect(res.status).toBe(status);
      expect(calls.count).toBe(1);
    });

    it('resource policy Allow + authorizer Deny → explicit deny (the authorizer’s answer)', async () => {
      const res = await request(app(policy(allowFrom(HERE))))
        .get('/prod/custom')
        .set('Authorization', 'deny');
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        Message: 'User is not authorized to access this resource with an explicit deny',
      });
    });

    it('neither + neither → implicit deny (the authorizer’s answer)', async () => {
      const res = await request(app(policy(allowFrom(ELSEWHERE))))
        .get('/prod/custom')
        .set('Authorization', 'nothing');
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ Message: 'User is not authorized to access this resource' });
    });

    it('neither + authorizer Deny → explicit deny', async () => {
      const res = await request(app(policy(allowFrom(ELSEWHERE))))
        .get('/prod/custom')
        .set('Authorization', 'deny');
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        Message: 'User is not authorized to access this resource with an explicit deny',
      });
    });

    it('a missing token is still 401 when the resource policy does not deny', async () => {
      const res = await request(app(policy(allowFrom(HERE)))).get('/prod/custom');
      expect(res.status).toBe(401);
    });
  });

  describe('with AWS_IAM: after the signature; same account Table A, another account Table B', () => {
    it('same account: the signer is let in when the policy is silent (its IAM policy allows)', async () => {
      const res = await request(app(policy(allowFrom(ELSEWHERE))))
        .get('/prod/iam')
        .set(await signedHeaders('/prod/iam', 'alice'));
      expect(res.status).toBe(200);
    });

    it('same account: an explicit Deny refuses, naming the signer', async () => {
      const res = await request(app(policy(ALLOW_ALL, denyFrom(HERE))))
        .get('/prod/iam')
        .set(await signedHeaders('/prod/iam', 'alice'));
      expectDenied(res, ALICE, '/GET/iam', true);
    });

    it('a Deny naming one principal refuses that signer only', async () => {
      const doc = policy(ALLOW_ALL, {
        Effect: 'Deny',
        Principal: { AWS: ALICE },
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
      });
      const target = app(doc);
      expectDenied(
        await request(target)
          .get('/prod/iam')
          .set(await signedHeaders('/prod/iam', 'alice')),
        ALICE,
        '/GET/iam',
        true,
      );
      expect((await request(target).get('/prod/open')).status).toBe(200); // anonymous is not Alice
    });

    it('another account: a silent policy refuses (implicit deny, naming the signer)', async () => {
      const res = await request(app(policy(allowFrom(ELSEWHERE))))
        .get('/prod/iam')
        .set(await signedHeaders('/prod/iam', 'bob'));
      expectDenied(res, BOB, '/GET/iam', false);
    });

    it.each([
      ['the role', 'arn:aws:iam::444455556666:role/Admin'],
      ['the account', '444455556666'],
      ['the account root', 'arn:aws:iam::444455556666:root'],
      ['the session', BOB],
      ['anyone', '*'],
    ])('another account: an Allow naming %s lets the signer in', async (_what, principal) => {
      const doc = policy({
        Effect: 'Allow',
        Principal: { AWS: principal },
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
      });
      const res = await request(app(doc))
        .get('/prod/iam')
        .set(await signedHeaders('/prod/iam', 'bob'));
      expect(res.status).toBe(200);
    });

    it('another account: an Allow for someone else does not', async () => {
      const doc = policy({
        Effect: 'Allow',
        Principal: { AWS: ALICE },
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
      });
      const res = await request(app(doc))
        .get('/prod/iam')
        .set(await signedHeaders('/prod/iam', 'bob'));
      expectDenied(res, BOB, '/GET/iam', false);
    });

    it('a specific principal never matches an anonymous caller', async () => {
      const doc = policy({
        Effect: 'Allow',
        Principal: { AWS: ALICE },
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
      });
      expectDenied(await request(app(doc)).get('/prod/open'), 'anonymous', '/GET/open', false);
    });

    it('an unsigned request is refused by the signature check first', async () => {
      const res = await request(app(policy(ALLOW_ALL, denyFrom(HERE)))).get('/prod/iam');
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: 'Missing Authentication Token' });
    });
  });

  describe('with Cognito: after the token, the policy must Allow on its own', () => {
    const token = () => pool.idToken();

    it('Allow → in', async () => {
      const res = await request(app(policy(allowFrom(HERE))))
        .get('/prod/cognito')
        .set('Authorization', token());
      expect(res.status).toBe(200);
    });

    it('neither → implicit deny', async () => {
      const res = await request(app(policy(allowFrom(ELSEWHERE))))
        .get('/prod/cognito')
        .set('Authorization', token());
      expectDenied(res, 'anonymous', '/GET/cognito', false);
    });

    it('Deny → explicit deny', async () => {
      const res = await request(app(policy(ALLOW_ALL, denyFrom(HERE))))
        .get('/prod/cognito')
        .set('Authorization', token());
      expectDenied(res, 'anonymous', '/GET/cognito', true);
    });

    it('no token → 401 before the policy', async () => {
      const res = await request(app(policy(ALLOW_ALL, denyFrom(HERE)))).get('/prod/cognito');
      expect(res.status).toBe(401);
    });
  });

  describe('conditions a local gateway knows', () => {
    const when = (condition: Record<string, unknown>) =>
      policy({ ...ALLOW_ALL, Resource: 'execute-api:/*', Condition: condition });

    it('aws:CurrentTime and aws:EpochTime come from the clock', async () => {
      expect(
        (
          await request(app(when({ DateLessThan: { 'aws:CurrentTime': '2024-01-15T12:31:00Z' } }))).get(
            '/prod/open',
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await request(app(when({ DateGreaterThan: { 'aws:CurrentTime': '2024-01-15T12:31:00Z' } }))).get(
            '/prod/open',
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await request(app(when({ DateGreaterThanEquals: { 'aws:EpochTime': String(NOW / 1000) } }))).get(
            '/prod/open',
          )
        ).status,
      ).toBe(200);
      expect(
        (await request(app(when({ NumericLessThan: { 'aws:EpochTime': NOW / 1000 } }))).get('/prod/open'))
          .status,
      ).toBe(403);
    });

    it('aws:UserAgent and aws:Referer with String operators, …IfExists and Null', async () => {
      const ua = app(when({ StringLike: { 'aws:UserAgent': 'curl/*' } }));
      expect((await request(ua).get('/prod/open').set('User-Agent', 'curl/8.0')).status).toBe(200);
      expect((await request(ua).get('/prod/open').set('User-Agent', 'Mozilla/5.0')).status).toBe(403);
      const referer = app(when({ StringEqualsIfExists: { 'aws:Referer': 'https://example.com/' } }));
      expect((await request(referer).get('/prod/open')).status).toBe(200);
      expect((await request(referer).get('/prod/open').set('Referer', 'https://evil.example/')).status).toBe(
        403,
      );
      const noReferer = app(when({ Null: { 'aws:Referer': 'true' } }));
      expect((await request(noReferer).get('/prod/open')).status).toBe(200);
      expect((await request(noReferer).get('/prod/open').set('Referer', 'x')).status).toBe(403);
    });

    it('aws:SecureTransport is false over plain HTTP, whatever X-Forwarded-Proto says; resourcePolicyContext can force it', async () => {
      const doc = policy(ALLOW_ALL, {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      expectDenied(
        await request(app(doc)).get('/prod/open').set('X-Forwarded-Proto', 'https'),
        'anonymous',
        '/GET/open',
        true,
      );
      const forced = app(doc, undefined, { resourcePolicyContext: { 'aws:SecureTransport': 'true' } });
      expect((await request(forced).get('/prod/open')).status).toBe(200);
    });

    it('a mapped key (aws:SourceVpce) is evaluated with its given value', async () => {
      const doc = policy(ALLOW_ALL, {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      });
      const through = app(doc, undefined, { resourcePolicyContext: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } });
      expect((await request(through).get('/prod/open')).status).toBe(200);
      const other = app(doc, undefined, { resourcePolicyContext: { 'aws:SourceVpce': 'vpce-99999999' } });
      expectDenied(await request(other).get('/prod/open'), 'anonymous', '/GET/open', true);
      // null: no VPC endpoint, the key is absent, and a negated operator holds.
      const none = app(doc, undefined, { resourcePolicyContext: { 'aws:SourceVpce': null } });
      expectDenied(await request(none).get('/prod/open'), 'anonymous', '/GET/open', true);
    });
  });
});

describe('resource policy over IPv6', () => {
  it('matches ::1 against IPv6 blocks', async () => {
    const serve = (doc: unknown) =>
      new Promise<{ url: string; close: () => void }>((resolve) => {
        const server = createServer(apiGateway({ ...options(doc), logger: silentLogger() }) as never);
        server.listen(0, '::1', () =>
          resolve({
            url: `http://[::1]:${(server.address() as AddressInfo).port}`,
            close: () => server.close(),
          }),
        );
      });
    const allowed = await serve(policy(allowFrom(['::1/128'])));
    const blocked = await serve(policy(allowFrom(['127.0.0.0/8', '2001:db8::/32'])));
    try {
      const ok = await request(allowed.url).get('/prod/open');
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.text).requestContext.identity.sourceIp).toBe('::1');
      expectDenied(await request(blocked.url).get('/prod/open'), 'anonymous', '/GET/open', false);
    } finally {
      allowed.close();
      blocked.close();
    }
  });
});

describe('resource policies that cannot be evaluated here refuse to start', () => {
  const start =
    (doc: unknown, extra: Partial<ApiGatewayOptions> = {}) =>
    () =>
      apiGateway({ ...options(doc), logger: silentLogger(), ...extra });
  const vpce = policy(ALLOW_ALL, {
    Sid: 'OnlyThroughVpce',
    Effect: 'Deny',
    Principal: '*',
    Action: 'execute-api:Invoke',
    Resource: 'execute-api:/*',
    Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
  });

  it('names the statement and the key it cannot know', () => {
    expect(start(vpce)).toThrow(ConfigError);
    expect(start(vpce)).toThrow(
      /Statement\[1\] \(Sid "OnlyThroughVpce"\)\.Condition\.StringNotEquals\["aws:SourceVpce"\].*resourcePolicyContext/,
    );
  });

  it.each([
    ['aws:SourceVpc', { StringEquals: { 'aws:SourceVpc': 'vpc-1' } }],
    ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } }],
    ['an unknown key', { StringEquals: { 'custom:thing': 'x' } }],
    ['an unknown operator', { StringSounds: { 'aws:UserAgent': 'x' } }],
    ['a set operator', { 'ForAnyValue:StringEquals': { 'aws:UserAgent': 'x' } }],
    ['a malformed CIDR', { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } }],
    ['a malformed date', { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } }],
  ])('%s', (_what, condition) => {
    expect(start(policy({ ...ALLOW_ALL, Condition: condition }))).toThrow(ConfigError);
  });

  it.each([
    ['text that is not JSON', '{"Statement": ['],
    ['no statements', { Version: '2012-10-17', Statement: [] }],
    ['an unknown document field', { Version: '2012-10-17', Statement: [ALLOW_ALL], Extra: 1 }],
    ['an unknown statement field', policy({ ...ALLOW_ALL, Effects: 'Allow' })],
    ['Effect in the wrong case', policy({ ...ALLOW_ALL, Effect: 'allow' })],
    ['no Principal', policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' })],
    ['an unknown principal type', policy({ ...ALLOW_ALL, Principal: { Group: 'x' } })],
    [
      'a principal that is not one',
      policy({ ...ALLOW_ALL, Principal: { AWS: 'arn:aws:iam::111122223333:group/x' } }),
    ],
    ['a policy variable', policy({ ...ALLOW_ALL, Resource: 'execute-api:/${aws:username}/*' })],
    ['an unknown version', { Version: '2024-01-01', Statement: [ALLOW_ALL] }],
  ])('%s', (_what, doc) => {
    expect(start(doc)).toThrow(ConfigError);
  });

  it('a statement about other actions needs no evaluation', () => {
    expect(
      start(
        policy(ALLOW_ALL, {
          ...ALLOW_ALL,
          Action: 's3:GetObject',
          Condition: { StringEquals: { 'aws:SourceVpc': 'v' } },
        }),
      ),
    ).not.toThrow();
  });

  it('resourcePolicyContext cannot set what each request says', () => {
    expect(start(policy(ALLOW_ALL), { resourcePolicyContext: { 'aws:SourceIp': '10.0.0.1' } })).toThrow(
      /resourcePolicyContext\["aws:SourceIp"\]/,
    );
    expect(start(policy(ALLOW_ALL), { resourcePolicyContext: { 'aws:SourceVpce': 1 as never } })).toThrow(
      ConfigError,
    );
  });

  it('a resourcePolicy that is no document is a ConfigError', () => {
    expect(start(42)).toThrow(/resourcePolicy/);
  });

  it('warns that aws:SecureTransport comes from the socket, unless resourcePolicyContext sets it', () => {
    const doc = policy({ ...ALLOW_ALL, Condition: { Bool: { 'aws:SecureTransport': 'true' } } });
    const warnings = (extra: Partial<ApiGatewayOptions>) => {
      const logger = silentLogger();
      apiGateway({ ...options(doc), logger, ...extra });
      return logger.calls.filter(
        (c) => c.level === 'warn' && /aws:SecureTransport is read/.test(String(c.args[0])),
      );
    };
    expect(warnings({})).toHaveLength(1);
    expect(warnings({ resourcePolicyContext: { 'aws:SecureTransport': 'true' } })).toHaveLength(0);
  });

  it('warns when a Resource ARN names another API (it matches nothing here)', () => {
    const logger = silentLogger();
    apiGateway({
      ...options(policy({ ...ALLOW_ALL, Resource: 'arn:aws:execute-api:us-east-1:999999999999:zzz/*' })),
      logger,
    });
    expect(logger.calls.some((c) => c.level === 'warn' && /names another API/.test(String(c.args[0])))).toBe(
      true,
    );
  });
});
