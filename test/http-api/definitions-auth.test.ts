import path from 'node:path';
import express from 'express';
import fc from 'fast-check';
import request from 'supertest';
import type { HttpApiMiddleware, HttpApiOptions } from '../../src/index.js';
import { ConfigError, httpApi, loadHttpApiDefinitions } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { silentLogger } from '../support/create-app.js';

const DIR = path.join(__dirname, '../fixtures/definitions/http-api');
const at = (file: string) => path.join(DIR, file);
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const clock = () => NOW;
const UNAUTHORIZED = '{"message":"Unauthorized"}';
const opened: HttpApiMiddleware[] = [];
afterAll(() => Promise.all(opened.map((api) => api.close())));

async function serve(options: HttpApiOptions) {
  const api = httpApi({ logger: silentLogger(), clock, ...options });
  opened.push(api);
  await api.ready;
  return express().use(api);
}

/** The definition's JWT audience, so the test pool's tokens carry it. */
async function audienceOf(source: Parameters<typeof loadHttpApiDefinitions>[0], options = {}) {
  const [api] = await loadHttpApiDefinitions(source, options);
  const jwt = Object.values(api.options.authorizers ?? {}).find((a) => a.type === 'JWT');
  return jwt?.type === 'JWT' ? jwt.audience[0] : '';
}

const SOURCES = [
  {
    name: 'SAM AWS::Serverless::HttpApi Auth',
    source: { template: at('sam-auth.yaml') },
    parameterOverrides: { ClientId: 'sam-client-id' },
    poolId: 'us-east-1_UserPool',
  },
  {
    name: 'CloudFormation as cdk synth writes HttpJwtAuthorizer and HttpLambdaAuthorizer',
    source: { template: at('cdk-auth.json') },
    poolId: 'us-east-1_UserPool6BA7E5F2',
  },
  {
    name: 'serverless provider.httpApi.authorizers',
    source: { serverless: at('serverless-auth.yml') },
    poolId: 'us-east-1_SlsPool',
  },
] as const;

