// biome-ignore-all lint/suspicious/noTemplateCurlyInString: serverless.yml ${…} variables, not template literals
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { ConfigError } from '../../src/config/config-error.js';
import { settleGuards } from '../../src/definitions/unenforced-guards.js';
import { type ApiGatewayOptions, apiGateway, type LambdaHandler } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { EXPRESS_VERSIONS, type ExpressFactory, silentLogger } from '../support/create-app.js';

// A guard a definition declares is enforced, or the API refuses to start naming it; serving it
// open takes `serveUnenforcedGuardsOpen`, and every method so opened is logged.

const hello: LambdaHandler = async () => ({
  statusCode: 200,
  headers: { 'Content-Type': 'text/plain' },
  body: 'open',
});
const allowAll: LambdaHandler = async (event: { methodArn: string }) => ({
  principalId: 'user-1',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
  },
});
const OPTION = '(serveUnenforcedGuardsOpen: true, or --serve-unenforced-guards-open, serves it open anyway)';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'guards-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A serverless service with one function `api` behind `GET /x`, its http event extended. */
function service(http: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const { provider, ...rest } = extra;
  return {
    service: 'svc',
    provider: { name: 'aws', region: 'eu-west-1', ...(provider as object) },
    functions: {
      api: { handler: 'a.h', events: [{ http: { path: 'x', method: 'get', ...http } }] },
      auth: { handler: 'b.h' },
    },
    ...rest,
  };
}

async function start(options: ApiGatewayOptions, factory: ExpressFactory) {
  const logger = silentLogger();
  const gateway = apiGateway({ functions: { api: hello, auth: allowAll }, logger, ...options });
  const app = factory().use(gateway);
  const ready = await gateway.ready.then(
    () => undefined,
    (error: unknown) => error,
  );
  const warnings = () => logger.calls.filter((c) => c.level === 'warn').map((c) => String(c.args[0]));
  return { app, ready, warnings };
}

/** The definition refuses to start: `ready` rejects with the ConfigError, and requests get 500, not the function. */
async function expectRefused(options: ApiGatewayOptions, factory: ExpressFactory, message: string) {
  const { app, ready } = await start(options, factory);
  expect(ready).toBeInstanceOf(ConfigError);
  expect((ready as Error).message).toBe(message);
  const res = await request(app).get('/dev/x');
  expect(res.status).toBe(500);
  expect(res.text).not.toBe('open');
}

