// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not template literals
import path from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import request from 'supertest';
import { ConfigError } from '../../src/config/config-error.js';
import { importSam } from '../../src/definitions/sam-import.js';
import { apiGateway } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const FIXTURES = path.resolve(__dirname, '../fixtures/definitions/sam');
const APP = path.join(FIXTURES, 'app/template.yaml');
const EXPLICIT = path.join(FIXTURES, 'explicit-api/template.yaml');

const context = (file: string, extra: object = {}) => ({
  baseDir: path.dirname(file),
  logger: silentLogger(),
  ...extra,
});

const items = async (event: APIGatewayProxyEvent) =>
  event.httpMethod === 'POST'
    ? {
        statusCode: 201,
        body: JSON.stringify({
          created: JSON.parse(event.body ?? 'null'),
          by: event.requestContext.authorizer?.principalId,
        }),
      }
    : { statusCode: 200, body: JSON.stringify({ items: [] }) };

const tokenAuthorizer = async (event: APIGatewayTokenAuthorizerEvent) => ({
  principalId: 'user-1',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [
      {
        Action: 'execute-api:Invoke',
        Effect: event.authorizationToken === 'allow' ? 'Allow' : 'Deny',
        Resource: event.methodArn,
      },
    ],
  },
});

describe('SAM template: the implicit API, imported', () => {
  it('keys functions by logical id, with Handler, CodeUri under the template folder and Globals merged', async () => {
    const { options } = await importSam(APP, context(APP));
    expect(options.functions).toEqual({
      ItemsFunction: {
        handler: 'index.handler',
        codeUri: path.join(FIXTURES, 'app/src/items'),
        environment: { STAGE: 'dev', LOG_LEVEL: 'debug', TABLE: 'dev-items-us-east-1' },
        timeout: 10,
        memorySize: 256,
      },
      AuthFunction: {
        handler: 'auth.handler',
        codeUri: path.join(FIXTURES, 'app/src/auth'),
        environment: { STAGE: 'dev', LOG_LEVEL: 'debug' },
        timeout: 10,
        memorySize: 256,
      },
    });
  });

  it('resolves Parameters from parameterOverrides and pseudo parameters, and Fn::If through Conditions', async () => {
    const { options } = await importSam(
      APP,
      context(APP, { parameterOverrides: { Env: 'prod', 'AWS::Region': 'eu-west-1' } }),
    );
    expect(options.functions?.ItemsFunction).toMatchObject({
      environment: { STAGE: 'prod', LOG_LEVEL: 'warn', TABLE: 'prod-items-eu-west-1' },
    });
  });

  it('serves stage Prod, names non-Node functions as unsupported, and builds SAM CORS, auth, usage plan, responses, models', async () => {
    const { options, unsupported } = await importSam(APP, context(APP));
    expect(options.stageName).toBe('Prod');
    expect(unsupported).toEqual(['ReportFunction: Runtime python3.12 (only Node.js functions run here)']);
    expect(options.resources['/items']?.OPTIONS).toEqual({
      integration: {
        type: 'MOCK',
        requestTemplates: { 'application/json': '{\n  "statusCode" : 200\n}\n' },
        integrationResponses: [
          {
            statusCode: '200',
            responseParameters: {
              'method.response.header.Access-Control-Allow-Origin': "'https://example.com'",
              'method.response.header.Access-Control-Allow-Headers':
                "'Content-Type,Authorization,X-Api-Key,X-Token'",
              'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS,POST'",
              'method.response.header.Access-Control-Max-Age': "'600'",
            },
            responseTemplates: { 'application/json': '{}\n' },
          },
        ],
      },
      methodResponses: [
        {
          statusCode: '200',
          responseParameters: {
            'method.response.header.Access-Control-Allow-Origin': false,
            'method.response.header.Access-Control-Allow-Headers': false,
            'method.response.header.Access-Control-Allow-Methods': false,
            'method.response.header.Access-Control-Max-Age': false,
          },
        },
      ],
    });
    expect(options.authorizers).toEqual({
      TokenAuth: {
        type: 'TOKEN',
        uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:AuthFunction/invocations',
        identitySource: 'method.request.header.X-Token',
        authorizerResultTtlInSeconds: 0,
      },
    });
    expect(options.apiKeys).toEqual([
      {
        id: 'ServerlessRestApiApiKey',
        name: 'ServerlessRestApiApiKey',
        value: 'ServerlessRestApiApiKey',
        enabled: true,
      },
    ]);
    expect(options.usagePlans).toEqual([
      {
        name: 'items-plan',
        apiKeys: ['ServerlessRestApiApiKey'],
        throttle: { rateLimit: 50, burstLimit: 20 },
        quota: { limit: 1000, period: 'DAY' },
      },
    ]);
    expect(options.binaryMediaTypes).toEqual(['image/png']);
    expect(options.models).toEqual({
      item: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    });
    expect(options.requestValidators).toEqual({
      'body-only': { validateRequestBody: true, validateRequestParameters: false },
    });
    expect(options.gatewayResponses).toEqual({
      UNAUTHORIZED: {
        statusCode: '401',
        responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://example.com'" },
        responseTemplates: { 'application/json': '{"error": "sign in first"}' },
      },
    });
  });
});

