import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { compileHttpAccessLogFormat } from '../../src/http-api/logs/http-access-log-format.js';
import { HttpApiFacts } from '../../src/http-api/logs/http-api-facts.js';
import type { HttpApiOptions, LambdaHandler } from '../../src/index.js';
import { ConfigError, httpApi } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { silentLogger } from '../support/create-app.js';
import { closeApis, HOSTS } from './hosts.js';

afterAll(closeApis);

// 2023-11-14T22:13:20Z: the CLF time is `14/Nov/2023:22:13:20 +0000`.
const T0 = 1_700_000_000_000;
const TIME = '14/Nov/2023:22:13:20 +0000';
const TEXT = { 'content-type': 'text/plain' };

/** The console's example formats for HTTP APIs (http-api-logging.html, "Example log formats"). */
const PRESETS = {
  CLF: '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol" $context.status $context.responseLength $context.requestId $context.extendedRequestId',
  JSON: '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod","routeKey":"$context.routeKey", "status":"$context.status","protocol":"$context.protocol", "responseLength":"$context.responseLength", "extendedRequestId": "$context.extendedRequestId" }',
  XML: '<request id="$context.requestId"> <ip>$context.identity.sourceIp</ip> <requestTime>$context.requestTime</requestTime> <httpMethod>$context.httpMethod</httpMethod> <routeKey>$context.routeKey</routeKey> <status>$context.status</status> <protocol>$context.protocol</protocol> <responseLength>$context.responseLength</responseLength> <extendedRequestId>$context.extendedRequestId</extendedRequestId> </request>',
  CSV: '$context.identity.sourceIp,$context.requestTime,$context.httpMethod,$context.routeKey,$context.protocol,$context.status,$context.responseLength,$context.requestId,$context.extendedRequestId',
};

