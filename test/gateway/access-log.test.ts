import { PassThrough } from 'node:stream';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import request from 'supertest';
import { createGateway } from '../../src/gateway/create-gateway.js';
import { RequestFacts } from '../../src/http/request-facts.js';
import type { ApiGatewayOptions } from '../../src/index.js';
import { apiGateway, ConfigError } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

// The console's "Log format" presets for REST APIs, as the developer guide lists them
// (awsdocs/amazon-api-gateway-developer-guide doc_source/set-up-logging.md, "CloudWatch Log Formats
// for API Gateway"): the continuation characters there are a visual aid, the formats one line.
const CLF =
  '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId';
const JSON_FORMAT =
  '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "caller":"$context.identity.caller", "user":"$context.identity.user", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", "status":"$context.status", "protocol":"$context.protocol", "responseLength":"$context.responseLength" }';
const XML =
  '<request id="$context.requestId"> <ip>$context.identity.sourceIp</ip> <caller>$context.identity.caller</caller> <user>$context.identity.user</user> <requestTime>$context.requestTime</requestTime> <httpMethod>$context.httpMethod</httpMethod> <resourcePath>$context.resourcePath</resourcePath> <status>$context.status</status> <protocol>$context.protocol</protocol> <responseLength>$context.responseLength</responseLength> </request>';
const CSV =
  '$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,$context.status,$context.responseLength,$context.requestId';
// The current guide's CLF preset adds the extended request id
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-access-logging.html).
const CLF_EXTENDED = `${CLF} $context.extendedRequestId`;

const T0 = Date.UTC(2026, 11, 7, 4, 5, 6, 789); // 07/Dec/2026:04:05:06 +0000
const BODY = '{"id":"1"}';

/** An API whose clock moves only when its handler says so; `lines` collects the access log. */
function pets(format: string, extra: Partial<ApiGatewayOptions> = {}) {
  let now = T0;
  const lines: string[] = [];
  const lambdaIds: string[] = [];
  const options: ApiGatewayOptions = {
    restApiId: 'a1b2c3d4e5',
    clock: () => now,
    accessLogSettings: { format, destination: (line) => lines.push(line) },
    functions: {
      pets: async (event: APIGatewayProxyEvent, context: Context) => {
        lambdaIds.push(context.awsRequestId);
        now += 25;
        if (event.path === '/pets/boom') throw new Error('kaboom');
        if (event.path === '/pets/bad') return { statusCode: 'nope' };
        return { statusCode: event.httpMethod === 'POST' ? 201 : 200, body: BODY };
      },
    },
    resources: { '/pets/{id}': { ANY: { integration: { type: 'AWS_PROXY', function: 'pets' } } } },
    ...extra,
  };
  return { options, lines, lambdaIds, advance: (ms: number) => (now += ms) };
}

