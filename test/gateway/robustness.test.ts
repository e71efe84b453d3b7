import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions, LambdaHandler, Logger } from '../../src/index.js';
import { apiGateway } from '../../src/index.js';
import type { LambdaFunction } from '../../src/lambda/context.js';
import { invoke } from '../../src/lambda/invoke.js';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

// "Bad input gets a clear answer, never a crash": every value a handler can throw, reject,
// call back or return, every malformed request, and a broken logger, get the answer API Gateway
// gives, while the process keeps no listener, timer or unhandled rejection from any of it.

const INTERNAL = '{"message": "Internal server error"}';
const TIMED_OUT = '{"message": "Endpoint request timed out"}';
const HANDLED =
  'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack';

type Callback = (error?: Error | string | null, result?: unknown) => void;

const throwingEverywhere = (): object =>
  new Proxy(
    {},
    {
      get: () => {
        throw new Error('get trap');
      },
      has: () => {
        throw new Error('has trap');
      },
      ownKeys: () => {
        throw new Error('ownKeys trap');
      },
      getPrototypeOf: () => {
        throw new Error('getPrototypeOf trap');
      },
      getOwnPropertyDescriptor: () => {
        throw new Error('getOwnPropertyDescriptor trap');
      },
    },
  );

const throwingGetters = (): object => ({
  get message(): string {
    throw new Error('message getter');
  },
  get name(): string {
    throw new Error('name getter');
  },
  get stack(): string {
    throw new Error('stack getter');
  },
});

function circularCause(): Error {
  const error = new Error('circular') as Error & { cause?: unknown };
  error.cause = error;
  return error;
}

function circular(): object {
  const value: Record<string, unknown> = { statusCode: 200 };
  value.self = value;
  return value;
}

/** Values a handler may fail with, and the payload the Node.js runtime makes of each. */
const FAILURES: [string, () => unknown, unknown][] = [
  ['a string', () => 'bad thing', { errorType: 'string', errorMessage: 'bad thing', trace: [] }],
  ['a number', () => 42, { errorType: 'number', errorMessage: '42', trace: [] }],
  ['a Symbol', () => Symbol('odd'), { errorType: 'symbol', errorMessage: 'Symbol(odd)', trace: [] }],
  [
    'an object whose message/name/stack getters throw',
    throwingGetters,
    { errorType: 'handled', errorMessage: HANDLED },
  ],
  ['a Proxy that throws on every trap', throwingEverywhere, { errorType: 'handled', errorMessage: HANDLED }],
  [
    'an Error with a circular cause',
    circularCause,
    expect.objectContaining({ errorType: 'Error', errorMessage: 'circular' }),
  ],
];

/** How a handler hands a failure over: a synchronous throw, a rejection, `callback(err)`. */
const WAYS: [string, (value: () => unknown) => LambdaHandler][] = [
  [
    'throws',
    (value) => () => {
      throw value();
    },
  ],
  ['rejects with', (value) => () => Promise.reject(value())],
  ['calls back with', (value) => (_e: unknown, _c: Context, cb: Callback) => cb(value() as Error)],
];

const functions: Record<string, LambdaHandler | { handler: LambdaHandler; timeout: number }> = {
  echo: echoEvent,
  boom: async () => {
    throw new Error('boom');
  },
  // Falsy failures, as the runtime (aws-lambda-nodejs-runtime-interface-client) settles them.
  throwNull: () => {
    throw null;
  },
  throwUndefined: () => {
    throw undefined;
  },
  rejectNull: () => Promise.reject(null),
  rejectUndefined: () => Promise.reject(undefined),
  callbackNull: (_e: unknown, _c: Context, cb: Callback) => cb(null),
  failNull: (_e: unknown, c: Context) => c.fail(null as unknown as string),
  // Results.
  bigint: async () => ({ statusCode: 200, body: 'x', big: 10n }),
  circular: async () => circular(),
  throwingHeaders: async () => ({
    statusCode: 200,
    get headers(): Record<string, string> {
      throw new Error('headers getter');
    },
  }),
  // What a getter throws need not be an Error either.
  throwingSymbol: async () => ({
    get body(): string {
      throw Symbol('body getter');
    },
  }),
  proxyResult: async () => throwingEverywhere(),
  aFunction: async () => () => 'not data',
  toJSON: async () => ({ toJSON: () => ({ statusCode: 201, body: 'from toJSON' }) }),
  dateBody: async () => ({ statusCode: 200, body: new Date(0) }),
  functionHeader: async () => ({ statusCode: 200, headers: { dropped: () => 1, kept: 'yes' } }),
  hugeHeader: async () => ({ statusCode: 200, headers: { 'x-huge': 'h'.repeat(8000) } }),
  callbackTwice: (_e: unknown, _c: Context, cb: Callback) => {
    cb(null, { statusCode: 201, body: 'first' });
    cb(null, { statusCode: 202, body: 'second' });
    cb(new Error('third'));
  },
  succeedThenThrow: (_e: unknown, c: Context) => {
    c.succeed({ statusCode: 203, body: 'succeeded' });
    throw new Error('thrown after succeed');
  },
  resolvesLate: () =>
    new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: 'too late' }), 80)),
  rejectsLate: () => new Promise((_r, reject) => setTimeout(() => reject(new Error('too late')), 80)),
  outOfTime: {
    handler: () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200 }), 80)),
    timeout: 0.03,
  },
};

