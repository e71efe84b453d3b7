import path from 'node:path';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { apiGateway } from '../../src/index.js';
import { toFormatted } from '../../src/lambda/format-error.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { proxy } from '../support/echo-function.js';

const NAMES = ['AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_LOG_GROUP_NAME'];
const variables = () => Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe.each(EXPRESS_VERSIONS)('runtime variables behind Express %s', (_version, express) => {
  it('each invocation sees its own function, however invocations interleave; the host sees none', async () => {
    // `slow` reads after `fast` has started and finished: a swap per invocation would show `fast`.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const options: ApiGatewayOptions = {
      region: 'eu-west-1',
      // The catchHandlerErrors tests below start with no process listener installed.
      catchHandlerErrors: false,
      functions: {
        slow: {
          memorySize: 512,
          handler: async () => {
            const before = variables();
            await gate;
            await tick();
            return { statusCode: 200, body: JSON.stringify({ before, after: variables() }) };
          },
        },
        fast: async () => ({ statusCode: 200, body: JSON.stringify(variables()) }),
      },
      resources: { '/slow': { GET: proxy('slow') }, '/fast': { GET: proxy('fast') } },
    };
    const app = createApp(options, express);
    const slow = request(app)
      .get('/prod/slow')
      .then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fast = await request(app).get('/prod/fast');
    release();
    const slowRes = await slow;
    const own = (name: string, memory: string) => ({
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: memory,
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    });
    expect(JSON.parse(fast.text)).toEqual(own('fast', '128'));
    expect(JSON.parse(slowRes.text)).toEqual({ before: own('slow', '512'), after: own('slow', '512') });
    expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
    expect(Object.keys(process.env)).not.toContain('AWS_LAMBDA_FUNCTION_NAME');
  });

  it('a Handler string sees LAMBDA_TASK_ROOT and _HANDLER in keys and spreads; the middleware leaves the cwd', async () => {
    const cwd = process.cwd();
    const codeUri = path.join(__dirname, 'fixtures/handlers');
    const app = createApp(
      {
        catchHandlerErrors: false,
        functions: { env: { handler: 'runtime-env.handler', codeUri } },
        resources: { '/env': { GET: proxy('env') } },
      },
      express,
    );
    const res = await request(app).get('/prod/env');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      LAMBDA_TASK_ROOT: codeUri,
      _HANDLER: 'runtime-env.handler',
      AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
      LAMBDA_RUNTIME_DIR: '/var/runtime',
      inKeys: true,
      cwd,
    });
    expect(process.cwd()).toBe(cwd);
  });
});

// Jest keeps real uncaught errors to itself, so these tests raise them as Node does: `process.emit`
// from the callback that would have thrown (the serve tests throw for real, in a child process).
const throwLater = (error: Error) => setTimeout(() => process.emit('uncaughtException', error), 0);