/** An API whose access-log lines land in `lines`; `advance` moves its clock. */
function logged(format: string, overrides: Partial<HttpApiOptions> = {}) {
  const lines: string[] = [];
  let now = T0;
  const options: HttpApiOptions = {
    clock: () => now,
    functions: {
      pets: async () => ({ statusCode: 200, headers: TEXT, body: 'hello' }),
    },
    routes: { 'GET /pets/{id}': { integration: { function: 'pets' } } },
    ...overrides,
    accessLogSettings: { format, destination: (line) => lines.push(line) },
  };
  return {
    options,
    lines,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** The line is written once the answer is out: wait for it. */
async function lineOf(lines: string[], count = 1): Promise<string> {
  for (let i = 0; i < 50 && lines.length < count; i++) await new Promise((r) => setImmediate(r));
  expect(lines).toHaveLength(count);
  return lines[count - 1];
}

describe.each(HOSTS)('HTTP API access logs, %s', (_name, host) => {
  test.each(Object.entries(PRESETS))("the console's %s format, byte for byte", async (kind, format) => {
    const { options, lines } = logged(format);
    const res = await request(host(options)).get('/pets/7');
    expect(res.status).toBe(200);
    const id = res.headers['apigw-requestid'];
    expect(id).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    const expected = {
      CLF: `127.0.0.1 - - [${TIME}] "GET GET /pets/{id} HTTP/1.1" 200 5 ${id} ${id}`,
      JSON: `{ "requestId":"${id}", "ip": "127.0.0.1", "requestTime":"${TIME}", "httpMethod":"GET","routeKey":"GET /pets/{id}", "status":"200","protocol":"HTTP/1.1", "responseLength":"5", "extendedRequestId": "${id}" }`,
      XML: `<request id="${id}"> <ip>127.0.0.1</ip> <requestTime>${TIME}</requestTime> <httpMethod>GET</httpMethod> <routeKey>GET /pets/{id}</routeKey> <status>200</status> <protocol>HTTP/1.1</protocol> <responseLength>5</responseLength> <extendedRequestId>${id}</extendedRequestId> </request>`,
      CSV: `127.0.0.1,${TIME},GET,GET /pets/{id},HTTP/1.1,200,5,${id},${id}`,
    }[kind];
    expect(await lineOf(lines)).toBe(expected);
  });

  test('the API and request: accountId apiId stage path domainName domainPrefix userAgent requestTimeEpoch', async () => {
    const { options, lines } = logged(
      '$context.requestId|$context.accountId|$context.apiId|$context.stage|$context.path|$context.domainName|$context.domainPrefix|$context.identity.userAgent|$context.requestTimeEpoch|$context.httpMethod',
      { stageName: 'dev', apiId: 'a1b2c3d4e5', accountId: '111122223333' },
    );
    const res = await request(host(options))
      .get('/dev/pets/7?x=1')
      .set('Host', 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com')
      .set('User-Agent', 'curl/8.4.0');
    expect(res.status).toBe(200);
    expect(await lineOf(lines)).toBe(
      `${res.headers['apigw-requestid']}|111122223333|a1b2c3d4e5|dev|/dev/pets/7|a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com|a1b2c3d4e5|curl/8.4.0|${T0}|GET`,
    );
  });

  test('the integration: statuses, latencies, request id, bytes processed', async () => {
    const box: { advance?: (ms: number) => void } = {};
    const fn: LambdaHandler = async (_event, context) => {
      box.advance?.(25);
      return { statusCode: 201, headers: TEXT, body: context.awsRequestId };
    };
    const made = logged(
      '$context.requestId $context.status $context.integrationStatus $context.integration.integrationStatus $context.integration.status $context.integrationLatency $context.integration.latency $context.responseLatency $context.integration.requestId $context.awsEndpointRequestId $context.responseLength $context.dataProcessed $context.integrationErrorMessage $context.integration.error $context.error.message',
      { functions: { pets: fn }, routes: { 'POST /pets': { integration: { function: 'pets' } } } },
    );
    box.advance = made.advance;
    const res = await request(host(made.options))
      .post('/pets')
      .set('Content-Type', 'text/plain')
      .send('abcd');
    expect(res.status).toBe(201);
    const awsRequestId = res.text;
    expect(await lineOf(made.lines)).toBe(
      `${res.headers['apigw-requestid']} 201 200 200 201 25 25 25 ${awsRequestId} ${awsRequestId} 36 40 - - -`,
    );
  });

  test("the gateway's own answers: error.message, messageString, responseType; no route → routeKey -", async () => {
    const { options, lines } = logged(
      '$context.requestId $context.status $context.routeKey "$context.error.message" $context.error.messageString $context.error.responseType $context.integrationStatus $context.responseLength',
    );
    const res = await request(host(options)).get('/nowhere');
    expect(res.status).toBe(404);
    expect(await lineOf(lines)).toBe(
      `${res.headers['apigw-requestid']} 404 - "Not Found" "Not Found" RESOURCE_NOT_FOUND - 23`,
    );
  });

  test('a function error: 500, the Lambda call succeeded (200) and its errorMessage is logged', async () => {
    const { options, lines } = logged(
      '$context.requestId $context.status $context.integrationStatus $context.integration.status $context.integrationErrorMessage $context.error.message',
      {
        functions: {
          pets: async () => {
            throw new Error('no pets today');
          },
        },
      },
    );
    const res = await request(host(options)).get('/pets/1');
    expect(res.status).toBe(500);
    expect(await lineOf(lines)).toBe(
      `${res.headers['apigw-requestid']} 500 200 - no pets today Internal Server Error`,
    );
  });

  test('an integration timeout: 503, no Lambda status', async () => {
    const { options, lines } = logged(
      '$context.requestId $context.status $context.integrationStatus $context.integration.error $context.error.responseType',
      {
        functions: { pets: () => new Promise(() => {}) },
        routes: { 'GET /pets/{id}': { integration: { function: 'pets', timeoutInMillis: 50 } } },
      },
    );
    const res = await request(host(options)).get('/pets/1');
    expect(res.status).toBe(503);
    expect(await lineOf(lines)).toBe(
      `${res.headers['apigw-requestid']} 503 - Endpoint request timed out INTEGRATION_TIMEOUT`,
    );
  });

  test("a Lambda authorizer's context and principalId; a refusal's authorizer.error", async () => {
    const authorize: LambdaHandler = async (event) => {
      const token = event.headers?.['x-token'];
      if (token === 'simple')
        return { isAuthorized: true, context: { key: 'value', numKey: 1, boolKey: true } };
      if (token === 'policy')
        return {
          principalId: 'user-42',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.routeArn }],
          },
          context: { key: 'from-policy' },
        };
      return { isAuthorized: false };
    };
    const { options, lines } = logged(
      '$context.requestId $context.status $context.authorizer.key $context.authorizer.numKey $context.authorizer.boolKey $context.authorizer.principalId $context.authorizer.error $context.authorizer.claims',
      {
        functions: { pets: async () => ({ statusCode: 200, headers: TEXT, body: 'ok' }), authorize },
        authorizers: {
          token: {
            type: 'REQUEST',
            function: 'authorize',
            authorizerPayloadFormatVersion: '2.0',
            enableSimpleResponses: true,
            identitySource: ['$request.header.X-Token'],
          },
        },
        routes: { 'GET /pets/{id}': { integration: { function: 'pets' }, authorizer: 'token' } },
      },
    );
    const app = host(options);
    const simple = await request(app).get('/pets/1').set('X-Token', 'simple');
    expect(await lineOf(lines, 1)).toBe(`${simple.headers['apigw-requestid']} 200 value 1 true - - -`);
    const policy = await request(app).get('/pets/1').set('X-Token', 'policy');
    expect(policy.status).toBe(200);
    expect(await lineOf(lines, 2)).toBe(
      `${policy.headers['apigw-requestid']} 200 from-policy - - user-42 - -`,
    );
    const refused = await request(app).get('/pets/1').set('X-Token', 'no');
    expect(refused.status).toBe(403);
    expect(await lineOf(lines, 3)).toBe(`${refused.headers['apigw-requestid']} 403 - - - - Forbidden -`);
  });

  test("a JWT's claims, by name", async () => {
    const pool = createTestUserPool({ now: () => T0 });
    const { options, lines } = logged(
      '$context.requestId $context.authorizer.claims.iss $context.authorizer.claims.cognito:username $context.authorizer.claims.nope',
      {
        authorizers: {
          users: { type: 'JWT', issuer: pool.issuer, audience: [pool.clientId], jwks: pool.jwks },
        },
        routes: { 'GET /pets/{id}': { integration: { function: 'pets' }, authorizer: 'users' } },
      },
    );
    const res = await request(host(options)).get('/pets/1').set('Authorization', pool.idToken());
    expect(res.status).toBe(200);
    const claims = JSON.parse(Buffer.from(pool.idToken().split('.')[1], 'base64url').toString());
    expect(await lineOf(lines)).toBe(
      `${res.headers['apigw-requestid']} ${pool.issuer} ${claims['cognito:username']} -`,
    );
  });

  test('variables of features not emulated, and names AWS does not define, log "-"', async () => {
    const logger = silentLogger();
    const { options, lines } = logged(
      '$context.requestId $context.identity.clientCert.clientCertPem $context.awsEndpointRequestId2 $context.identity.caller $context.customDomain.basePathMatched $context.resourcePath',
      { logger },
    );
    const res = await request(host(options)).get('/pets/1');
    expect(await lineOf(lines)).toBe(`${res.headers['apigw-requestid']} - - - - -`);
    expect(logger.calls.filter((c) => c.level === 'warn').map((c) => String(c.args[0]))).toEqual([
      'apigw-express: accessLogSettings.format: $context.resourcePath is not an HTTP API access-log variable; it logs "-"',
    ]);
  });

  test('requests outside a named stage are the host app’s, and not logged', async () => {
    const { options, lines } = logged('$context.requestId', { stageName: 'dev' });
    await request(host(options)).get('/other');
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual([]);
  });
});

