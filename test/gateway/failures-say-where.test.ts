import path from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { fromProxyResult, MalformedProxyResult } from '../../src/integrations/proxy.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const CODE_URI = path.join(__dirname, '..', 'lambda', 'fixtures', 'handlers');

const proxy = (fn: string) => ({ GET: { integration: { type: 'AWS_PROXY' as const, function: fn } } });

describe.each(EXPRESS_VERSIONS)('Express %s: failures say where', (_name, factory) => {
  it('a malformed proxy result: the log line names the request and the field; the client gets AWS 502', async () => {
    const logger = silentLogger();
    const options: ApiGatewayOptions = {
      logger,
      functions: { bad: async () => ({ statusCode: 99, body: 'x' }) },
      resources: { '/pets/{id}': proxy('bad') },
    };
    const res = await request(createApp(options, factory)).get('/prod/pets/7?q=1');
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ message: 'Internal server error' });
    const id = res.headers['x-amzn-requestid'];
    const errors = logger.calls.filter((c) => c.level === 'error').map((c) => c.args.join(' '));
    expect(errors).toEqual([
      `apigw-express [GET /prod/pets/7 req=${id}] Lambda function bad: Execution failed due to configuration error: Malformed Lambda proxy response: statusCode is 99: a status code from 200 to 599`,
    ]);
  });

  it("a function's failure is logged under the request's prefix", async () => {
    const logger = silentLogger();
    const options: ApiGatewayOptions = {
      logger,
      functions: {
        boom: async () => {
          throw new Error('boom');
        },
      },
      resources: { '/boom': { POST: { integration: { type: 'AWS_PROXY', function: 'boom' } } } },
    };
    const res = await request(createApp(options, factory)).post('/prod/boom');
    expect(res.status).toBe(502);
    const id = res.headers['x-amzn-requestid'];
    const [line] = logger.calls.filter((c) => c.level === 'error').map((c) => String(c.args[0]));
    expect(line).toBe(`apigw-express [POST /prod/boom req=${id}] Lambda function boom failed:`);
  });

  it('an integration timeout is logged with the function, the timeout and the request', async () => {
    const logger = silentLogger();
    const options: ApiGatewayOptions = {
      logger,
      functions: { stuck: { handler: () => new Promise(() => {}), timeout: 30 } },
      resources: {
        '/stuck': {
          GET: { integration: { type: 'AWS', function: 'stuck', timeoutInMillis: 50 } },
        },
      },
    };
    const res = await request(createApp(options, factory)).get('/prod/stuck');
    expect(res.status).toBe(504);
    const id = res.headers['x-amzn-requestid'];
    expect(logger.calls.map((c) => `${c.level} ${c.args.join(' ')}`)).toContain(
      `error apigw-express [GET /prod/stuck req=${id}] Lambda function stuck: Execution failed due to a timeout error: no answer within the integration timeout of 50 ms (timeoutInMillis)`,
    );
  });
});

describe('apiGateway() resolves each Handler module at startup', () => {
  it('warns at once for a module that is not there, naming the function and the paths tried; calls still get the runtime error', async () => {
    const logger = silentLogger();
    const app = createApp({
      logger,
      functions: { typo: { handler: 'nothere.handler', codeUri: CODE_URI } },
      resources: { '/typo': proxy('typo') },
    });
    const warnings = logger.calls.filter((c) => c.level === 'warn').map((c) => String(c.args[0]));
    const tried = ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'].map((e) =>
      path.join(CODE_URI, `nothere${e}`),
    );
    expect(warnings).toEqual([
      `apigw-express: functions["typo"] (Handler nothere.handler, CodeUri ${CODE_URI}): Runtime.ImportModuleError: Error: Cannot find module 'nothere' (tried ${tried.join(', ')}, nothere from ${CODE_URI} (a folder's index, node_modules)); each call fails with 502`,
    ]);
    // As on Lambda, which deploys the function: the call fails, the API serves.
    const res = await request(app).get('/prod/typo');
    expect(res.status).toBe(502);
  });

  it('says nothing for a module that is there (no code of it runs at startup)', () => {
    const logger = silentLogger();
    createApp({
      logger,
      functions: { fine: { handler: 'throws-at-load.handler', codeUri: CODE_URI } },
      resources: { '/fine': proxy('fine') },
    });
    expect(logger.calls).toEqual([]);
  });
});

describe('fromProxyResult names what is malformed', () => {
  it.each([
    [[1], 'the result is [1], not an object with statusCode, headers and body'],
    [{ statusCode: '2xx' }, 'statusCode is "2xx": a status code from 200 to 599'],
    [
      { status: 200 },
      'unknown field "status" (a proxy result has only statusCode, headers, multiValueHeaders, body, isBase64Encoded)',
    ],
    [{ headers: ['a'] }, 'headers is ["a"]: an object of header name → value'],
    [{ headers: { a: { b: 1 } } }, 'headers["a"] is {"b":1}: a header value is a string, number or boolean'],
    [{ multiValueHeaders: { a: 'x' } }, 'multiValueHeaders["a"] is "x": a list of values'],
    [{ multiValueHeaders: [] }, 'multiValueHeaders is []: an object of header name → list'],
    [{ isBase64Encoded: 'true' }, 'isBase64Encoded is "true": true or false'],
    [{ body: [1] }, 'body is [1]: a string (JSON.stringify an object)'],
    [{ headers: { 'a b': 'x' } }, 'header "a b": ["x"] cannot be sent over HTTP'],
  ])('%j: %s', (result, reason) => {
    const answer = fromProxyResult(result, false);
    expect(answer).toBeInstanceOf(MalformedProxyResult);
    expect((answer as MalformedProxyResult).reason).toBe(reason);
    expect((answer as MalformedProxyResult).statusCode).toBe(502);
  });

  it('every malformed result gives a reason, and a long value is cut short', () => {
    fc.assert(
      fc.property(fc.anything(), (result) => {
        const answer = fromProxyResult(result, false);
        if (answer instanceof MalformedProxyResult) {
          expect(answer.reason.length).toBeGreaterThan(0);
          expect(answer.reason.length).toBeLessThan(400);
        }
      }),
    );
  });
});
