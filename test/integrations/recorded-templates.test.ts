import type { Handler } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions, Method } from '../../src/index.js';
import {
  REMAPPING_HEADERS,
  REQUEST_TEMPLATE_VM,
  RESPONSE_TEMPLATE_VM,
} from '../fixtures/recorded/localstack-data.js';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';

/**
 * The MOCK and AWS (non-proxy Lambda) scenarios of LocalStack's AWS-validated tests
 * (localstack/localstack tests/aws/services/apigateway/test_apigateway_{lambda,integrations}.py and
 * their .snapshot.json), replayed through the middleware. Python test functions are ported to
 * Node.js handlers; where the Node runtime serializes differently (no spaces after `:`), the
 * parsed body is what is compared with the recording.
 */

function one(
  path: string,
  httpMethod: string,
  method: Method,
  functions = {},
  stageName = 'dev',
): ApiGatewayOptions {
  return { stageName, functions, resources: { [path]: { [httpMethod]: method } } };
}

/** tests/aws/services/lambda_/functions/lambda_echo.py */
const lambdaEcho: Handler = async (event) => event;

describe.each(EXPRESS_VERSIONS)('recorded AWS template scenarios on Express %s', (_v, express) => {
  describe('test_apigateway_lambda.py', () => {
    it('test_lambda_aws_integration: no template, the body passes through to the function and back', async () => {
      const app = createApp(
        one(
          '/test',
          'POST',
          {
            integration: { type: 'AWS', function: 'echo', integrationResponses: [{ statusCode: '200' }] },
            methodResponses: [{ statusCode: '200' }],
          },
          { echo: lambdaEcho },
          'api',
        ),
        express,
      );
      // requests.post(url, data=json.dumps(...)) sends no Content-Type
      const res = await request(app)
        .post('/api/test')
        .send(Buffer.from(JSON.stringify({ message: 'hello world' }).replace(':', ': ')))
        .parse(asText);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ message: 'hello world' }); // recorded lambda-aws-integration
      expect(res.body).toBe('{"message":"hello world"}');
    });

    it.each([
      ['lambda-aws-integration-1', '?param1=foobar'],
      ['lambda-aws-integration-2', '?param1=foobar&Signature=1'],
    ])('test_lambda_aws_integration_with_request_template: %s', async (_name, query) => {
      const app = createApp(
        one(
          '/test',
          'GET',
          {
            requestParameters: { 'method.request.querystring.param1': false },
            integration: {
              type: 'AWS',
              function: 'echo',
              requestTemplates: { 'application/json': '{"param1": "$input.params(\'param1\')"}' },
              integrationResponses: [{ statusCode: '200', selectionPattern: '' }],
            },
            methodResponses: [{ statusCode: '200' }],
          },
          { echo: lambdaEcho },
          'api',
        ),
        express,
      );
      const res = await request(app).get(`/api/test${query}`).parse(asText);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ param1: 'foobar' });
    });

    it('test_lambda_aws_integration_response_with_mapping_templates: request-template.vm and response-template.vm', async () => {
      const events: unknown[] = [];
      // tests/aws/services/lambda_/functions/lambda_mapping_responses.py
      const mappingResponses: Handler = async (event) => {
        events.push(event);
        const status = Number(event.body.httpStatus);
        return { statusCode: 200, body: status >= 400 ? 'customerror' : 'noerror' };
      };
      const app = createApp(
        one(
          '/test',
          'POST',
          {
            integration: {
              type: 'AWS',
              function: 'fn',
              requestTemplates: { 'application/json': REQUEST_TEMPLATE_VM },
              integrationResponses: [
                {
                  statusCode: '200',
                  selectionPattern: '',
                  responseTemplates: { 'application/json': RESPONSE_TEMPLATE_VM },
                },
              ],
            },
            methodResponses: [{ statusCode: '200' }, { statusCode: '400' }],
          },
          { fn: mappingResponses },
          'api',
        ),
        express,
      );
      const ok = await request(app)
        .post('/api/test')
        .set('Content-Type', 'application/json')
        .send('{"httpStatus": "200"}')
        .parse(asText);
      // recorded response-template-202: {"statusCode": 202, "body": {"body": "noerror", "statusCode": 200}}
      expect(ok.status).toBe(202);
      expect(ok.body).toBe('{"statusCode":200,"body":"noerror"}\n');
      const bad = await request(app)
        .post('/api/test')
        .set('Content-Type', 'application/json')
        .send('{"httpStatus": "400", "errorMessage": "Test Bad request"}')
        .parse(asText);
      // recorded response-template-400
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body)).toEqual({ body: 'customerror', statusCode: 200 });
      expect(events[1]).toMatchObject({
        apiContext: { method: 'POST', path: '/api/test', stage: 'api' },
        path: { parameterMap: {} },
        querystring: { parameterMap: {} },
        header: { parameterMap: { 'Content-Type': 'application/json' } },
        body: { httpStatus: '400', errorMessage: 'Test Bad request' },
      });
    });

    it('test_lambda_selection_patterns: success ignores patterns, errors match errorMessage', async () => {
      // tests/aws/services/lambda_/functions/lambda_select_pattern.py
      const selectPattern: Handler = async (event) => {
        switch (event.statusCode) {
          case '200':
            return 'Pass';
          case '400':
            throw new Error('Error: Raising four hundred from within the Lambda function');
          case '500':
            throw new Error('Error: Raising five hundred from within the Lambda function');
          default:
            return 'Error Value in the json request should either be 400 or 500 to demonstrate';
        }
      };
      const app = createApp(
        one(
          '/{statusCode}',
          'GET',
          {
            integration: {
              type: 'AWS',
              function: 'fn',
              requestTemplates: { 'application/json': '{"statusCode": "$input.params(\'statusCode\')"}' },
              integrationResponses: [
                { statusCode: '200', selectionPattern: '' },
                { statusCode: '405', selectionPattern: '.*four hundred.*' },
                { statusCode: '502', selectionPattern: '.+' },
                { statusCode: '504', selectionPattern: '200' },
              ],
            },
            // AWS accepted the 504 integration response with no 504 method response (see the next test)
            methodResponses: [
              { statusCode: '200' },
              { statusCode: '405' },
              { statusCode: '502' },
              { statusCode: '504' },
            ],
          },
          { fn: selectPattern },
        ),
        express,
      );
      const pass = await request(app).get('/dev/200').parse(asText);
      expect(pass.status).toBe(200);
      expect(pass.body).toBe('"Pass"'); // recorded lambda-selection-pattern-200
      const four = await request(app).get('/dev/400').parse(asText);
      expect(four.status).toBe(405);
      expect(JSON.parse(four.body)).toMatchObject({
        errorMessage: 'Error: Raising four hundred from within the Lambda function',
      });
      const five = await request(app).get('/dev/500').parse(asText);
      expect(five.status).toBe(502);
      expect(JSON.parse(five.body)).toMatchObject({
        errorMessage: 'Error: Raising five hundred from within the Lambda function',
      });
    });

    it('test_lambda_selection_patterns / test_lifecycle_integration_response: an integration response needs no method response', async () => {
      // Both recordings put an integration response whose status has no method response (504 next to
      // method responses 200/405/502; 200 with no method response at all) and AWS accepted it.
      const options = one(
        '/{statusCode}',
        'GET',
        {
          integration: {
            type: 'AWS',
            function: 'fn',
            requestTemplates: { 'application/json': '{"statusCode": "$input.params(\'statusCode\')"}' },
            integrationResponses: [
              { statusCode: '200', selectionPattern: '' },
              { statusCode: '504', selectionPattern: '200' },
            ],
          },
          methodResponses: [{ statusCode: '200' }],
        },
        { fn: lambdaEcho },
      );
      const res = await request(createApp(options, express)).get('/dev/200').parse(asText);
      expect(res.status).toBe(200);
      expect(res.body).toBe('{"statusCode":"200"}');
    });
  });

  describe('test_apigateway_integrations.py', () => {
    it('test_integration_mock_with_path_param: {statusCode: 200}, pattern 2\\d{2}, no template → 200 and b""', async () => {
      const app = createApp(
        one('/{testPath}', 'GET', {
          requestParameters: { 'method.request.path.testPath': true },
          integration: {
            type: 'MOCK',
            requestParameters: { 'integration.request.path.integrationPath': 'method.request.path.testPath' },
            requestTemplates: { 'application/json': '{statusCode: 200}' },
            integrationResponses: [{ statusCode: '200', selectionPattern: '2\\d{2}', responseTemplates: {} }],
          },
          methodResponses: [{ statusCode: '200' }],
        }),
        express,
      );
      const res = await request(app).get('/dev/test-path').parse(asText);
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
    });

    it('test_integration_mock_with_request_overrides_in_response_template', async () => {
      const requestTemplate = `#set($body = $util.base64Decode($input.params('testPath')))
    #set($context.requestOverride.path.body = $body)
    {
      "statusCode": 200
    }
`;
      const responseTemplate = `
#set($body = $util.parseJson($context.requestOverride.path.body))
#set($inputBody = $body.message)
#if($inputBody == "path1")
{
   "response": "path was path one"
}
#elseif($inputBody == "path2")
{
   "response": "path was path two"
}
#else
{
  "response": "this is the else clause"
}
#end
`;
      const app = createApp(
        one('/{testPath}', 'GET', {
          requestParameters: { 'method.request.path.testPath': true },
          integration: {
            type: 'MOCK',
            requestParameters: {},
            requestTemplates: { 'application/json': requestTemplate },
            integrationResponses: [
              {
                statusCode: '200',
                selectionPattern: '2\\d{2}',
                responseTemplates: { 'application/json': responseTemplate },
              },
            ],
          },
          methodResponses: [{ statusCode: '200' }],
        }),
        express,
      );
      const b64 = (message: string) => Buffer.from(`{"message": "${message}"}`).toString('base64');
      for (const [message, recorded] of [
        ['path1', { response: 'path was path one' }],
        ['path2', { response: 'path was path two' }],
        ['whatever', { response: 'this is the else clause' }],
      ] as const) {
        const res = await request(app)
          .get(`/dev/${b64(message)}`)
          .parse(asText);
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body)).toEqual(recorded);
        expect(res.body).toBe(`\n${JSON.stringify(recorded, null, message === 'whatever' ? 2 : 3)}\n`);
      }
    });

    it.each([true, false])(
      'test_integration_mock_with_response_override_in_request_template[%s]',
      async (withResponseTemplate) => {
        const requestTemplate = `
#set($context.responseOverride.status = 444)
#set($context.responseOverride.header.foo = "bar")
#set($context.responseOverride.custom = "is also passed around")
{
  "statusCode": 200
}
`;
        const responseTemplate = `
#set($statusOverride = $context.responseOverride.status)
#set($fooHeader = $context.responseOverride.header.foo)
#set($custom = $context.responseOverride.custom)
{
    "statusOverride": "$statusOverride",
    "fooHeader": "$fooHeader",
    "custom": "$custom"
}
`;
        const app = createApp(
          one('/', 'GET', {
            integration: {
              type: 'MOCK',
              requestParameters: {},
              requestTemplates: { 'application/json': requestTemplate },
              integrationResponses: [
                {
                  statusCode: '200',
                  selectionPattern: '2\\d{2}',
                  responseTemplates: withResponseTemplate ? { 'application/json': responseTemplate } : {},
                },
              ],
            },
            methodResponses: [{ statusCode: '200' }],
          }),
          express,
        );
        const res = await request(app).get('/dev').parse(asText);
        expect(res.status).toBe(444);
        expect(res.headers.foo).toBe('bar');
        if (withResponseTemplate) {
          expect(JSON.parse(res.body)).toEqual({
            custom: 'is also passed around',
            fooHeader: 'bar',
            statusOverride: '444',
          });
        } else {
          expect(res.body).toBe(''); // recorded b''
        }
      },
    );

    it('test_integration_mock_with_vtl_map_assignation', async () => {
      const requestTemplate = `
#set($paramName = "foo")
#set($context.requestOverride.querystring[$paramName] = "bar")
#set($paramPutName = "putfoo")
$context.requestOverride.querystring.put($paramPutName, "putBar")
#set($context["requestOverride"].querystring["nestedfoo"] = "nestedFoo")
{
  "statusCode": 200
}
`;
      const responseTemplate = `
#set($value = $context.requestOverride.querystring["foo"])
#set($value2 = $context.requestOverride.querystring["putfoo"])
#set($value3 = $context.requestOverride.querystring["nestedfoo"])
{
    "value": "$value",
    "value2": "$value2",
    "value3": "$value3"
}
`;
      const app = createApp(
        one('/', 'GET', {
          integration: {
            type: 'MOCK',
            requestParameters: {},
            requestTemplates: { 'application/json': requestTemplate },
            integrationResponses: [
              {
                statusCode: '200',
                selectionPattern: '2\\d{2}',
                responseTemplates: { 'application/json': responseTemplate },
              },
            ],
          },
          methodResponses: [{ statusCode: '200' }],
        }),
        express,
      );
      const res = await request(app).get('/dev').parse(asText);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ value: 'bar', value2: 'putBar', value3: 'nestedFoo' });
    });

    it('test_api_gateway_mock_integration (openapi-mock.json): ANY /echo/{data}', async () => {
      const app = createApp(
        one(
          '/echo/{data}',
          'ANY',
          {
            integration: {
              type: 'MOCK',
              passthroughBehavior: 'WHEN_NO_TEMPLATES',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              integrationResponses: [
                {
                  statusCode: '200',
                  responseTemplates: {
                    'application/json': '{"echo": "$input.params(\'data\')", "response": "mocked"}',
                  },
                },
              ],
            },
            methodResponses: [{ statusCode: '200' }],
          },
          {},
          'test',
        ),
        express,
      );
      const res = await request(app).get('/test/echo/foobar').parse(asText);
      expect(res.status).toBe(200);
      expect(res.body).toBe('{"echo": "foobar", "response": "mocked"}'); // recorded mocked-response
    });

    it.each(
      (['WHEN_NO_MATCH', 'NEVER', 'WHEN_NO_TEMPLATES'] as const).flatMap((behavior) =>
        (['GET', 'POST'] as const).map((method) => [behavior, method] as const),
      ),
    )('test_mock_integration_response[%s-PATH_BASED-%s]', async (behavior, method) => {
      const app = createApp(
        one(
          '/{id}',
          method,
          {
            integration: {
              type: 'MOCK',
              passthroughBehavior: behavior,
              requestTemplates: { 'application/json': '{"statusCode":200}' },
              integrationResponses: [
                {
                  statusCode: '200',
                  responseTemplates: {
                    'application/json': '{"statusCode": 200, "id": $input.params().path.id}',
                  },
                },
              ],
            },
            methodResponses: [{ statusCode: '200', responseModels: { 'application/json': 'Empty' } }],
          },
          {},
          'test',
        ),
        express,
      );
      const call = method === 'GET' ? request(app).get('/test/42') : request(app).post('/test/42');
      const res = await call.set('Content-Type', 'application/json').parse(asText);
      expect(res.status).toBe(200);
      expect(res.body).toBe('{"statusCode": 200, "id": 42}'); // recorded mock-response {"id": 42, "statusCode": 200}
    });

    it('test_apigateway_header_remapping_aws[AWS] no-param-integration: an empty GET body passes through as the event {}', async () => {
      const events: unknown[] = [];
      const awsProxy: Handler = async (event) => {
        events.push(event);
        return { statusCode: 200, body: JSON.stringify(event), isBase64Encoded: false };
      };
      const app = createApp(
        one(
          '/no-param',
          'GET',
          {
            integration: { type: 'AWS', function: 'fn', integrationResponses: [{ statusCode: '200' }] },
            methodResponses: [{ statusCode: '200' }],
          },
          { fn: awsProxy },
        ),
        express,
      );
      const res = await request(app)
        .get('/dev/no-param')
        .set('Content-Type', 'application/json')
        .parse(asText);
      expect(res.status).toBe(200);
      // recorded: "body": {} and no "headers" key
      expect(JSON.parse(JSON.parse(res.body).body)).toEqual({});
      expect(events).toEqual([{}]);
    });

    it('test_apigateway_header_remapping_aws[AWS] full-integration: the headers a template sees', async () => {
      const HEADERS = REMAPPING_HEADERS;
      const requestTemplate = `{${HEADERS.map((h) => `"${h}": "$input.params('${h}')"`).join(',')}}`;
      // tests/aws/services/lambda_/functions/lambda_aws_proxy.py
      const awsProxy: Handler = async (event) => ({
        statusCode: 200,
        body: JSON.stringify(event),
        isBase64Encoded: false,
      });
      const app = createApp(
        one(
          '/full',
          'GET',
          {
            requestParameters: Object.fromEntries(HEADERS.map((h) => [`method.request.header.${h}`, false])),
            integration: {
              type: 'AWS',
              function: 'fn',
              requestTemplates: { 'application/json': requestTemplate },
              integrationResponses: [{ statusCode: '200' }],
            },
            methodResponses: [{ statusCode: '200' }],
          },
          { fn: awsProxy },
        ),
        express,
      );
      // The recorded request's headers, less those Node's client handles itself (Connection, Expect,
      // Transfer-Encoding, Trailer, Upgrade, Host)
      const res = await request(app)
        .get('/dev/full')
        .set({
          Accept: 'application/json',
          'Accept-Charset': 'UTF-8',
          'Accept-Encoding': 'br',
          Age: 'request_Age',
          Authorization: 'Unauthorized',
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
      expect(res.status).toBe(200);
      const event = JSON.parse(JSON.parse(res.body).body);
      // recorded full-integration body (Date, Host and Via are placeholders in the snapshot)
      expect(event).toMatchObject({
        Accept: 'application/json',
        'Accept-Charset': 'UTF-8',
        'Accept-Encoding': 'br',
        Age: 'request_Age',
        Authorization: 'Unauthorized',
        Connection: '',
        'Content-Encoding': 'deflate',
        'Content-Length': '',
        'Content-MD5': '',
        'Content-Type': 'application/json',
        Expect: '',
        'Max-Forwards': '',
        Pragma: 'cache',
        'Proxy-Authenticate': '',
        Range: 'bytes=500-999',
        Referer: 'https://example.com/',
        Server: '',
        TE: '',
        'Transfer-Encoding': '',
        Trailer: '',
        Upgrade: '',
        'User-Agent': 'localStack/0.0',
        Warn: '299 localStack/0.0',
        'WWW-Authenticate': '',
      });
      expect(event.Date).toBe('request_Date');
    });
  });
});