describe.each(EXPRESS_VERSIONS)('serverless.yml guards (Express %s)', (_v, express) => {
  it('refuses an authorizer given as authorizerId, naming the event and the option', async () => {
    await expectRefused(
      { serverless: service({ authorizer: { type: 'CUSTOM', authorizerId: 'abc123' } }) },
      express,
      `serverless: GET /x: functions.api.events[0].http.authorizer.authorizerId: "abc123" (an authorizer created outside the service, unknown here): cannot be enforced here, so the API is not served ${OPTION}`,
    );
  });

  it('serves it open with serveUnenforcedGuardsOpen, logging the method it opened', async () => {
    const { app, ready, warnings } = await start(
      {
        serverless: service({ authorizer: { type: 'CUSTOM', authorizerId: 'abc123' } }),
        serveUnenforcedGuardsOpen: true,
      },
      express,
    );
    expect(ready).toBeUndefined();
    expect(warnings()).toEqual([
      'apigw-express: serverless: GET /x served open (serveUnenforcedGuardsOpen): functions.api.events[0].http.authorizer.authorizerId: "abc123" (an authorizer created outside the service, unknown here)',
    ]);
    const res = await request(app).get('/dev/x');
    expect(res.status).toBe(200);
    expect(res.text).toBe('open');
  });

  it.each([
    [
      'typed, long form',
      { type: 'COGNITO_USER_POOLS', name: 'users', arn: { 'Fn::GetAtt': ['UserPool', 'Arn'] } },
    ],
    ['untyped, long form', { name: 'users', arn: { 'Fn::GetAtt': ['UserPool', 'Arn'] } }],
    ['untyped, dotted', { name: 'users', arn: { 'Fn::GetAtt': 'UserPool.Arn' } }],
  ])(
    'guards a method behind a user pool of the file’s resources, by Fn::GetAtt (%s)',
    async (_name, authorizer) => {
      const pool = createTestUserPool({ region: 'eu-west-1', userPoolId: 'eu-west-1_UserPool' });
      const { app, ready } = await start(
        {
          serverless: service(
            { authorizer },
            { resources: { Resources: { UserPool: { Type: 'AWS::Cognito::UserPool' } } } },
          ),
          userPools: pool.userPools,
        },
        express,
      );
      expect(ready).toBeUndefined();
      const none = await request(app).get('/dev/x');
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ message: 'Unauthorized' });
      const forged = createTestUserPool({ region: 'eu-west-1', userPoolId: 'eu-west-1_UserPool' });
      expect((await request(app).get('/dev/x').set('Authorization', forged.idToken())).status).toBe(401);
      const ok = await request(app).get('/dev/x').set('Authorization', pool.idToken());
      expect(ok.status).toBe(200);
      expect(ok.text).toBe('open');
    },
  );

  it('reads !GetAtt UserPool.Arn in a serverless.yml file the same way', async () => {
    const dir = mkdtempSync(path.join(tmp, 'sls-'));
    writeFileSync(
      path.join(dir, 'serverless.yml'),
      [
        'service: svc',
        'provider: { name: aws, region: eu-west-1 }',
        'functions:',
        '  api:',
        '    handler: a.h',
        '    events:',
        '      - http:',
        '          path: x',
        '          method: get',
        '          authorizer:',
        '            name: users',
        '            type: COGNITO_USER_POOLS',
        '            arn: !GetAtt UserPool.Arn',
        'resources:',
        '  Resources:',
        '    UserPool:',
        '      Type: AWS::Cognito::UserPool',
        '',
      ].join('\n'),
    );
    const pool = createTestUserPool({ region: 'eu-west-1', userPoolId: 'eu-west-1_UserPool' });
    const { app, ready } = await start(
      { serverless: path.join(dir, 'serverless.yml'), userPools: pool.userPools },
      express,
    );
    expect(ready).toBeUndefined();
    expect((await request(app).get('/dev/x')).status).toBe(401);
    expect((await request(app).get('/dev/x').set('Authorization', pool.idToken())).status).toBe(200);
  });

  it.each([
    [
      'a resource that is no user pool',
      { type: 'COGNITO_USER_POOLS', name: 'users', arn: { 'Fn::GetAtt': ['Client', 'Arn'] } },
      'functions.api.events[0].http.authorizer.arn: Fn::GetAtt ["Client","Arn"] (names no AWS::Cognito::UserPool in resources nor function of this service)',
    ],
    [
      'a pool the file does not create',
      { name: 'users', arn: { 'Fn::GetAtt': ['OtherPool', 'Arn'] } },
      'functions.api.events[0].http.authorizer.arn: Fn::GetAtt ["OtherPool","Arn"] (names no AWS::Cognito::UserPool in resources nor function of this service)',
    ],
    [
      'a Ref',
      { type: 'COGNITO_USER_POOLS', name: 'users', arn: { Ref: 'PoolArnParameter' } },
      'functions.api.events[0].http.authorizer.arn: {"Ref":"PoolArnParameter"} (a CloudFormation reference not resolved here)',
    ],
    [
      'a Lambda ARN imported from another stack',
      { name: 'auth', arn: { 'Fn::ImportValue': 'shared-authorizer-arn' } },
      'functions.api.events[0].http.authorizer.arn: Fn::ImportValue "shared-authorizer-arn" (another stack\'s export, unknown here; give its value in importValues)',
    ],
  ])('refuses an authorizer ARN it cannot resolve: %s', async (_name, authorizer, guard) => {
    await expectRefused(
      {
        serverless: service(
          { authorizer },
          { resources: { Resources: { Client: { Type: 'AWS::Cognito::UserPoolClient' } } } },
        ),
      },
      express,
      `serverless: GET /x: ${guard}: cannot be enforced here, so the API is not served ${OPTION}`,
    );
  });

  it('runs an imported Lambda authorizer ARN the user maps in importValues', async () => {
    const { app, ready } = await start(
      {
        serverless: service({
          authorizer: { name: 'auth', arn: { 'Fn::ImportValue': 'shared-authorizer-arn' } },
        }),
        importValues: {
          'shared-authorizer-arn': 'arn:aws:lambda:eu-west-1:123456789012:function:svc-dev-auth',
        },
      },
      express,
    );
    expect(ready).toBeUndefined();
    expect((await request(app).get('/dev/x')).status).toBe(401);
    const ok = await request(app).get('/dev/x').set('Authorization', 'token');
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('open');
  });

  it('refuses an authorizer whose value is a variable resolved only on AWS', async () => {
    await expectRefused(
      { serverless: service({ authorizer: '${ssm:/auth/arn}' }) },
      express,
      `serverless: GET /x: functions.api.events[0].http.authorizer: \${ssm:/auth/arn} (the "ssm" variable source is not resolved locally; the property is left out): cannot be enforced here, so the API is not served ${OPTION}`,
    );
  });

  it('refuses endpointType PRIVATE; opened, it logs every method', async () => {
    const definition = service({ cors: true }, { provider: { endpointType: 'private' } });
    await expectRefused(
      { serverless: definition },
      express,
      `serverless: provider.endpointType: PRIVATE (reachable only through a VPC endpoint): cannot be enforced here, so the API is not served ${OPTION}`,
    );
    const { app, ready, warnings } = await start(
      { serverless: definition, serveUnenforcedGuardsOpen: true },
      express,
    );
    expect(ready).toBeUndefined();
    expect(warnings()).toEqual([
      'apigw-express: serverless: GET /x served open (serveUnenforcedGuardsOpen): provider.endpointType: PRIVATE (reachable only through a VPC endpoint)',
      'apigw-express: serverless: OPTIONS /x served open (serveUnenforcedGuardsOpen): provider.endpointType: PRIVATE (reachable only through a VPC endpoint)',
    ]);
    expect((await request(app).get('/dev/x')).status).toBe(200);
  });
});