describe.each(EXPRESS_VERSIONS)('SAM template behind Express %s', (_version, express) => {
  const createApp = () => {
    const app = express();
    const gateway = apiGateway({
      template: APP,
      functions: { ItemsFunction: items, AuthFunction: tokenAuthorizer },
      logger: silentLogger(),
    });
    app.use(gateway);
    return { app, ready: gateway.ready };
  };

  it('answers an Api event proxied to its function under /Prod', async () => {
    const { app, ready } = createApp();
    await ready;
    const res = await request(app).get('/Prod/items');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [] });
  });

  it('answers the SAM CORS preflight from the MOCK OPTIONS method, without an API key', async () => {
    const { app, ready } = createApp();
    await ready;
    const res = await request(app).options('/Prod/items');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://example.com');
    expect(res.headers['access-control-allow-methods']).toBe('GET,OPTIONS,POST');
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.text).toBe('{}\n');
  });

  it('requires the usage plan key SAM creates (Auth.ApiKeyRequired) before the authorizer', async () => {
    const { app, ready } = createApp();
    await ready;
    const res = await request(app).post('/Prod/items').set('X-Token', 'allow').send({ name: 'x' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'Forbidden' });
  });

  it('answers UNAUTHORIZED with the template gateway response when the token header is missing', async () => {
    const { app, ready } = createApp();
    await ready;
    const res = await request(app)
      .post('/Prod/items')
      .set('x-api-key', 'ServerlessRestApiApiKey')
      .send({ name: 'x' });
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe('https://example.com');
    expect(res.body).toEqual({ error: 'sign in first' });
  });

  it('validates the RequestModel body, then passes the authorizer principal to the function', async () => {
    const { app, ready } = createApp();
    await ready;
    const invalid = await request(app)
      .post('/Prod/items')
      .set('x-api-key', 'ServerlessRestApiApiKey')
      .set('X-Token', 'allow')
      .send({ title: 'no name' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ message: 'Invalid request body' });
    const created = await request(app)
      .post('/Prod/items')
      .set('x-api-key', 'ServerlessRestApiApiKey')
      .set('X-Token', 'allow')
      .send({ name: 'pen' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ created: { name: 'pen' }, by: 'user-1' });
  });

  it('serves the stage the stageName option picks', async () => {
    const app = express();
    const gateway = apiGateway({
      template: APP,
      stageName: 'Stage',
      functions: { ItemsFunction: items },
      logger: silentLogger(),
    });
    app.use(gateway);
    await gateway.ready;
    expect((await request(app).get('/Stage/items')).status).toBe(200);
    expect((await request(app).get('/Prod/items')).status).toBe(404);
  });
});

