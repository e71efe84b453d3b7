import path from 'node:path';
import request from 'supertest';
import { ConfigError } from '../../src/config/config-error.js';
import { importSam } from '../../src/definitions/sam-import.js';
import { importServerless } from '../../src/definitions/serverless-import.js';
import {
  type ApiGatewayMiddleware,
  type ApiGatewayOptions,
  apiGateway,
  type FunctionLogSource,
} from '../../src/index.js';
import { terminalFunctionLogs } from '../../src/lambda/function-log-sink.js';
import { silentLogger } from '../support/create-app.js';
import { proxy } from '../support/echo-function.js';

const HANDLERS = path.join(__dirname, 'fixtures/handlers');
const TEXT_LINE =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\t([0-9a-f-]{36}|undefined)\t([A-Z]+)\t([\s\S]*)$/;
const REPORT =
  /^REPORT RequestId: ([0-9a-f-]{36})\tDuration: (\d+\.\d\d) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB\t(?:Init Duration: (\d+\.\d\d) ms\t)?(?:Status: (\w+)\t)?$/;

const open: ApiGatewayMiddleware[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((gateway) => gateway.close()));
});

/** A gateway whose function logs land in `lines`, each with the function it came from. */
function logged(options: Omit<ApiGatewayOptions, 'functionLogs'>) {
  const lines: { line: string; source: FunctionLogSource }[] = [];
  const gateway = apiGateway({
    logger: silentLogger(),
    ...options,
    functionLogs: { logger: (line, source) => lines.push({ line, source }) },
  } as ApiGatewayOptions);
  open.push(gateway);
  const of = (requestId: string) => lines.map((l) => l.line).filter((line) => line.includes(requestId));
  return { gateway, lines, text: () => lines.map((l) => l.line), of };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
/** A proxy result the client reads as text. */
const plain = (body: string) => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body });

