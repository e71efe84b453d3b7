import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';
import { clfTime, normaliseEvent } from '../support/normalise-event.js';

// Golden events: the AWS-recorded payloads of test_lambda_aws_proxy_integration
// (localstack tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json), without the
// CloudFront headers only a real edge adds; X-Forwarded-Proto is http on a plain local socket.
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/events', `${name}.json`), 'utf8'));

const HOST = 'abc123defg.execute-api.us-east-1.amazonaws.com';
// The recorded client's headers: a mixed-case custom header, and Authorization / User-Agent in
// casings API Gateway title-cases.
const CLIENT_HEADERS = {
  Host: HOST,
  Accept: '*/*',
  'user-Agent': 'python-requests/testing',
  'tEsT-HEADeR': 'aValUE',
  authorization: 'random-value',
};

const options = {
  stageName: 'test',
  restApiId: 'abc123defg',
  accountId: '111111111111',
  functions: { echo: echoEvent },
  resources: { '/{proxy+}': { ANY: proxy('echo') }, '/hardcoded': { ANY: proxy('echo') } },
};

const GET_CASES: [string, string][] = [
  ['without-trailing-slash', '/test/proxy-value'],
  ['with-trailing-slash', '/test/proxy-value/'],
  ['with-double-slash', '/test/proxy-value//double-slash'],
  ['with-prepended-slash', '/test//proxy-value'],
  ['hardcoded-prepended-slash', '/test//hardcoded'],
  ['trailing-slash-and-query-params', '/test/proxy-value/?urlparam=test'],
  ['path-encoded-email', '/test/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com'],
  [
    'params-encoding',
    '/test/proxy-value/api?dateTimeOffset=2023-06-12T18:05:10.123456+00:00&email=test%2Balias@gmail.com&plus=test+alias@gmail.com&url=https://www.google.com/&whitespace=foo%20bar&zhash=abort/',
  ],
];