describe('SAM template: an AWS::Serverless::Api without DefinitionBody', () => {
  it('takes StageName, Variables and MethodSettings from the API, through Ref, FindInMap and Select', async () => {
    const { options } = await importSam(EXPLICIT, context(EXPLICIT));
    expect(options.stageName).toBe('v1');
    expect(options.stageVariables).toEqual({
      backend: 'https://backend.example.com/v1',
      origin: 'https://a.example.com',
    });
    expect(options.methodSettings).toEqual([
      { resourcePath: '/orders', httpMethod: 'GET', throttlingRateLimit: 5, throttlingBurstLimit: 2 },
    ]);
  });

  it('puts the DefaultAuthorizer (Cognito, with its scopes) on methods, not on preflights, and honours NONE', async () => {
    const { options } = await importSam(EXPLICIT, context(EXPLICIT));
    const orders = options.resources['/orders'];
    expect(orders?.GET).toMatchObject({
      authorizationType: 'COGNITO_USER_POOLS',
      authorizer: 'Cognito',
      authorizationScopes: ['orders/read'],
    });
    expect(orders?.OPTIONS?.authorizationType).toBeUndefined();
    expect(options.resources['/health']?.GET?.authorizationType).toBe('NONE');
    expect(options.authorizers?.Cognito).toEqual({
      type: 'COGNITO_USER_POOLS',
      providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_UserPool'],
      identitySource: 'method.request.header.Authorization',
    });
  });

  it('builds a REQUEST authorizer identity source and an ANY method with its own timeout and parameters', async () => {
    const { options, unsupported } = await importSam(EXPLICIT, context(EXPLICIT));
    expect(options.authorizers?.Partner).toEqual({
      type: 'REQUEST',
      uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:partner-authorizer/invocations',
      identitySource: 'method.request.header.X-Partner, method.request.querystring.tenant',
      authorizerResultTtlInSeconds: 60,
    });
    const any = options.resources['/partner/{proxy+}'];
    expect(any?.ANY).toMatchObject({
      integration: { type: 'AWS_PROXY', timeoutInMillis: 5000 },
      authorizationType: 'CUSTOM',
      authorizer: 'Partner',
      requestParameters: {
        'method.request.header.X-Partner': true,
        'method.request.querystring.tenant': false,
      },
    });
    expect(any?.OPTIONS?.integration.integrationResponses?.[0]?.responseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Origin': "'*'",
      'method.response.header.Access-Control-Allow-Methods': "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'",
    });
    // Domain is customDomains()' to serve (readDomainMappings reads it), not a gap of the import.
    expect(unsupported).toEqual([]);
  });

  it.each(EXPRESS_VERSIONS)(
    'runs a REQUEST authorizer given by its ARN function name (Express %s)',
    async (_v, express) => {
      const app = express();
      const gateway = apiGateway({
        template: EXPLICIT,
        logger: silentLogger(),
        functions: {
          OrdersFunction: async (event: APIGatewayProxyEvent) => ({
            statusCode: 200,
            body: JSON.stringify({ path: event.path }),
          }),
          'partner-authorizer': async (event: { methodArn: string; headers: Record<string, string> }) => ({
            principalId: event.headers['x-partner'] ?? event.headers['X-Partner'] ?? 'none',
            policyDocument: {
              Version: '2012-10-17',
              Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
            },
          }),
        },
      });
      app.use(gateway);
      await gateway.ready;
      const res = await request(app).get('/v1/partner/a/b?tenant=t1').set('X-Partner', 'acme');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ path: '/partner/a/b' });
      const missing = await request(app).get('/v1/partner/a/b?tenant=t1');
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ message: 'Unauthorized' });
    },
  );
});