describe.each(EXPRESS_VERSIONS)('access logs on Express %s', (_version, express) => {
  describe("renders the console's preset formats byte for byte", () => {
    it.each([
      [
        'CLF',
        CLF,
        (id: string) => `127.0.0.1 - - [07/Dec/2026:04:05:06 +0000] "GET /pets/{id} HTTP/1.1" 200 10 ${id}`,
      ],
      [
        'CLF with extendedRequestId',
        CLF_EXTENDED,
        (id: string, ext: string) =>
          `127.0.0.1 - - [07/Dec/2026:04:05:06 +0000] "GET /pets/{id} HTTP/1.1" 200 10 ${id} ${ext}`,
      ],
      [
        'JSON',
        JSON_FORMAT,
        (id: string) =>
          `{ "requestId":"${id}", "ip": "127.0.0.1", "caller":"-", "user":"-", "requestTime":"07/Dec/2026:04:05:06 +0000", "httpMethod":"GET", "resourcePath":"/pets/{id}", "status":"200", "protocol":"HTTP/1.1", "responseLength":"10" }`,
      ],
      [
        'XML',
        XML,
        (id: string) =>
          `<request id="${id}"> <ip>127.0.0.1</ip> <caller>-</caller> <user>-</user> <requestTime>07/Dec/2026:04:05:06 +0000</requestTime> <httpMethod>GET</httpMethod> <resourcePath>/pets/{id}</resourcePath> <status>200</status> <protocol>HTTP/1.1</protocol> <responseLength>10</responseLength> </request>`,
      ],
      [
        'CSV',
        CSV,
        (id: string) => `127.0.0.1,-,-,07/Dec/2026:04:05:06 +0000,GET,/pets/{id},HTTP/1.1,200,10,${id}`,
      ],
    ])('%s', async (_name, format, expected) => {
      const api = pets(format);
      const res = await request(createApp(api.options, express)).get('/prod/pets/1');
      expect(res.status).toBe(200);
      expect(api.lines).toEqual([
        (expected as (id: string, ext: string) => string)(
          res.headers['x-amzn-requestid'],
          res.headers['x-amz-apigw-id'],
        ),
      ]);
    });
  });

  it('logs a gateway response: no resource, its error variables, "-" for what never ran', async () => {
    const api = pets(
      '$context.requestId $context.status $context.resourcePath $context.error.responseType $context.error.message $context.error.messageString $context.integrationLatency $context.integration.status',
    );
    const res = await request(createApp(api.options, express)).get('/prod/nowhere');
    expect(res.status).toBe(403);
    expect(api.lines).toEqual([
      `${res.headers['x-amzn-requestid']} 403 - MISSING_AUTHENTICATION_TOKEN Missing Authentication Token "Missing Authentication Token" - -`,
    ]);
  });

  it('logs the integration: latencies from the clock, Lambda and function statuses, the Lambda request id', async () => {
    const api = pets(
      '$context.requestId $context.httpMethod $context.path $context.status $context.responseLatency $context.integrationLatency $context.integration.latency $context.integrationStatus $context.integration.integrationStatus $context.integration.status $context.awsEndpointRequestId $context.integration.requestId $context.integrationErrorMessage $context.requestTimeEpoch',
    );
    const res = await request(createApp(api.options, express)).post('/prod/pets/7');
    expect(res.status).toBe(201);
    const lambda = api.lambdaIds[0];
    expect(api.lines).toEqual([
      `${res.headers['x-amzn-requestid']} POST /prod/pets/7 201 25 25 25 200 200 201 ${lambda} ${lambda} - ${T0}`,
    ]);
  });

  it("logs a function's error: Lambda answered 200, the function failed, the client got 502", async () => {
    const api = pets(
      '$context.requestId $context.status $context.integrationStatus $context.integration.status $context.integration.error $context.error.responseType',
    );
    const res = await request(createApp(api.options, express)).get('/prod/pets/boom');
    expect(res.status).toBe(502);
    expect(api.lines).toEqual([`${res.headers['x-amzn-requestid']} 502 200 200 kaboom DEFAULT_5XX`]);
  });

  it('logs a malformed proxy result as the integration error', async () => {
    const api = pets('$context.requestId $context.status $context.integrationErrorMessage');
    const res = await request(createApp(api.options, express)).get('/prod/pets/bad');
    expect(res.status).toBe(502);
    expect(api.lines).toEqual([`${res.headers['x-amzn-requestid']} 502 Malformed Lambda proxy response`]);
  });

  it('logs the request as sent: host, user agent, API and stage, no custom domain', async () => {
    const api = pets(
      '$context.requestId|$context.domainName|$context.domainPrefix|$context.identity.userAgent|$context.apiId|$context.accountId|$context.stage|$context.customDomain.basePathMatched|$context.resourceId',
    );
    const res = await request(createApp(api.options, express))
      .get('/prod/pets/1')
      .set('Host', 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com')
      .set('User-Agent', 'say "hi"');
    expect(res.status).toBe(200);
    // Values are written as they are: AWS neither quotes nor escapes them (DataBiosphere/azul#4348).
    const [line] = api.lines;
    expect(line).toMatch(
      new RegExp(
        `^${res.headers['x-amzn-requestid']}\\|a1b2c3d4e5\\.execute-api\\.us-east-1\\.amazonaws\\.com\\|a1b2c3d4e5\\|say "hi"\\|a1b2c3d4e5\\|123456789012\\|prod\\|\\(none\\)\\|[a-z0-9]{6}$`,
      ),
    );
  });

  it('names the base path a custom domain mapping matched', async () => {
    const api = pets('$context.requestId $context.customDomain.basePathMatched $context.path', {
      basePath: '/v1',
    });
    const res = await request(createApp(api.options, express)).get('/v1/pets/1');
    expect(res.status).toBe(200);
    expect(api.lines).toEqual([`${res.headers['x-amzn-requestid']} v1 /v1/pets/1`]);
  });

  it('logs "-" for the variables of features a local stage does not have (WAF, mutual TLS, X-Ray, HTTP APIs)', async () => {
    const api = pets(
      '$context.requestId $context.wafResponseCode $context.webaclArn $context.waf.status $context.identity.clientCert.subjectDN $context.xrayTraceId $context.routeKey $context.awsEndpointRequestId2',
    );
    const res = await request(createApp(api.options, express)).get('/prod/pets/1');
    expect(api.lines).toEqual([`${res.headers['x-amzn-requestid']} - - - - - - -`]);
  });

  it('writes to a stream one line per request, newline-terminated', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk) => chunks.push(String(chunk)));
    const api = pets('$context.requestId $context.status');
    api.options.accessLogSettings = { format: '$context.requestId $context.status', destination: stream };
    const app = createApp(api.options, express);
    const first = await request(app).get('/prod/pets/1');
    const second = await request(app).get('/prod/nope');
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks.join('')).toBe(
      `${first.headers['x-amzn-requestid']} 200\n${second.headers['x-amzn-requestid']} 403\n`,
    );
  });

  it("hands a logger's info() the bare line", async () => {
    const logger = silentLogger();
    const api = pets('$context.requestId $context.status');
    api.options.accessLogSettings = {
      format: '$context.requestId $context.status',
      destination: logger as { info(line: string): void },
    };
    const res = await request(createApp(api.options, express)).get('/prod/pets/1');
    expect(logger.calls).toEqual([{ level: 'info', args: [`${res.headers['x-amzn-requestid']} 200`] }]);
  });

  it('still answers when the destination throws, and says so once', async () => {
    const logger = silentLogger();
    const api = pets('$context.requestId');
    api.options.logger = logger;
    api.options.accessLogSettings = {
      format: '$context.requestId',
      destination: () => {
        throw new Error('disk full');
      },
    };
    const app = createApp(api.options, express);
    expect((await request(app).get('/prod/pets/1')).status).toBe(200);
    expect((await request(app).get('/prod/pets/2')).status).toBe(200);
    expect(logger.calls.filter((c) => c.level === 'error')).toHaveLength(1);
  });

  it('logs nothing for a request that is not the gateway’s', async () => {
    const api = pets('$context.requestId');
    const res = await request(createApp(api.options, express)).get('/elsewhere');
    expect(res.status).toBe(404);
    expect(api.lines).toEqual([]);
  });
});