const resources: ApiGatewayOptions['resources'] = { '/{proxy+}': { ANY: proxy('echo') } };
const awsIntegration = (fn: string) => ({
  integration: {
    type: 'AWS' as const,
    function: fn,
    timeoutInMillis: 50,
    integrationResponses: [{ statusCode: '200' }],
  },
});
const addFunction = (name: string, handler: LambdaHandler) => {
  functions[name] = handler;
  resources[`/proxy/${name}`] = { GET: proxy(name, { timeoutInMillis: 50 }) };
  resources[`/aws/${name}`] = { GET: awsIntegration(name) };
};
for (const name of Object.keys(functions)) {
  if (name === 'echo') continue;
  resources[`/proxy/${name}`] = { GET: proxy(name, { timeoutInMillis: 50 }) };
  resources[`/aws/${name}`] = { GET: awsIntegration(name) };
}
for (const [way, make] of WAYS) {
  for (const [what, value] of FAILURES) addFunction(`${way} ${what}`.replace(/\W+/g, '-'), make(value));
}
const slug = (way: string, what: string) => `${way} ${what}`.replace(/\W+/g, '-');

/** statusCode values, as the proxy result gives them, and AWS's answer. */
const STATUS_CASES: [string, unknown, number][] = [
  // JSON.stringify writes NaN and Infinity as null: AWS sees no status and answers the default 200.
  ['NaN', Number.NaN, 200],
  ['Infinity', Number.POSITIVE_INFINITY, 200],
  ['"200abc"', '200abc', 502],
  // 1e2 is 100: a 1xx cannot be the answer (sent, it leaves the client waiting for another).
  ['1e2', 1e2, 502],
  ['101', 101, 502],
  ['"201"', '201', 201],
];
STATUS_CASES.forEach(([, statusCode], i) => {
  functions[`status${i}`] = async () => ({ statusCode, body: 'status' });
  resources[`/proxy/status${i}`] = { GET: proxy(`status${i}`) };
});

/** Header names and values HTTP cannot carry: a malformed result, so a 502. */
const BAD_HEADERS: [string, Record<string, unknown>][] = [
  ['a space in the name', { headers: { 'bad name': 'v' } }],
  ['a colon in the name', { headers: { 'bad:name': 'v' } }],
  ['an empty name', { headers: { '': 'v' } }],
  ['a non-ASCII name', { headers: { naïve: 'v' } }],
  ['a line break in the value', { headers: { 'x-split': 'a\r\nSet-Cookie: evil=1' } }],
  ['a NUL in a multi value', { multiValueHeaders: { 'x-nul': ['a\u0000b'] } }],
];
BAD_HEADERS.forEach(([, fields], i) => {
  functions[`badHeader${i}`] = async () => ({ statusCode: 200, body: 'x', ...fields });
  resources[`/proxy/badHeader${i}`] = { GET: proxy(`badHeader${i}`) };
});

resources['/event/boom'] = {
  GET: {
    integration: {
      type: 'AWS' as const,
      function: 'boom',
      requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
      integrationResponses: [{ statusCode: '200' }],
    },
  },
};

// A MOCK integration answering with a 1xx status, from its integration response or an override.
const mock = (statusCode: string, responseTemplate = '') => ({
  integration: {
    type: 'MOCK' as const,
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [{ statusCode, responseTemplates: { 'application/json': responseTemplate } }],
  },
});
resources['/mock/override'] = { GET: mock('200', '#set($context.responseOverride.status = 101)body') };

