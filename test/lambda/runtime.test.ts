import type { APIGatewayProxyEvent, Context, Handler } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { proxy } from '../support/echo-function.js';

const INTERNAL = '{"message": "Internal server error"}';
const TIMED_OUT = '{"message": "Endpoint request timed out"}';
const ok = (body: string) => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body });

function api(fn: unknown, extra = {}) {
  return {
    region: 'eu-west-1',
    accountId: '111111111111',
    functions: { 'my-function': fn },
    resources: { '/run': { ANY: proxy('my-function', extra) } },
  } as ApiGatewayOptions;
}

function expectLambdaError(res: request.Response): void {
  expect(res.status).toBe(502);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
  expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.headers['x-amz-apigw-id']).toMatch(/=$/);
  expect(res.text).toBe(INTERNAL);
}

describe.each(EXPRESS_VERSIONS)('the Lambda runtime behind Express %s', (_version, express) => {
  describe('handler styles', () => {
    it.each([
      ['async', async () => ok('async')],
      ['promise-returning', () => Promise.resolve(ok('promise-returning'))],
      [
        'callback',
        (_e: unknown, _c: Context, cb: (e: null, r: unknown) => void) => {
          setImmediate(() => cb(null, ok('callback')));
        },
      ],
      [
        'context.succeed',
        (_e: unknown, c: Context) => {
          c.succeed(ok('context.succeed'));
        },
      ],
      [
        'context.done',
        (_e: unknown, c: Context) => {
          c.done(undefined, ok('context.done'));
        },
      ],
    ] as [string, Handler][])('answers from a %s handler', async (name, handler) => {
      const res = await request(createApp(api(handler), express)).get('/prod/run');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain');
      expect(res.headers['x-amzn-trace-id']).toMatch(/^Root=1-/);
      expect(res.text).toBe(name);
    });
  });

  it('hands the function a real Context', async () => {
    expect.assertions(14);
    let seen: Context | undefined;
    let remaining: number[] = [];
    const app = createApp(
      {
        ...api(undefined),
        functions: {
          'my-function': {
            handler: async (_e: APIGatewayProxyEvent, context: Context) => {
              seen = context;
              remaining.push(context.getRemainingTimeInMillis());
              await new Promise((r) => setTimeout(r, 10));
              remaining.push(context.getRemainingTimeInMillis());
              return ok('ctx');
            },
            timeout: 6,
            memorySize: 1024,
          },
        },
      },
      express,
    );
    remaining = [];
    const res = await request(app).get('/prod/run');
    expect(res.status).toBe(200);
    expect(res.text).toBe('ctx');
    expect(seen?.functionName).toBe('my-function');
    expect(seen?.functionVersion).toBe('$LATEST');
    expect(seen?.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:111111111111:function:my-function');
    expect(seen?.memoryLimitInMB).toBe('1024');
    expect(seen?.logGroupName).toBe('/aws/lambda/my-function');
    expect(seen?.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(seen?.awsRequestId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(seen?.awsRequestId).not.toBe(res.headers['x-amzn-requestid']);
    expect(seen?.callbackWaitsForEmptyEventLoop).toBe(true);
    expect(remaining[0]).toBeLessThanOrEqual(6000);
    expect(remaining[0]).toBeGreaterThan(0);
    expect(remaining[1]).toBeLessThan(remaining[0]);
  });

  describe('function errors answer 502 {"message": "Internal server error"}', () => {
    it.each([
      [
        'a synchronous throw',
        () => {
          throw new Error('boom');
        },
      ],
      [
        'an async throw',
        async () => {
          throw new Error('boom');
        },
      ],
      ['a rejected promise', () => Promise.reject(new Error('boom'))],
      ['callback(err)', (_e: unknown, _c: Context, cb: (e: Error) => void) => cb(new Error('boom'))],
      ['callback("string error")', (_e: unknown, _c: Context, cb: (e: string) => void) => cb('boom')],
      ['context.fail', (_e: unknown, c: Context) => c.fail(new Error('boom'))],
      ['a rejection without reason', () => Promise.reject(undefined)],
    ] as [string, Handler][])('after %s', async (_name, handler) => {
      const logger = silentLogger();
      const res = await request(createApp({ ...api(handler), logger }, express))
        .post('/prod/run')
        .send('x');
      expectLambdaError(res);
      expect(res.headers['x-amzn-trace-id']).toBeUndefined();
      expect(logger.calls.some((c) => c.level === 'error')).toBe(true);
    });

    it('after the function timeout (a small timeout, a handler that never settles)', async () => {
      const app = createApp(
        {
          ...api(undefined),
          functions: { 'my-function': { handler: () => new Promise(() => {}), timeout: 0.05 } },
        },
        express,
      );
      expectLambdaError(await request(app).get('/prod/run'));
    });
  });

  it('answers 504 {"message": "Endpoint request timed out"} when the integration timeout elapses first', async () => {
    const app = createApp(
      api(() => new Promise(() => {}), { timeoutInMillis: 50 }),
      express,
    );
    const res = await request(app).get('/prod/run');
    expect(res.status).toBe(504);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-amz-apigw-id']).toMatch(/=$/);
    expect(res.text).toBe(TIMED_OUT);
  });

  it('answers 500 when the AWS_PROXY integration method is not POST (recorded)', async () => {
    const logger = silentLogger();
    const app = createApp({ ...api(async () => ok('never'), { httpMethod: 'GET' }), logger }, express);
    const res = await request(app).get('/prod/run');
    expect(res.status).toBe(500);
    expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
    expect(res.text).toBe(INTERNAL);
    expect(logger.calls.some((c) => c.level === 'warn')).toBe(true);
  });

  it("keeps a throwing handler's failure to its own request", async () => {
    const app = createApp(
      {
        functions: {
          slow: async () => {
            await new Promise((r) => setTimeout(r, 30));
            return ok('slow fine');
          },
          bad: () => {
            throw new Error('boom');
          },
          badAsync: (_e: unknown, _c: Context, cb: (e: Error) => void) => {
            setTimeout(() => cb(new Error('late boom')), 5);
          },
        },
        resources: {
          '/slow': { GET: proxy('slow') },
          '/bad': { GET: proxy('bad') },
          '/bad-async': { GET: proxy('badAsync') },
        },
      },
      express,
    );
    const [slow, bad, badAsync] = await Promise.all([
      request(app).get('/prod/slow'),
      request(app).get('/prod/bad'),
      request(app).get('/prod/bad-async'),
    ]);
    expect(slow.status).toBe(200);
    expect(slow.text).toBe('slow fine');
    expectLambdaError(bad);
    expectLambdaError(badAsync);
    const again = await request(app).get('/prod/slow');
    expect([again.status, again.text]).toEqual([200, 'slow fine']);
  });

  it('passes environment variables of a function definition to process.env', async () => {
    const app = createApp(
      {
        ...api(undefined),
        functions: {
          'my-function': {
            handler: async () => ok(String(process.env.APIGW_TEST_TABLE)),
            environment: { APIGW_TEST_TABLE: 'items-table' },
          },
        },
      },
      express,
    );
    const res = await request(app).get('/prod/run');
    expect([res.status, res.text]).toEqual([200, 'items-table']);
  });
});