describe('accessLogSettings, checked at startup', () => {
  const base: HttpApiOptions = {
    functions: { pets: async () => 'ok' },
    routes: { 'GET /pets': { integration: { function: 'pets' } } },
  };
  test.each([
    [
      '$context.status',
      'accessLogSettings.format: Access Log format must include either $context.requestId or $context.extendedRequestId',
    ],
    [
      '$context.requestId\n$context.status',
      'accessLogSettings.format: Access Log format must be single line, new line character is allowed only at end of the format',
    ],
    ['', 'accessLogSettings.format: a single-line string of $context variables (got string)'],
  ])('%j is refused', (format, message) => {
    expect(() => httpApi({ ...base, accessLogSettings: { format } })).toThrow(new ConfigError(message));
  });

  test('a destination that is neither a function, a stream nor a logger is refused', () => {
    expect(() =>
      httpApi({ ...base, accessLogSettings: { format: '$context.requestId', destination: 42 as never } }),
    ).toThrow(ConfigError);
  });

  test('a trailing newline is allowed and not written', () => {
    expect(() => compileHttpAccessLogFormat('$context.requestId\n')).not.toThrow();
  });

  test('literal text is kept byte for byte around the variables; unknown names log "-"', () => {
    const facts = new HttpApiFacts(T0, {
      headers: {},
      method: 'GET',
      url: '/',
      httpVersion: '1.1',
    } as IncomingMessage);
    facts.requestId = 'ATfSmjLgPHcESJw=';
    const scope = {
      identity: {
        apiId: 'a',
        accountId: '1',
        region: 'us-east-1',
        stage: '$default',
        stageVariables: undefined,
      },
      basePathMatched: undefined,
    };
    // A literal that starts with a name character or `.` would continue the variable's name.
    const literal = fc.string().filter((t) => !/[$\r\n]/.test(t) && !/^[A-Za-z0-9_.:]/.test(t));
    const name = fc.stringMatching(/^zz[A-Za-z0-9_]{0,8}$/);
    fc.assert(
      fc.property(literal, literal, literal, name, (a, b, c, unknown) => {
        const render = compileHttpAccessLogFormat(`${a}$context.requestId${b}$context.${unknown}${c}`);
        expect(render(facts, scope)).toBe(`${a}ATfSmjLgPHcESJw=${b}-${c}`);
      }),
    );
  });
});