describe.each(SOURCES)('$name', ({ source, poolId, ...rest }) => {
  const parameterOverrides = 'parameterOverrides' in rest ? rest.parameterOverrides : undefined;
  let app: express.Express;
  let pool: ReturnType<typeof createTestUserPool>;
  beforeAll(async () => {
    const clientId = await audienceOf(source, { parameterOverrides });
    pool = createTestUserPool({ now: clock, userPoolId: poolId, clientId });
    app = await serve({
      ...source,
      ...(parameterOverrides && { parameterOverrides }),
      userPools: pool.userPools,
    });
  });

  test('a JWT-guarded route refuses without a token and passes with one', async () => {
    const none = await request(app).get('/me');
    expect(none.status).toBe(401);
    expect(none.text).toBe(UNAUTHORIZED);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const forged = await request(app)
      .get('/me')
      .set(
        'Authorization',
        createTestUserPool({ now: clock, userPoolId: poolId, clientId: pool.clientId }).idToken(),
      );
    expect(forged.status).toBe(401);
    const ok = await request(app).get('/me').set('Authorization', `Bearer ${pool.idToken()}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ routeKey: 'GET /me' });
  });

  test("a route's scopes: a token without them is 403, with one of them 200", async () => {
    const without = await request(app)
      .get('/admin')
      .set('Authorization', pool.accessToken({ scopes: ['read'] }));
    expect(without.status).toBe(403);
    const withScope = await request(app)
      .get('/admin')
      .set('Authorization', pool.accessToken({ scopes: ['admin'] }));
    expect(withScope.status).toBe(200);
  });

  test('a Lambda authorizer: a missing identity source is 401, a refusal 403, the right token passes', async () => {
    const missing = await request(app).get('/lambda');
    expect(missing.status).toBe(401);
    expect(missing.text).toBe(UNAUTHORIZED);
    expect((await request(app).get('/lambda').set('x-token', 'wrong')).status).toBe(403);
    const ok = await request(app).get('/lambda').set('x-token', 'let-me-in');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ routeKey: 'GET /lambda' });
  });

  test('an AWS_IAM route refuses an unsigned request; an open route serves', async () => {
    expect((await request(app).get('/iam')).status).toBe(403);
    expect((await request(app).get('/open')).status).toBe(200);
  });
});

describe('SAM rules', () => {
  test('DefaultAuthorizer guards every route but OPTIONS ones; Authorizer: NONE opens one', async () => {
    const [api] = await loadHttpApiDefinitions(
      { template: at('sam-auth.yaml') },
      { parameterOverrides: { ClientId: 'c' } },
    );
    const routes = api.options.routes ?? {};
    expect(routes['GET /me']).toMatchObject({ authorizer: 'OAuth2' });
    expect(routes['GET /me'].authorizationScopes).toBeUndefined();
    expect(routes['GET /admin']).toMatchObject({ authorizer: 'OAuth2', authorizationScopes: ['admin'] });
    expect(routes['GET /open'].authorizer).toBeUndefined();
    expect(routes['OPTIONS /me'].authorizer).toBeUndefined();
    expect(routes['GET /iam']).toMatchObject({ authorizationType: 'AWS_IAM' });
    expect(api.options.authorizers?.TokenLambda).toEqual({
      type: 'REQUEST',
      function: 'AuthFunction',
      authorizerPayloadFormatVersion: '2.0',
      enableSimpleResponses: true,
      identitySource: ['$request.header.x-token'],
    });
    expect(api.options.authorizers?.OAuth2).toMatchObject({
      type: 'JWT',
      identitySource: '$request.header.Authorization',
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_UserPool',
      audience: ['c'],
    });
    expect(Object.keys(api.options.functions ?? {}).sort()).toEqual(['AuthFunction', 'EchoFunction']);
  });

  test("an OAuth2 authorizer's AuthorizationScopes apply where the event names none; Identity.ReauthorizeEvery is the TTL", async () => {
    const [api] = await loadHttpApiDefinitions({ template: samTemplate({ withScopes: true }) });
    expect(api.options.routes?.['GET /x']).toMatchObject({
      authorizer: 'Jwt',
      authorizationScopes: ['read'],
    });
    expect(api.options.routes?.['GET /y']).toMatchObject({
      authorizer: 'Jwt',
      authorizationScopes: ['write'],
    });
    expect(api.options.authorizers?.Fn).toMatchObject({
      identitySource: [
        '$request.header.a',
        '$request.querystring.b',
        '$stageVariables.c',
        '$context.routeKey',
      ],
      authorizerResultTtlInSeconds: 60,
    });
  });

  test.each([
    [
      'an event naming an authorizer the API lacks',
      { Authorizer: 'Nope' },
      /Events\.X\.Properties\.Auth\.Authorizer: "Nope" is not in/,
    ],
    [
      'AWS_IAM without EnableIamAuthorizer',
      { Authorizer: 'AWS_IAM' },
      /Auth\.Authorizer: "AWS_IAM".*EnableIamAuthorizer/,
    ],
  ])('%s is a ConfigError naming the field', async (_name, auth, message) => {
    const error = await loadHttpApiDefinitions({ template: samTemplate({ eventAuth: auth }) }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(message);
  });
  test("DefaultAuthorizer guards a DefinitionBody's operations that name no security of their own", async () => {
    const template = samTemplate({});
    const integration = {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: { 'Fn::GetAtt': ['F', 'Arn'] },
      payloadFormatVersion: '2.0',
    };
    Object.assign(template.Resources.Api.Properties, {
      DefinitionBody: {
        openapi: '3.0.1',
        info: { title: 'body', version: '1' },
        paths: {
          '/body': { get: { 'x-amazon-apigateway-integration': integration } },
          '/body/{id}': { options: { 'x-amazon-apigateway-integration': integration } },
        },
      },
    });
    const [api] = await loadHttpApiDefinitions({ template });
    expect(api.options.routes?.['GET /body']).toMatchObject({ authorizer: 'Jwt' });
    expect(api.options.routes?.['OPTIONS /body/{id}']?.authorizer).toBeUndefined();
    const app = express().use(httpApi({ template, clock, logger: silentLogger() }));
    const res = await request(app).get('/body');
    expect(res.status).toBe(401);
    expect(res.text).toBe(UNAUTHORIZED);
  });
});

describe('SAM route guards, for any mix of events (property)', () => {
  const AUTHS = [
    undefined,
    { Authorizer: 'NONE' },
    { Authorizer: 'Jwt' },
    { Authorizer: 'Fn' },
    { Authorizer: 'AWS_IAM' },
    { AuthorizationScopes: ['s'] },
  ] as const;
  test('a route is open only where SAM opens it; everything else is guarded or refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(undefined, 'Jwt', 'Fn', 'AWS_IAM'),
        fc.boolean(),
        fc.uniqueArray(
          fc.record({
            method: fc.constantFrom('GET', 'POST', 'OPTIONS', 'ANY'),
            path: fc.constantFrom('/a', '/b', '/c/{id}', '/{proxy+}'),
            auth: fc.constantFrom(...AUTHS),
          }),
          { minLength: 1, maxLength: 6, selector: (e) => `${e.method} ${e.path}` },
        ),
        async (defaultAuthorizer, iam, events) => {
          const template = samTemplate({});
          const auth = template.Resources.Api.Properties.Auth as Record<string, unknown>;
          if (defaultAuthorizer === undefined) delete auth.DefaultAuthorizer;
          else auth.DefaultAuthorizer = defaultAuthorizer;
          auth.EnableIamAuthorizer = iam;
          template.Resources.F.Properties.Events = Object.fromEntries(
            events.map((e, i) => [
              `E${i}`,
              {
                Type: 'HttpApi',
                Properties: {
                  ApiId: { Ref: 'Api' },
                  Path: e.path,
                  Method: e.method,
                  ...(e.auth && { Auth: e.auth }),
                },
              },
            ]),
          ) as never;
          const loaded = await loadHttpApiDefinitions({ template }).catch((error) => {
            expect(error).toBeInstanceOf(ConfigError);
            return undefined;
          });
          if (loaded === undefined) return;
          const routes = loaded[0].options.routes ?? {};
          for (const e of events) {
            const route = routes[`${e.method} ${e.path}`];
            const named =
              e.auth === undefined
                ? e.method === 'OPTIONS'
                  ? undefined
                  : defaultAuthorizer
                : 'Authorizer' in e.auth
                  ? e.auth.Authorizer
                  : defaultAuthorizer;
            const guard = route.authorizationType ?? route.authorizer;
            expect(guard).toBe(named === 'NONE' ? undefined : named);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('fail closed: what cannot be honoured refuses to start', () => {
  test('CloudFormation: a JWT route whose AuthorizerId is no Authorizer of the template', async () => {
    const template = cfnTemplate({ AuthorizationType: 'JWT', AuthorizerId: 'abc123' });
    const error = await loadHttpApiDefinitions({ template }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /Resources\.R\.Properties\.AuthorizerId: "abc123" is no AWS::ApiGatewayV2::Authorizer/,
    );
    const api = httpApi({ template, logger: silentLogger() });
    await expect(api.ready).rejects.toThrow(/AuthorizerId/);
    const res = await request(express().use(api)).get('/x');
    expect(res.status).toBe(500);
  });

  test('CloudFormation: an unknown AuthorizationType', async () => {
    await expect(
      loadHttpApiDefinitions({ template: cfnTemplate({ AuthorizationType: 'MAGIC' }) }),
    ).rejects.toThrow(/Resources\.R\.Properties\.AuthorizationType: NONE, JWT, AWS_IAM or CUSTOM/);
  });

  test('serverless: an external authorizer id, and a name not in provider.httpApi.authorizers', async () => {
    const doc = (authorizer: unknown) => ({
      service: 's',
      provider: { name: 'aws', httpApi: {} },
      functions: { f: { handler: 'h.f', events: [{ httpApi: { method: 'GET', path: '/x', authorizer } }] } },
    });
    await expect(loadHttpApiDefinitions({ serverless: doc({ id: 'abc' }) })).rejects.toThrow(
      /functions\.f\.events\[0\]\.httpApi\.authorizer\.id: an authorizer outside this service/,
    );
    await expect(loadHttpApiDefinitions({ serverless: doc({ name: 'nope' }) })).rejects.toThrow(
      /functions\.f\.events\[0\]\.httpApi\.authorizer\.name: "nope" is not in provider\.httpApi\.authorizers/,
    );
  });

  test('a Lambda authorizer whose function is outside the definition refuses to start', async () => {
    const template = cfnTemplate(
      { AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'A' } },
      {
        A: {
          Type: 'AWS::ApiGatewayV2::Authorizer',
          Properties: {
            ApiId: { Ref: 'Api' },
            AuthorizerType: 'REQUEST',
            AuthorizerPayloadFormatVersion: '2.0',
            AuthorizerUri:
              'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:elsewhere/invocations',
          },
        },
      },
    );
    const api = httpApi({ template, logger: silentLogger() });
    await expect(api.ready).rejects.toThrow(/authorizers\["A"\]\.function: "elsewhere" is not in functions/);
  });
});

function samTemplate({ withScopes = false, eventAuth }: { withScopes?: boolean; eventAuth?: unknown }) {
  return {
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      Api: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: {
          Auth: {
            Authorizers: {
              Jwt: {
                IdentitySource: '$request.header.Authorization',
                JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['a'] },
                ...(withScopes && { AuthorizationScopes: ['read'] }),
              },
              Fn: {
                FunctionArn: { 'Fn::GetAtt': ['F', 'Arn'] },
                AuthorizerPayloadFormatVersion: '1.0',
                Identity: {
                  Headers: ['a'],
                  QueryStrings: ['b'],
                  StageVariables: ['c'],
                  Context: ['routeKey'],
                  ReauthorizeEvery: 60,
                },
              },
            },
            DefaultAuthorizer: 'Jwt',
          },
        },
      },
      F: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          CodeUri: '.',
          Handler: 'a.b',
          Runtime: 'nodejs20.x',
          Events: {
            X: {
              Type: 'HttpApi',
              Properties: {
                ApiId: { Ref: 'Api' },
                Path: '/x',
                Method: 'GET',
                ...(eventAuth !== undefined && { Auth: eventAuth }),
              },
            },
            Y: {
              Type: 'HttpApi',
              Properties: {
                ApiId: { Ref: 'Api' },
                Path: '/y',
                Method: 'GET',
                Auth: { AuthorizationScopes: ['write'] },
              },
            },
          },
        },
      },
    },
  };
}

function cfnTemplate(route: Record<string, unknown>, more: Record<string, unknown> = {}) {
  return {
    Resources: {
      Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Handler: 'a.b', Runtime: 'nodejs20.x', Code: { ZipFile: 'x' } },
      },
      I: {
        Type: 'AWS::ApiGatewayV2::Integration',
        Properties: {
          ApiId: { Ref: 'Api' },
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] },
          PayloadFormatVersion: '2.0',
        },
      },
      R: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /x', Target: 'integrations/I', ...route },
      },
      ...more,
    },
  };
}