describe('catchHandlerErrors', () => {
  function lateThrowApi(catchHandlerErrors: boolean | undefined) {
    const logger = silentLogger();
    const gateway = apiGateway({
      logger,
      ...(catchHandlerErrors !== undefined && { catchHandlerErrors }),
      functions: {
        // As an authorizer whose key fetch fails: it throws from a timer instead of answering.
        stuck: () => {
          throwLater(new Error('JWKS fetch failed'));
        },
        answers: (_event, _context, callback) => {
          callback(null, { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'answered' });
          throwLater(new Error('thrown after the answer'));
        },
        rejects: async () => {
          const reason = new Error('nobody awaits this');
          setTimeout(() => process.emit('unhandledRejection', reason, Promise.resolve()), 0);
          return new Promise<never>(() => {});
        },
      },
      resources: {
        '/stuck': { GET: proxy('stuck') },
        '/answers': { GET: proxy('answers') },
        '/rejects': { GET: proxy('rejects') },
      },
    });
    return { gateway, logger };
  }
  const errorLines = (logger: ReturnType<typeof silentLogger>) =>
    logger.calls.filter((c) => c.level === 'error').map((c) => String(c.args[0]));
  const installed = () =>
    process.listeners('uncaughtException').some((l) => l.name === 'onUncaughtException') ||
    process.listeners('unhandledRejection').some((l) => l.name === 'onUnhandledRejection');

  it('fails the open request at once with 502 and logs the runtime line; later ones are served', async () => {
    // `false` leaves the process to the host app.
    const plain = lateThrowApi(false);
    expect(installed()).toBe(false);
    await plain.gateway.close();
    // On by default: no handler ends the server.
    const { gateway, logger } = lateThrowApi(undefined);
    expect(installed()).toBe(true);
    try {
      const started = Date.now();
      const res = await request(gateway).get('/prod/stuck');
      expect(res.status).toBe(502);
      expect(Date.now() - started).toBeLessThan(2500); // not the function's 3 s timeout
      expect(errorLines(logger)[0]).toMatch(
        /^\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"JWKS fetch failed","stack":\["Error: JWKS fetch failed",/,
      );
      const after = await request(gateway).get('/prod/answers');
      expect(after.status).toBe(200);
      expect(after.text).toBe('answered');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(errorLines(logger).at(-1)).toMatch(
        /\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"thrown after the answer"/,
      );
    } finally {
      await gateway.close();
    }
    expect(installed()).toBe(false);
  });

  it("fails it for a rejection nobody awaits, with the runtime's UnhandledPromiseRejection", async () => {
    const { gateway, logger } = lateThrowApi(true);
    try {
      const res = await request(gateway).get('/prod/rejects');
      expect(res.status).toBe(502);
      expect(errorLines(logger)[0]).toMatch(
        /\tERROR\tUnhandled Promise Rejection \t\{"errorType":"Runtime.UnhandledPromiseRejection","errorMessage":"Error: nobody awaits this","reason":\{"errorType":"Error","errorMessage":"nobody awaits this","stack":\[/,
      );
    } finally {
      await gateway.close();
    }
  });

  it("leaves an error from outside any invocation to the host's own listener", async () => {
    const { gateway, logger } = lateThrowApi(true);
    const seen: unknown[] = [];
    const hostListener = (error: unknown) => seen.push(error);
    process.on('uncaughtException', hostListener);
    try {
      const error = new Error('the host app failed');
      process.emit('uncaughtException', error);
      expect(seen).toEqual([error]);
      expect(errorLines(logger)).toEqual([]);
    } finally {
      process.off('uncaughtException', hostListener);
      await gateway.close();
    }
  });

  it('refuses a value that is not a boolean', () => {
    expect(() => lateThrowApi('yes' as unknown as boolean)).toThrow(
      'catchHandlerErrors: "yes" (true or false)',
    );
  });
});

describe('toFormatted, as the runtime formats a logged error', () => {
  it('gives name, message, code, own properties and stack lines, nested errors alike', () => {
    const cause = new Error('inner');
    const error = Object.assign(new TypeError('outer'), { code: 'E_OUTER', status: 503, cause });
    const parsed = JSON.parse(toFormatted(error).slice(1));
    expect(
      toFormatted(error).startsWith(
        '\t{"errorType":"TypeError","errorMessage":"outer","code":"E_OUTER","status":503,',
      ),
    ).toBe(true);
    expect(parsed.stack[0]).toBe('TypeError: outer');
    expect(parsed.cause).toMatchObject({ errorType: 'Error', errorMessage: 'inner' });
    expect(parsed.cause.stack[0]).toBe('Error: inner');
  });

  it("falls back to the runtime's error payload when the error cannot be serialised", () => {
    const error: Error & { self?: unknown } = new Error('loop');
    error.self = { error };
    const formatted = toFormatted(error);
    expect(formatted.startsWith('\t{"errorType":"Error","errorMessage":"loop","trace":["Error: loop",')).toBe(
      true,
    );
  });
});
