import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';
import { type Listening, listen, openRequest, rawRequest } from '../support/raw-request.js';

// Requests are written byte for byte on a socket: a client library would rewrite the escapes.

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123defg/prod';
const NOW = Date.UTC(2024, 0, 15, 12, 30, 45);

/** Lets `good` in everywhere but `GET /pets/7`, which it denies by its exact ARN. */
function tokenAuthorizer(seen: string[]) {
  return async (event: APIGatewayTokenAuthorizerEvent) => {
    seen.push(event.methodArn);
    if (event.authorizationToken !== 'good') throw new Error('Unauthorized');
    return {
      principalId: 'user',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/*/*` },
          { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `${ARN}/GET/pets/7` },
        ],
      },
    };
  };
}

const guarded = { authorizationType: 'CUSTOM' as const, authorizer: 'token', ...proxy('echo') };
const deny = (resource: string) => ({
  Effect: 'Deny',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: resource,
});

function options(seen: string[]): ApiGatewayOptions {
  return {
    stageName: 'prod',
    restApiId: 'abc123defg',
    accountId: '123456789012',
    clock: () => NOW,
    logger: silentLogger(),
    functions: { echo: echoEvent, auth: tokenAuthorizer(seen) },
    authorizers: { token: { type: 'TOKEN', function: 'auth', authorizerResultTtlInSeconds: 0 } },
    resourcePolicy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        deny('execute-api:/*/GET/blocked'),
        deny('execute-api:/*/GET/files/secret.txt'),
      ],
    },
    resources: {
      '/admin': { GET: guarded },
      '/pets/{id}': { GET: guarded },
      '/{proxy+}': { ANY: proxy('echo') },
    },
  };
}

describe.each(EXPRESS_VERSIONS)('percent-encoded unreserved characters on Express %s', (_v, express) => {
  let seen: string[];
  let server: Listening;
  const get = (target: string, headers: Record<string, string> = {}) =>
    rawRequest(server.port, `GET ${target} HTTP/1.1`, headers);
  beforeEach(async () => {
    seen = [];
    server = await listen(createApp(options(seen), express));
  });
  afterEach(() => server.close());

  it.each(['/prod/ad%6din', '/prod/%61dmin', '/prod/admi%6E/'])(
    '%s is the guarded /admin (RFC 3986 §6.2.2.2: the same URI), not the public {proxy+}',
    async (target) => {
      const res = await get(target);
      expect(res.status).toBe(401);
      expect(res.body).toBe('{"message":"Unauthorized"}');
    },
  );

  it("judges /pets/%37 by /pets/7's methodArn, so its exact-ARN Deny holds; the value stays as sent", async () => {
    const res = await get('/prod/pets/%37', { Authorization: 'good' });
    expect(res.status).toBe(403);
    expect(seen).toEqual([`${ARN}/GET/pets/7`]);
    const open = await get('/prod/pets/%38', { Authorization: 'good' });
    expect(open.status).toBe(200);
    const event = JSON.parse(open.body) as APIGatewayProxyEvent;
    expect(event.path).toBe('/pets/%38');
    expect(event.pathParameters).toEqual({ id: '%38' });
  });

  it.each([
    '/prod/bl%6Fcked',
    '/prod/files/secret%2Etxt',
    '/prod/files/secret%2etxt',
    '/prod/%66iles/secret.txt',
  ])('a resource-policy Deny holds for %s on the public {proxy+}', async (target) => {
    const res = await get(target);
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  });

  it('keeps reserved escapes as they are: %2F is not a slash, %25 not a percent sign', async () => {
    const res = await get('/prod/files%2Fsecret.txt');
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as APIGatewayProxyEvent).pathParameters).toEqual({
      proxy: 'files%2Fsecret.txt',
    });
    expect((await get('/prod/bl%256Fcked')).status).toBe(200);
  });
});

const HOST = 'abc123defg.execute-api.us-east-1.amazonaws.com';
const MiB = 1024 * 1024;

/** Headers for `POST /prod/signed` over a payload hash, signed with the given key and region. */
async function signPost(accessKeyId: string, region: string, at: number): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: 'attacker-secret' },
    region,
    service: 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
  });
  const body = 'x'.repeat(1000);
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: HOST,
      path: '/prod/signed',
      query: {},
      headers: { host: HOST, 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') },
      body,
    },
    { signingDate: new Date(at) },
  );
  return signed.headers as Record<string, string>;
}