describe.each(EXPRESS_VERSIONS)('the proxy event on Express %s', (_version, express) => {
  const app = createApp(options, express);

  it.each(GET_CASES)('matches the recorded event %s for GET %s', async (name, url) => {
    const res = await request(app).get(url).set(CLIENT_HEADERS);
    expect(res.status).toBe(200);
    expect(normaliseEvent(res.body)).toEqual(fixture(name));
  });

  it('matches the recorded POST event: duplicate query keys, title-cased Authorization, no Content-Length', async () => {
    const res = await request(app)
      .post('/test/proxy-value?category=electronics&category=books&price=10&price=20&price=30')
      .set({ Host: HOST, Accept: '*/*', 'User-Agent': 'python-requests/testing' })
      .set('aUThorization', 'Bearer token123;API key456')
      .set('Content-Type', 'application/json;charset=utf-8')
      .send('{"message": "hello world"}');
    expect(res.status).toBe(200);
    expect(normaliseEvent(res.body)).toEqual(fixture('params-encoding-multi'));
  });

  it('seeds requestId, extendedRequestId and the trace id per request, and echoes them in response headers', async () => {
    const [a, b] = await Promise.all([
      request(app).get('/test/a').set('Host', HOST),
      request(app).get('/test/a').set('Host', HOST),
    ]);
    for (const res of [a, b]) {
      const event = res.body as APIGatewayProxyEvent;
      expect(res.status).toBe(200);
      expect(res.headers['x-amzn-requestid']).toBe(event.requestContext.requestId);
      expect(res.headers['x-amz-apigw-id']).toBe(event.requestContext.extendedRequestId);
      expect(res.headers['x-amzn-trace-id']).toBe(
        `${event.headers['X-Amzn-Trace-Id']};${res.headers['x-amzn-trace-id'].split(';').slice(1).join(';')}`,
      );
      expect(res.headers['x-amzn-trace-id']).toMatch(
        /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
      );
      expect(event.requestContext.requestTime).toBe(clfTime(event.requestContext.requestTimeEpoch));
    }
    expect(a.body.requestContext.requestId).not.toBe(b.body.requestContext.requestId);
    expect(a.body.requestContext.extendedRequestId).not.toBe(b.body.requestContext.extendedRequestId);
  });

  it('draws a generated trace Parent independently of its Root', async () => {
    const responses = await Promise.all([1, 2, 3].map(() => request(app).get('/test/a')));
    for (const res of responses) {
      const [, root, parent] =
        /^Root=1-[0-9a-f]{8}-([0-9a-f]{24});Parent=([0-9a-f]{16});Sampled=0$/.exec(
          res.headers['x-amzn-trace-id'],
        ) ?? [];
      expect(root).toBeDefined();
      expect(root.includes(parent)).toBe(false);
    }
  });

  it('gives the same resourceId to every request of one resource and another to a different one', async () => {
    const one = await request(app).get('/test/a');
    const two = await request(app).get('/test/b/c');
    const hard = await request(app).get('/test/hardcoded');
    expect([one.status, two.status, hard.status]).toEqual([200, 200, 200]);
    expect(one.body.requestContext.resourceId).toBe(two.body.requestContext.resourceId);
    expect(hard.body.requestContext.resourceId).not.toBe(one.body.requestContext.resourceId);
    expect(one.body.requestContext.deploymentId).toBe(hard.body.requestContext.deploymentId);
  });

  it('sends stageVariables, the real method for ANY, and the body as a string (JSON not parsed)', async () => {
    const staged = createApp({ ...options, stageVariables: { env: 'dev', table: 'items' } }, express);
    const res = await request(staged)
      .delete('/test/items/1')
      .set('Content-Type', 'application/json')
      .send('{ "b": 2,  "a": 1 }');
    expect(res.status).toBe(200);
    expect(res.body.stageVariables).toEqual({ env: 'dev', table: 'items' });
    expect(res.body.httpMethod).toBe('DELETE');
    expect(res.body.requestContext.httpMethod).toBe('DELETE');
    expect(res.body.resource).toBe('/{proxy+}');
    expect(res.body.body).toBe('{ "b": 2,  "a": 1 }');
    expect(res.body.isBase64Encoded).toBe(false);
  });

  it('keeps duplicate request header lines in multiValueHeaders, in order, and the last in headers', async () => {
    const res = await request(app)
      .get('/test/a')
      .set('X-Dup', ['one', 'two'] as unknown as string);
    expect(res.status).toBe(200);
    expect(res.body.multiValueHeaders['X-Dup']).toEqual(['one', 'two']);
    expect(res.body.headers['X-Dup']).toBe('two');
  });

  it('continues a client X-Amzn-Trace-Id (recorded: test_invocation_trace_id) and appends the source ip to X-Forwarded-For', async () => {
    const fullTrace = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1';
    const res = await request(app)
      .get('/test/a')
      .set('x-amzn-trace-id', fullTrace)
      .set('x-forwarded-for', '198.51.100.1');
    const event = res.body as APIGatewayProxyEvent;
    expect(res.status).toBe(200);
    expect(res.headers['x-amzn-trace-id']).toBe(fullTrace);
    expect(event.headers['x-amzn-trace-id']).toBeUndefined();
    expect(event.headers['X-Amzn-Trace-Id']).toBe(fullTrace);
    expect(event.headers['X-Forwarded-For']).toBe(`198.51.100.1, ${event.requestContext.identity.sourceIp}`);
    expect(event.multiValueHeaders['X-Forwarded-For']).toEqual([event.headers['X-Forwarded-For']]);
  });

  it('keeps a client trace Root and makes up its Parent', async () => {
    const root = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8';
    const res = await request(app).get('/test/a').set('x-amzn-trace-id', root);
    expect(res.status).toBe(200);
    const [first, parent, sampled] = res.headers['x-amzn-trace-id'].split(';');
    expect(first).toBe(root);
    expect(parent).toMatch(/^Parent=[0-9a-f]{16}$/);
    expect(parent).not.toBe('Parent=7fa8c0f79203be72');
    expect(sampled).toBe('Sampled=0');
  });

  it('gives identity.userAgent null when the client sends no User-Agent', async () => {
    const res = await request(app).get('/test/a');
    expect(res.status).toBe(200);
    expect(res.body.requestContext.identity.userAgent).toBeNull();
    expect(res.body.headers['User-Agent']).toBeUndefined();
  });
});
