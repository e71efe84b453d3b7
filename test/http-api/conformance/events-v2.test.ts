import request from 'supertest';
import type { HttpApiOptions } from '../../../src/index.js';
import { closeApis, HOSTS } from '../hosts.js';
import { echo, type Json, normaliseEvent, recorded, send } from './recorded.js';

/**
 * Payload format 2.0 events (reference §1.1–1.2), replayed from recordings of real HTTP APIs:
 * the same request sent through httpApi(), the event the function got compared field by field.
 */

afterAll(closeApis);

const VOKER = recorded('voker-apigwv2-request.json');
const LAMBDA_GO = recorded('lambda-go-apigw-v2-no-authorizer.json');
const PATHS = recorded('voker-ingress-paths.json');
const PATH_CASES: [string, Json][] = PATHS.cases.map((c: Json) => [c.sentPath, c]);

/** An API shaped as the recording's: its ids, its region, its clock. */
function like(event: { requestContext: Record<string, unknown> }, extra: Partial<HttpApiOptions> = {}) {
  const rc = event.requestContext as {
    apiId: string;
    accountId: string;
    domainName: string;
    timeEpoch: number;
  };
  return {
    apiId: rc.apiId,
    accountId: rc.accountId,
    region: rc.domainName.split('.')[2],
    clock: () => rc.timeEpoch,
    functions: { echo },
    routes: { $default: { integration: { function: 'echo' } } },
    ...extra,
  } satisfies HttpApiOptions;
}

