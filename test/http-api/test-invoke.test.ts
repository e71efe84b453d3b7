import path from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpApiMiddleware, HttpApiOptions } from '../../src/index.js';
import { apiGateway, httpApi, invokeHttpApi, testInvoke } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';
import { echo } from './hosts.js';

const opened: HttpApiMiddleware[] = [];
afterAll(async () => {
  await Promise.all(opened.splice(0).map((api) => api.close()));
});

function mount(options: HttpApiOptions): HttpApiMiddleware {
  const api = httpApi({ logger: silentLogger(), ...options });
  opened.push(api);
  return api;
}

const NOW = Date.UTC(2026, 11, 7, 8, 0, 0);
const routes = {
  'GET /pets/{id}': { integration: { function: 'echo' } },
  'POST /pets': { integration: { function: 'echo' } },
  'GET /fails': { integration: { function: 'fails' } },
  'GET /image': { integration: { function: 'image' } },
  'GET /guarded': { integration: { function: 'echo' }, authorizer: 'token' },
};
const functions = {
  echo,
  fails: async () => {
    throw new Error('boom');
  },
  image: async () => ({
    statusCode: 200,
    isBase64Encoded: true,
    body: Buffer.from([0xff, 0x00, 0xfe]).toString('base64'),
  }),
  auth: async (event: { headers: Record<string, string> }) => ({
    isAuthorized: event.headers['x-token'] === 'ok',
  }),
};
const authorizers = {
  token: {
    type: 'REQUEST' as const,
    function: 'auth',
    authorizerPayloadFormatVersion: '2.0' as const,
    enableSimpleResponses: true,
    identitySource: ['$request.header.x-token'],
  },
};
const event = (body: string) => JSON.parse(body) as APIGatewayProxyEventV2;

describe('invokeHttpApi', () => {
  test('a request without a socket: the answer, the event as a client’s request makes it', async () => {
    const api = mount({ functions, routes, authorizers, apiId: 'abc123defg', clock: () => NOW });
    const res = await invokeHttpApi(api, { method: 'get', path: '/pets/1', query: { limit: ['2', '3'] } });
    expect(res.status).toBe(200);
    expect(res.headers['apigw-requestid']).toEqual(expect.any(String));
    expect(event(res.body)).toMatchObject({
      routeKey: 'GET /pets/{id}',
      rawPath: '/pets/1',
      rawQueryString: 'limit=2&limit=3',
      queryStringParameters: { limit: '2,3' },
      requestContext: {
        domainName: 'abc123defg.execute-api.us-east-1.amazonaws.com',
        http: { method: 'GET' },
        timeEpoch: NOW,
      },
    });
  });

  test('a named stage: the path is below it, rawPath has it', async () => {
    const api = mount({ functions, routes, authorizers, stageName: 'dev' });
    const res = await invokeHttpApi(api, { method: 'GET', path: 'pets/2' });
    expect(event(res.body)).toMatchObject({ rawPath: '/dev/pets/2', requestContext: { stage: 'dev' } });
  });

  test('a body and headers reach the function; its binary answer is in bodyBytes', async () => {
    const api = mount({ functions, routes, authorizers });
    const posted = await invokeHttpApi(api, {
      method: 'POST',
      path: '/pets',
      headers: { 'Content-Type': 'application/json', 'X-Multi': ['a', 'b'] },
      body: '{"name":"Rex"}',
    });
    expect(event(posted.body)).toMatchObject({
      body: '{"name":"Rex"}',
      isBase64Encoded: false,
      headers: { 'content-type': 'application/json', 'x-multi': 'a,b', 'content-length': '14' },
    });
    const image = await invokeHttpApi(api, { method: 'GET', path: '/image' });
    expect([...image.bodyBytes]).toEqual([0xff, 0x00, 0xfe]);
  });

  test('the gateway’s own answers, and the route’s authorizer (no test-invoke bypass)', async () => {
    const api = mount({ functions, routes, authorizers });
    const missing = await invokeHttpApi(api, { method: 'GET', path: '/nothing' });
    expect([missing.status, missing.body]).toEqual([404, '{"message":"Not Found"}']);
    const failed = await invokeHttpApi(api, { method: 'GET', path: '/fails' });
    expect([failed.status, failed.body]).toEqual([500, '{"message":"Internal Server Error"}']);
    const anonymous = await invokeHttpApi(api, { method: 'GET', path: '/guarded' });
    expect([anonymous.status, anonymous.body]).toEqual([401, '{"message":"Unauthorized"}']);
    const allowed = await invokeHttpApi(api, {
      method: 'GET',
      path: '/guarded',
      headers: { 'x-token': 'ok' },
    });
    expect(allowed.status).toBe(200);
  });

  test('an HTTP API from a definition: waits for it', async () => {
    const api = mount({
      template: path.join(__dirname, '../fixtures/definitions/http-api/domains/cfn.json'),
    });
    const res = await invokeHttpApi(api, { method: 'GET', path: '/42' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      version: '1.0',
      path: '/live/42',
      pathParameters: { orderId: '42' },
    });
  });

  test('what is no HTTP API is refused; testInvoke points HTTP APIs here', async () => {
    const rest = apiGateway({ logger: silentLogger(), resources: {} });
    await expect(invokeHttpApi(rest as never, { method: 'GET', path: '/' })).rejects.toThrow(
      'invokeHttpApi: give it what httpApi() returned',
    );
    await rest.close();
    const api = mount({ functions, routes, authorizers });
    await expect(testInvoke(api as never, { method: 'GET', path: '/pets/1' })).rejects.toThrow(
      'testInvoke: HTTP APIs have no test invoke on AWS; invokeHttpApi(api, request) runs a request through one',
    );
  });
});