describe('a function’s console.* calls, in its own log', () => {
  it('carry the request id of their own invocation while two invocations interleave', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { gateway, of } = logged({
      functions: {
        slow: async (_event, context) => {
          console.log('slow before');
          await gate;
          await tick();
          console.warn('slow after');
          return plain(context.awsRequestId);
        },
        fast: async (_event, context) => {
          console.error('fast %s', 'runs');
          return plain(context.awsRequestId);
        },
      },
      resources: { '/slow': { GET: proxy('slow') }, '/fast': { GET: proxy('fast') } },
    });
    const slow = request(gateway)
      .get('/prod/slow')
      .then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fast = await request(gateway).get('/prod/fast');
    release();
    const slowId = (await slow).text;
    const fastId = fast.text;
    const messages = (id: string) =>
      of(id)
        .map((line) => TEXT_LINE.exec(line))
        .filter((m) => m !== null)
        .map((m) => [m[2], m[3], m[4]]);
    expect(messages(slowId)).toEqual([
      [slowId, 'INFO', 'slow before'],
      [slowId, 'WARN', 'slow after'],
    ]);
    expect(messages(fastId)).toEqual([[fastId, 'ERROR', 'fast runs']]);
  });

  it('are framed by START, END and REPORT with the function’s memory size', async () => {
    const { gateway, of, lines } = logged({
      functions: {
        hello: {
          memorySize: 512,
          handler: async (_event, context) => {
            console.log('hello');
            return plain(context.awsRequestId);
          },
        },
      },
      resources: { '/': { GET: proxy('hello') } },
    });
    const id = (await request(gateway).get('/prod/')).text;
    const own = of(id);
    expect(own).toHaveLength(4);
    expect(own[0]).toBe(`START RequestId: ${id} Version: $LATEST`);
    expect(own[1]).toMatch(new RegExp(`^\\S+Z\\t${id}\\tINFO\\thello$`));
    expect(own[2]).toBe(`END RequestId: ${id}`);
    const report = REPORT.exec(own[3]);
    expect(report).not.toBeNull();
    const [, reportId, duration, billed, memory, used, init, status] = report as RegExpExecArray;
    expect(reportId).toBe(id);
    expect(Number(billed)).toBe(Math.max(1, Math.ceil(Number(duration))));
    expect(memory).toBe('512');
    expect(Number(used)).toBeGreaterThan(0);
    // An inline handler has no module to load: no Init phase, no Init Duration.
    expect(init).toBeUndefined();
    expect(status).toBeUndefined();
    expect(lines[0].source).toEqual({
      functionName: 'hello',
      logGroupName: '/aws/lambda/hello',
      logStreamName: expect.stringMatching(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/),
    });
  });

  it('report Init Duration on the first call of a module handler only; its Init lines have no request id', async () => {
    const { gateway, of, text } = logged({
      functions: { init: { handler: 'logs-at-init.handler', codeUri: HANDLERS } },
      resources: { '/': { GET: proxy('init') } },
    });
    const first = (await request(gateway).get('/prod/')).text;
    const second = (await request(gateway).get('/prod/')).text;
    expect(text().filter((line) => line.endsWith('\tINFO\tloading logs-at-init'))).toEqual([
      expect.stringMatching(/^\S+Z\tundefined\tINFO\tloading logs-at-init$/),
    ]);
    // As on Lambda, the Init phase's lines come before the first START.
    expect(text().slice(0, 2)).toEqual([
      expect.stringMatching(/\tundefined\tINFO\tloading logs-at-init$/),
      `START RequestId: ${first} Version: $LATEST`,
    ]);
    const cold = REPORT.exec(of(first).at(-1) as string) as RegExpExecArray;
    const warm = REPORT.exec(of(second).at(-1) as string) as RegExpExecArray;
    expect(Number(cold[6])).toBeGreaterThan(0);
    // Since August 2025 a cold start's Init phase is billed with it.
    expect(Number(cold[3])).toBe(Math.ceil(Number(cold[2]) + Number(cold[6])));
    expect(warm[6]).toBeUndefined();
    expect(of(second)).toContainEqual(expect.stringMatching(new RegExp(`\\t${second}\\tINFO\\thandling$`)));
  });

  it("logs the runtime's Invoke Error line for a function error, before END", async () => {
    const { gateway, text } = logged({
      functions: {
        fails: async () => {
          throw new TypeError('no such item');
        },
      },
      resources: { '/': { GET: proxy('fails') } },
    });
    const res = await request(gateway).get('/prod/');
    expect(res.status).toBe(502);
    const lines = text();
    expect(lines[1]).toMatch(
      /^\S+Z\t[0-9a-f-]{36}\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"no such item","stack":\["TypeError: no such item",/,
    );
    expect(lines[2]).toMatch(/^END RequestId: /);
    expect(lines[3]).toMatch(REPORT);
  });

  it('says a timeout: Task timed out, then END and REPORT with Status: timeout', async () => {
    const { gateway, text } = logged({
      functions: { stuck: { timeout: 0.05, handler: () => new Promise(() => {}) } },
      resources: { '/': { GET: proxy('stuck') } },
    });
    const res = await request(gateway).get('/prod/');
    expect(res.status).toBe(502);
    const lines = text();
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^\S+Z [0-9a-f-]{36} Task timed out after 0\.05 seconds$/);
    expect(REPORT.exec(lines[3])?.[7]).toBe('timeout');
  });

  it('keeps the log open past an integration timeout, to the function’s own timeout', async () => {
    let answered = false;
    let reported: (seen: { line: string; answered: boolean }) => void = () => {};
    const report = new Promise<{ line: string; answered: boolean }>((resolve) => (reported = resolve));
    const gateway = apiGateway({
      logger: silentLogger(),
      functionLogs: {
        logger: (line) => (line.startsWith('REPORT') ? reported({ line, answered }) : undefined),
      },
      functions: { stuck: { timeout: 0.2, handler: () => new Promise(() => {}) } },
      resources: { '/': { GET: proxy('stuck', { timeoutInMillis: 50 }) } },
    });
    open.push(gateway);
    const res = await request(gateway).get('/prod/');
    answered = true;
    expect(res.status).toBe(504);
    // The 504 came first; the function ran on until its own 0.2 s ran out.
    const seen = await report;
    expect(seen.answered).toBe(true);
    expect(REPORT.exec(seen.line)?.[7]).toBe('timeout');
  });

  it('puts a late throw in the function’s log, not the gateway logger', async () => {
    const logger = silentLogger();
    const { gateway, text } = logged({
      logger,
      catchHandlerErrors: true,
      functions: {
        stuck: () => {
          setTimeout(() => process.emit('uncaughtException', new Error('JWKS fetch failed')), 0);
        },
      },
      resources: { '/': { GET: proxy('stuck') } },
    });
    const res = await request(gateway).get('/prod/');
    expect(res.status).toBe(502);
    const lines = text();
    expect(lines[1]).toMatch(
      /^\S+Z\t[0-9a-f-]{36}\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"JWKS fetch failed",/,
    );
    // Not an Invoke Error too: the runtime reported it already.
    expect(lines.filter((line) => line.includes('Invoke Error'))).toEqual([]);
    expect(lines[2]).toMatch(/^END RequestId: /);
    const runtimeLines = logger.calls.filter((c) => String(c.args[0]).includes('Uncaught Exception'));
    expect(runtimeLines).toEqual([]);
  });

  it('leave console calls outside any invocation alone, and give the console back on close', async () => {
    const saved = console.info;
    const host = jest.fn();
    console.info = host;
    try {
      const { gateway, text } = logged({
        functions: {
          hello: async () => {
            console.info('from the function');
            return plain('hi');
          },
        },
        resources: { '/': { GET: proxy('hello') } },
      });
      expect(console.info).not.toBe(host);
      console.info('from the host app');
      await request(gateway).get('/prod/');
      expect(host.mock.calls).toEqual([['from the host app']]);
      expect(text().filter((line) => line.includes('from the'))).toEqual([
        expect.stringMatching(/\tINFO\tfrom the function$/),
      ]);
      await gateway.close();
      open.splice(open.indexOf(gateway), 1);
      expect(console.info).toBe(host);
    } finally {
      console.info = saved;
    }
  });

  it('leave the console as it is when no gateway asks for function logs', async () => {
    const before = { log: console.log, error: console.error };
    const gateway = apiGateway({
      functions: { hello: async () => plain('hi') },
      resources: { '/': { GET: proxy('hello') } },
    });
    open.push(gateway);
    expect({ log: console.log, error: console.error }).toEqual(before);
  });

  it('go to the API’s logger by default, one info call per line', async () => {
    const logger = silentLogger();
    const gateway = apiGateway({
      logger,
      functionLogs: {},
      functions: {
        hello: async () => {
          console.log('hi');
          return plain('hi');
        },
      },
      resources: { '/': { GET: proxy('hello') } },
    });
    open.push(gateway);
    await request(gateway).get('/prod/');
    const info = logger.calls.filter((c) => c.level === 'info').map((c) => c.args);
    expect(info.map((args) => args.length)).toEqual([1, 1, 1, 1]);
    expect(String(info[1][0])).toMatch(/\tINFO\thi$/);
  });
});

