import request from 'supertest';
import type { ApiGatewayOptions, Integration } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { type Backend, type Echoed, echoBackend } from '../support/http-backends.js';

let backend: Backend;
beforeAll(async () => {
  backend = await echoBackend();
});
afterAll(() => backend.close());

function httpApi(
  integration: Omit<Integration, 'type'>,
  path = '/things/{id}',
  verb = 'POST',
): ApiGatewayOptions {
  return {
    restApiId: 'abc123defg',
    resources: { [path]: { [verb]: { integration: { type: 'HTTP', ...integration } } } },
  };
}

const statusResponses = [
  { statusCode: '200', responseTemplates: { 'application/json': '{"ok": $input.json(\'$.status\')}' } },
  {
    statusCode: '404',
    selectionPattern: '404',
    responseParameters: { 'method.response.header.X-Backend': 'integration.response.header.X-Backend' },
    responseTemplates: { 'application/json': '{"missing": "$input.path(\'$.message\')"}' },
  },
  { statusCode: '502', selectionPattern: '5\\d{2}' },
];

describe.each(EXPRESS_VERSIONS)('HTTP (non-proxy) integration on Express %s', (_v, express) => {
  it("sends the request template's output with the mapped parameters only", async () => {
    const app = createApp(
      httpApi({
        httpMethod: 'PUT',
        uri: `${backend.url}/echo/things/{id}`,
        requestParameters: {
          'integration.request.path.id': 'method.request.path.id',
          'integration.request.querystring.source': "'gateway'",
          'integration.request.header.X-Caller': 'method.request.header.X-Caller',
        },
        requestTemplates: {
          'application/json': '{"name": "$input.path(\'$.name\')", "id": "$input.params(\'id\')"}',
        },
        integrationResponses: [{ statusCode: '200' }],
      }),
      express,
    );
    const res = await request(app)
      .post('/prod/things/9?ignored=yes')
      .set('X-Caller', 'alice')
      .set('X-Not-Mapped', 'dropped')
      .send({ name: 'box' });
    expect(res.status).toBe(200);
    const echoed = res.body as Echoed;
    expect(echoed.method).toBe('PUT');
    expect(echoed.url).toBe('/echo/things/9?source=gateway');
    expect(Buffer.from(echoed.bodyBase64, 'base64').toString()).toBe('{"name": "box", "id": "9"}');
    expect(echoed.headers['x-caller']).toBe('alice');
    expect(echoed.headers['x-not-mapped']).toBeUndefined();
    // Recorded for an HTTP integration: API Gateway's own User-Agent and api id header.
    expect(echoed.headers['user-agent']).toBe('AmazonAPIGateway_abc123defg');
    expect(echoed.headers['x-amzn-apigateway-api-id']).toBe('abc123defg');
    expect(echoed.headers['content-type']).toBe('application/json');
    expect(echoed.headers.accept).toBe('application/json');
    expect(echoed.headers['x-amzn-trace-id']).toMatch(/^Root=/);
    // Without a response template the method response is the backend's body, as application/json.
    expect(res.headers['content-type']).toBe('application/json');
  });

  it('passes the body through when no template matches (WHEN_NO_MATCH)', async () => {
    const app = createApp(
      httpApi({
        httpMethod: 'POST',
        uri: `${backend.url}/echo/raw`,
        requestTemplates: { 'application/json': '{}' },
        integrationResponses: [{ statusCode: '200' }],
      }),
      express,
    );
    const res = await request(app)
      .post('/prod/things/1')
      .set('Content-Type', 'text/plain')
      .send('plain words');
    expect(Buffer.from((res.body as Echoed).bodyBase64, 'base64').toString()).toBe('plain words');
    expect((res.body as Echoed).headers['content-type']).toBe('text/plain');
  });

  it('answers 415 when no template matches and passthroughBehavior is NEVER, without calling the backend', async () => {
    const app = createApp(
      httpApi({
        httpMethod: 'POST',
        uri: 'http://127.0.0.1:1/never-called',
        passthroughBehavior: 'NEVER',
        requestTemplates: { 'application/json': '{}' },
        integrationResponses: [{ statusCode: '200' }],
      }),
      express,
    );
    const res = await request(app).post('/prod/things/1').set('Content-Type', 'text/plain').send('x');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ message: 'Unsupported Media Type' });
  });

  it.each([
    ['200', 200, { ok: 200 }],
    ['201', 200, { ok: 201 }],
    ['404', 404, { missing: 'status 404' }],
    ['503', 502, { status: 503, message: 'status 503' }],
  ])('selects the integration response by the backend status %s', async (code, status, body) => {
    const app = createApp(
      httpApi(
        {
          httpMethod: 'GET',
          uri: `${backend.url}/status/{code}`,
          requestParameters: { 'integration.request.path.code': 'method.request.path.id' },
          integrationResponses: statusResponses,
        },
        '/status/{id}',
        'GET',
      ),
      express,
    );
    const res = await request(app).get(`/prod/status/${code}`);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
    if (code === '404') expect(res.headers['x-backend']).toBe('yes');
    else expect(res.headers['x-backend']).toBeUndefined();
  });

  it('answers 500 when no integration response matches and there is no default', async () => {
    const app = createApp(
      httpApi(
        {
          httpMethod: 'GET',
          uri: `${backend.url}/status/201`,
          integrationResponses: [{ statusCode: '400', selectionPattern: '4\\d{2}' }],
        },
        '/x',
        'GET',
      ),
      express,
    );
    const res = await request(app).get('/prod/x');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ message: 'Internal server error' });
    expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
  });
});
