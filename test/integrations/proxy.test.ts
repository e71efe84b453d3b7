import request from 'supertest';
import { toEventHeaders } from '../../src/http/event-headers.js';
import type { ApiIdentity, GatewayRequest } from '../../src/http/gateway-request.js';
import type { ApiGatewayOptions } from '../../src/index.js';
import { fromProxyResult, toProxyEvent } from '../../src/integrations/proxy.js';
import { GatewayError } from '../../src/responses/gateway-error.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { proxy } from '../support/echo-function.js';

const INTERNAL = '{"message": "Internal server error"}';

/** Header lines as received, names as sent (supertest's typed Response hides the raw message). */
const rawHeaders = (res: request.Response): string[] =>
  (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;

/** An API whose function returns whatever the test puts in `result`. */
function returning(result: () => unknown): ApiGatewayOptions {
  return {
    functions: { fixed: async () => result() },
    resources: { '/r': { GET: proxy('fixed') } },
  };
}

describe.each(EXPRESS_VERSIONS)('proxy results on Express %s (recorded table)', (_version, express) => {
  const get = (result: unknown) =>
    request(
      createApp(
        returning(() => result),
        express,
      ),
    )
      .get('/prod/r')
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => cb(null, text));
      });

  it('{"statusCode":200} → 200, empty body, Content-Type application/json', async () => {
    const res = await get({ statusCode: 200 });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['content-length']).toBe('0');
    expect(res.body).toBe('');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-amz-apigw-id']).toMatch(/=$/);
    expect(res.headers['x-amzn-trace-id']).toMatch(
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    );
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('stringifies boolean and number header values', async () => {
    const res = await get({
      statusCode: 200,
      headers: { 'test-header': 'value', 'header-bool': true, n: 5 },
    });
    expect(res.status).toBe(200);
    expect(res.headers['test-header']).toBe('value');
    expect(res.headers['header-bool']).toBe('true');
    expect(res.headers.n).toBe('5');
  });

  it.each([
    ['headers null', { statusCode: 200, headers: null, body: 'b' }, 200],
    ['no statusCode', { headers: { 'x-a': '1' }, body: 'b' }, 200],
    ['a numeric-string statusCode', { statusCode: '201', body: 'b' }, 201],
    ['a 4xx statusCode', { statusCode: 418, body: 'b' }, 418],
  ])('accepts %s', async (_name, result, status) => {
    const res = await get(result);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('b');
  });

  it.each([
    ['"statusCode":"test"', { statusCode: 'test' }],
    ['an unknown key', { statusCode: 200, wrongValue: 'value' }],
    ['a string result', 'justAString'],
    ['an array result', [{ statusCode: 200 }]],
    ['null', null],
    ['undefined (nothing returned)', undefined],
    ['a multiValueHeaders value that is not a list', { statusCode: 200, multiValueHeaders: { x: 'v' } }],
    ['an object body', { statusCode: 200, body: { hey: 'dude' } }],
    ['an array body', { statusCode: 200, body: ['a'] }],
    ['an object header value', { statusCode: 200, headers: { x: { a: 1 } } }],
    ['a non-boolean isBase64Encoded', { statusCode: 200, body: 'x', isBase64Encoded: 'yes' }],
  ])('answers 502 {"message": "Internal server error"} for %s', async (_name, result) => {
    const res = await get(result);
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
    expect(res.headers['x-amzn-trace-id']).toBeUndefined();
    expect(res.body).toBe(INTERNAL);
  });

  it.each([
    ['a header value with a line break', { statusCode: 200, headers: { 'x-good': 'yes', 'x-bad': 'a\nb' } }],
    ['a header name with a space', { statusCode: 200, headers: { 'x-good': 'yes', 'bad name': 'v' } }],
    [
      'a multi-value header with a control character',
      { multiValueHeaders: { 'x-good': ['yes'], 'x-bad': ['\u0000'] } },
    ],
  ])('answers 502 for %s, carrying none of the function headers', async (_name, result) => {
    const res = await get(result);
    expect(res.status).toBe(502);
    expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
    expect(res.headers['x-good']).toBeUndefined();
    expect(res.body).toBe(INTERNAL);
  });

  it('sends a number or boolean body as its JSON text', async () => {
    expect((await get({ statusCode: 200, body: 42 })).body).toBe('42');
    expect((await get({ statusCode: 200, body: true })).body).toBe('true');
  });

  it("keeps the function's Content-Type", async () => {
    const res = await get({ statusCode: 200, headers: { 'content-type': 'text/html' }, body: '<p>' });
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.body).toBe('<p>');
  });

  it('sends multi-value headers as separate header lines', async () => {
    const res = await get({ statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } });
    expect(res.status).toBe(200);
    expect(res.headers['test-multi']).toBe('value1, value2');
    const lines = rawHeaders(res).filter(
      (_v: string, i: number, all: string[]) => i % 2 === 1 && all[i - 1] === 'test-multi',
    );
    expect(lines).toEqual(['value1', 'value2']);
  });

  it('merges headers into multiValueHeaders: multi values first, name cased as in multiValueHeaders', async () => {
    const res = await get({
      statusCode: 200,
      multiValueHeaders: { 'Test-Multi': ['value-multi'] },
      headers: { 'test-multi': 'value-solo' },
    });
    expect(res.headers['test-multi']).toBe('value-multi, value-solo');
    const names = rawHeaders(res).filter((_v: string, i: number) => i % 2 === 0);
    expect(names).toContain('Test-Multi');
    expect(names).not.toContain('test-multi');
  });

  it('keeps only the multiValueHeaders copy when headers repeats the same name and value (docs)', async () => {
    const res = await get({
      statusCode: 200,
      multiValueHeaders: { 'x-same': ['v'] },
      headers: { 'X-Same': 'v' },
    });
    expect(res.headers['x-same']).toBe('v');
  });

  it('returns a base64 body as text when no binaryMediaTypes are configured', async () => {
    const res = await get({ statusCode: 200, body: 'aGVsbG8=', isBase64Encoded: true });
    expect(res.status).toBe(200);
    expect(res.body).toBe('aGVsbG8=');
  });
});

