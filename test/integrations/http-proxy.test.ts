import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { type Backend, type Echoed, echoBackend } from '../support/http-backends.js';

let backend: Backend;
beforeAll(async () => {
  backend = await echoBackend();
});
afterAll(() => backend.close());

/** `/{proxy+}` → `{backend}/echo/{proxy}`, as SAM and serverless definitions write it. */
function proxyApi(extra: Partial<ApiGatewayOptions> = {}): ApiGatewayOptions {
  return {
    restApiId: 'abc123defg',
    resources: {
      '/{proxy+}': {
        ANY: {
          requestParameters: { 'method.request.path.proxy': true },
          integration: {
            type: 'HTTP_PROXY',
            httpMethod: 'ANY',
            uri: `${backend.url}/echo/{proxy}`,
            requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
          },
        },
      },
      '/status/{code}': {
        GET: {
          integration: {
            type: 'HTTP_PROXY',
            httpMethod: 'GET',
            uri: `${backend.url}/status/{code}`,
            requestParameters: { 'integration.request.path.code': 'method.request.path.code' },
          },
        },
      },
    },
    ...extra,
  };
}

describe.each(EXPRESS_VERSIONS)('HTTP_PROXY integration on Express %s', (_v, express) => {
  it('passes the method, the greedy path, the query (multi-value) and the body through', async () => {
    const res = await request(createApp(proxyApi(), express))
      .put('/prod/orders/42/items?tag=a&tag=b&q=x%20y')
      .set('Content-Type', 'application/json')
      .send('{"qty":3}');
    expect(res.status).toBe(200);
    const echoed = res.body as Echoed;
    expect(echoed.method).toBe('PUT');
    expect(echoed.url).toBe('/echo/orders/42/items?tag=a&tag=b&q=x%20y');
    expect(Buffer.from(echoed.bodyBase64, 'base64').toString()).toBe('{"qty":3}');
    expect(echoed.headers['content-type']).toBe('application/json');
    expect(echoed.headers['content-length']).toBe('9');
  });

  it('passes a binary body byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254, 0xc3, 0x28, 10, 13]);
    const res = await request(createApp(proxyApi(), express))
      .post('/prod/upload')
      .set('Content-Type', 'application/octet-stream')
      .send(bytes);
    expect(res.status).toBe(200);
    expect(Buffer.from((res.body as Echoed).bodyBase64, 'base64')).toEqual(bytes);
  });

  it('forwards the client headers, drops hop-by-hop ones and adds those API Gateway adds', async () => {
    const res = await request(createApp(proxyApi(), express))
      .get('/prod/h')
      .set('X-Custom', 'one')
      .set('Authorization', 'Bearer t')
      .set('Keep-Alive', 'timeout=5')
      .set('Upgrade', 'h2c')
      .set('X-Forwarded-For', '203.0.113.9');
    const headers = (res.body as Echoed).headers;
    expect(headers['x-custom']).toBe('one');
    expect(headers.authorization).toBe('Bearer t');
    expect(headers['keep-alive']).toBeUndefined();
    expect(headers.upgrade).toBeUndefined();
    // The backend's own host, not the gateway's (recorded: host is the backend's domain).
    expect(headers.host).toBe(`127.0.0.1:${backend.port}`);
    expect(headers['x-amzn-apigateway-api-id']).toBe('abc123defg');
    expect(headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(headers['x-forwarded-for']).toMatch(/^203\.0\.113\.9, (::ffff:)?127\.0\.0\.1$/);
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-port']).toMatch(/^\d+$/);
  });

  it("returns the backend's status, headers (multi-value kept) and body; framing headers remapped", async () => {
    const res = await request(createApp(proxyApi(), express)).get('/prod/status/418');
    expect(res.status).toBe(418);
    expect(res.body).toEqual({ status: 418, message: 'status 418' });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(res.headers['x-backend']).toBe('yes');
    // Recorded: the backend's Content-Length, Date and Connection come back x-amzn-Remapped-.
    expect(res.headers['x-amzn-remapped-content-length']).toBe(String(res.text.length));
    expect(res.headers['x-amzn-remapped-date']).toBeDefined();
    expect(res.headers['x-amzn-remapped-connection']).toBe('keep-alive');
    expect(res.headers['content-length']).toBe(String(res.text.length));
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-amzn-trace-id']).toMatch(/^Root=/);
  });

  it('returns a binary answer byte for byte', async () => {
    const api = proxyApi();
    api.resources = {
      '/bin': {
        GET: { integration: { type: 'HTTP_PROXY', httpMethod: 'GET', uri: `${backend.url}/binary` } },
      },
    };
    const res = await request(createApp(api, express))
      .get('/prod/bin')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(Buffer.from([0, 255, 128, 10, 13, 0xc3]));
  });

  it('with a fixed httpMethod, sends that method whatever the client used', async () => {
    const api = proxyApi();
    api.resources = {
      '/fixed': {
        POST: {
          integration: { type: 'HTTP_PROXY', httpMethod: 'PATCH', uri: `${backend.url}/echo/fixed` },
        },
      },
    };
    const res = await request(createApp(api, express)).post('/prod/fixed').send('x');
    expect((res.body as Echoed).method).toBe('PATCH');
  });

  it("keeps a query string the uri itself carries, before the client's", async () => {
    const api = proxyApi();
    api.resources = {
      '/q': {
        GET: { integration: { type: 'HTTP_PROXY', httpMethod: 'GET', uri: `${backend.url}?fixed=1` } },
      },
    };
    const res = await request(createApp(api, express)).get('/prod/q?a=2');
    expect((res.body as Echoed).url).toBe('/?fixed=1&a=2');
  });

  it('applies requestParameters: static and mapped headers, a mapped query parameter, a stage variable', async () => {
    const api = proxyApi({ stageVariables: { tenant: 't-1' } });
    api.resources = {
      '/items/{id}': {
        GET: {
          integration: {
            type: 'HTTP_PROXY',
            httpMethod: 'GET',
            uri: `${backend.url}/echo/\${stageVariables.tenant}/items/{itemId}`,
            requestParameters: {
              'integration.request.path.itemId': 'method.request.path.id',
              'integration.request.header.X-Static': "'fixed value'",
              'integration.request.header.X-From-Query': 'method.request.querystring.who',
              'integration.request.querystring.mode': "'full'",
              'integration.request.header.X-Stage': 'context.stage',
            },
          },
        },
      },
    };
    const res = await request(createApp(api, express)).get('/prod/items/7?who=me&mode=short');
    const echoed = res.body as Echoed;
    expect(echoed.url).toBe('/echo/t-1/items/7?who=me&mode=full');
    expect(echoed.headers['x-static']).toBe('fixed value');
    expect(echoed.headers['x-from-query']).toBe('me');
    expect(echoed.headers['x-stage']).toBe('prod');
  });

  it("logs the backend's status as $context.integration.status and $context.integrationStatus", async () => {
    const lines: string[] = [];
    const api = proxyApi({
      accessLogSettings: {
        format: '$context.requestId $context.status $context.integration.status $context.integrationStatus',
        destination: (line) => lines.push(line),
      },
    });
    const res = await request(createApp(api, express)).get('/prod/status/404');
    expect(res.status).toBe(404);
    expect(lines).toEqual([`${res.headers['x-amzn-requestid']} 404 404 404`]);
  });

  it('logs the endpoint request and response in the execution log, as AWS words them', async () => {
    const executionLogger = silentLogger();
    const api = proxyApi({
      clock: () => 1_700_000_000_000,
      executionLogger,
      methodSettings: [{ resourcePath: '/*', httpMethod: '*', loggingLevel: 'INFO', dataTraceEnabled: true }],
    });
    const res = await request(createApp(api, express))
      .get('/prod/status/201')
      .set('Authorization', 'Bearer secret-token-abcdef');
    const id = res.headers['x-amzn-requestid'];
    const messages = executionLogger.calls.map((c) => String(c.args[0]).slice(id.length + 3));
    const url = `${backend.url}/status/201`;
    const sent = messages.indexOf(`Sending request to ${url}`);
    expect(messages.slice(sent - 3, sent + 2)).toEqual([
      `Endpoint request URI: ${url}`,
      expect.stringMatching(/^Endpoint request headers: \{.*x-amzn-apigateway-api-id=abc123defg/),
      'Endpoint request body after transformations: ',
      `Sending request to ${url}`,
      'Received response. Status: 201, Integration latency: 0 ms',
    ]);
    expect(messages).toContain(
      `Endpoint response body before transformations: ${JSON.stringify({ status: 201, message: 'status 201' })}`,
    );
    expect(messages).toContain('Method completed with status: 201');
    expect(messages.join('\n')).not.toContain('secret-token');
  });

  it('keeps connections to the backend alive between requests', async () => {
    const app = createApp(proxyApi(), express);
    const first = await request(app).get('/prod/a');
    const second = await request(app).get('/prod/b');
    // The second request went over the connection the first one opened.
    expect((second.body as Echoed).remotePort).toBe((first.body as Echoed).remotePort);
  });
});
