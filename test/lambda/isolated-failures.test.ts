import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { type ApiGatewayMiddleware, apiGateway } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

const FIXTURES = path.join(__dirname, 'fixtures', 'isolated');
const A = path.join(FIXTURES, 'a');
const BROKEN = path.join(FIXTURES, 'broken');

// A non-proxy integration passes the function's error payload through as the body (no template).
function awsRoute(fn: string) {
  return {
    GET: {
      integration: { type: 'AWS' as const, function: fn, integrationResponses: [{ statusCode: '200' }] },
    },
  };
}
function proxyRoute(fn: string) {
  return { GET: { integration: { type: 'AWS_PROXY' as const, function: fn } } };
}

const logger = silentLogger();
let gateway: ApiGatewayMiddleware;
let app: express.Express;
const printed: string[] = [];
let write: jest.SpyInstance;

beforeAll(() => {
  // Without a function log of the user's, an isolated function's lines go to stdout: kept here.
  write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  gateway = apiGateway({
    isolation: 'process',
    logger,
    functions: {
      initError: { handler: 'app.handler', codeUri: BROKEN },
      missing: { handler: 'nowhere.handler', codeUri: BROKEN },
      uncaught: { handler: 'app.uncaught', codeUri: A },
      rejection: { handler: 'app.rejection', codeUri: A },
      fails: { handler: 'app.fails', codeUri: A },
      later: { handler: 'app.later', codeUri: A, timeout: 0.2 },
      lateThrow: { handler: 'app.lateThrow', codeUri: A },
      slow: { handler: 'app.slow', codeUri: A, reservedConcurrency: 1 },
      slowAws: { handler: 'app.slow', codeUri: A, reservedConcurrency: 1 },
    },
    resources: {
      '/init-error': awsRoute('initError'),
      '/init-error-proxy': proxyRoute('initError'),
      '/missing': awsRoute('missing'),
      '/uncaught': awsRoute('uncaught'),
      '/uncaught-proxy': proxyRoute('uncaught'),
      '/rejection': awsRoute('rejection'),
      '/fails': awsRoute('fails'),
      '/timeout': awsRoute('later'),
      '/late-throw': proxyRoute('lateThrow'),
      '/slow': proxyRoute('slow'),
      '/slow-aws': awsRoute('slowAws'),
    },
  });
  app = express();
  app.use(gateway);
});

afterAll(async () => {
  await gateway.close();
  write.mockRestore();
});

const TRACE = expect.arrayContaining([expect.any(String)]);

describe('isolation: process — failures answer as API Gateway answers a failed Lambda', () => {
  test('an Init phase that throws: the module error is the invocation error; the proxy client gets 502', async () => {
    const [aws, proxy] = await Promise.all([
      request(app).get('/prod/init-error'),
      request(app).get('/prod/init-error-proxy'),
    ]);
    expect(aws.status).toBe(200);
    expect(JSON.parse(aws.text)).toEqual({ errorType: 'Error', errorMessage: 'cannot start', trace: TRACE });
    expect(proxy.status).toBe(502);
    expect(proxy.body).toEqual({ message: 'Internal server error' });
  });

  test('a module that is not there: Runtime.ImportModuleError', async () => {
    const res = await request(app).get('/prod/missing');
    expect(JSON.parse(res.text)).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: expect.stringMatching(/^Error: Cannot find module 'nowhere'/),
    });
  });

  test('an uncaught exception fails the invocation with its own type; the environment is replaced', async () => {
    const res = await request(app).get('/prod/uncaught');
    expect(JSON.parse(res.text)).toEqual({
      errorType: 'TypeError',
      errorMessage: 'thrown from a timer',
      trace: expect.arrayContaining([expect.stringMatching(/^TypeError: thrown from a timer/)]),
    });
    const proxy = await request(app).get('/prod/uncaught-proxy');
    expect(proxy.status).toBe(502);
    // The runtime's log line for it.
    expect(printed.join('')).toMatch(
      /\tERROR\tUncaught Exception \t\{"errorType":"TypeError","errorMessage":"thrown from a timer"/,
    );
  });

  test('an unhandled rejection: Runtime.UnhandledPromiseRejection', async () => {
    const res = await request(app).get('/prod/rejection');
    expect(JSON.parse(res.text)).toEqual({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: nobody awaits this',
      trace: expect.arrayContaining([
        expect.stringMatching(/^Runtime\.UnhandledPromiseRejection: Error: nobody awaits this/),
      ]),
    });
  });

  test('a handler error keeps its type and message', async () => {
    const res = await request(app).get('/prod/fails');
    expect(JSON.parse(res.text)).toEqual({
      errorType: 'RangeError',
      errorMessage: 'out of range',
      trace: TRACE,
    });
  });

  test('a timeout: Sandbox.Timedout with Lambda message; the next call is a cold start', async () => {
    const res = await request(app).get('/prod/timeout');
    expect(JSON.parse(res.text)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Task timed out after 0\.20 seconds$/,
      ),
    });
    printed.length = 0;
    await request(app).get('/prod/timeout');
    expect(printed.join('')).toMatch(
      /REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\t.*\tInit Duration: [\d.]+ ms/,
    );
  });

  test('a throw after the answer: that client got its answer, the gateway lives on, the next call is cold', async () => {
    const first = await request(app).get('/prod/late-throw');
    expect(first.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await request(app).get('/prod/late-throw');
    expect(second.status).toBe(200);
    expect(second.body.pid).not.toBe(first.body.pid);
  });

  test('past reservedConcurrency Lambda throttles: API Gateway answers 500 for AWS_PROXY and AWS alike', async () => {
    for (const route of ['/prod/slow', '/prod/slow-aws']) {
      logger.calls.length = 0;
      const [one, two] = await Promise.all([request(app).get(route), request(app).get(route)]);
      const statuses = [one.status, two.status].sort();
      expect(statuses).toEqual([200, 500]);
      const refused = one.status === 500 ? one : two;
      expect(refused.body).toEqual({ message: 'Internal server error' });
      expect(refused.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
      expect(logger.calls.map((c) => String(c.args[0])).join('\n')).toMatch(
        /Lambda invocation failed with status: 429/,
      );
    }
  });
});