describe('the JSON format with a pino-style logger', () => {
  function pinoLike() {
    const records: { bindings: Record<string, unknown>; args: unknown[] }[] = [];
    const child = (bindings: Record<string, unknown>) => ({
      info: (...args: unknown[]) => records.push({ bindings, args }),
      warn: () => undefined,
      error: () => undefined,
    });
    return {
      records,
      logger: { child, info: () => undefined, warn: () => undefined, error: () => undefined },
    };
  }

  it('gives each record as an object to a child logger per function, filtered by applicationLogLevel', async () => {
    const { records, logger } = pinoLike();
    const gateway = apiGateway({
      functionLogs: { logger },
      functions: {
        orders: {
          loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'WARN' },
          handler: async (_event, context) => {
            console.info('dropped below WARN');
            console.warn({ orderId: 7 });
            return plain(context.awsRequestId);
          },
        },
      },
      resources: { '/': { GET: proxy('orders') } },
    });
    open.push(gateway);
    const id = (await request(gateway).get('/prod/')).text;
    expect(records.map((r) => r.bindings)).toEqual([
      { functionName: 'orders' },
      { functionName: 'orders' },
      { functionName: 'orders' },
    ]);
    const [start, warn, report] = records.map(
      (r) => (r.args[0] as { lambda: Record<string, unknown> }).lambda,
    );
    expect(start).toEqual({
      time: expect.any(String),
      type: 'platform.start',
      record: {
        requestId: id,
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
        version: '$LATEST',
      },
    });
    expect(warn).toEqual({
      timestamp: expect.any(String),
      level: 'WARN',
      requestId: id,
      message: { orderId: 7 },
    });
    expect(report).toMatchObject({
      type: 'platform.report',
      record: { requestId: id, status: 'success', metrics: { memorySizeMB: 128 } },
    });
  });

  it('drops START and REPORT at systemLogLevel WARN', async () => {
    const { gateway, text } = logged({
      functions: {
        quiet: {
          loggingConfig: { logFormat: 'JSON', systemLogLevel: 'WARN' },
          handler: async () => {
            console.error('kept');
            return { statusCode: 200, body: '' };
          },
        },
      },
      resources: { '/': { GET: proxy('quiet') } },
    });
    await request(gateway).get('/prod/');
    expect(text().map((line) => JSON.parse(line).message)).toEqual(['kept']);
  });
});

