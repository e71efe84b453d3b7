import request from 'supertest';
import type { FunctionLogSource, HttpApiMiddleware, HttpApiOptions } from '../../src/index.js';
import { ConfigError, httpApi } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

const REPORT =
  /^REPORT RequestId: ([0-9a-f-]{36})\tDuration: (\d+\.\d\d) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB\t(?:Init Duration: (\d+\.\d\d) ms\t)?(?:Status: (\w+)\t)?$/;
const TEXT = { 'content-type': 'text/plain' };

const open: HttpApiMiddleware[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});

function mount(options: HttpApiOptions): HttpApiMiddleware {
  const api = httpApi({ logger: silentLogger(), ...options });
  open.push(api);
  return api;
}

/** An HTTP API whose function logs land in `lines`, each with the function it came from. */
function logged(options: Omit<HttpApiOptions, 'functionLogs'>) {
  const lines: { line: string; source: FunctionLogSource }[] = [];
  const api = mount({ ...options, functionLogs: { logger: (line, source) => lines.push({ line, source }) } });
  return { api, text: () => lines.map((l) => l.line), lines };
}

describe('HTTP API functions’ logs (functionLogs)', () => {
  it('frame console.* lines with START, END and REPORT, as for REST APIs', async () => {
    const { api, text, lines } = logged({
      functions: {
        hello: {
          memorySize: 256,
          handler: async (_event, context) => {
            console.log('hello from %s', 'v2');
            return { statusCode: 200, headers: TEXT, body: context.awsRequestId };
          },
        },
      },
      routes: { 'GET /hello': { integration: { function: 'hello' } } },
    });
    const res = await request(api).get('/hello');
    expect(res.status).toBe(200);
    const id = res.text;
    const own = text();
    expect(own).toHaveLength(4);
    expect(own[0]).toBe(`START RequestId: ${id} Version: $LATEST`);
    expect(own[1]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\thello from v2$`));
    expect(own[2]).toBe(`END RequestId: ${id}`);
    expect(REPORT.exec(own[3])?.slice(1, 5)).toEqual([id, expect.any(String), expect.any(String), '256']);
    expect(lines[0].source).toEqual({
      functionName: 'hello',
      logGroupName: '/aws/lambda/hello',
      logStreamName: expect.stringMatching(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/),
    });
  });

  it("writes loggingConfig JSON records and the runtime's Invoke Error line", async () => {
    const { api, text } = logged({
      functions: {
        fails: {
          loggingConfig: { logFormat: 'JSON', logGroup: '/custom/group' },
          handler: async (_event, context) => {
            console.warn('about to fail', context.logGroupName);
            throw new TypeError('no such pet');
          },
        },
      },
      routes: { 'GET /fails': { integration: { function: 'fails' } } },
    });
    const res = await request(api).get('/fails');
    expect(res.status).toBe(500);
    const records = text().map((line) => JSON.parse(line));
    expect(records[0]).toMatchObject({ type: 'platform.start' });
    expect(records).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'about to fail /custom/group' }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: expect.objectContaining({ errorType: 'TypeError', errorMessage: 'no such pet' }),
      }),
    );
    expect(records.at(-1)).toMatchObject({ type: 'platform.report', record: { status: 'failure' } });
  });

  it('leaves console.* alone without functionLogs, and gives it back on close', async () => {
    const original = console.log;
    const { api } = logged({
      functions: { hello: async () => 'hi' },
      routes: { 'GET /hello': { integration: { function: 'hello' } } },
    });
    expect(console.log).not.toBe(original);
    await api.close();
    expect(console.log).toBe(original);
    mount({
      functions: { hello: async () => 'hi' },
      routes: { 'GET /hello': { integration: { function: 'hello' } } },
    });
    expect(console.log).toBe(original);
  });

  it('refuses a functionLogs that is not { logger }', () => {
    expect(() =>
      httpApi({
        functions: { hello: async () => 'hi' },
        routes: { 'GET /hello': { integration: { function: 'hello' } } },
        functionLogs: { logger: 42 } as never,
      }),
    ).toThrow(ConfigError);
  });
});

// Jest keeps real uncaught errors to itself: raise them as Node does, from the callback that threw.
const throwLater = (error: Error) => setTimeout(() => process.emit('uncaughtException', error), 0);
const installed = () => process.listeners('uncaughtException').some((l) => l.name === 'onUncaughtException');

describe('catchHandlerErrors on HTTP APIs', () => {
  const stuckApi = (catchHandlerErrors: boolean | undefined) => {
    const logger = silentLogger();
    const api = mount({
      logger,
      ...(catchHandlerErrors !== undefined && { catchHandlerErrors }),
      functions: {
        stuck: () => {
          throwLater(new Error('thrown from a timer'));
        },
      },
      routes: { 'GET /stuck': { integration: { function: 'stuck' } } },
    });
    return { api, logger };
  };

  it('is on by default: a late throw fails its open request with 500 and is logged as the runtime logs it', async () => {
    const { api, logger } = stuckApi(undefined);
    expect(installed()).toBe(true);
    const res = await request(api).get('/stuck');
    expect(res.status).toBe(500);
    expect(res.text).toBe('{"message":"Internal Server Error"}');
    expect(logger.calls.filter((c) => c.level === 'error').map((c) => String(c.args[0]))).toContainEqual(
      expect.stringMatching(
        /\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"thrown from a timer"/,
      ),
    );
    await api.close();
    expect(installed()).toBe(false);
  });

  it('false installs no process listener: the error is the host app’s', async () => {
    const { api } = stuckApi(false);
    expect(installed()).toBe(false);
    await api.close();
  });

  it('refuses a value that is not a boolean', () => {
    expect(() => stuckApi('yes' as never)).toThrow('catchHandlerErrors: true or false (got "yes")');
  });
});
