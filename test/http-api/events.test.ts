import request from 'supertest';
import { closeApis, echo, HOSTS } from './hosts.js';

// Recorded from a real HTTP API (hotsock/voker vokerhttp/testdata/apigwv2-request.json, us-west-2),
// with the Go struct's artefacts taken out: `null` pathParameters/stageVariables and the empty
// `authentication`/`authorizer` objects are absent on the wire (aws-lambda-go's no-authorizer capture).
const RECORDED_V2_EVENT = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/capture/space value',
  rawQueryString:
    'repeat=one&repeat=two&redirect=https%3A%2F%2Fexample.com%2Fa%2Fb&literalPlus=a+b&encodedPlus=a%2Bb&empty=',
  cookies: ['session=abc123', 'theme=dark'],
  headers: {
    accept: '*/*',
    'content-length': '66',
    'content-type': 'application/json',
    host: 'sjzepsqsu5.execute-api.us-west-2.amazonaws.com',
    'user-agent': 'curl/8.7.1',
    'x-amzn-trace-id': 'Root=1-6a5145a9-1bae89e2512ec92d5d9438a0',
    'x-forwarded-for': '68.8.83.18',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    'x-voker-probe': 'first,second',
  },
  queryStringParameters: {
    empty: '',
    encodedPlus: 'a+b',
    literalPlus: 'a b',
    redirect: 'https://example.com/a/b',
    repeat: 'one,two',
  },
  requestContext: {
    accountId: '910345601053',
    apiId: 'sjzepsqsu5',
    domainName: 'sjzepsqsu5.execute-api.us-west-2.amazonaws.com',
    domainPrefix: 'sjzepsqsu5',
    http: {
      method: 'POST',
      path: '/capture/space value',
      protocol: 'HTTP/1.1',
      sourceIp: '68.8.83.18',
      userAgent: 'curl/8.7.1',
    },
    requestId: 'ATfSmjLgPHcESJw=',
    routeKey: '$default',
    stage: '$default',
    time: '10/Jul/2026:19:19:05 +0000',
    timeEpoch: 1783711145766,
  },
  body: '{"message":"hello from the public internet","unicode":"lambda-λ"}',
  isBase64Encoded: false,
};