const options = (logger: Logger = silentLogger()): ApiGatewayOptions => ({ logger, functions, resources });

const throwingLogger = (): Logger => {
  const fail = () => {
    throw new Error('logger is broken');
  };
  return { debug: fail, info: fail, warn: fail, error: fail };
};

// Anything that escapes a request: collected for the whole file and checked after each test.
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let uncaughtListeners = 0;

beforeAll(() => {
  uncaughtListeners = process.listenerCount('uncaughtException');
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  expect(unhandled).toEqual([]);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(process.listenerCount('uncaughtException')).toBe(uncaughtListeners);
});

/**
 * Records the timers armed for a second or more (the integration and function timeouts, never
 * Node's own housekeeping) and which of them are still armed, until `restore()`.
 */
function trackLongTimers() {
  const armed = new Set<unknown>();
  const realSet = global.setTimeout;
  const realClear = global.clearTimeout;
  const set = jest.spyOn(global, 'setTimeout').mockImplementation(((
    callback: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const timer = realSet(() => {
      armed.delete(timer);
      callback(...args);
    }, ms);
    if ((ms ?? 0) >= 1000) armed.add(timer);
    return timer;
  }) as typeof setTimeout);
  const clear = jest.spyOn(global, 'clearTimeout').mockImplementation((timer) => {
    armed.delete(timer);
    realClear(timer);
  });
  return {
    armed,
    created: () => set.mock.calls.filter(([, ms]) => (ms ?? 0) >= 1000).length,
    /** Armed timers that would keep the process alive. */
    referenced: () => [...armed].filter((timer) => (timer as NodeJS.Timeout).hasRef()),
    restore: () => {
      set.mockRestore();
      clear.mockRestore();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const expectInternalError = (res: request.Response, status = 502) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
  expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.body).toBe(INTERNAL);
};

describe.each(EXPRESS_VERSIONS)('robustness on Express %s', (_version, express) => {
  const app = createApp(options(), express);
  const get = (path: string) => request(app).get(path).buffer(true).parse(asText);
  const payload = async (path: string) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    return JSON.parse(res.body as string);
  };

  describe('a handler that fails with a non-Error value', () => {
    const cases = WAYS.flatMap(([way]) =>
      FAILURES.map(([what, , expected]) => [way, what, expected] as [string, string, unknown]),
    );

    it.each(cases)('proxy: %s %s → 502', async (way, what) => {
      expectInternalError(await get(`/prod/proxy/${slug(way, what)}`));
    });

    it.each(cases)('AWS: %s %s → the runtime error payload', async (way, what, expected) => {
      expect(await payload(`/prod/aws/${slug(way, what)}`)).toEqual(expected);
    });

    it('keeps the stack of an Error with a circular cause as the trace', async () => {
      const body = await payload(`/prod/aws/${slug('throws', 'an Error with a circular cause')}`);
      expect(body.trace[0]).toBe('Error: circular');
    });

    it.each([
      ['throwNull', null],
      ['throwUndefined', null],
      ['callbackNull', null],
      // The runtime's context.fail(): a rejection or fail() without a reason fails as "handled".
      ['rejectNull', { errorType: 'string', errorMessage: 'handled', trace: [] }],
      ['rejectUndefined', { errorType: 'string', errorMessage: 'handled', trace: [] }],
      ['failNull', { errorType: 'string', errorMessage: 'handled', trace: [] }],
    ])('AWS: %s settles as the Node.js runtime does', async (name, expected) => {
      expect(await payload(`/prod/aws/${name}`)).toEqual(expected);
    });

    it.each(['throwNull', 'throwUndefined', 'rejectNull', 'rejectUndefined', 'callbackNull', 'failNull'])(
      'proxy: %s → 502',
      async (name) => {
        expectInternalError(await get(`/prod/proxy/${name}`));
      },
    );
  });

  describe('a result that is not usable as it is', () => {
    it.each(['bigint', 'circular', 'throwingHeaders', 'throwingSymbol', 'proxyResult', 'aFunction'])(
      'proxy: %s → 502',
      async (name) => {
        expectInternalError(await get(`/prod/proxy/${name}`));
      },
    );

    it.each([
      ['bigint', 'TypeError: Do not know how to serialize a BigInt'],
      ['circular', 'TypeError: Converting circular structure to JSON'],
      ['throwingHeaders', 'Error: headers getter'],
      ['throwingSymbol', 'Symbol(body getter)'],
    ])('AWS: %s cannot be serialised, a function error', async (name, cause) => {
      const res = await get(`/prod/aws/${name}`);
      expect(res.status).toBe(200);
      const body = JSON.parse(res.body as string);
      expect(body.errorType).toBe('Runtime.UnmarshalError');
      expect(body.errorMessage.startsWith(`Unable to stringify response body: ${cause}`)).toBe(true);
    });

    it('AWS: a result that serialises to nothing is an empty payload', async () => {
      const res = await get('/prod/aws/aFunction');
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
    });

    it('proxy: reads the result as the runtime serialises it (toJSON, a Date body)', async () => {
      const fromToJson = await get('/prod/proxy/toJSON');
      expect(fromToJson.status).toBe(201);
      expect(fromToJson.body).toBe('from toJSON');
      const date = await get('/prod/proxy/dateBody');
      expect(date.status).toBe(200);
      expect(date.body).toBe('1970-01-01T00:00:00.000Z');
    });

    it('proxy: drops a header whose value is a function, as JSON does', async () => {
      const res = await get('/prod/proxy/functionHeader');
      expect(res.status).toBe(200);
      expect(res.headers.kept).toBe('yes');
      expect(res.headers.dropped).toBeUndefined();
    });

    it('proxy: sends a long header value', async () => {
      const res = await get('/prod/proxy/hugeHeader');
      expect(res.status).toBe(200);
      expect(res.headers['x-huge']).toBe('h'.repeat(8000));
    });

    it.each(STATUS_CASES.map(([label, , status], i) => [label, status, i]))(
      'proxy: statusCode %s → %d',
      async (_label, status, i) => {
        const res = await get(`/prod/proxy/status${i}`);
        if (status === 502) expectInternalError(res);
        else {
          expect(res.status).toBe(status);
          expect(res.body).toBe('status');
        }
      },
    );

    it('MOCK: a 1xx status from a responseOverride is a configuration error, not an interim answer', async () => {
      expectInternalError(await get('/prod/mock/override'), 500);
    });

    it('refuses a 1xx integration response status at startup', () => {
      expect(() => createApp({ resources: { '/m': { GET: mock('100') } } }, express)).toThrow(
        'GET /m: integration.integrationResponses[0].statusCode: must be a status code such as "200"',
      );
    });

    it.each(BAD_HEADERS.map(([label], i) => [label, i]))('proxy: a header with %s → 502', async (_l, i) => {
      const res = await get(`/prod/proxy/badHeader${i}`);
      expectInternalError(res);
      expect(res.headers['x-split']).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('a handler that settles more than once, or late', () => {
    it('keeps the first of callback, callback and callback(err)', async () => {
      const res = await get('/prod/proxy/callbackTwice');
      expect([res.status, res.body]).toEqual([201, 'first']);
    });

    it('keeps context.succeed when the handler throws afterwards', async () => {
      const res = await get('/prod/proxy/succeedThenThrow');
      expect([res.status, res.body]).toEqual([203, 'succeeded']);
    });

    it.each(['resolvesLate', 'rejectsLate'])(
      'answers 504 when the integration times out, and ignores %s',
      async (name) => {
        const res = await get(`/prod/proxy/${name}`);
        expect(res.status).toBe(504);
        expect(res.body).toBe(TIMED_OUT);
        await sleep(60); // the handler settles now, with nobody waiting
        const next = await get('/prod/proxy/callbackTwice');
        expect(next.status).toBe(201);
      },
    );

    it("answers 502 when the function's own timeout fires first", async () => {
      expectInternalError(await get('/prod/proxy/outOfTime'));
      const res = await get('/prod/aws/outOfTime');
      expect(JSON.parse(res.body as string)).toEqual({
        errorType: 'Sandbox.Timedout',
        errorMessage: expect.stringMatching(/ Error: Task timed out after 0\.03 seconds$/),
      });
      await sleep(60);
    });
  });

  describe('malformed requests', () => {
    it('passes invalid percent-encoding in the path and the query through undecoded', async () => {
      const event = JSON.parse((await get('/prod/bad%zz/trail%?a=%&b=%zz&%25=1&c=%E0%A4%A')).body as string);
      expect(event.path).toBe('/bad%zz/trail%');
      expect(event.pathParameters).toEqual({ proxy: 'bad%zz/trail%' });
      expect(event.queryStringParameters).toEqual({ a: '%', b: '%zz', '%': '1', c: '%E0%A4%A' });
    });

    it('keeps %00 in the path as text', async () => {
      const event = JSON.parse((await get('/prod/a%00b?n=%00')).body as string);
      expect(event.path).toBe('/a%00b');
      expect(event.queryStringParameters).toEqual({ n: '\u0000' });
    });

    it('hands over 1,000 query parameters', async () => {
      const query = Array.from({ length: 1000 }, (_, i) => `k${i}=${i}`).join('&');
      const event = JSON.parse((await get(`/prod/many?${query}`)).body as string);
      expect(Object.keys(event.queryStringParameters)).toHaveLength(1000);
      expect(event.multiValueQueryStringParameters.k999).toEqual(['999']);
    });

    it('hands over 200 headers', async () => {
      const headers: Record<string, string> = {};
      for (let i = 0; i < 200; i++) headers[`x-h${i}`] = String(i);
      const res = await request(app).get('/prod/headers').set(headers).buffer(true).parse(asText);
      const event = JSON.parse(res.body as string);
      expect(event.headers['x-h199']).toBe('199');
      expect(Object.keys(event.headers).filter((name) => name.startsWith('x-h'))).toHaveLength(200);
    });

    it('replaces bytes that are not UTF-8 in a text body', async () => {
      const res = await request(app)
        .post('/prod/text')
        .set('Content-Type', 'text/plain')
        .send(Buffer.from([0xff, 0xfe, 0x41, 0xc3]))
        .buffer(true)
        .parse(asText);
      const event = JSON.parse(res.body as string);
      expect(event.body).toBe('\ufffd\ufffdA\ufffd');
      expect(event.isBase64Encoded).toBe(false);
    });
  });

  describe('a logger whose every method throws', () => {
    const broken = createApp(options(throwingLogger()), express);
    const parsed = createApp(options(throwingLogger()), express, { before: (a) => a.use(express.json()) });

    it('still answers a failed proxy invocation with 502', async () => {
      expectInternalError(await request(broken).get('/prod/proxy/boom').buffer(true).parse(asText));
    });

    it('still answers a result the runtime cannot serialise with its error payload', async () => {
      const res = await request(broken).get('/prod/aws/bigint').buffer(true).parse(asText);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body as string).errorType).toBe('Runtime.UnmarshalError');
    });

    it('still answers an asynchronous invocation that fails, with nothing left unhandled', async () => {
      const res = await request(broken).get('/prod/event/boom');
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      await sleep(10); // the invocation fails and is logged after the answer
    });

    it('still warns about a body parser without failing the request', async () => {
      const res = await request(parsed).post('/prod/parsed').send({ a: 1 }).buffer(true).parse(asText);
      expect(res.status).toBe(200);
      expect(JSON.parse(JSON.parse(res.body as string).body)).toEqual({ a: 1 });
    });
  });
});

describe('on a raw socket', () => {
  let server: http.Server;
  let port: number;
  let calls: number;
  let logger: ReturnType<typeof silentLogger>;
  let responseErrors: Error[];
  let finished: Promise<void>;
  let started: Promise<void>;
  let markStarted: () => void;
  let markFinished: () => void;

  /** Writes `data`, then collects what the server sends until it closes or `waitMs` passes. */
  const exchange = (data: string | Buffer, waitMs = 500) =>
    new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let received = '';
      const done = () => {
        clearTimeout(timer);
        socket.destroy();
        resolve(received);
      };
      const timer = setTimeout(done, waitMs);
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
      });
      socket.on('end', done);
      socket.on('error', done);
      socket.write(data);
    });

  beforeEach(async () => {
    calls = 0;
    logger = silentLogger();
    responseErrors = [];
    finished = new Promise((resolve) => {
      markFinished = resolve;
    });
    started = new Promise((resolve) => {
      markStarted = resolve;
    });
    const gateway = apiGateway({
      logger,
      functions: {
        echo: async (event: APIGatewayProxyEvent) => {
          calls++;
          return { statusCode: 200, body: JSON.stringify(event) };
        },
        slow: () =>
          new Promise((resolve) => {
            markStarted();
            setTimeout(() => {
              resolve({ statusCode: 200, body: 'nobody is listening' });
              setImmediate(markFinished);
            }, 30);
          }),
      },
      resources: { '/{proxy+}': { ANY: proxy('echo') }, '/slow': { GET: proxy('slow') } },
    });
    // Room for a 100k query string (Node's default is 16 KB of request line and headers).
    server = http.createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
      res.on('error', (error) => responseErrors.push(error));
      gateway(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const getEcho = async (path = '/prod/after') => {
    const answer = await exchange(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
  };

  it('shrugs off a client that aborts mid-body, and serves the next request', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.write('POST /prod/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789');
    await sleep(10);
    socket.destroy();
    await sleep(10);
    expect(calls).toBe(0);
    expect((await getEcho()).path).toBe('/after');
    expect(responseErrors).toEqual([]);
    expect(logger.calls.filter((c) => c.level === 'error')).toEqual([]);
  });

  it('drops the late answer of a client that left while the handler ran', async () => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('GET /prod/slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await started; // the handler runs: the client leaves before it answers
    socket.destroy();
    await finished; // the handler has resolved and the gateway has tried to answer
    await sleep(5);
    expect(responseErrors).toEqual([]);
    expect(logger.calls.filter((c) => c.level === 'error')).toEqual([]);
    expect((await getEcho()).path).toBe('/after');
  });

  it('answers Expect: 100-continue with 100, then the answer', async () => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.write(
      'POST /prod/continue HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n',
    );
    while (!received.includes('\r\n\r\n')) await sleep(2);
    expect(received).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    socket.write('hello');
    await new Promise((resolve) => socket.on('end', resolve));
    socket.destroy();
    const answer = received.slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const event = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(event.body).toBe('hello');
    expect(event.headers.Expect).toBeUndefined();
  });

  it('leaves a request with both Content-Length and Transfer-Encoding to Node (400), and keeps serving', async () => {
    const answer = await exchange(
      'POST /prod/smuggle HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(calls).toBe(0);
    expect((await getEcho()).path).toBe('/after');
  });

  it('hands over a query string up to the URL quota, and refuses a 100k-character one with 414', async () => {
    const value = 'q'.repeat(10_240 - '/prod/long?v='.length);
    const event = await getEcho(`/prod/long?v=${value}`);
    expect(event.queryStringParameters.v).toBe(value);
    const answer = await exchange(
      `GET /prod/long?v=${'q'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 414 URI Too Long\r\n/);
  });

  it('keeps a header named __proto__ as a header, not a prototype', async () => {
    const answer = await exchange(
      'GET /prod/proto HTTP/1.1\r\nHost: x\r\n__proto__: first\r\n__proto__: second\r\nConnection: close\r\n\r\n',
    );
    const event = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(Object.getOwnPropertyDescriptor(event.headers, '__proto__')?.value).toBe('second');
    expect(Object.getOwnPropertyDescriptor(event.multiValueHeaders, '__proto__')?.value).toEqual([
      'first',
      'second',
    ]);
  });

  it('leaves no timer keeping the process alive once invocations have settled', async () => {
    const timers = trackLongTimers();
    try {
      for (let i = 0; i < 5; i++) await getEcho(`/prod/timer${i}`);
      // One shared timer for every invocation's timeout (3 s), never one each; unref'd.
      expect(timers.created()).toBeLessThanOrEqual(1);
      expect(timers.referenced()).toEqual([]);
    } finally {
      timers.restore();
    }
  });
});

describe('invoke', () => {
  const fn = (handler: LambdaFunction['handler']): LambdaFunction => ({
    name: 'fn',
    handler,
    timeoutMs: 3000,
    memoryLimitInMB: '128',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
    logGroupName: '/aws/lambda/fn',
    version: '$LATEST',
  });

  it("shares one unref'd timer between invocations, whichever way they settle", async () => {
    const timers = trackLongTimers();
    const handlers: LambdaFunction['handler'][] = [
      async () => 'value',
      async () => {
        throw new Error('no');
      },
      (_e, _c, cb) => cb(null, 'value'),
      (_e, c) => c.fail('no'),
      () => {
        throw 'no';
      },
    ];
    try {
      const outcomes = await Promise.all(
        handlers.map((handler) => invoke(fn(handler), {}, { requestId: 'r', integrationTimeoutMs: 29_000 })),
      );
      expect(outcomes.map((o) => o.kind)).toEqual(['result', 'error', 'result', 'error', 'error']);
      expect(timers.created()).toBeLessThanOrEqual(1);
      expect(timers.referenced()).toEqual([]);
    } finally {
      timers.restore();
    }
  });
});
