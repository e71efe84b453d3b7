import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import { type ApiGatewayOptions, apiGateway, ConfigError } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const handler = async () => ({ statusCode: 200, body: 'ok' });
const base = (resources: unknown, extra: Record<string, unknown> = {}): ApiGatewayOptions =>
  ({
    logger: silentLogger(),
    functions: { 'my-function': handler },
    resources,
    ...extra,
  }) as ApiGatewayOptions;
const integration = { type: 'AWS_PROXY', function: 'my-function' };

function configError(options: ApiGatewayOptions): ConfigError {
  try {
    apiGateway(options);
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('apiGateway() accepted the config');
}

describe('config errors at apiGateway() time', () => {
  it.each([
    [
      'an unknown function',
      base({ '/items/{id}': { GET: { integration: { type: 'AWS_PROXY', function: 'nope' } } } }),
      'GET /items/{id}: integration.function: unknown function "nope" (known: my-function)',
    ],
    [
      'a resource path without a leading slash',
      base({ items: { GET: { integration } } }),
      'resources["items"]: a resource path must start with "/"',
    ],
    [
      'an invalid path part',
      base({ '/it ems': { GET: { integration } } }),
      'resources["/it ems"]: invalid path part "it ems"',
    ],
    [
      '{proxy+} before the last part',
      base({ '/{proxy+}/x': { GET: { integration } } }),
      'resources["/{proxy+}/x"]: greedy path variable {proxy+} must be the last path part',
    ],
    [
      'sibling variables with different names',
      base({ '/items/{id}': { GET: { integration } }, '/items/{name}/x': { GET: { integration } } }),
      'resources["/items/{name}/x"]: {name} conflicts with sibling {id} under "/items"',
    ],
    [
      'one method declared twice (GET and get)',
      base({ '/items': { GET: { integration }, get: { integration } } }),
      'GET /items: method declared twice',
    ],
    [
      'an unknown HTTP method',
      base({ '/items': { FETCH: { integration } } }),
      'FETCH /items: unknown HTTP method',
    ],
    [
      'an unknown integration type',
      base({ '/items': { GET: { integration: { type: 'LAMBDA', function: 'my-function' } } } }),
      'GET /items: integration.type: unknown integration type "LAMBDA"',
    ],
    ['a method without integration', base({ '/items': { GET: {} } }), 'GET /items: integration: missing'],
    [
      'a function definition without handler',
      base({ '/items': { GET: { integration } } }, { functions: { 'my-function': { timeout: 5 } } }),
      'functions["my-function"].handler: a handler function, or a Handler string',
    ],
    [
      'an integration naming no function',
      base({ '/items': { POST: { integration: { type: 'AWS_PROXY' } } } }),
      'POST /items: integration.function: missing',
    ],
    [
      'an unknown top-level option',
      base({ '/items': { GET: { integration } } }, { stage: 'prod' }),
      'apiGateway options: unknown field "stage"',
    ],
    [
      'an unknown method field',
      base({ '/items': { GET: { integration, authorizerId: 'x' } } }),
      'GET /items: unknown field "authorizerId"',
    ],
    [
      'an unknown integration field',
      base({ '/items': { GET: { integration: { ...integration, timeout: 5 } } } }),
      'GET /items: integration: unknown field "timeout"',
    ],
    [
      'a uri that is not a Lambda invocation ARN',
      base({ '/items': { GET: { integration: { type: 'AWS_PROXY', uri: 'arn:aws:s3:::bucket' } } } }),
      'GET /items: integration.uri: not a Lambda function invocation ARN',
    ],
    [
      'a Lambda uri naming an unknown function',
      base({
        '/items': {
          GET: {
            integration: {
              type: 'AWS_PROXY',
              uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:other/invocations',
            },
          },
        },
      }),
      'GET /items: integration.uri: unknown function "other"',
    ],
    [
      'a timeoutInMillis below 50',
      base({ '/items': { GET: { integration: { ...integration, timeoutInMillis: 10 } } } }),
      'GET /items: integration.timeoutInMillis: an integer of at least 50',
    ],
  ])('refuses %s, naming resource, method and field', (_name, options, message) => {
    const error = configError(options);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('APIGW_CONFIG_ERROR');
    expect(error.message).toContain(message);
  });
});

describe.each(EXPRESS_VERSIONS)('a Lambda uri on Express %s', (_version, express) => {
  it('resolves an integration uri holding a Lambda function ARN (with alias) to the function NAME', async () => {
    const app = createApp(
      {
        functions: {
          'my-function': async (event: APIGatewayProxyEvent) => ({
            statusCode: 200,
            headers: { 'Content-Type': 'text/plain' },
            body: `uri ${event.path}`,
          }),
        },
        resources: {
          '/a': {
            GET: {
              integration: {
                type: 'AWS_PROXY',
                uri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:my-function/invocations',
              },
            },
          },
          '/b': {
            GET: {
              integration: {
                type: 'AWS_PROXY',
                uri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:my-function:live/invocations',
              },
            },
          },
        },
      },
      express,
    );
    const a = await request(app).get('/prod/a');
    const b = await request(app).get('/prod/b');
    expect([a.status, a.text]).toEqual([200, 'uri /a']);
    expect([b.status, b.text]).toEqual([200, 'uri /b']);
  });
});

describe('models nothing checks', () => {
  it('warns at startup, naming the route and the fields, when no requestValidator checks them', () => {
    const logger = silentLogger();
    apiGateway({
      logger,
      models: { Empty: { type: 'object' } },
      functions: { fn: async () => ({ statusCode: 200 }) },
      resources: {
        '/x': {
          GET: {
            requestModels: { 'application/json': 'Empty' },
            integration: { type: 'AWS_PROXY', function: 'fn' },
          },
          POST: { integration: { type: 'AWS_PROXY', function: 'fn' } },
        },
      },
    });
    const warnings = logger.calls.filter((c) => c.level === 'warn').map((c) => String(c.args[0]));
    expect(warnings).toEqual([
      'apigw-express: GET /x: requestModels not checked: no requestValidator validates them (as on AWS, requests pass unchecked)',
    ]);
  });
});

describe('Lambda uri with a stage variable (test_apigw_stage_variables)', () => {
  const uri =
    // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's own stage-variable syntax, not a JS template.
    'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.lambdaFunction}/invocations';
  const options = (stageVariables?: Record<string, string>): ApiGatewayOptions => ({
    logger: silentLogger(),
    stageVariables,
    functions: {
      'fn-dev': async () => ({ statusCode: 200, body: '"dev"' }),
      'fn-prod': async () => ({ statusCode: 200, body: '"prod"' }),
    },
    resources: { '/x': { GET: { integration: { type: 'AWS_PROXY', uri } } } },
  });

  it.each(['fn-dev', 'fn-prod'])('calls the function the stage names (%s)', async (name) => {
    const res = await request(createApp(options({ lambdaFunction: name }))).get('/prod/x');
    expect(res.status).toBe(200);
    expect(res.body).toBe(name.slice(3));
  });

  it('refuses a stage variable the stage does not set', () => {
    expect(() => apiGateway(options())).toThrow(
      'GET /x: integration.uri: stage variable "lambdaFunction" is not set in stageVariables',
    );
  });
});