describe('SAM template: startup errors and warnings', () => {
  const base = (resources: object, extra: object = {}) => ({
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: resources,
    ...extra,
  });
  const fn = (events: object, props: object = {}) => ({
    Type: 'AWS::Serverless::Function',
    Properties: { Handler: 'index.handler', Runtime: 'nodejs20.x', Events: events, ...props },
  });

  it('names the missing template file', async () => {
    await expect(
      importSam(path.join(FIXTURES, 'nope/template.yaml'), context(path.join(FIXTURES, 'nope/x'))),
    ).rejects.toThrow(
      new ConfigError(`template: cannot read ${path.join(FIXTURES, 'nope/template.yaml')}: no such file`),
    );
  });

  it('names the resource and field of an unresolvable Ref', async () => {
    const template = base({
      Fn: fn(
        { Get: { Type: 'Api', Properties: { Path: '/', Method: 'get' } } },
        { Timeout: { Ref: 'Missing' } },
      ),
    });
    await expect(importSam(template, context(EXPLICIT))).rejects.toThrow(
      'Resources.Fn.Properties.Timeout.Ref: "Missing" is no parameter, pseudo parameter or resource of the template',
    );
  });

  it('names an authorizer the API does not define', async () => {
    const template = base({
      Fn: fn({
        Get: { Type: 'Api', Properties: { Path: '/x', Method: 'get', Auth: { Authorizer: 'Nope' } } },
      }),
    });
    await expect(importSam(template, context(EXPLICIT))).rejects.toThrow(
      /GET \/x: authorizer "Nope" is not in/,
    );
  });

  it('names a RequestModel missing from the Models', async () => {
    const template = base({
      Fn: fn({
        Post: { Type: 'Api', Properties: { Path: '/x', Method: 'post', RequestModel: { Model: 'Thing' } } },
      }),
    });
    await expect(importSam(template, context(EXPLICIT))).rejects.toThrow(
      'Resources.Fn.Properties.Events.Post.Properties.RequestModel.Model: "Thing" is not in the API\'s Models (none)',
    );
  });

  it('refuses a stage MethodSettings entry for a method the resource does not have', async () => {
    const api = (method: string) =>
      base({
        Api: {
          Type: 'AWS::Serverless::Api',
          Properties: {
            StageName: 'prod',
            MethodSettings: [
              {
                ResourcePath: '/~1orders~1{id}',
                HttpMethod: method,
                ThrottlingRateLimit: 1,
                ThrottlingBurstLimit: 1,
              },
            ],
          },
        },
        Fn: fn({
          Get: {
            Type: 'Api',
            Properties: { RestApiId: { Ref: 'Api' }, Path: '/orders/{id}', Method: 'get' },
          },
        }),
      });
    const refused = apiGateway({ template: api('DELETE'), functions: { Fn: items }, logger: silentLogger() });
    await expect(refused.ready).rejects.toThrow(
      new ConfigError(
        'methodSettings[0] (/orders/{id}/DELETE).httpMethod: /orders/{id} has no DELETE method (it has GET), so the setting would apply to nothing',
      ),
    );
    const served = apiGateway({ template: api('GET'), functions: { Fn: items }, logger: silentLogger() });
    await expect(served.ready).resolves.toBeUndefined();
    await served.close();
  });

  it('makes a function that resolves to nothing a startup error naming the operation', async () => {
    const logger = silentLogger();
    const gateway = apiGateway({
      template: base({
        Fn: fn(
          { Get: { Type: 'Api', Properties: { Path: '/x', Method: 'get' } } },
          { CodeUri: 's3://bucket/code.zip' },
        ),
      }),
      logger,
    });
    await expect(gateway.ready).rejects.toThrow(/GET \/x.*unknown function "Fn"/);
    expect(logger.calls).toContainEqual({
      level: 'warn',
      args: ['apigw-express: template: not supported, left out: Fn: CodeUri on S3'],
    });
  });

  it('serves a DefinitionBody with its intrinsics resolved, its Lambda uri pointing at a template function', async () => {
    const template = base({
      Api: {
        Type: 'AWS::Serverless::Api',
        Properties: {
          StageName: 'live',
          DefinitionBody: {
            swagger: '2.0',
            info: { title: { 'Fn::Sub': '${AWS::StackName}' } },
            paths: {
              '/items': {
                get: {
                  'x-amazon-apigateway-integration': {
                    type: 'aws_proxy',
                    httpMethod: 'POST',
                    uri: {
                      'Fn::Sub':
                        'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ItemsFunction.Arn}/invocations',
                    },
                  },
                },
              },
            },
          },
        },
      },
      ItemsFunction: fn({}, { CodeUri: 'src/items' }),
    });
    const gateway = apiGateway({
      template,
      stageName: 'live',
      logger: silentLogger(),
      functions: { ItemsFunction: items },
    });
    await gateway.ready;
    const res = await request(gateway).get('/live/items');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [] });
  });

  it('names where a DefinitionBody fails', async () => {
    const template = base({
      Api: {
        Type: 'AWS::Serverless::Api',
        Properties: {
          StageName: 'live',
          DefinitionBody: {
            swagger: '2.0',
            paths: { '/x': { get: { 'x-amazon-apigateway-integration': { type: 'teleport' } } } },
          },
        },
      },
    });
    await expect(importSam(template, context(EXPLICIT))).rejects.toThrow(
      /^Resources\.Api\.Properties\.DefinitionBody: /,
    );
  });
});