/** What depends on the socket and the random ids, set to the recording's values. */
// biome-ignore lint/suspicious/noExplicitAny: an event read back as JSON
function normalise(event: Record<string, any>): Record<string, unknown> {
  const copy = structuredClone(event);
  // supertest's own; the recording's curl sent none.
  expect(copy.headers['accept-encoding']).toBe('gzip, deflate');
  delete copy.headers['accept-encoding'];
  const requestId = copy.requestContext.requestId;
  expect(requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
  copy.requestContext.requestId = 'ATfSmjLgPHcESJw=';
  expect(copy.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  copy.headers['x-amzn-trace-id'] = 'Root=1-6a5145a9-1bae89e2512ec92d5d9438a0';
  expect(copy.requestContext.http.sourceIp).toBe('127.0.0.1');
  copy.requestContext.http.sourceIp = '68.8.83.18';
  expect(copy.headers['x-forwarded-for']).toBe('127.0.0.1');
  copy.headers['x-forwarded-for'] = '68.8.83.18';
  expect(copy.headers['x-forwarded-proto']).toBe('http');
  copy.headers['x-forwarded-proto'] = 'https';
  expect(copy.headers['x-forwarded-port']).toMatch(/^\d+$/);
  copy.headers['x-forwarded-port'] = '443';
  return copy;
}

afterAll(closeApis);

describe.each(HOSTS)('payload format 2.0 events, %s', (_name, host) => {
  const options = {
    apiId: 'sjzepsqsu5',
    accountId: '910345601053',
    region: 'us-west-2',
    clock: () => 1783711145766,
    functions: { echo },
    routes: { $default: { integration: { function: 'echo' } } },
  };

  test('the recorded event, key for key and value for value', async () => {
    const res = await request(host(options))
      .post(`/capture/space%20value?${RECORDED_V2_EVENT.rawQueryString}`)
      .set('Host', 'sjzepsqsu5.execute-api.us-west-2.amazonaws.com')
      .set('User-Agent', 'curl/8.7.1')
      .set('Accept', '*/*')
      .set('Cookie', 'session=abc123; theme=dark')
      .set('X-Voker-Probe', ['first', 'second'] as unknown as string) // two header lines
      .set('Content-Type', 'application/json')
      .send(RECORDED_V2_EVENT.body);
    expect(res.status).toBe(200);
    const event = JSON.parse(res.text);
    expect(Object.keys(event)).toEqual(Object.keys(RECORDED_V2_EVENT));
    expect(normalise(event)).toEqual(RECORDED_V2_EVENT);
    expect(res.headers['apigw-requestid']).toBe(event.requestContext.requestId);
  });

  test('absent, never null: cookies, query, path parameters, stage variables, body', async () => {
    const res = await request(
      host({ ...options, routes: { 'GET /pets': { integration: { function: 'echo' } } } }),
    ).get('/pets');
    const event = JSON.parse(res.text);
    for (const key of ['cookies', 'queryStringParameters', 'pathParameters', 'stageVariables', 'body']) {
      expect(event).not.toHaveProperty(key);
    }
    expect(event.requestContext).not.toHaveProperty('authorizer');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.rawQueryString).toBe('');
    expect(event.routeKey).toBe('GET /pets');
    expect(event.headers['content-length']).toBe('0');
  });

  test('path parameters, the route key as configured, stage variables', async () => {
    const res = await request(
      host({
        ...options,
        stageVariables: { table: 'pets-dev' },
        routes: {
          'ANY /pets/{id}': { integration: { function: 'echo' } },
          'GET /files/{proxy+}': { integration: { function: 'echo' } },
        },
      }),
    ).delete('/pets/42');
    const event = JSON.parse(res.text);
    expect(event.routeKey).toBe('ANY /pets/{id}');
    expect(event.requestContext.routeKey).toBe('ANY /pets/{id}');
    expect(event.requestContext.http.method).toBe('DELETE');
    expect(event.pathParameters).toEqual({ id: '42' });
    expect(event.stageVariables).toEqual({ table: 'pets-dev' });
    const greedy = JSON.parse(
      (
        await request(
          host({ ...options, routes: { 'GET /files/{proxy+}': { integration: { function: 'echo' } } } }),
        ).get('/files/hello/world')
      ).text,
    );
    expect(greedy.pathParameters).toEqual({ proxy: 'hello/world' });
  });

  test.each([
    ['application/json', false],
    ['text/plain; charset=utf-8', false],
    ['application/xml', false],
    ['application/javascript', false],
    ['application/x-www-form-urlencoded', true],
    ['application/octet-stream', true],
    ['image/png', true],
  ])('a %s body is base64: %s', async (type, base64) => {
    const res = await request(host(options)).post('/upload').set('Content-Type', type).send('a=1&b=2');
    const event = JSON.parse(res.text);
    expect(event.isBase64Encoded).toBe(base64);
    expect(event.body).toBe(base64 ? Buffer.from('a=1&b=2').toString('base64') : 'a=1&b=2');
  });

  test('a body without Content-Type is base64', async () => {
    const res = await request(host(options))
      .post('/upload')
      .send(Buffer.from([0, 1, 2, 255]));
    const event = JSON.parse(res.text);
    expect(event).toMatchObject({ isBase64Encoded: true, body: 'AAEC/w==' });
  });

  // Recorded paths (hotsock/voker ingress-paths.json).
  test.each([
    ['/capture/space%20value', '/capture/space value'],
    ['/capture/question%3Fvalue', '/capture/question'],
    ['/capture/hash%23value', '/capture/hash#value'],
    ['/capture/slash%2Fvalue', '/capture/slash/value'],
    ['/capture/double%252Fslash', '/capture/double/slash'],
    ['/capture/double%253Fq', '/capture/double?q'],
    ['/capture/double%2525percent', '/capture/double%percent'],
  ])('rawPath of %s is %s', async (sent, rawPath) => {
    const event = JSON.parse((await request(host(options)).get(sent)).text);
    expect(event.rawPath).toBe(rawPath);
    expect(event.requestContext.http.path).toBe(rawPath);
  });

  test('a lone %25 is refused with 400, the function not called', async () => {
    const calls: unknown[] = [];
    const res = await request(
      host({ ...options, functions: { echo: async (e: unknown) => calls.push(e) } }),
    ).get('/capture/percent%25done');
    expect(res.status).toBe(400);
    expect(calls).toEqual([]);
  });

  test('every Cookie header line adds to cookies; none stays in headers', async () => {
    const event = JSON.parse(
      (
        await request(host(options))
          .get('/')
          .set('Cookie', ['a=1; b=2', 'c=3'] as unknown as string)
      ).text,
    );
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers).not.toHaveProperty('cookie');
  });

  test('time and timeEpoch come from the clock', async () => {
    const event = JSON.parse(
      (await request(host({ ...options, clock: () => Date.UTC(2026, 0, 2, 3, 4, 5, 678) })).get('/')).text,
    );
    expect(event.requestContext.time).toBe('02/Jan/2026:03:04:05 +0000');
    expect(event.requestContext.timeEpoch).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  });
});

describe.each(HOSTS)('payload format 1.0 events, %s', (_name, host) => {
  test('the REST event with version 1.0, lower-case header names, HTTP API context', async () => {
    const res = await request(
      host({
        apiId: 'abc123',
        clock: () => 1583349317135,
        functions: { echo },
        routes: { 'GET /my/{name}': { integration: { function: 'echo', payloadFormatVersion: '1.0' } } },
      }),
    )
      .get('/my/path?parameter1=value1&parameter1=value2&parameter2=value')
      .set('Header2', 'value1')
      .set('X-Two', ['a', 'b'] as unknown as string);
    const event = JSON.parse(res.text);
    expect(event).toMatchObject({
      version: '1.0',
      resource: '/my/{name}',
      path: '/my/path',
      httpMethod: 'GET',
      queryStringParameters: { parameter1: 'value2', parameter2: 'value' },
      multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
      pathParameters: { name: 'path' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(event.headers.header2).toBe('value1');
    expect(event.headers['x-two']).toBe('b');
    expect(event.multiValueHeaders['x-two']).toEqual(['a', 'b']);
    expect(event.requestContext).toMatchObject({
      apiId: 'abc123',
      authorizer: { claims: null, scopes: null },
      httpMethod: 'GET',
      path: '/my/path',
      protocol: 'HTTP/1.1',
      requestTime: '04/Mar/2020:19:15:17 +0000',
      requestTimeEpoch: 1583349317135,
      resourceId: null,
      resourcePath: '/my/{name}',
      stage: '$default',
    });
    expect(event.requestContext.identity).not.toHaveProperty('apiKey');
    expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
  });
});
