import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, Handler } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions, Method } from '../../src/index.js';
import {
  REMAPPING_HEADERS,
  REMAPPING_ILLEGAL,
  REMAPPING_REQUEST_PARAMETERS,
} from '../fixtures/recorded/localstack-data.js';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { proxy } from '../support/echo-function.js';
import { normaliseEvent } from '../support/normalise-event.js';
import { pyDumps, sentHeaders } from '../support/recorded.js';

/**
 * AWS-recorded scenarios of LocalStack's AWS-validated apigateway tests
 * (localstack/localstack tests/aws/services/apigateway/test_apigateway_{lambda,common,basic,integrations}.py
 * and their .snapshot.json) not replayed elsewhere, each named after its LocalStack test. The Python
 * Lambda handlers are ported to JS; `pyDumps` stands in for Python's `json.dumps` so that bodies the
 * Python functions build are the same bytes here.
 */

const INTERNAL = '{"message": "Internal server error"}';
const HOST = 'abc123defg.execute-api.us-east-1.amazonaws.com';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const APIGW_ID = /^[A-Za-z0-9+/]{15}=$/;
const TRACE = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/;
// Headers of the connection, not of the answer: the host server writes them (AWS's edge does too).

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/events', `${name}.json`), 'utf8'));

/** The headers API Gateway adds to a Lambda proxy answer (recorded names and casing). */
const proxyAnswerHeaders = (contentLength: string) => ({
  'Content-Length': contentLength,
  'X-Amzn-Trace-Id': expect.stringMatching(TRACE),
  'x-amz-apigw-id': expect.stringMatching(APIGW_ID),
  'x-amzn-RequestId': expect.stringMatching(UUID),
});

/** lambda_aws_proxy.py: answers with `json.dumps(event)`. */
const lambdaAwsProxy: Handler<APIGatewayProxyEvent> = async (event) => ({
  statusCode: 200,
  body: pyDumps(event),
  isBase64Encoded: false,
});

/** LAMBDA_RESPONSE_FROM_BODY (test_apigateway_lambda.py): returns `json.loads(body)`, base64-decoding first. */
const responseFromBody: Handler<APIGatewayProxyEvent> = async (event) => {
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString() : event.body;
  // json.loads(None) raises: the function fails.
  if (body === null) throw new TypeError('the JSON object must be str, bytes or bytearray, not NoneType');
  return JSON.parse(body);
};

/** `_create_mock_integration_with_200_response_template` of test_apigateway_common.py. */
const mock200 = (responseTemplate: Record<string, unknown>): Method => ({
  integration: {
    type: 'MOCK',
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [
      {
        statusCode: '200',
        selectionPattern: '',
        responseTemplates: { 'application/json': pyDumps(responseTemplate) },
      },
    ],
  },
  methodResponses: [{ statusCode: '200' }],
});