const LAMBDA_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:api/invocations';

function openapi(scheme: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) {
  return {
    openapi: '3.0.1',
    info: { title: 'guards', version: '1' },
    ...(scheme && { components: { securitySchemes: { guard: scheme } } }),
    paths: {
      '/x': {
        get: {
          ...(scheme && { security: [{ guard: [] }] }),
          responses: {},
          'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: LAMBDA_URI },
        },
      },
    },
    ...extra,
  };
}

describe.each(EXPRESS_VERSIONS)('OpenAPI guards (Express %s)', (_v, express) => {
  it.each([
    [
      { type: 'oauth2', flows: { implicit: { authorizationUrl: 'https://a.example', scopes: {} } } },
      'oauth2',
    ],
    [
      { type: 'openIdConnect', openIdConnectUrl: 'https://a.example/.well-known/openid-configuration' },
      'openIdConnect',
    ],
    [{ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'http bearer'],
    [{ type: 'apiKey', in: 'query', name: 'key' }, 'apiKey'],
    [{ type: 'apiKey', in: 'header', name: 'x', 'x-amazon-apigateway-authorizer': { type: 'jwt' } }, 'jwt'],
  ])('refuses a method whose security names a %j scheme REST APIs lack', async (scheme, kind) => {
    const { app, ready } = await start({ openapi: openapi(scheme), stageName: 'dev' }, express);
    expect(ready).toBeInstanceOf(ConfigError);
    const reason =
      kind === 'jwt'
        ? 'components.securitySchemes["guard"]: x-amazon-apigateway-authorizer type "jwt"'
        : `components.securitySchemes["guard"]: ${kind} scheme without x-amazon-apigateway-authorizer`;
    expect((ready as Error).message).toBe(
      `openapi: GET /x: security: "guard" (${reason}): cannot be enforced here, so the API is not served ${OPTION}`,
    );
    expect((await request(app).get('/dev/x')).status).toBe(500);
  });

  it('serves such a method open with serveUnenforcedGuardsOpen, logging it', async () => {
    const { app, ready, warnings } = await start(
      {
        openapi: openapi({ type: 'http', scheme: 'bearer' }),
        stageName: 'dev',
        serveUnenforcedGuardsOpen: true,
      },
      express,
    );
    expect(ready).toBeUndefined();
    expect(warnings()).toContain(
      'apigw-express: openapi: GET /x served open (serveUnenforcedGuardsOpen): security: "guard" (components.securitySchemes["guard"]: http bearer scheme without x-amazon-apigateway-authorizer)',
    );
    expect((await request(app).get('/dev/x')).text).toBe('open');
  });

  it('refuses a security requirement naming no scheme', async () => {
    const doc = openapi(undefined);
    (doc.paths['/x'].get as Record<string, unknown>).security = [{ ghost: [] }];
    const { ready } = await start({ openapi: doc, stageName: 'dev' }, express);
    expect((ready as Error).message).toBe('GET /x: security: no security scheme named "ghost"');
  });

  it('refuses an x-amazon-apigateway-auth type it does not know', async () => {
    const doc = openapi(undefined);
    (doc.paths['/x'].get as Record<string, unknown>)['x-amazon-apigateway-auth'] = { type: 'cognito' };
    const { ready } = await start({ openapi: doc, stageName: 'dev' }, express);
    expect((ready as Error).message).toBe(
      `openapi: GET /x: x-amazon-apigateway-auth: type "cognito": cannot be enforced here, so the API is not served ${OPTION}`,
    );
  });

  it('refuses a PRIVATE endpoint configuration', async () => {
    const doc = openapi(undefined, {
      'x-amazon-apigateway-endpoint-configuration': { types: ['PRIVATE'], vpcEndpointIds: ['vpce-1'] },
    });
    await expectRefused(
      { openapi: doc, stageName: 'dev' },
      express,
      `openapi: x-amazon-apigateway-endpoint-configuration: types PRIVATE (reachable only through a VPC endpoint): cannot be enforced here, so the API is not served ${OPTION}`,
    );
  });
});

const SAM = 'AWS::Serverless-2016-10-31';
const samApi = (endpoint: unknown) => ({
  Transform: SAM,
  Resources: {
    Api: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'dev', EndpointConfiguration: endpoint } },
    api: {
      Type: 'AWS::Serverless::Function',
      Properties: {
        Handler: 'a.h',
        Runtime: 'nodejs20.x',
        Events: { X: { Type: 'Api', Properties: { RestApiId: { Ref: 'Api' }, Path: '/x', Method: 'get' } } },
      },
    },
  },
});