describe.each(HOSTS)('payload 2.0 events as recorded, %s', (_name, host) => {
  test('hotsock/voker live capture: encoded path, repeated query and headers, cookies, JSON body', async () => {
    const res = await send(host(like(VOKER.event)), VOKER.request);
    expect(res.status).toBe(200);
    const event = JSON.parse(res.text);
    // Same keys in the same order, then the same values.
    expect(Object.keys(event)).toEqual(Object.keys(VOKER.event));
    expect(Object.keys(event.requestContext)).toEqual(Object.keys(VOKER.event.requestContext));
    expect(normaliseEvent(event, VOKER.event)).toEqual(VOKER.event);
  });

  test('aws-lambda-go capture: a bodyless GET / has content-length "0", isBase64Encoded false, nothing else', async () => {
    const res = await send(host(like(LAMBDA_GO.event)), LAMBDA_GO.request);
    expect(res.status).toBe(200);
    const event = JSON.parse(res.text);
    expect(Object.keys(event)).toEqual(Object.keys(LAMBDA_GO.event));
    expect(normaliseEvent(event, LAMBDA_GO.event)).toEqual(LAMBDA_GO.event);
  });

  test.each(PATH_CASES)('hotsock/voker ingress path %s', async (_sent, c) => {
    let calls = 0;
    const app = host({
      functions: {
        echo: async (event: unknown) => {
          calls++;
          return echo(event);
        },
      },
      routes: { $default: { integration: { function: 'echo' } } },
    });
    const res = await request(app).get(`${c.sentPath}?${PATHS.query}`);
    if (c.httpAPIRejected) {
      // Recorded: 400, the function never invoked.
      expect(res.status).toBe(400);
      expect(calls).toBe(0);
      return;
    }
    expect(res.status).toBe(200);
    const event = JSON.parse(res.text);
    expect(event.rawPath).toBe(c.httpAPIPath);
    expect(event.requestContext.http.path).toBe(c.httpAPIPath);
    // The query arrives as sent, escapes kept.
    expect(event.rawQueryString).toBe(PATHS.query);
    expect(event.queryStringParameters).toEqual({
      marker: 'path-probe',
      value: 'a?b%c#d',
      repeat: 'one,two',
    });
  });

  test('D-lambda note and 2.0 sample: repeated headers and query strings joined with commas, cookies split, stage variables', async () => {
    const app = host({
      functions: { echo },
      stageVariables: { stageVariable1: 'value1', stageVariable2: 'value2' },
      routes: { $default: { integration: { function: 'echo' } } },
    });
    const res = await send(app, {
      method: 'POST',
      target: '/my/path?parameter1=value1&parameter1=value2&parameter2=value',
      headers: [
        ['Header1', 'value1'],
        ['Header2', 'value1'],
        ['Header2', 'value2'],
        ['Cookie', 'cookie1'],
        ['Cookie', 'cookie2'],
        ['Content-Type', 'text/plain'],
      ],
      body: 'Hello from Lambda',
    });
    const event = JSON.parse(res.text);
    expect(event.rawPath).toBe('/my/path');
    expect(event.rawQueryString).toBe('parameter1=value1&parameter1=value2&parameter2=value');
    expect(event.queryStringParameters).toEqual({ parameter1: 'value1,value2', parameter2: 'value' });
    // "Header names are lowercased" (D-lambda); the Cookie header moves to `cookies`.
    expect(event.headers.header1).toBe('value1');
    expect(event.headers.header2).toBe('value1,value2');
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.cookies).toEqual(['cookie1', 'cookie2']);
    expect(event.stageVariables).toEqual({ stageVariable1: 'value1', stageVariable2: 'value2' });
    expect(event.body).toBe('Hello from Lambda');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.requestContext.http.protocol).toBe('HTTP/1.1');
  });

  test('routeKey is the configured key, not the request method; a greedy variable holds the rest of the path', async () => {
    const app = host({
      functions: { echo },
      routes: { 'ANY /{proxy+}': { integration: { function: 'echo' } } },
    });
    const event = JSON.parse((await request(app).post('/hello/world')).text);
    expect(event.routeKey).toBe('ANY /{proxy+}');
    expect(event.requestContext.routeKey).toBe('ANY /{proxy+}');
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.pathParameters).toEqual({ proxy: 'hello/world' });
  });

  test('D-routes (current): "API Gateway decodes URL-encoded request parameters": path parameters decoded', async () => {
    const app = host({
      functions: { echo },
      routes: { 'GET /users/{id}/{proxy+}': { integration: { function: 'echo' } } },
    });
    const event = JSON.parse((await request(app).get('/users/a%40b.com/x%20y/z')).text);
    expect(event.pathParameters).toEqual({ id: 'a@b.com', proxy: 'x y/z' });
  });

  test('a named stage: rawPath and http.path keep its prefix, stage names it', async () => {
    const app = host({
      functions: { echo },
      stageName: 'dev',
      routes: { 'GET /agents/{id}': { integration: { function: 'echo' } } },
    });
    const event = JSON.parse((await request(app).get('/dev/agents/1234')).text);
    expect(event.rawPath).toBe('/dev/agents/1234');
    expect(event.requestContext.http.path).toBe('/dev/agents/1234');
    expect(event.requestContext.stage).toBe('dev');
    expect(event.pathParameters).toEqual({ id: '1234' });
  });

  // Observed on real AWS (ministackorg/ministack#766): JSON, XML, JavaScript and text/* arrive as
  // text; every other type, none and form-urlencoded included, base64.
  test.each([
    ['text/plain', false],
    ['text/html; charset=utf-8', false],
    ['application/json', false],
    ['application/xml', false],
    ['application/javascript', false],
    [undefined, true],
    ['application/x-www-form-urlencoded', true],
    ['application/octet-stream', true],
    ['image/png', true],
  ])('a body with content-type %s: isBase64Encoded %s', async (type, base64) => {
    const app = host({ functions: { echo }, routes: { $default: { integration: { function: 'echo' } } } });
    // A Buffer goes out without a content-type; a string with the one set, as it is.
    const req = request(app).post('/upload');
    const res =
      type === undefined
        ? await req.send(Buffer.from('a=1&b=2'))
        : await req.set('Content-Type', type).send('a=1&b=2');
    const event = JSON.parse(res.text);
    expect(event.isBase64Encoded).toBe(base64);
    expect(event.body).toBe(base64 ? Buffer.from('a=1&b=2').toString('base64') : 'a=1&b=2');
  });
});