describe('access log formats read from definitions', () => {
  const hello = async () => ({ statusCode: 200, headers: TEXT, body: 'hi' });
  async function served(options: HttpApiOptions) {
    const lines: string[] = [];
    const api = httpApi({
      logger: silentLogger(),
      clock: () => T0,
      ...options,
      functions: { Hello: hello },
      accessLogSettings: { destination: (line: string) => lines.push(line) },
    });
    await api.ready;
    const res = await request(api).get(options.serverless !== undefined ? '/hello' : '/dev/hello');
    await api.close();
    expect(res.status).toBe(200);
    return { id: res.headers['apigw-requestid'], line: await lineOf(lines) };
  }

  test('SAM AWS::Serverless::HttpApi AccessLogSettings.Format', async () => {
    const { id, line } = await served({
      template: {
        Transform: 'AWS::Serverless-2016-10-31',
        Resources: {
          Api: {
            Type: 'AWS::Serverless::HttpApi',
            Properties: {
              StageName: 'dev',
              AccessLogSettings: {
                DestinationArn: 'arn:aws:logs:…',
                Format: '$context.requestId $context.routeKey',
              },
            },
          },
          Hello: {
            Type: 'AWS::Serverless::Function',
            Properties: {
              Handler: 'app.handler',
              Runtime: 'nodejs20.x',
              Events: {
                Get: {
                  Type: 'HttpApi',
                  Properties: { ApiId: { Ref: 'Api' }, Path: '/hello', Method: 'get' },
                },
              },
            },
          },
        },
      },
    });
    expect(line).toBe(`${id} GET /hello`);
  });

  test('CloudFormation AWS::ApiGatewayV2::Stage AccessLogSettings.Format', async () => {
    const { id, line } = await served({
      template: {
        Resources: {
          Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'a', ProtocolType: 'HTTP' } },
          Integration: {
            Type: 'AWS::ApiGatewayV2::Integration',
            Properties: {
              ApiId: { Ref: 'Api' },
              IntegrationType: 'AWS_PROXY',
              IntegrationUri: 'arn:aws:lambda:us-east-1:123456789012:function:Hello',
              PayloadFormatVersion: '2.0',
            },
          },
          Route: {
            Type: 'AWS::ApiGatewayV2::Route',
            Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /hello', Target: 'integrations/Integration' },
          },
          Stage: {
            Type: 'AWS::ApiGatewayV2::Stage',
            Properties: {
              ApiId: { Ref: 'Api' },
              StageName: 'dev',
              AccessLogSettings: {
                DestinationArn: 'arn:aws:logs:…',
                Format: '$context.stage $context.requestId',
              },
            },
          },
        },
      },
    });
    expect(line).toBe(`dev ${id}`);
  });

  test("serverless provider.logs.httpApi: true writes the framework's JSON format", async () => {
    const { id, line } = await served({
      serverless: {
        service: 'pets',
        provider: { name: 'aws', logs: { httpApi: true } },
        functions: { Hello: { handler: 'app.handler', events: [{ httpApi: 'GET /hello' }] } },
      },
    });
    expect(line).toBe(
      `{"requestId":"${id}","ip":"127.0.0.1","requestTime":"${TIME}","httpMethod":"GET","routeKey":"GET /hello","status":"200","protocol":"HTTP/1.1","responseLength":"2"}`,
    );
  });

  test('serverless provider.logs.httpApi { format }', async () => {
    const { id, line } = await served({
      serverless: {
        service: 'pets',
        provider: { name: 'aws', logs: { httpApi: { format: '$context.requestId $context.status' } } },
        functions: { Hello: { handler: 'app.handler', events: [{ httpApi: 'GET /hello' }] } },
      },
    });
    expect(line).toBe(`${id} 200`);
  });
});