describe.each(EXPRESS_VERSIONS)('recorded AWS behaviour on Express %s', (_v, express) => {
  describe('test_lambda_aws_proxy_integration', () => {
    const options: ApiGatewayOptions = {
      stageName: 'test',
      restApiId: 'abc123defg',
      accountId: '111111111111',
      functions: { fn: lambdaAwsProxy },
      resources: { '/{proxy+}': { ANY: proxy('fn') }, '/hardcoded': { ANY: proxy('fn') } },
    };
    const CLIENT = {
      Host: HOST,
      Accept: '*/*',
      'User-Agent': 'python-requests/testing',
      'tEsT-HEADeR': 'aValUE',
      authorization: 'random-value',
    };

    it('test_lambda_aws_proxy_integration: invocation-payload-with-prepended-slash-to-stage is the plain event, body json.dumps(event) as sent', async () => {
      const res = await request(createApp(options, express))
        .get('//test/proxy-value')
        .set(CLIENT)
        .parse(asText);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      const event = JSON.parse(res.body);
      // recorded: identical to invocation-payload-without-trailing-slash
      expect(normaliseEvent(event)).toEqual(fixture('without-trailing-slash'));
      expect(res.body).toBe(pyDumps(event));
    });

    it('test_lambda_aws_proxy_integration: invocation-payload-without-trailing-slash-and-query-params', async () => {
      const res = await request(createApp(options, express))
        .get('/test/proxy-value?urlparam=test')
        .set(CLIENT)
        .parse(asText);
      expect(res.status).toBe(200);
      // recorded: the trailing-slash recording less the slash in path and requestContext.path
      const expected = fixture('trailing-slash-and-query-params');
      expected.path = '/proxy-value';
      expected.requestContext.path = '/test/proxy-value';
      expect(normaliseEvent(JSON.parse(res.body))).toEqual(expected);
    });
  });

  it('test_lambda_aws_proxy_integration_request_data_mapping: AWS_PROXY ignores requestParameters (http-proxy-invocation-data-mapping)', async () => {
    const requestParameters = {
      'integration.request.header.headerVar': 'method.request.header.foobar',
      'integration.request.path.qsVar': 'method.request.querystring.testVar',
      'integration.request.path.pathVar': 'method.request.path.pathVariable',
      'integration.request.querystring.queryString': 'method.request.querystring.testQueryString',
      'integration.request.querystring.testQs': 'method.request.querystring.testQueryString',
      'integration.request.querystring.testEmptyQs': 'method.request.header.emptyheader',
    };
    const app = createApp(
      {
        stageName: 'test',
        restApiId: 'abc123defg',
        accountId: '111111111111',
        functions: { fn: lambdaAwsProxy },
        resources: {
          '/{pathVariable}': {
            ANY: {
              requestParameters: Object.fromEntries(Object.values(requestParameters).map((v) => [v, true])),
              integration: { type: 'AWS_PROXY', function: 'fn', requestParameters },
            },
          },
        },
      },
      express,
    );
    const res = await request(app)
      .post('/test/foobar?testQueryString=foo&testVar=bar')
      .set({
        Host: HOST,
        'Accept-Encoding': 'gzip, deflate',
        'Content-Type': 'application/json',
        Accept: 'application/json',
        foobar: 'mapped-value',
        'user-Agent': 'test/integration',
        headerVar: 'request-value',
      })
      .send('{"message": "hello world"}')
      .parse(asText);
    expect(res.status).toBe(200);
    expect(normaliseEvent(JSON.parse(res.body))).toEqual(fixture('request-data-mapping'));
  });

  it('test_lambda_aws_proxy_response_format: no-body, only-headers and empty-response answer 200 with no body, wrong-format 502', async () => {
    // lambda_aws_proxy_format.py
    const fn: Handler<APIGatewayProxyEvent> = async (event) => {
      if (event.path === '/no-body') return { statusCode: 200 };
      if (event.path === '/only-headers') return { statusCode: 200, headers: { 'test-header': 'value' } };
      if (event.path === '/wrong-format') return { statusCode: 200, wrongValue: 'value' };
      if (event.path === '/empty-response') return {};
      return { statusCode: 200, body: pyDumps(event), isBase64Encoded: false };
    };
    const app = createApp(
      { stageName: 'test', functions: { fn }, resources: { '/{proxy+}': { ANY: proxy('fn') } } },
      express,
    );
    for (const path of ['/no-body', '/only-headers', '/empty-response']) {
      const res = await request(app)
        .get(`/test${path}`)
        .set('User-Agent', 'python-requests/testing')
        .parse(asText);
      expect([path, res.status, res.body]).toEqual([path, 200, '']);
      expect(res.headers['test-header']).toBe(path === '/only-headers' ? 'value' : undefined);
    }
    const wrong = await request(app).get('/test/wrong-format').parse(asText);
    expect(wrong.status).toBe(502);
    expect(wrong.body).toBe(INTERNAL);
  });

  describe('test_aws_proxy_response_payload_format_validation', () => {
    const app = createApp(
      {
        stageName: 'test',
        functions: { fn: responseFromBody },
        resources: { '/{proxy+}': { ANY: proxy('fn') } },
      },
      express,
    );
    /** `_invoke`: requests.post(json=body) when body is truthy, else no body at all. */
    const invoke = (body: unknown) => {
      const call = request(app).post('/test/test').set('User-Agent', 'python/test');
      const empty =
        body === undefined || (typeof body === 'object' && Object.keys(body as object).length === 0);
      return (empty ? call : call.set('Content-Type', 'application/json').send(pyDumps(body))).parse(asText);
    };
    const b64 = Buffer.from('test-data').toString('base64');

    it.each([
      ['invoke-api-no-body', { statusCode: 200 }, 200, ''],
      ['invoke-api-wrong-format', { statusCode: 200, wrongValue: 'value' }, 502, INTERNAL],
      ['invoke-api-empty-response', {}, 502, INTERNAL],
      [
        'invoke-api-b64-encoded-true',
        { statusCode: 200, body: b64, isBase64Encoded: true },
        200,
        'dGVzdC1kYXRh',
      ],
      ['invoke-api-b64-encoded-false', { statusCode: 200, body: b64 }, 200, 'dGVzdC1kYXRh'],
      [
        'invoke-api-multi-headers-invalid',
        { statusCode: 200, multiValueHeaders: { 'test-multi-invalid': 'value1' } },
        502,
        INTERNAL,
      ],
      ['invoke-api-invalid-status-code', { statusCode: 'test' }, 502, INTERNAL],
      ['invoke-api-status-code-str', { statusCode: '201' }, 201, ''],
      ['invoke-api-just-string', 'justAString', 502, INTERNAL],
      ['invoke-api-only-headers', { headers: { 'test-header': 'value' } }, 200, ''],
    ] as [string, unknown, number, string][])(
      'test_aws_proxy_response_payload_format_validation: %s',
      async (_name, body, status, content) => {
        const res = await invoke(body);
        expect(res.status).toBe(status);
        expect(res.body).toBe(content);
        if (status === 502) {
          expect(sentHeaders(res)).toEqual({
            'Content-Type': 'application/json',
            'x-amzn-ErrorType': 'InternalServerErrorException',
            'Content-Length': '36',
            'x-amz-apigw-id': expect.stringMatching(APIGW_ID),
            'x-amzn-RequestId': expect.stringMatching(UUID),
          });
        }
      },
    );

    it.each([
      [
        'invoke-api-with-headers',
        { statusCode: 200, headers: { 'test-header': 'value', 'header-bool': true } },
        { 'header-bool': 'true', 'test-header': 'value' },
      ],
      ['invoke-api-with-headers-null', { statusCode: 200, headers: null }, {}],
      [
        'invoke-api-multi-headers-valid',
        { statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } },
        { 'test-multi': 'value1, value2' },
      ],
      [
        'invoke-api-multi-headers-overwrite',
        {
          statusCode: 200,
          multiValueHeaders: { 'test-multi': ['value-multi'] },
          headers: { 'test-multi': 'value-solo' },
        },
        { 'test-multi': 'value-multi, value-solo' },
      ],
      [
        'invoke-api-multi-headers-overwrite-casing',
        {
          statusCode: 200,
          multiValueHeaders: { 'tesT-Multi': ['value-multi'] },
          headers: { 'test-multi': 'value-solo' },
        },
        { 'tesT-Multi': 'value-multi, value-solo' },
      ],
    ] as [string, unknown, Record<string, string>][])(
      'test_aws_proxy_response_payload_format_validation: %s (recorded headers)',
      async (_name, body, own) => {
        const res = await invoke(body);
        expect(res.status).toBe(200);
        expect(res.body).toBe('');
        expect(res.headers.date).toBeDefined();
        expect(sentHeaders(res)).toEqual({
          ...own,
          'Content-Type': 'application/json',
          ...proxyAnswerHeaders('0'),
        });
      },
    );
  });

  it('test_lambda_rust_proxy_integration: GET on the root resource answers the lambda_http text', async () => {
    // rust-lambda/src/main.rs (lambda_http 0.5): a String response, typed fields all serialized.
    const fn: Handler<APIGatewayProxyEvent> = async (event) => {
      const firstName = event.multiValueQueryStringParameters?.first_name?.[0];
      return firstName === undefined
        ? {
            statusCode: 400,
            headers: {},
            multiValueHeaders: {},
            body: 'Empty first name',
            isBase64Encoded: false,
          }
        : {
            statusCode: 200,
            headers: {},
            multiValueHeaders: {},
            body: `Hello, ${firstName}!`,
            isBase64Encoded: false,
          };
    };
    const app = createApp(
      { stageName: 'test', functions: { fn }, resources: { '/': { GET: proxy('fn') } } },
      express,
    );
    const res = await request(app).get('/test/?first_name=test_name_abc123').parse(asText);
    expect(res.status).toBe(200);
    expect(res.body).toBe('Hello, test_name_abc123!');
  });

  it('test_aws_proxy_binary_response: the whole recorded sequence of stages test, test2 and test3', async () => {
    const image =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/wIAAgkBAyMAlYwAAAAASUVORK5CYII=';
    const binary = Buffer.from(image, 'base64');
    const stage = (binaryMediaTypes: string[]) =>
      createApp(
        {
          stageName: 'test',
          binaryMediaTypes,
          functions: { fn: responseFromBody },
          resources: { '/{proxy+}': { ANY: proxy('fn') } },
        },
        express,
      );
    const decoded: {
      statusCode: number;
      body: string;
      isBase64Encoded: boolean;
      headers: Record<string, string>;
    } = {
      statusCode: 200,
      body: image,
      isBase64Encoded: true,
      headers: { 'Content-Type': 'image/png', 'Cache-Control': 'no-cache' },
    };
    // requests sends Accept: */* when the test gives none
    const invoke = async (app: ReturnType<typeof stage>, accept = '*/*') => {
      const res = await request(app)
        .post('/test/test')
        .set({ 'User-Agent': 'python/test', Accept: accept })
        .send(pyDumps(decoded))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      return { status: res.status, body: res.body as Buffer, contentType: res.headers['content-type'] };
    };
    const expectAnswer = async (
      app: ReturnType<typeof stage>,
      accept: string | undefined,
      asBinary: boolean,
    ) => {
      const res = await invoke(app, accept);
      expect([accept, res.status, res.body.toString('base64')]).toEqual([
        accept,
        200,
        asBinary ? binary.toString('base64') : Buffer.from(image).toString('base64'),
      ]);
      expect(res.contentType).toBe(decoded.headers['Content-Type'] ?? 'application/json');
    };

    await expectAnswer(stage([]), 'image/png', false);

    const test2 = stage(['image/png', '*/test']);
    await expectAnswer(test2, 'image/png', true);
    await expectAnswer(test2, 'image/jpg', false);
    await expectAnswer(test2, 'image/*', false);
    await expectAnswer(test2, '*/test', false);
    await expectAnswer(test2, 'random/test', false);
    await expectAnswer(test2, '*/*', false);
    await expectAnswer(test2, 'image/webp,image/png,*/*;q=0.8', false);
    await expectAnswer(test2, 'image/png,image/*,*/*;q=0.8', true);
    decoded.isBase64Encoded = false;
    await expectAnswer(test2, 'image/png', false);

    const test3 = stage(['image/png', 'application/*', 'image/jpg']);
    decoded.isBase64Encoded = true;
    await expectAnswer(test3, 'image/png', true);
    decoded.headers['Content-Type'] = 'application/test';
    await expectAnswer(test3, 'application/whatever', true);
    await expectAnswer(test3, 'application/test', true);
    await expectAnswer(test3, 'application/*', true);
    decoded.headers['Content-Type'] = 'image/png';
    await expectAnswer(test3, 'image/jpg', true);
    decoded.headers['Content-Type'] = 'application/whatever';
    await expectAnswer(test3, 'image/png', true);
    delete decoded.headers['Content-Type'];
    await expectAnswer(test3, 'image/png', true);
    await expectAnswer(test3, 'application', false);
    await expectAnswer(test3, undefined, false);

    decoded.body = 'èé+à)(';
    const bad = await invoke(test3, 'image/png');
    expect(bad.status).toBe(500);
    expect(bad.body.toString()).toBe(INTERNAL);
  });

  it('test_response_headers_invocation_with_apigw: AWS_PROXY ignores integration responses; the function status and Content-Type stand', async () => {
    // apigw_integration.js
    const fn: Handler = async () => ({
      isBase64Encoded: false,
      statusCode: 300,
      headers: { 'content-type': 'application/xml' },
      body: '<message>completed</message>',
    });
    const app = createApp(
      {
        stageName: 'api',
        functions: { fn },
        resources: {
          '/{proxy+}': {
            GET: {
              integration: {
                type: 'AWS_PROXY',
                function: 'fn',
                integrationResponses: [
                  { statusCode: '200', selectionPattern: '^2.*' },
                  { statusCode: '400', selectionPattern: '^4.*' },
                  { statusCode: '500', selectionPattern: '^5.*' },
                ],
              },
              methodResponses: [{ statusCode: '200' }, { statusCode: '400' }, { statusCode: '500' }],
            },
          },
        },
      },
      express,
    );
    const res = await request(app).get('/api/hello/world').parse(asText);
    expect(res.status).toBe(300);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.body).toBe('<message>completed</message>');
  });

  it.each(['GET', 'ANY'] as const)(
    'test_rest_api_multi_region[%s]: an AWS_PROXY API of another region answers GET /demo',
    async (method) => {
      // lambda_handler.js
      const events: APIGatewayProxyEvent[] = [];
      const fn: Handler<APIGatewayProxyEvent> = async (event) => {
        events.push(event);
        return {
          statusCode: 200,
          body: JSON.stringify(`response from localstack lambda: ${JSON.stringify(event)}`),
          isBase64Encoded: false,
          headers: {},
        };
      };
      for (const region of ['eu-west-1', 'us-west-1']) {
        const app = createApp(
          { region, stageName: 'test', functions: { fn }, resources: { '/demo': { [method]: proxy('fn') } } },
          express,
        );
        const res = await request(app).get('/test/demo').parse(asText);
        expect(res.status).toBe(200);
        const event = events[events.length - 1];
        expect(res.body).toBe(JSON.stringify(`response from localstack lambda: ${JSON.stringify(event)}`));
        expect(event.httpMethod).toBe('GET');
      }
    },
  );

  it('test_routing_with_hardcoded_resource_sibling_order: /part1/random-value falls back to the root {param+}', async () => {
    const app = createApp(
      {
        stageName: 'dev',
        resources: {
          '/part1': { GET: mock200({ statusCode: 200, message: 'part1' }) },
          '/{param+}': { GET: mock200({ statusCode: 200, message: 'proxy' }) },
          '/part1/hardcoded-value': { GET: mock200({ statusCode: 200, message: 'hardcoded-value' }) },
        },
      },
      express,
    );
    for (const [path, message] of [
      ['/part1', 'part1'],
      ['/part1/hardcoded-value', 'hardcoded-value'],
      ['/part1/random-value', 'proxy'],
    ]) {
      const res = await request(app).get(`/dev${path}`).parse(asText);
      expect([path, res.status, res.body]).toEqual([
        path,
        200,
        `{"statusCode": 200, "message": "${message}"}`,
      ]);
    }
  });

  it('test_proxy_routing_with_hardcoded_resource_sibling: /test/any ANY answers OPTIONS and GET (MOCK)', async () => {
    const app = createApp(
      {
        stageName: 'dev',
        resources: {
          '/test': { POST: mock200({ statusCode: 200, message: 'POST request' }) },
          '/test/any': { ANY: mock200({ statusCode: 200, message: 'ANY request' }) },
          '/{proxy+}': { OPTIONS: mock200({ statusCode: 200, message: 'OPTIONS request' }) },
        },
      },
      express,
    );
    const expected = (type: string) => `{"statusCode": 200, "message": "${type} request"}`;
    expect((await request(app).options('/dev/test').parse(asText)).body).toBe(expected('OPTIONS'));
    expect((await request(app).post('/dev/test').parse(asText)).body).toBe(expected('POST'));
    expect((await request(app).options('/dev/test/any').parse(asText)).body).toBe(expected('ANY'));
    expect((await request(app).get('/dev/test/any').parse(asText)).body).toBe(expected('ANY'));
  });

  it('test_invocation_trace_id: a MOCK answer has no X-Amzn-Trace-Id, with or without a client trace (normal-req-headers-MOCK)', async () => {
    const app = createApp(
      { stageName: 'dev', resources: { '/path': { GET: mock200({ statusCode: 200 }) } } },
      express,
    );
    const fullTrace = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1';
    for (const headers of [{}, { 'x-amzn-trace-id': fullTrace }]) {
      const res = await request(app).get('/dev/path').set(headers).parse(asText);
      expect(res.status).toBe(200);
      expect(res.body).toBe('{"statusCode": 200}');
      expect(sentHeaders(res)).toEqual({
        'Content-Type': 'application/json',
        'Content-Length': '19',
        'x-amzn-RequestId': expect.stringMatching(UUID),
        'x-amz-apigw-id': expect.stringMatching(APIGW_ID),
      });
    }
  });

  describe('test_apigateway_header_remapping_aws[AWS_PROXY]', () => {
    const HEADERS = REMAPPING_HEADERS;
    const REQUEST_PARAMETERS: Record<string, string> = REMAPPING_REQUEST_PARAMETERS;
    const SPECIAL = REMAPPING_ILLEGAL;
    const full = { ...REQUEST_PARAMETERS };
    for (const header of Object.values(SPECIAL)) delete full[`integration.request.header.${header}`];
    const method = (
      requestParameters?: Record<string, string>,
      requestTemplates?: Record<string, string>,
    ): Method => ({
      requestParameters: Object.fromEntries(HEADERS.map((h) => [`method.request.header.${h}`, false])),
      integration: {
        type: 'AWS_PROXY',
        function: 'fn',
        requestParameters,
        requestTemplates,
        integrationResponses: [{ statusCode: '200' }],
      },
      methodResponses: [{ statusCode: '200' }],
    });
    const resources: ApiGatewayOptions['resources'] = {
      '/no-param': { GET: method() },
      '/full': {
        GET: method(full, {
          'application/json': `{${HEADERS.map((h) => `"${h}": "$input.params('${h}')"`).join(',')}}`,
        }),
      },
    };
    for (const [path, header] of Object.entries(SPECIAL)) {
      resources[`/${path}`] = {
        GET: method({
          [`integration.request.header.${header}`]:
            REQUEST_PARAMETERS[`integration.request.header.${header}`],
        }),
      };
    }
    const app = createApp({ stageName: 'test', functions: { fn: lambdaAwsProxy }, resources }, express);
    // The recorded client's headers, less Expect, Transfer-Encoding, Trailer, Upgrade and Via, which
    // Node's client either handles itself or AWS's edge rewrites.
    const invoke = (path: string) =>
      request(app)
        .get(`/test/${path}`)
        .set({
          Host: HOST,
          Accept: 'application/json',
          'Accept-Charset': 'UTF-8',
          'Accept-Encoding': 'br',
          Age: 'request_Age',
          Authorization: 'Unauthorized',
          Connection: 'close',
          'Content-Encoding': 'deflate',
          'Content-MD5': 'request_Content-MD5',
          'Content-Type': 'application/json',
          Date: 'request_Date',
          'Max-Forwards': '2',
          Pragma: 'cache',
          'Proxy-Authenticate': 'Basic',
          Range: 'bytes=500-999',
          Referer: 'https://example.com/',
          Server: 'https://example.com/',
          TE: 'deflate',
          'User-Agent': 'localStack/0.0',
          Warn: '299 localStack/0.0',
          'WWW-Authenticate': 'Basic YWxhZGRpbjpvcGVuc2VzYW1l',
        })
        .parse(asText);
    const RECORDED_EVENT_HEADERS = {
      Accept: 'application/json',
      'Accept-Charset': 'UTF-8',
      'Accept-Encoding': 'br',
      Age: 'request_Age',
      Authorization: 'Unauthorized',
      'Content-Encoding': 'deflate',
      'Content-Type': 'application/json',
      Date: 'request_Date',
      Host: HOST,
      Pragma: 'cache',
      Range: 'bytes=500-999',
      Referer: 'https://example.com/',
      'User-Agent': 'localStack/0.0',
      Warn: '299 localStack/0.0',
      'X-Amzn-Trace-Id': '<trace-id>',
      'X-Forwarded-For': '<source-ip>',
      'X-Forwarded-Port': '<port>',
      'X-Forwarded-Proto': 'http',
    };

    it.each(['no-param', 'full'])(
      'test_apigateway_header_remapping_aws[AWS_PROXY]: %s-integration event headers, body null, mappings and templates ignored',
      async (path) => {
        const res = await invoke(path);
        expect(res.status).toBe(200);
        const event = normaliseEvent(JSON.parse(res.body));
        expect(event.headers).toEqual(RECORDED_EVENT_HEADERS);
        expect(event.body).toBeNull();
        expect(sentHeaders(res)).toEqual({
          'Content-Type': 'application/json',
          ...proxyAnswerHeaders(String(Buffer.byteLength(res.body))),
        });
      },
    );

    it.each(Object.keys(SPECIAL))(
      'test_apigateway_header_remapping_aws[AWS_PROXY]: mapping %s fails the call with a 500',
      async (path) => {
        const res = await invoke(path);
        expect(res.status).toBe(500);
        expect(res.body).toBe(INTERNAL);
        expect(sentHeaders(res)).toEqual({
          'Content-Type': 'application/json',
          'Content-Length': '36',
          'x-amzn-ErrorType': 'InternalServerErrorException',
          'x-amz-apigw-id': expect.stringMatching(APIGW_ID),
          'x-amzn-RequestId': expect.stringMatching(UUID),
        });
      },
    );
  });
});
