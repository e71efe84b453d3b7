import fc from 'fast-check';
import request from 'supertest';
import {
  ExecutionTrace,
  executionLogSettingFor,
  formatTestTime,
  javaMap,
  redact,
  renderTestLog,
  writeExecutionLog,
} from '../../src/gateway/execution-log.js';
import { type ApiGatewayOptions, ConfigError, type MethodSetting } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const NOW = Date.UTC(2026, 11, 7, 4, 26, 46);

function lines(logger: ReturnType<typeof silentLogger>): { level: string; text: string }[] {
  return logger.calls.map((call) => ({ level: call.level, text: String(call.args[0]) }));
}

function api(
  methodSettings: MethodSetting[],
  handler: (...args: never[]) => unknown = async () => ({ statusCode: 200, body: '"ok"' }),
  extra: Partial<ApiGatewayOptions> = {},
) {
  const executionLogger = silentLogger();
  const options = {
    clock: () => NOW,
    restApiId: 'uwe3g5jm54',
    stageName: 'Prod',
    executionLogger,
    methodSettings,
    functions: { echo: { handler: handler as never, timeout: 60 } },
    resources: {
      '/echo': { GET: { integration: { type: 'AWS_PROXY', function: 'echo' } } },
      '/quiet': { GET: { integration: { type: 'AWS_PROXY', function: 'echo' } } },
    },
    ...extra,
  } as ApiGatewayOptions;
  return { options, executionLogger };
}

const INFO_ALL: MethodSetting[] = [
  { resourcePath: '/*', httpMethod: '*', loggingLevel: 'INFO', dataTraceEnabled: true },
];