describe('HTTP API metrics', () => {
  /** A meter that keeps what it is given: `name → [value, attributes][]`. */
  function fakeMeter() {
    const seen: Record<string, [number, Record<string, string> | undefined][]> = {};
    const instrument = (name: string) => {
      seen[name] = [];
      const record = (value: number, attributes?: Record<string, string>) =>
        seen[name].push([value, attributes]);
      return { add: record, record };
    };
    return { seen, meter: { createCounter: instrument, createHistogram: instrument } };
  }

  test("CloudWatch's HTTP API names (4xx, 5xx, DataProcessed) with ApiId and Stage", async () => {
    const { seen, meter } = fakeMeter();
    let now = T0;
    const api = httpApi({
      logger: silentLogger(),
      clock: () => now,
      apiId: 'abc123',
      stageName: 'dev',
      metrics: { meter },
      functions: {
        pets: async () => {
          now += 7;
          return { statusCode: 200, headers: TEXT, body: 'hello' };
        },
      },
      routes: { 'POST /pets': { integration: { function: 'pets' } } },
    });
    try {
      expect(
        (await request(api).post('/dev/pets').set('Content-Type', 'text/plain').send('abc')).status,
      ).toBe(200);
      expect((await request(api).get('/dev/nowhere')).status).toBe(404);
      await new Promise((r) => setImmediate(r));
      const stage = { ApiId: 'abc123', Stage: 'dev' };
      expect(seen).toEqual({
        Count: [
          [1, stage],
          [1, stage],
        ],
        '4xx': [[1, stage]],
        '5xx': [],
        Latency: [
          [7, stage],
          [0, stage],
        ],
        IntegrationLatency: [[7, stage]],
        DataProcessed: [
          [8, stage],
          [23, stage],
        ],
      });
    } finally {
      await api.close();
    }
  });

  test('detailedMetricsEnabled adds Method and Resource per route', async () => {
    const { seen, meter } = fakeMeter();
    const api = httpApi({
      logger: silentLogger(),
      metrics: { meter, detailedMetricsEnabled: true },
      functions: {
        pets: async () => {
          throw new Error('down');
        },
      },
      routes: { 'GET /pets/{id}': { integration: { function: 'pets' } } },
    });
    try {
      expect((await request(api).get('/pets/1')).status).toBe(500);
      await new Promise((r) => setImmediate(r));
      expect(seen['5xx']).toEqual([
        [1, { ApiId: expect.any(String), Stage: '$default', Method: 'GET', Resource: '/pets/{id}' }],
      ]);
    } finally {
      await api.close();
    }
  });

  test('a meter that is not one, or an unknown field, is a ConfigError', () => {
    const base: HttpApiOptions = {
      functions: { pets: async () => 'ok' },
      routes: { 'GET /pets': { integration: { function: 'pets' } } },
    };
    expect(() => httpApi({ ...base, metrics: { meter: {} as never } })).toThrow(
      'metrics.meter: an OpenTelemetry Meter',
    );
    expect(() => httpApi({ ...base, metrics: { meter: fakeMeter().meter, apiName: 'x' } as never })).toThrow(
      'metrics: unknown field "apiName" (allowed: meter, detailedMetricsEnabled)',
    );
  });
});