describe('toProxyEvent (pure)', () => {
  const identity: ApiIdentity = {
    restApiId: 'abc123defg',
    accountId: '123456789012',
    region: 'us-east-1',
    stageName: 'prod',
    deploymentId: 'dep123',
    stageVariables: null,
  };
  const req: GatewayRequest = {
    httpMethod: 'POST',
    path: '/items/1',
    canonicalPath: '/items/1',
    requestPath: '/prod/items/1',
    query: null,
    headers: toEventHeaders([
      'Host',
      'abc123defg.execute-api.us-east-1.amazonaws.com',
      'User-Agent',
      'curl/8',
    ]),
    body: Buffer.from([0xff, 0x00, 0x41]),
    sourceIp: '203.0.113.7',
    protocol: 'HTTP/1.1',
    seed: {
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      extendedRequestId: 'LgLpnGBkvHcFeMA=',
      traceId: 'Root=1-5e5ffc05-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0',
      eventTraceId: 'Root=1-5e5ffc05-0123456789abcdef01234567',
      requestTimeEpoch: 1583349317135,
    },
  };
  const route = { resourcePath: '/items/{id}', resourceId: 'res123', pathParameters: { id: '1' } };

  it('builds the whole event from plain data, with AWS time formats', () => {
    expect(toProxyEvent(req, route, identity, false)).toEqual({
      resource: '/items/{id}',
      path: '/items/1',
      httpMethod: 'POST',
      headers: { Host: 'abc123defg.execute-api.us-east-1.amazonaws.com', 'User-Agent': 'curl/8' },
      multiValueHeaders: {
        Host: ['abc123defg.execute-api.us-east-1.amazonaws.com'],
        'User-Agent': ['curl/8'],
      },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { id: '1' },
      stageVariables: null,
      requestContext: {
        resourceId: 'res123',
        resourcePath: '/items/{id}',
        httpMethod: 'POST',
        extendedRequestId: 'LgLpnGBkvHcFeMA=',
        requestTime: '04/Mar/2020:19:15:17 +0000',
        path: '/prod/items/1',
        accountId: '123456789012',
        protocol: 'HTTP/1.1',
        stage: 'prod',
        domainPrefix: 'abc123defg',
        requestTimeEpoch: 1583349317135,
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
        identity: {
          cognitoIdentityPoolId: null,
          accountId: null,
          cognitoIdentityId: null,
          caller: null,
          sourceIp: '203.0.113.7',
          principalOrgId: null,
          accessKey: null,
          cognitoAuthenticationType: null,
          cognitoAuthenticationProvider: null,
          userArn: null,
          userAgent: 'curl/8',
          user: null,
        },
        domainName: 'abc123defg.execute-api.us-east-1.amazonaws.com',
        deploymentId: 'dep123',
        apiId: 'abc123defg',
      },
      body: '\ufffd\u0000A',
      isBase64Encoded: false,
    });
  });

  it('base64-encodes the body of a binary media type', () => {
    const event = toProxyEvent(req, route, identity, true);
    expect(event.body).toBe('/wBB');
    expect(event.isBase64Encoded).toBe(true);
  });

  it('has no authorizer key in requestContext for a method without authorizer (recorded)', () => {
    expect(Object.hasOwn(toProxyEvent(req, route, identity, false).requestContext, 'authorizer')).toBe(false);
  });
});

describe('fromProxyResult (pure)', () => {
  it('decodes a base64 body only when asked to', () => {
    const result = { statusCode: 200, body: 'aGk=', isBase64Encoded: true };
    expect(fromProxyResult(result, true)).toEqual({
      statusCode: 200,
      headers: [['Content-Type', 'application/json']],
      body: Buffer.from('hi'),
    });
    expect(fromProxyResult(result, false)).toEqual({
      statusCode: 200,
      headers: [['Content-Type', 'application/json']],
      body: 'aGk=',
    });
  });

  it('remaps Connection, Content-Length, Date and Server and drops Transfer-Encoding (recorded header remapping)', () => {
    const result = {
      headers: {
        'Content-Length': '999',
        Date: 'yesterday',
        Server: 'mine',
        connection: 'close',
        'Transfer-Encoding': 'chunked',
        'X-Kept': 'k',
      },
      body: 'x',
    };
    expect(fromProxyResult(result, false)).toEqual({
      statusCode: 200,
      headers: [
        ['x-amzn-Remapped-Content-Length', '999'],
        ['x-amzn-Remapped-Date', 'yesterday'],
        ['x-amzn-Remapped-Server', 'mine'],
        ['x-amzn-Remapped-connection', 'close'],
        ['X-Kept', 'k'],
        ['Content-Type', 'application/json'],
      ],
      body: 'x',
    });
  });

  it('answers 500 when a base64 body meant for a binary Accept type does not decode (recorded)', () => {
    const error = fromProxyResult({ body: 'not base64!', isBase64Encoded: true }, true);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).statusCode).toBe(500);
    expect((error as GatewayError).body).toBe('{"message": "Internal server error"}');
    expect(fromProxyResult({ body: 'not base64!', isBase64Encoded: true }, false)).toMatchObject({
      body: 'not base64!',
    });
  });

  it('returns a 502 GatewayError for a malformed result', () => {
    const error = fromProxyResult({ statusCode: 'test' }, false);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ statusCode: 502, body: '{"message": "Internal server error"}' });
  });
});