describe.each(EXPRESS_VERSIONS)('AWS_IAM refusals that need no payload (Express %s)', (_v, express) => {
  let server: Listening;
  afterEach(() => server?.close());

  it.each([
    ['an unknown access key', 'AKIDUNKNOWN', 'us-east-1', NOW, 'AccessDeniedException'],
    ['another region', 'AKIAIOSFODNN7EXAMPLE', 'eu-west-1', NOW, 'InvalidSignatureException'],
    ['an expired date', 'AKIAIOSFODNN7EXAMPLE', 'us-east-1', NOW - 3600_000, 'InvalidSignatureException'],
  ])(
    'refuses %s before the body arrives, with or without a resource policy',
    async (_w, key, region, at, type) => {
      for (const withPolicy of [false, true]) {
        server = await listen(
          createApp(
            {
              ...options([]),
              ...(withPolicy ? {} : { resourcePolicy: undefined }),
              awsCredentials: {
                AKIAIOSFODNN7EXAMPLE: {
                  secretAccessKey: 'x',
                  userArn: 'arn:aws:iam::123456789012:user/alice',
                },
              },
              resources: { '/signed': { POST: { authorizationType: 'AWS_IAM', ...proxy('echo') } } },
            },
            express,
          ),
        );
        const headers = await signPost(key, region, at);
        const lines = [
          'POST /prod/signed HTTP/1.1',
          ...Object.entries({ ...headers, 'content-length': String(5 * MiB) }).map(([k, v]) => `${k}: ${v}`),
        ];
        // 5 MB announced, 1 KB sent, then nothing: the answer must not wait for the rest.
        const open = await openRequest(server.port, lines.join('\r\n'), Buffer.alloc(1024, 97));
        const res = await open.answer;
        open.socket.destroy();
        server.close();
        expect({ withPolicy, status: res.status }).toEqual({ withPolicy, status: 403 });
        expect(res.headers['x-amzn-errortype']).toBe(type);
      }
    },
  );
});

describe.each(EXPRESS_VERSIONS)(
  'a store of your own that answers out of contract (Express %s)',
  (_v, express) => {
    const app = (takeToken: unknown, useQuota: unknown) =>
      createApp(
        {
          stageName: 'prod',
          restApiId: 'abc123defg',
          clock: () => NOW,
          logger: silentLogger(),
          functions: { echo: echoEvent },
          apiKeys: [{ id: 'k1', value: 'key-1-value-long-enough' }],
          usagePlans: [
            {
              name: 'p',
              apiKeys: ['k1'],
              throttle: { rateLimit: 1, burstLimit: 1 },
              quota: { limit: 1, period: 'DAY' },
            },
          ],
          store: {
            takeToken: async () => takeToken,
            useQuota: async () => useQuota,
            close: async () => {},
          },
          resources: { '/metered': { GET: { apiKeyRequired: true, ...proxy('echo') } } },
        } as ApiGatewayOptions,
        express,
      );

    it.each([
      ['takeToken answers an object', { allowed: false }, { allowed: true, used: 1 }],
      ['takeToken answers a string', 'false', { allowed: true, used: 1 }],
      ['useQuota answers a string for allowed', true, { allowed: 'false', used: 2 }],
      ['useQuota answers a number for allowed', true, { allowed: 1, used: 2 }],
    ])('refuses with 500 when %s, never lets the request through', async (_w, take, quota) => {
      const server = await listen(app(take, quota));
      const res = await rawRequest(server.port, 'GET /prod/metered HTTP/1.1', {
        'x-api-key': 'key-1-value-long-enough',
      });
      server.close();
      expect(res.status).toBe(500);
    });
  },
);

/** A SAM API whose every method needs a TOKEN authorizer, and whose resource policy blacklists loopback. */
const samBlacklist = {
  Transform: 'AWS::Serverless-2016-10-31',
  Resources: {
    Api: {
      Type: 'AWS::Serverless::Api',
      Properties: {
        StageName: 'live',
        Auth: {
          DefaultAuthorizer: 'Tok',
          Authorizers: {
            Tok: { FunctionArn: { 'Fn::GetAtt': ['auth', 'Arn'] }, FunctionPayloadType: 'TOKEN' },
          },
          ResourcePolicy: { IpRangeBlacklist: ['127.0.0.0/8', '::1/128'] },
        },
      },
    },
    auth: {
      Type: 'AWS::Serverless::Function',
      Properties: { Handler: 'auth.handler', Runtime: 'nodejs20.x' },
    },
    echo: {
      Type: 'AWS::Serverless::Function',
      Properties: {
        Handler: 'index.handler',
        Runtime: 'nodejs20.x',
        Events: {
          Get: { Type: 'Api', Properties: { RestApiId: { Ref: 'Api' }, Path: '/pets', Method: 'get' } },
        },
      },
    },
  },
};

describe.each(EXPRESS_VERSIONS)(
  "SAM's generated resource policy under another stage name (Express %s)",
  (_v, express) => {
    const allowAll = async () => ({
      principalId: 'u',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
      },
    });

    it.each([undefined, 'live', 'dev'])(
      'stageName %s: the IpRangeBlacklist still refuses loopback',
      async (stageName) => {
        const server = await listen(
          createApp(
            {
              template: samBlacklist,
              ...(stageName === undefined ? {} : { stageName }),
              clock: () => NOW,
              logger: silentLogger(),
              functions: { echo: echoEvent, auth: allowAll },
            } as unknown as ApiGatewayOptions,
            express,
          ),
        );
        const res = await rawRequest(server.port, `GET /${stageName ?? 'live'}/pets HTTP/1.1`, {
          Authorization: 'x',
        });
        server.close();
        expect(res.status).toBe(403);
        expect(res.body).toContain('with an explicit deny');
      },
    );
  },
);