describe('SAM template: the stages SAM creates', () => {
  const minimal = (globals: object = {}) => ({
    Transform: 'AWS::Serverless-2016-10-31',
    Globals: { Api: globals },
    Resources: {
      Fn: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Handler: 'index.handler',
          Events: { Get: { Type: 'Api', Properties: { Path: '/', Method: 'get' } } },
        },
      },
    },
  });

  it('declares Prod and SAM’s extra Stage for the implicit API, the stage served first', async () => {
    expect((await importSam(APP, context(APP))).stages).toEqual(['Prod', 'Stage']);
    expect((await importSam(APP, context(APP, { stageName: 'Stage' }))).stages).toEqual(['Stage', 'Prod']);
  });

  it('declares the explicit API’s StageName and Stage, Stage without the stage’s settings', async () => {
    expect((await importSam(EXPLICIT, context(EXPLICIT))).stages).toEqual(['v1', 'Stage']);
    const stage = await importSam(EXPLICIT, context(EXPLICIT, { stageName: 'Stage' }));
    expect(stage.options.stageName).toBe('Stage');
    expect(stage.options.stageVariables).toBeUndefined();
  });

  it('leaves Stage out when OpenApiVersion is set, as SAM does', async () => {
    const template = minimal({ OpenApiVersion: '3.0.1' });
    expect((await importSam(template, context(APP))).stages).toEqual(['Prod']);
    expect((await importSam(minimal(), context(APP))).stages).toEqual(['Prod', 'Stage']);
  });
});

describe('SAM template: parameterOverrides', () => {
  it('refuses a parameter the template does not declare, in CloudFormation’s words', async () => {
    await expect(
      importSam(APP, context(APP, { parameterOverrides: { Env: 'prod', Enviroment: 'x', Stage: 'y' } })),
    ).rejects.toThrow(
      new ConfigError('parameterOverrides: Parameters: [Enviroment, Stage] do not exist in the template'),
    );
  });

  it('takes pseudo parameters, which no template declares', async () => {
    const { options } = await importSam(
      APP,
      context(APP, { parameterOverrides: { 'AWS::Region': 'eu-west-1' } }),
    );
    expect(options.stageName).toBe('Prod');
  });

  it('refuses any value for a template without Parameters', async () => {
    const template = { Transform: 'AWS::Serverless-2016-10-31', Resources: {} };
    await expect(importSam(template, context(APP, { parameterOverrides: { Env: 'dev' } }))).rejects.toThrow(
      new ConfigError(
        'parameterOverrides: Parameter values specified for a template which does not require them. (Env)',
      ),
    );
  });
});