describe('loggingConfig', () => {
  it('logGroup names the function’s log group in its context and AWS_LAMBDA_LOG_GROUP_NAME; JSON sets the runtime variables', async () => {
    const { gateway } = logged({
      functions: {
        grouped: {
          loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'DEBUG', logGroup: '/shop/orders' },
          handler: async (_event, context) => ({
            statusCode: 200,
            body: JSON.stringify({
              context: context.logGroupName,
              env: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
              format: process.env.AWS_LAMBDA_LOG_FORMAT,
              level: process.env.AWS_LAMBDA_LOG_LEVEL,
            }),
          }),
        },
      },
      resources: { '/': { GET: proxy('grouped') } },
    });
    const res = await request(gateway).get('/prod/');
    expect(res.body).toEqual({
      context: '/shop/orders',
      env: '/shop/orders',
      format: 'JSON',
      level: 'DEBUG',
    });
  });

  it.each([
    [{ logFormat: 'json' }, 'functions["f"].loggingConfig.logFormat: "json" (one of Text, JSON)'],
    [
      { logFormat: 'JSON', applicationLogLevel: 'VERBOSE' },
      'functions["f"].loggingConfig.applicationLogLevel: "VERBOSE" (one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL)',
    ],
    [
      { logFormat: 'JSON', systemLogLevel: 'ERROR' },
      'functions["f"].loggingConfig.systemLogLevel: "ERROR" (one of DEBUG, INFO, WARN)',
    ],
    [
      { applicationLogLevel: 'DEBUG' },
      'functions["f"].loggingConfig.applicationLogLevel: needs logFormat "JSON" (Lambda filters levels in the JSON format only)',
    ],
    [
      { logGroup: 'my group' },
      'functions["f"].loggingConfig.logGroup: "my group" (1 to 512 letters, digits and . - _ / #)',
    ],
    [
      { LogFormat: 'JSON' },
      'functions["f"].loggingConfig.LogFormat: unknown field (logFormat, applicationLogLevel, systemLogLevel, logGroup)',
    ],
  ])('refuses %j at startup', (loggingConfig, message) => {
    expect(() =>
      apiGateway({
        functions: { f: { handler: async () => ({ statusCode: 200 }), loggingConfig } },
        resources: { '/': { GET: proxy('f') } },
      } as unknown as ApiGatewayOptions),
    ).toThrow(new ConfigError(message));
  });

  it.each([
    [true, 'functionLogs: must be an object such as { logger } (got true)'],
    [
      { logger: 'stdout' },
      'functionLogs.logger: a logger with an info method (pino, console) or a function called with each line',
    ],
    [{ sink: () => {} }, 'functionLogs.sink: unknown field (logger)'],
  ])('refuses functionLogs %j at startup', (functionLogs, message) => {
    expect(() =>
      apiGateway({
        functionLogs,
        functions: { f: async () => ({ statusCode: 200 }) },
        resources: { '/': { GET: proxy('f') } },
      } as unknown as ApiGatewayOptions),
    ).toThrow(new ConfigError(message));
  });
});

describe('LoggingConfig read from definitions', () => {
  const ctx = { baseDir: HANDLERS, logger: silentLogger() };

  it('SAM: Globals.Function.LoggingConfig merged key by key under the function’s own', async () => {
    const { options } = await importSam(
      {
        Transform: 'AWS::Serverless-2016-10-31',
        Globals: {
          Function: {
            Runtime: 'nodejs20.x',
            LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' },
          },
        },
        Resources: {
          Orders: {
            Type: 'AWS::Serverless::Function',
            Properties: {
              Handler: 'counter.handler',
              LoggingConfig: { ApplicationLogLevel: 'DEBUG', LogGroup: '/shop/orders' },
              Events: { Get: { Type: 'Api', Properties: { Path: '/orders', Method: 'get' } } },
            },
          },
          Plain: {
            Type: 'AWS::Serverless::Function',
            Properties: {
              Handler: 'counter.handler',
              Events: { Get: { Type: 'Api', Properties: { Path: '/plain', Method: 'get' } } },
            },
          },
        },
      },
      ctx,
    );
    expect(options.functions?.Orders).toMatchObject({
      loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'DEBUG', logGroup: '/shop/orders' },
    });
    expect(options.functions?.Plain).toMatchObject({
      loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'WARN' },
    });
  });

  it('serverless: provider.logs.lambda, the function’s own logs over it', async () => {
    const { options } = await importServerless(
      {
        service: 'shop',
        provider: { name: 'aws', logs: { lambda: { logFormat: 'JSON', systemLogLevel: 'WARN' } } },
        functions: {
          orders: {
            handler: 'counter.handler',
            logs: { applicationLogLevel: 'DEBUG' },
            events: [{ http: 'GET orders' }],
          },
          plain: { handler: 'counter.handler', events: [{ http: 'GET plain' }] },
        },
      },
      ctx,
    );
    expect(options.functions?.orders).toMatchObject({
      loggingConfig: { logFormat: 'JSON', systemLogLevel: 'WARN', applicationLogLevel: 'DEBUG' },
    });
    expect(options.functions?.plain).toMatchObject({
      loggingConfig: { logFormat: 'JSON', systemLogLevel: 'WARN' },
    });
  });
});

describe('apigw-express serve’s terminal sink', () => {
  it('prints each line after the name of its function', () => {
    const written: string[] = [];
    const { logger } = terminalFunctionLogs((text) => written.push(text));
    logger('END RequestId: 1', {
      functionName: 'orders',
      logGroupName: '/aws/lambda/orders',
      logStreamName: 's',
    });
    expect(written).toEqual(['[orders] END RequestId: 1\n']);
  });
});