describe.each(EXPRESS_VERSIONS)('SAM and CloudFormation guards (Express %s)', (_v, express) => {
  it.each<[unknown]>([['PRIVATE'], ['private'], [{ Type: 'PRIVATE', VPCEndpointIds: ['vpce-1'] }]])(
    'refuses an AWS::Serverless::Api with EndpointConfiguration %j',
    async (endpoint) => {
      await expectRefused(
        { template: samApi(endpoint) },
        express,
        `template: Resources.Api.Properties.EndpointConfiguration: PRIVATE (reachable only through a VPC endpoint): cannot be enforced here, so the API is not served ${OPTION}`,
      );
    },
  );

  it('serves REGIONAL as it is', async () => {
    const { app, ready } = await start({ template: samApi('REGIONAL') }, express);
    expect(ready).toBeUndefined();
    expect((await request(app).get('/dev/x')).text).toBe('open');
  });

  it.each([
    [
      { EndpointConfiguration: { Types: ['PRIVATE'] } },
      'Resources.Api.Properties.EndpointConfiguration: Types PRIVATE (reachable only through a VPC endpoint)',
    ],
  ])('refuses an AWS::ApiGateway::RestApi with %j', async (properties, guard) => {
    const template = {
      Resources: {
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: properties },
        Get: {
          Type: 'AWS::ApiGateway::Method',
          Properties: {
            RestApiId: { Ref: 'Api' },
            ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
            HttpMethod: 'GET',
            AuthorizationType: 'NONE',
            Integration: { Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 200}' } },
          },
        },
        Stage: {
          Type: 'AWS::ApiGateway::Stage',
          Properties: { RestApiId: { Ref: 'Api' }, StageName: 'dev' },
        },
      },
    };
    const { ready } = await start({ template }, express);
    expect((ready as Error).message).toBe(
      `template: ${guard}: cannot be enforced here, so the API is not served ${OPTION}`,
    );
  });

  it('refuses an authorizer FunctionArn imported from another stack, unless importValues maps it', async () => {
    const template = samApi('REGIONAL');
    const api = template.Resources.Api.Properties as Record<string, unknown>;
    api.Auth = {
      DefaultAuthorizer: 'Shared',
      Authorizers: { Shared: { FunctionArn: { 'Fn::ImportValue': 'shared-authorizer-arn' } } },
    };
    const { ready } = await start({ template }, express);
    expect((ready as Error).message).toBe(
      'Resources.Api.Properties.Auth.Authorizers.Shared.FunctionArn.Fn::ImportValue: "shared-authorizer-arn" is another stack\'s export, unknown here (give its value in importValues)',
    );
    const mapped = await start(
      {
        template,
        importValues: { 'shared-authorizer-arn': 'arn:aws:lambda:us-east-1:123456789012:function:auth' },
      },
      express,
    );
    expect(mapped.ready).toBeUndefined();
    expect((await request(mapped.app).get('/dev/x')).status).toBe(401);
    expect((await request(mapped.app).get('/dev/x').set('Authorization', 't')).text).toBe('open');
  });
});