describe('access logs and metrics off (the default)', () => {
  it('compile to nothing, so no request collects facts', async () => {
    const api = pets('$context.requestId');
    delete api.options.accessLogSettings;
    expect(createGateway(api.options as Parameters<typeof createGateway>[0]).stageLog).toBeUndefined();
    const invoked = jest.spyOn(RequestFacts.prototype, 'invoked');
    try {
      expect((await request(createApp(api.options)).get('/prod/pets/1')).status).toBe(200);
      expect(invoked).not.toHaveBeenCalled();
    } finally {
      invoked.mockRestore();
    }
  });
});

describe('accessLogSettings at startup, as update-stage checks it', () => {
  const base = pets('$context.requestId').options;
  const withFormat = (format: unknown, destination?: unknown): ApiGatewayOptions =>
    ({ ...base, accessLogSettings: { format, destination } }) as ApiGatewayOptions;

  it('refuses a format without $context.requestId or $context.extendedRequestId', () => {
    expect(() => apiGateway(withFormat('$context.status'))).toThrow(
      new ConfigError(
        'accessLogSettings.format: Access Log format must include either $context.requestId or $context.extendedRequestId',
      ),
    );
  });

  it('accepts $context.extendedRequestId alone', () => {
    expect(() => apiGateway(withFormat('$context.extendedRequestId'))).not.toThrow();
  });

  it('refuses a line break inside the format, takes one at its end', () => {
    expect(() => apiGateway(withFormat('$context.requestId\n$context.status'))).toThrow(
      'accessLogSettings.format: Access Log format must be single line, new line character is allowed only at end of the format',
    );
    expect(() => apiGateway(withFormat('$context.requestId\n'))).not.toThrow();
  });

  it('refuses a format that is not a string, and a destination that takes no lines', () => {
    expect(() => apiGateway(withFormat(42))).toThrow(/^accessLogSettings\.format: /);
    expect(() => apiGateway(withFormat('$context.requestId', { path: '/tmp/x' }))).toThrow(
      'accessLogSettings.destination: a function, a writable stream (write) or a logger (info)',
    );
  });

  it('refuses unknown fields', () => {
    expect(() =>
      apiGateway({
        ...base,
        accessLogSettings: { format: '$context.requestId', destinationArn: 'arn' },
      } as unknown as ApiGatewayOptions),
    ).toThrow('accessLogSettings: unknown field "destinationArn" (allowed: format, destination)');
  });

  it('warns once about a variable AWS does not document, which logs "-" as on AWS', async () => {
    const logger = silentLogger();
    const api = pets('$context.requestId $context.statusCode $context.status');
    api.options.logger = logger;
    const res = await request(createApp(api.options)).get('/prod/pets/1');
    expect(logger.calls).toEqual([
      {
        level: 'warn',
        args: [
          'apigw-express: accessLogSettings.format: $context.statusCode is not an access-log variable; it logs "-"',
        ],
      },
    ]);
    expect(api.lines).toEqual([`${res.headers['x-amzn-requestid']} - 200`]);
  });
});