describe.each(EXPRESS_VERSIONS)('execution logs (Express %s)', (_name, express) => {
  it('at INFO with data trace, logs every step prefixed with the request id, in the recorded order', async () => {
    const { options, executionLogger } = api(INFO_ALL);
    const res = await request(createApp(options, express)).get('/Prod/echo');
    expect(res.status).toBe(200);
    const id = res.headers['x-amzn-requestid'];
    const texts = lines(executionLogger).map((line) => line.text);
    expect(texts.every((text) => text.startsWith(`(${id}) `))).toBe(true);
    const messages = texts.map((text) => text.slice(id.length + 3));
    // The recorded CloudWatch log of a proxy method (API-Gateway-Execution-Logs_uwe3g5jm54/Prod, 2019).
    expect(messages.slice(0, 10)).toEqual([
      `Extended Request Id: ${res.headers['x-amz-apigw-id']}`,
      `Verifying Usage Plan for request: ${id}. API Key: API Stage: uwe3g5jm54/Prod`,
      "API Key authorized because method 'GET /echo' does not require API Key. Request will not contribute to throttle or quota limits",
      'Usage Plan check succeeded for API Key and API Stage uwe3g5jm54/Prod',
      `Starting execution for request: ${id}`,
      'HTTP Method: GET, Resource Path: /echo',
      'Method request path: {}',
      'Method request query string: {}',
      // As the recorded one: the headers the integration gets, the gateway's own included.
      expect.stringMatching(
        /^Method request headers: \{Host=127\.0\.0\.1:\d+, Accept-Encoding=gzip, deflate, X-Amzn-Trace-Id=Root=1-[0-9a-f]{8}-[0-9a-f]{24}, X-Forwarded-For=127\.0\.0\.1, X-Forwarded-Port=\d+, X-Forwarded-Proto=http\}$/,
      ),
      'Method request body before transformations: ',
    ]);
    const root = /Root=([^;]+)/.exec(res.headers['x-amzn-trace-id'])?.[1];
    expect(messages.slice(-4)).toEqual([
      'Successfully completed execution',
      'Method completed with status: 200',
      expect.stringMatching(/^AWS Integration Endpoint RequestId : [0-9a-f-]{36}$/),
      `X-ray Tracing ID : ${root}`,
    ]);
    expect(lines(executionLogger).every((line) => line.level === 'info')).toBe(true);
  });

  it('names the API key of a method that requires one, redacted', async () => {
    const { options, executionLogger } = api(INFO_ALL, undefined, {
      apiKeys: ['abcdefghijklmnopqrstuvwxyz'],
      resources: {
        '/echo': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', function: 'echo' } } },
      },
    });
    const res = await request(createApp(options, express))
      .get('/Prod/echo')
      .set('x-api-key', 'abcdefghijklmnopqrstuvwxyz');
    expect(res.status).toBe(200);
    const id = res.headers['x-amzn-requestid'];
    const messages = lines(executionLogger).map((line) => line.text.slice(id.length + 3));
    expect(messages.slice(1, 4)).toEqual([
      `Verifying Usage Plan for request: ${id}. API Key: ********************uvwxyz API Stage: uwe3g5jm54/Prod`,
      'Usage Plan check succeeded for API Key ********************uvwxyz and API Stage uwe3g5jm54/Prod',
      `Starting execution for request: ${id}`,
    ]);
    expect(messages).toContainEqual(expect.stringMatching(/x-api-key=\*{20}uvwxyz/));
  });

  it('at INFO without data trace, leaves out request and response data', async () => {
    const { options, executionLogger } = api([{ resourcePath: '/*', httpMethod: '*', loggingLevel: 'INFO' }]);
    const res = await request(createApp(options, express)).get('/Prod/echo');
    const id = res.headers['x-amzn-requestid'];
    const messages = lines(executionLogger).map((line) => line.text.slice(id.length + 3));
    expect(messages.filter((m) => !/^(Verifying|API Key|Usage Plan)/.test(m))).toEqual([
      `Extended Request Id: ${res.headers['x-amz-apigw-id']}`,
      `Starting execution for request: ${id}`,
      'HTTP Method: GET, Resource Path: /echo',
      expect.stringMatching(/^Endpoint request URI: https:\/\/lambda\.us-east-1\.amazonaws\.com\//),
      expect.stringMatching(/^Sending request to https:\/\/lambda\./),
      'Received response. Status: 200, Integration latency: 0 ms',
      'Successfully completed execution',
      'Method completed with status: 200',
      expect.stringMatching(/^AWS Integration Endpoint RequestId : /),
      expect.stringMatching(/^X-ray Tracing ID : 1-/),
    ]);
  });

  it('at ERROR, logs nothing for a request that succeeds', async () => {
    const { options, executionLogger } = api([
      { resourcePath: '/*', httpMethod: '*', loggingLevel: 'ERROR', dataTraceEnabled: true },
    ]);
    const res = await request(createApp(options, express)).get('/Prod/echo');
    expect(res.status).toBe(200);
    expect(executionLogger.calls).toEqual([]);
  });

  it("at ERROR, logs a function error's two lines, as recorded", async () => {
    const { options, executionLogger } = api(
      [{ resourcePath: '/*', httpMethod: '*', loggingLevel: 'ERROR' }],
      async () => {
        throw new Error('Application error in a Lambda function');
      },
    );
    const res = await request(createApp(options, express)).get('/Prod/echo');
    expect(res.status).toBe(502);
    const id = res.headers['x-amzn-requestid'];
    expect(lines(executionLogger)).toEqual([
      {
        level: 'error',
        text: expect.stringMatching(
          new RegExp(
            `^\\(${id}\\) Lambda execution failed with status 200 due to customer function error: Application error in a Lambda function\\. Lambda request id: [0-9a-f-]{36}$`,
          ),
        ),
      },
      { level: 'error', text: `(${id}) Method completed with status: 502` },
    ]);
  });

  it("at ERROR, logs an integration timeout's two lines, as recorded", async () => {
    const { options, executionLogger } = api(
      [{ resourcePath: '/*', httpMethod: '*', loggingLevel: 'ERROR' }],
      () => new Promise(() => undefined),
      {
        resources: {
          '/echo': { GET: { integration: { type: 'AWS_PROXY', function: 'echo', timeoutInMillis: 50 } } },
        },
      },
    );
    const res = await request(createApp(options, express)).get('/Prod/echo');
    expect(res.status).toBe(504);
    const id = res.headers['x-amzn-requestid'];
    expect(lines(executionLogger)).toEqual([
      { level: 'error', text: `(${id}) Execution failed due to a timeout error` },
      { level: 'error', text: `(${id}) Method completed with status: 504` },
    ]);
  });

  it('a method setting overrides the stage-wide one: OFF for one method', async () => {
    const { options, executionLogger } = api([
      ...INFO_ALL,
      { resourcePath: '/quiet', httpMethod: 'GET', loggingLevel: 'OFF' },
    ]);
    const app = createApp(options, express);
    await request(app).get('/Prod/quiet').expect(200);
    expect(executionLogger.calls).toEqual([]);
    await request(app).get('/Prod/echo').expect(200);
    expect(executionLogger.calls.length).toBeGreaterThan(0);
  });

  it('logs nothing without methodSettings logging, and defaults to the API logger when on', async () => {
    const { options, executionLogger } = api([]);
    await request(createApp(options, express)).get('/Prod/echo').expect(200);
    expect(executionLogger.calls).toEqual([]);
    const logger = silentLogger();
    await request(
      createApp({ ...options, executionLogger: undefined, methodSettings: INFO_ALL, logger }, express),
    )
      .get('/Prod/echo')
      .expect(200);
    expect(
      logger.calls.some((call) => /^\(.{36}\) Starting execution for request: /.test(String(call.args[0]))),
    ).toBe(true);
  });

  it('redacts the Authorization header and cuts a long body at 1,024 characters', async () => {
    const { options, executionLogger } = api(INFO_ALL, undefined, {
      resources: { '/echo': { POST: { integration: { type: 'AWS_PROXY', function: 'echo' } } } },
    });
    const res = await request(createApp(options, express))
      .post('/Prod/echo')
      .set('Authorization', 'Bearer secret-token-abcdef')
      .send('x'.repeat(5000));
    const id = res.headers['x-amzn-requestid'];
    const texts = lines(executionLogger).map((line) => line.text);
    const headers = texts.find((text) => text.includes('Method request headers: ')) as string;
    expect(headers).toContain('Authorization=********************abcdef');
    expect(headers).not.toContain('secret');
    const body = texts.find((text) =>
      text.includes('Method request body before transformations: '),
    ) as string;
    expect(body).toBe(
      `(${id}) Method request body before transformations: ${'x'.repeat(1024 - 44)} [TRUNCATED]`,
    );
  });
});

describe('execution log settings', () => {
  it.each([
    [{ loggingLevel: 'DEBUG' }, "methodSettings[0].loggingLevel: 'OFF', 'ERROR' or 'INFO', got \"DEBUG\""],
    [{ dataTraceEnabled: 'yes' }, 'methodSettings[0].dataTraceEnabled: true or false'],
  ])('refuses %j at startup, naming the field', (fields, message) => {
    const { options } = api([{ resourcePath: '/*', httpMethod: '*', ...fields } as MethodSetting]);
    expect(() => createApp(options)).toThrow(new ConfigError(message));
  });

  it('refuses an executionLogger without error() and info() at startup', () => {
    const { options } = api(INFO_ALL);
    expect(() => createApp({ ...options, executionLogger: { info: () => undefined } as never })).toThrow(
      new ConfigError('executionLogger: a logger with error() and info() (console and pino fit)'),
    );
  });

  it('keeps any message whole up to 1,024 characters and cuts it there beyond, in both renderings', () => {
    const identity = {
      restApiId: 'a',
      accountId: '1',
      region: 'us-east-1',
      stageName: 'p',
      deploymentId: 'd',
      stageVariables: null,
    };
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3000 }).filter((m) => !m.includes('\n')),
        (message) => {
          const trace = new ExecutionTrace('id', identity, () => NOW);
          trace.error(message);
          const expected = message.length > 1024 ? `${message.slice(0, 1024)} [TRUNCATED]` : message;
          expect(renderTestLog(trace)).toBe(
            `Execution log for request id\nMon Dec 07 04:26:46 UTC 2026 : ${expected}\n`,
          );
          const logger = silentLogger();
          writeExecutionLog(trace, { level: 'ERROR', dataTrace: false }, logger);
          expect(logger.calls).toEqual([{ level: 'error', args: [`(id) ${expected}`] }]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('takes the most specific setting for each field', () => {
    const settings: MethodSetting[] = [
      { resourcePath: '/*', httpMethod: '*', loggingLevel: 'ERROR', dataTraceEnabled: true },
      { resourcePath: '/a', httpMethod: 'GET', loggingLevel: 'INFO' },
    ];
    expect(executionLogSettingFor(settings, '/a', 'GET')).toEqual({ level: 'INFO', dataTrace: true });
    expect(executionLogSettingFor(settings, '/a', 'POST')).toEqual({ level: 'ERROR', dataTrace: true });
    expect(executionLogSettingFor(settings, '/b', 'GET')).toEqual({ level: 'ERROR', dataTrace: true });
    expect(
      executionLogSettingFor([{ resourcePath: '/*', httpMethod: '*', dataTraceEnabled: true }], '/a', 'GET'),
    ).toBeUndefined();
    expect(executionLogSettingFor(undefined, '/a', 'GET')).toBeUndefined();
  });

  it("formats times as Java's Date.toString in UTC, maps as Java's Map.toString", () => {
    expect(formatTestTime(NOW)).toBe('Mon Dec 07 04:26:46 UTC 2026');
    expect(formatTestTime(Date.UTC(2017, 7, 31, 1, 7, 25))).toBe('Thu Aug 31 01:07:25 UTC 2017');
    expect(javaMap([])).toBe('{}');
    expect(
      javaMap([
        ['city', 'Seattle'],
        ['time', 'morning'],
      ]),
    ).toBe('{city=Seattle, time=morning}');
  });

  it('redacts all but the last 6 characters, as the recorded principal', () => {
    expect(redact('6527a55d-5498-428b-a997-8213981c70cd')).toBe('******************************1c70cd');
    expect(redact('abc')).toBe('***');
  });
});
