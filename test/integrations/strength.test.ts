import type { Handler } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions, IntegrationResponse, Method } from '../../src/index.js';
import { ConfigError } from '../../src/index.js';
import { fromProxyResult } from '../../src/integrations/proxy.js';
import type { LambdaFunction } from '../../src/lambda/context.js';
import { invoke } from '../../src/lambda/invoke.js';
import { GatewayError } from '../../src/responses/gateway-error.js';
import { base64Decode, urlDecode } from '../../src/vtl/util.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';

describe('proxy results as Java and .NET Lambdas send them', () => {
  it.each([
    ['body', { statusCode: 200, body: null }],
    ['multiValueHeaders', { statusCode: 200, body: 'x', multiValueHeaders: null }],
    ['isBase64Encoded', { statusCode: 200, body: 'x', isBase64Encoded: null }],
    ['statusCode', { statusCode: null, body: 'x' }],
    ['headers', { statusCode: 200, body: 'x', headers: null }],
    [
      'every field',
      { statusCode: 200, body: null, headers: null, multiValueHeaders: null, isBase64Encoded: null },
    ],
  ])('take a null %s as absent, not as a malformed result', (_name, result) => {
    const response = fromProxyResult(result, true);
    expect(response).not.toBeInstanceOf(GatewayError);
    expect(response).toMatchObject({ statusCode: 200 });
  });

  it('answer an empty body for a null one', () => {
    expect(fromProxyResult({ statusCode: 204, body: null }, false)).toMatchObject({
      statusCode: 204,
      body: '',
    });
  });

  it('drop a header whose value is null, in headers and in multiValueHeaders', () => {
    const response = fromProxyResult(
      {
        statusCode: 200,
        headers: { 'X-Null': null, 'X-Kept': 'a' },
        multiValueHeaders: { 'X-Gone': null, 'X-List': [null, 'b'] },
        body: 'x',
      },
      false,
    );
    expect(response).not.toBeInstanceOf(GatewayError);
    const headers = (response as { headers: [string, unknown][] }).headers;
    expect(headers).toEqual(
      expect.arrayContaining([
        ['X-Kept', 'a'],
        ['X-List', 'b'],
      ]),
    );
    expect(headers.map(([name]) => name)).not.toEqual(expect.arrayContaining(['X-Null']));
    expect(headers.map(([name]) => name.toLowerCase())).toEqual(['x-list', 'x-kept', 'content-type']);
  });

  it.each([
    [599, 599],
    ['599', 599],
    [200, 200],
  ])('accept the status code %j', (statusCode, expected) => {
    expect(fromProxyResult({ statusCode, body: '' }, false)).toMatchObject({ statusCode: expected });
  });

  it.each([600, '600', 199, 1000, 200.5])('answer 502 to the status code %j', (statusCode) => {
    const response = fromProxyResult({ statusCode, body: '' }, false);
    expect(response).toBeInstanceOf(GatewayError);
    expect((response as GatewayError).statusCode).toBe(502);
  });
});

describe('$util on the edges of its input', () => {
  it.each(['QQ=', 'QQ=a', 'Q', 'QQ=='.slice(0, 3)])(
    'base64Decode refuses %j, as Java’s decoder does',
    (text) => {
      expect(() => base64Decode(text)).toThrow();
    },
  );

  it.each([
    ['QQ==', 'A'],
    ['QQ', 'A'],
    ['', ''],
  ])('base64Decode reads %j', (text, expected) => {
    expect(base64Decode(text)).toBe(expected);
  });

  it.each([
    ['a+b', 'a b'],
    ['+a++b+', ' a  b '],
    ['plain', 'plain'],
  ])('urlDecode turns + into a space without any %%XX: %j', (text, expected) => {
    expect(urlDecode(text)).toBe(expected);
  });
});

function fn(handler: LambdaFunction['handler'], timeoutMs: number): LambdaFunction {
  return {
    name: 'f',
    handler,
    timeoutMs,
    memoryLimitInMB: '128',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
    logGroupName: '/aws/lambda/f',
    version: '$LATEST',
  };
}

describe('a Lambda timeout equal to the integration timeout', () => {
  it("is the function's own timeout, not the integration's", async () => {
    const outcome = await invoke(
      fn(() => new Promise(() => {}), 40),
      {},
      {
        requestId: 'r',
        integrationTimeoutMs: 40,
      },
    );
    expect(outcome).toEqual({
      kind: 'timeout',
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: 'RequestId: r Error: Task timed out after 0.04 seconds',
      },
    });
  });

  it("is the integration's when the integration gives up first", async () => {
    const outcome = await invoke(
      fn(() => new Promise(() => {}), 41),
      {},
      {
        requestId: 'r',
        integrationTimeoutMs: 40,
      },
    );
    expect(outcome).toEqual({ kind: 'integration-timeout' });
  });
});

