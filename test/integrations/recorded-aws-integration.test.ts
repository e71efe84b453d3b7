import type { Handler } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions, Method } from '../../src/index.js';
import {
  REMAPPING_HEADERS,
  REMAPPING_ILLEGAL,
  REMAPPING_REQUEST_PARAMETERS,
} from '../fixtures/recorded/localstack-data.js';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { pyDumps, sentHeaders } from '../support/recorded.js';

/**
 * The remaining AWS-recorded non-proxy Lambda (`type: 'AWS'`) and MOCK scenarios of LocalStack's
 * AWS-validated tests (localstack/localstack tests/aws/services/apigateway/
 * test_apigateway_{basic,integrations,common}.py and their .snapshot.json), each named after its
 * LocalStack test. The Lambda functions they deploy are ported to JS handlers. Our handlers run as
 * the Node.js runtime does (the non-proxy body is `JSON.stringify(result)`), so where a recording
 * shows a Python runtime's serialisation of the function result, the parsed JSON is compared.
 */

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const INTERNAL = '{"message": "Internal server error"}';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const APIGW_ID = /^[A-Za-z0-9+/]{15}=$/;
const TRACE = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/;
// Headers of the connection, not of the answer: the host server writes them (AWS's edge does too).

/** `arns.apigateway_invocations_arn(lambda_arn, region)` of LocalStack's test utilities. */
const invocationsArn = (fn: string) =>
  `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}/invocations`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/apigw-invoke-lambda`;

/** The headers API Gateway adds to a Lambda integration's answer (recorded names and casing). */
const lambdaAnswerHeaders = (body: string) => ({
  'Content-Length': String(Buffer.byteLength(body)),
  'X-Amzn-Trace-Id': expect.stringMatching(TRACE),
  'x-amz-apigw-id': expect.stringMatching(APIGW_ID),
  'x-amzn-RequestId': expect.stringMatching(UUID),
});

/** tests/aws/services/lambda_/functions/lambda_echo.py: returns the event. */
function lambdaEcho(events: unknown[]): Handler {
  return async (event) => {
    events.push(event);
    return event;
  };
}

/** tests/aws/services/lambda_/functions/lambda_handler.js, verbatim (plus recording the event). */
function lambdaHandlerJs(events: unknown[]): Handler {
  return async (event) => {
    events.push(event);
    return {
      statusCode: 200,
      body: JSON.stringify(`response from localstack lambda: ${JSON.stringify(event)}`),
      isBase64Encoded: false,
      headers: {},
    };
  };
}

/** tests/aws/services/lambda_/functions/lambda_aws_proxy.py: `body` is `json.dumps(event)`. */
const lambdaAwsProxy: Handler = async (event) => ({
  statusCode: 200,
  body: pyDumps(event),
  isBase64Encoded: false,
});

describe.each(EXPRESS_VERSIONS)('recorded AWS and MOCK integrations on Express %s', (_v, express) => {
  describe('test_apigateway_basic.py', () => {
    it('test_api_gateway_lambda_integration_aws_type: static responseParameters set Content-Type text/html and Access-Control-Allow-Origin', async () => {
      const requestTemplate =
        '#set($allParams = $input.params())\n{\n"body-json" : $input.json("$"),\n"params" : {\n#foreach($type in $allParams.keySet())\n    #set($params = $allParams.get($type))\n"$type" : {\n    #foreach($paramName in $params.keySet())\n    "$paramName" : "$util.escapeJavaScript($params.get($paramName))"\n        #if($foreach.hasNext),#end\n    #end\n}\n    #if($foreach.hasNext),#end\n#end\n},\n"stage-variables" : {\n#foreach($key in $stageVariables.keySet())\n"$key" : "$util.escapeJavaScript($stageVariables.get($key))"\n    #if($foreach.hasNext),#end\n#end\n},\n"context" : {\n    "api-id" : "$context.apiId",\n    "api-key" : "$context.identity.apiKey",\n    "http-method" : "$context.httpMethod",\n    "stage" : "$context.stage",\n    "source-ip" : "$context.identity.sourceIp",\n    "user-agent" : "$context.identity.userAgent",\n    "request-id" : "$context.requestId",\n    "resource-id" : "$context.resourceId",\n    "resource-path" : "$context.resourcePath"\n    }\n}\n';
      const events: unknown[] = [];
      const fn = 'test-aws-type';
      const app = createApp(
        {
          stageName: 'local',
          restApiId: 'abc123defg',
          functions: { [fn]: lambdaEcho(events) },
          resources: {
            '/test': {
              POST: {
                authorizationType: 'NONE',
                integration: {
                  type: 'AWS',
                  httpMethod: 'POST',
                  // Recorded with `lambda:path//2015-03-31/functions/…` (two slashes): AWS invokes it.
                  uri: invocationsArn(fn).replace('lambda:path/', 'lambda:path//'),
                  requestTemplates: { 'application/json': requestTemplate },
                  integrationResponses: [
                    {
                      statusCode: '200',
                      responseTemplates: { 'text/html': "$input.path('$')" },
                      responseParameters: {
                        'method.response.header.Access-Control-Allow-Origin': "'*'",
                        'method.response.header.Content-Type': "'text/html'",
                      },
                    },
                  ],
                },
                methodResponses: [
                  {
                    statusCode: '200',
                    responseParameters: {
                      'method.response.header.Content-Type': false,
                      'method.response.header.Access-Control-Allow-Origin': false,
                    },
                  },
                ],
              },
            },
          },
        },
        express,
      );
      // requests.post(url, json={"test": "test"})
      const res = await request(app)
        .post('/local/test')
        .set({ 'Content-Type': 'application/json', Accept: '*/*', 'User-Agent': 'python-requests/2.32.3' })
        .send('{"test": "test"}')
        .parse(asText);
      // recorded: the two headers (the test asserts nothing else)
      expect(res.headers['content-type']).toBe('text/html');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      // The template rendered a JSON event, or Lambda would have refused the invoke (a JSON error answer).
      expect(res.status).toBe(200);
      expect(events).toEqual([
        {
          'body-json': { test: 'test' },
          params: {
            path: {},
            querystring: {},
            header: expect.objectContaining({
              'Content-Type': 'application/json',
              'User-Agent': 'python-requests/2.32.3',
            }),
          },
          'stage-variables': {},
          context: {
            'api-id': 'abc123defg',
            'api-key': '',
            'http-method': 'POST',
            stage: 'local',
            'source-ip': expect.any(String),
            'user-agent': 'python-requests/2.32.3',
            'request-id': expect.stringMatching(UUID),
            'resource-id': expect.any(String),
            'resource-path': '/test',
          },
        },
      ]);
    });

    it('test_api_gateway_lambda_asynchronous_invocation (api_definition.yaml): GET /wait/3 with X-Amz-Invocation-Type Event answers 200 and b""', async () => {
      // tests/aws/files/api_definition.yaml, /wait/{seconds}: the folded (`>`) YAML template as parsed
      const requestTemplate =
        '#set($allParams = $input.params())\n{\n  "params" : {\n    #foreach($type in $allParams.keySet())\n      #set($params = $allParams.get($type))\n      "$type" : {\n        #foreach($paramName in $params.keySet())\n          "$paramName" : "$util.escapeJavaScript($params.get($paramName))"\n          #if($foreach.hasNext),#end\n        #end\n      }\n      #if($foreach.hasNext),#end\n    #end\n  }\n}\n';
      const events: unknown[] = [];
      let invoked: () => void = () => {};
      const called = new Promise<void>((resolve) => {
        invoked = resolve;
      });
      const handler = lambdaHandlerJs(events);
      const fn = 'test-async';
      const app = createApp(
        {
          stageName: 'test',
          functions: {
            [fn]: async (event: unknown, context) => {
              const result = await handler(event, context, () => {});
              invoked();
              return result;
            },
          },
          resources: {
            '/echo/{data}': {
              ANY: {
                integration: {
                  type: 'MOCK',
                  passthroughBehavior: 'WHEN_NO_TEMPLATES',
                  // single-quoted YAML keeps `\"` as written; AWS imported it as is
                  requestTemplates: {
                    'application/json': '{"data", $input.params(\\"data\\"), "statusCode": 200}',
                  },
                  integrationResponses: [
                    {
                      statusCode: '200',
                      responseTemplates: {
                        'application/json': '{"data": $input.params(\\"data\\"), "response": "mocked"}\n',
                      },
                    },
                  ],
                },
                methodResponses: [{ statusCode: '200', responseModels: { 'application/json': 'Empty' } }],
              },
            },
            '/wait/{seconds}': {
              ANY: {
                requestParameters: { 'method.request.path.seconds': true },
                integration: {
                  type: 'AWS',
                  httpMethod: 'POST',
                  uri: invocationsArn(fn),
                  credentials: ROLE_ARN,
                  requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
                  requestTemplates: { 'application/json': requestTemplate },
                  passthroughBehavior: 'WHEN_NO_TEMPLATES',
                  contentHandling: 'CONVERT_TO_TEXT',
                  integrationResponses: [{ statusCode: '200' }],
                },
                methodResponses: [{ statusCode: '200', responseModels: { 'application/json': 'Empty' } }],
              },
            },
          },
        },
        express,
      );
      const res = await request(app).get('/test/wait/3').parse(asText);
      expect(res.status).toBe(200);
      expect(res.body).toBe(''); // recorded: result.content == b""
      await called;
      expect(events).toEqual([
        { params: { path: { seconds: '3' }, querystring: {}, header: expect.any(Object) } },
      ]);
    });

    it('test_apigw_test_invoke_method_api: no template, the Node.js function result is the body byte for byte', async () => {
      // TestInvokeMethod runs the method's integration as a call does; its recorded body and
      // headers are what a client gets (the Node.js runtime serialises the result without spaces).
      const events: unknown[] = [];
      const fn = 'test-invoke-method';
      const app = createApp(
        {
          stageName: 'local',
          functions: { [fn]: lambdaHandlerJs(events) },
          resources: {
            '/foo': {
              GET: {
                authorizationType: 'NONE',
                integration: {
                  type: 'AWS',
                  httpMethod: 'POST',
                  uri: invocationsArn(fn),
                  credentials: ROLE_ARN,
                  integrationResponses: [{ statusCode: '200', selectionPattern: '' }],
                },
                methodResponses: [{ statusCode: '200' }],
              },
            },
          },
        },
        express,
      );
      const simple = await request(app).get('/local/foo').parse(asText);
      const SIMPLE =
        '{"statusCode":200,"body":"\\"response from localstack lambda: {}\\"","isBase64Encoded":false,"headers":{}}';
      expect(simple.status).toBe(200); // recorded test_invoke_method_response
      expect(simple.body).toBe(SIMPLE);
      expect(sentHeaders(simple)).toEqual({
        'Content-Type': 'application/json',
        ...lambdaAnswerHeaders(SIMPLE),
      });

      const withBody = await request(app)
        .get('/local/foo?queryTest=value')
        .set('Content-Type', 'application/json')
        .send('{"test": "val123"}')
        .parse(asText);
      const WITH_BODY =
        '{"statusCode":200,"body":"\\"response from localstack lambda: {\\\\\\"test\\\\\\":\\\\\\"val123\\\\\\"}\\"","isBase64Encoded":false,"headers":{}}';
      expect(withBody.status).toBe(200); // recorded test_invoke_method_response_with_body
      expect(withBody.body).toBe(WITH_BODY);
      expect(JSON.parse(JSON.parse(withBody.body).body)).toBe(
        'response from localstack lambda: {"test":"val123"}',
      );
      expect(sentHeaders(withBody)).toEqual({
        'Content-Type': 'application/json',
        ...lambdaAnswerHeaders(WITH_BODY),
      });
      // recorded log: empty request body after transformations; then the body passed through
      expect(events).toEqual([{}, { test: 'val123' }]);
    });

    it.each([
      ['local', {}, { version: '' }],
      ['dev', { lambdaFunction: 'test-stage-vars', version: '1.0' }, { version: '1.0' }],
    ] as const)(
      'test_apigw_stage_variables[%s]: $stageVariables in the template and the function uri',
      async (stageName, stageVariables, recorded) => {
        const fn = 'test-stage-vars';
        const uri =
          stageName === 'dev'
            ? `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:\${stageVariables.lambdaFunction}/invocations`
            : invocationsArn(fn);
        const app = createApp(
          {
            stageName,
            stageVariables: { ...stageVariables },
            functions: { [fn]: lambdaEcho([]) },
            resources: {
              '/test': {
                POST: {
                  authorizationType: 'NONE',
                  integration: {
                    type: 'AWS',
                    httpMethod: 'POST',
                    uri,
                    requestTemplates: { 'application/json': '{ "version": "$stageVariables.version" }' },
                    integrationResponses: [{ statusCode: '200' }],
                  },
                  methodResponses: [
                    {
                      statusCode: '200',
                      responseParameters: {
                        'method.response.header.Content-Type': false,
                        'method.response.header.Access-Control-Allow-Origin': false,
                      },
                    },
                  ],
                },
              },
            },
          },
          express,
        );
        const res = await request(app)
          .post(`/${stageName}/test`)
          .set('Content-Type', 'application/json')
          .send('{"test": "test"}')
          .parse(asText);
        // A Python function (json.dumps, `": "`) was recorded, and the test compares response.json().
        expect(JSON.parse(res.body)).toEqual(recorded);
        expect(res.body).toBe(JSON.stringify(recorded));
      },
    );
  });

  describe('test_apigateway_integrations.py', () => {
    const HEADERS = REMAPPING_HEADERS;
    const REQUEST_PARAMETERS: Record<string, string> = REMAPPING_REQUEST_PARAMETERS;
    const SPECIAL = REMAPPING_ILLEGAL;

    /** The create_apigateway_with_header_remapping fixture for `type: 'AWS'`. */
    function headerRemappingApp() {
      const full = { ...REQUEST_PARAMETERS };
      for (const header of Object.values(SPECIAL)) delete full[`integration.request.header.${header}`];
      const method = (integration: Partial<Method['integration']>): Method => ({
        authorizationType: 'NONE',
        requestParameters: Object.fromEntries(HEADERS.map((h) => [`method.request.header.${h}`, false])),
        integration: {
          type: 'AWS',
          httpMethod: 'POST',
          uri: invocationsArn('aws-proxy'),
          credentials: ROLE_ARN,
          integrationResponses: [{ statusCode: '200' }],
          ...integration,
        },
        methodResponses: [
          {
            statusCode: '200',
            responseParameters: Object.fromEntries(HEADERS.map((h) => [`method.response.header.${h}`, true])),
          },
        ],
      });
      const resources: ApiGatewayOptions['resources'] = {
        '/no-param': { GET: method({}) },
        '/full': {
          GET: method({
            requestParameters: full,
            requestTemplates: {
              'application/json': `{${HEADERS.map((h) => `"${h}": "$input.params('${h}')"`).join(',')}}`,
            },
            integrationResponses: [
              {
                statusCode: '200',
                responseParameters: Object.fromEntries(
                  HEADERS.map((h) => [`method.response.header.${h}`, `'response_param_${h}'`]),
                ),
              },
            ],
          }),
        },
      };
      for (const [path, header] of Object.entries(SPECIAL)) {
        const target = `integration.request.header.${header}`;
        resources[`/${path}`] = {
          GET: method({ requestParameters: { [target]: REQUEST_PARAMETERS[target] } }),
        };
      }
      return createApp({ stageName: 'test', functions: { 'aws-proxy': lambdaAwsProxy }, resources }, express);
    }

    // The recorded client's headers, less Expect, Transfer-Encoding, Trailer, Upgrade and Via, which
    // Node's client either handles itself or AWS's edge rewrites.
    const invoke = (app: ReturnType<typeof createApp>, path: string) =>
      request(app)
        .get(`/test/${path}`)
        .set({
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

    it('test_apigateway_header_remapping_aws[AWS]: no-param-integration response headers', async () => {
      const res = await invoke(headerRemappingApp(), 'no-param');
      expect(res.status).toBe(200);
      // recorded Content-Length 59 is the Python runtime's `{"statusCode": 200, "body": "{}", …}`;
      // the Node.js runtime sends the same value without spaces.
      expect(JSON.parse(res.body)).toEqual({ statusCode: 200, body: '{}', isBase64Encoded: false });
      expect(sentHeaders(res)).toEqual({
        'Content-Type': 'application/json',
        ...lambdaAnswerHeaders(res.body),
      });
    });

    it('test_apigateway_header_remapping_aws[AWS]: full-integration response headers, restricted names remapped', async () => {
      const res = await invoke(headerRemappingApp(), 'full');
      expect(res.status).toBe(200);
      expect(sentHeaders(res)).toEqual({
        Accept: 'response_param_Accept',
        'Accept-Charset': 'response_param_Accept-Charset',
        'Accept-Encoding': 'response_param_Accept-Encoding',
        Age: 'response_param_Age',
        'Content-Encoding': 'response_param_Content-Encoding',
        'Content-Type': 'response_param_Content-Type',
        Pragma: 'response_param_Pragma',
        Range: 'response_param_Range',
        Referer: 'response_param_Referer',
        TE: 'response_param_TE',
        Via: expect.any(String), // the recording masks the value
        Warn: 'response_param_Warn',
        'x-amzn-Remapped-Authorization': 'response_param_Authorization',
        'x-amzn-Remapped-Connection': 'response_param_Connection',
        'x-amzn-Remapped-Content-Length': 'response_param_Content-Length',
        'x-amzn-Remapped-Content-MD5': 'response_param_Content-MD5',
        'x-amzn-Remapped-Date': 'response_param_Date',
        'x-amzn-Remapped-Expect': 'response_param_Expect',
        'x-amzn-Remapped-Host': 'response_param_Host',
        'x-amzn-Remapped-Max-Forwards': 'response_param_Max-Forwards',
        'x-amzn-Remapped-Proxy-Authenticate': 'response_param_Proxy-Authenticate',
        'x-amzn-Remapped-Server': 'response_param_Server',
        'x-amzn-Remapped-Trailer': 'response_param_Trailer',
        'x-amzn-Remapped-Upgrade': 'response_param_Upgrade',
        'x-amzn-Remapped-User-Agent': 'response_param_User-Agent',
        'x-amzn-Remapped-WWW-Authenticate': 'response_param_WWW-Authenticate',
        ...lambdaAnswerHeaders(res.body),
      });
    });

    it.each(Object.keys(SPECIAL))(
      'test_apigateway_header_remapping_aws[AWS]: mapping %s fails the call with a 500',
      async (path) => {
        const res = await invoke(headerRemappingApp(), path);
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

  describe('test_apigateway_common.py', () => {
    it('test_routing_not_found: the MOCK route answers, an unknown path or method 403 Missing Authentication Token', async () => {
      const app = createApp(
        {
          stageName: 'dev',
          resources: {
            '/existing': {
              GET: {
                authorizationType: 'NONE',
                // _create_mock_integration_with_200_response_template
                integration: {
                  type: 'MOCK',
                  requestTemplates: { 'application/json': '{"statusCode": 200}' },
                  integrationResponses: [
                    {
                      statusCode: '200',
                      selectionPattern: '',
                      responseTemplates: {
                        'application/json': pyDumps({ statusCode: 200, message: 'exists' }),
                      },
                    },
                  ],
                },
                methodResponses: [{ statusCode: '200' }],
              },
            },
          },
        },
        express,
      );
      const working = await request(app).get('/dev/existing').parse(asText);
      expect(working.status).toBe(200);
      expect(JSON.parse(working.body)).toEqual({ message: 'exists', statusCode: 200 }); // working-route
      expect(working.body).toBe('{"statusCode": 200, "message": "exists"}');
      for (const res of [
        await request(app).get('/dev/random-non-existing').parse(asText), // not-found
        await request(app).post('/dev/existing').parse(asText), // wrong-method
      ]) {
        expect(res.status).toBe(403);
        expect(JSON.parse(res.body)).toEqual({ message: 'Missing Authentication Token' });
        expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      }
    });
  });
});