describe('settleGuards', () => {
  const integration = { type: 'MOCK' as const };
  const resources = {
    '/a': { GET: { integration }, POST: { integration } },
    '/b': { ANY: { integration }, cors: { allowOrigin: '*' } },
  } as never;
  const guards = [{ route: 'POST /a', guard: 'one' }, { guard: 'whole' }, { route: 'POST /a', guard: 'two' }];

  it('does nothing when every guard is enforced', () => {
    const logger = silentLogger();
    expect(() => settleGuards('openapi', [], resources, false, logger)).not.toThrow();
    expect(logger.calls).toEqual([]);
  });

  it('names every guard in one ConfigError', () => {
    expect(() => settleGuards('openapi', guards, resources, false, silentLogger())).toThrow(
      new ConfigError(
        `openapi: POST /a: one; whole; POST /a: two: cannot be enforced here, so the API is not served ${OPTION}`,
      ),
    );
  });

  it('opened, logs one line per method with every guard it dropped', () => {
    const logger = silentLogger();
    settleGuards('openapi', guards, resources, true, logger);
    expect(logger.calls.map((c) => [c.level, ...c.args])).toEqual([
      ['warn', 'apigw-express: openapi: GET /a served open (serveUnenforcedGuardsOpen): whole'],
      ['warn', 'apigw-express: openapi: POST /a served open (serveUnenforcedGuardsOpen): whole; one; two'],
      ['warn', 'apigw-express: openapi: ANY /b served open (serveUnenforcedGuardsOpen): whole'],
    ]);
  });
});