const boom: Handler = async () => {
  throw new Error('boom: not found');
};
const payload: Handler = async () => ({ field: null, nested: { n: 1 } });

function awsApi(
  integrationResponses: IntegrationResponse[],
  extra: {
    responseTemplates?: Record<string, string>;
    handler?: Handler;
    methodResponses?: Method['methodResponses'];
  } = {},
): ApiGatewayOptions {
  return {
    stageName: 'prod',
    functions: { fn: extra.handler ?? payload },
    resources: {
      '/items': {
        GET: {
          ...(extra.methodResponses ? { methodResponses: extra.methodResponses } : {}),
          integration: { type: 'AWS', function: 'fn', integrationResponses },
        } as Method,
      },
    },
  };
}

describe.each(EXPRESS_VERSIONS)('integration responses (Express %s)', (_v, express) => {
  it.each([
    ['declared 500 then 400', ['500', '400']],
    ['declared 400 then 500', ['400', '500']],
  ])('tries patterns in status order whatever the declared order (%s)', async (_name, order) => {
    const responses: IntegrationResponse[] = [
      ...order.map((statusCode) => ({ statusCode, selectionPattern: '.*boom.*' })),
      { statusCode: '200' },
    ];
    const res = await request(createApp(awsApi(responses, { handler: boom }), express)).get('/prod/items');
    expect(res.status).toBe(400);
  });

  it('leaves out a header mapped from an absent context variable or a missing middle key', async () => {
    const app = createApp(
      awsApi([
        {
          statusCode: '200',
          responseParameters: {
            'method.response.header.X-Principal': 'context.authorizer.principalId',
            'method.response.header.X-Deep': 'context.nothing.deeper.still',
            'method.response.header.X-Stage': 'context.stage',
            // No Cognito identity: the empty string templates see too (as AWS's captured events
            // show), never "null".
            'method.response.header.X-Identity': 'context.identity.cognitoIdentityId',
          },
        },
      ]),
      express,
    );
    const res = await request(app).get('/prod/items');
    expect(res.status).toBe(200);
    expect(res.headers['x-principal']).toBeUndefined();
    expect(res.headers['x-deep']).toBeUndefined();
    expect(res.headers['x-stage']).toBe('prod');
    expect(res.headers['x-identity']).toBe('');
  });

  it('leaves out a header mapped from a body field that is JSON null, and maps one that is not', async () => {
    const app = createApp(
      awsApi([
        {
          statusCode: '200',
          responseParameters: {
            'method.response.header.X-Field': 'integration.response.body.field',
            'method.response.header.X-Nested': 'integration.response.body.nested',
            'method.response.header.X-N': 'integration.response.body.nested.n',
          },
        },
      ]),
      express,
    );
    const res = await request(app).get('/prod/items');
    expect(res.status).toBe(200);
    expect(res.headers['x-field']).toBeUndefined();
    expect(res.headers['x-nested']).toBe('{"n":1}');
    expect(res.headers['x-n']).toBe('1');
  });

  it("maps the static value '' to an empty header", async () => {
    const app = createApp(
      awsApi([{ statusCode: '200', responseParameters: { 'method.response.header.X-Empty': "''" } }]),
      express,
    );
    const res = await request(app).get('/prod/items');
    expect(res.status).toBe(200);
    expect(res.headers['x-empty']).toBe('');
  });

  it.each(["'abc", "'", "abc'"])('refuses the unterminated static value %j at startup', (value) => {
    expect(() =>
      createApp(
        awsApi([{ statusCode: '200', responseParameters: { 'method.response.header.X': value } }]),
        express,
      ),
    ).toThrow(ConfigError);
  });

  it('answers 500 when a response template fails while rendering', async () => {
    const app = createApp(
      awsApi([{ statusCode: '200', responseTemplates: { 'application/json': "$util.base64Decode('QQ=')" } }]),
      express,
    );
    const res = await request(app).get('/prod/items');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ message: 'Internal server error' });
  });

  it.each([
    ['600', 200],
    ['99', 200],
    ['2.5', 200],
    ['201.5', 200],
    ['"abc"', 200],
    ['""', 200],
    ['599', 599],
    ['"201"', 201],
  ])('takes $context.responseOverride.status = %s as %i', async (status, expected) => {
    const app = createApp(
      awsApi([
        {
          statusCode: '200',
          responseTemplates: {
            'application/json': `#set($context.responseOverride.status = ${status}){"ok":true}`,
          },
        },
      ]),
      express,
    );
    const res = await request(app).get('/prod/items');
    expect(res.status).toBe(expected);
  });
});
