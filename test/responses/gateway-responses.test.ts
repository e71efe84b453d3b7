import request from 'supertest';
import { createRequestSeed } from '../../src/http/request-seed.js';
import type { ApiGatewayOptions, GatewayResponseType, Method } from '../../src/index.js';
import { apiGateway, ConfigError, GatewayError } from '../../src/index.js';
import { GatewayResponses } from '../../src/responses/compile-gateway-responses.js';
import { sendGatewayError } from '../../src/responses/send.js';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS, type ExpressFactory, silentLogger } from '../support/create-app.js';

const IDENTITY = {
  restApiId: 'abc123defg',
  accountId: '123456789012',
  region: 'us-east-1',
  stageName: 'prod',
  deploymentId: 'dep123',
  stageVariables: { color: 'blue' },
};

/** What AWS sends for each type with no gateway response put: status, x-amzn-ErrorType, body bytes. */
const BUILT_IN: [GatewayResponseType, number, string, string][] = [
  [
    'ACCESS_DENIED',
    403,
    'AccessDeniedException',
    '{"Message":"User is not authorized to access this resource"}',
  ],
  ['API_CONFIGURATION_ERROR', 500, 'InternalServerErrorException', '{"message": "Internal server error"}'],
  ['AUTHORIZER_CONFIGURATION_ERROR', 500, 'AuthorizerConfigurationException', '{"message":null}'],
  ['AUTHORIZER_FAILURE', 500, 'AuthorizerFailureException', '{"message":null}'],
  [
    'BAD_REQUEST_PARAMETERS',
    400,
    'BadRequestException',
    '{"message": "Missing required request parameters"}',
  ],
  ['BAD_REQUEST_BODY', 400, 'BadRequestException', '{"message": "Invalid request body"}'],
  ['DEFAULT_4XX', 400, 'BadRequestException', '{"message":"Bad Request"}'],
  ['DEFAULT_5XX', 502, 'InternalServerErrorException', '{"message": "Internal server error"}'],
  ['EXPIRED_TOKEN', 403, 'InvalidSignatureException', '{"message":"Signature expired"}'],
  ['INTEGRATION_FAILURE', 500, 'InternalServerErrorException', '{"message": "Internal server error"}'],
  ['INTEGRATION_TIMEOUT', 504, 'InternalServerErrorException', '{"message": "Endpoint request timed out"}'],
  ['INVALID_API_KEY', 403, 'ForbiddenException', '{"message":"Forbidden"}'],
  ['INVALID_SIGNATURE', 403, 'InvalidSignatureException', '{"message":"Forbidden"}'],
  [
    'MISSING_AUTHENTICATION_TOKEN',
    403,
    'MissingAuthenticationTokenException',
    '{"message":"Missing Authentication Token"}',
  ],
  ['QUOTA_EXCEEDED', 429, 'LimitExceededException', '{"message":"Limit Exceeded"}'],
  ['REQUEST_TOO_LARGE', 413, 'BadRequestException', '{"message": "Request Too Long"}'],
  ['RESOURCE_NOT_FOUND', 404, 'NotFoundException', '{"message":"Not Found"}'],
  ['THROTTLED', 429, 'TooManyRequestsException', '{"message":"Too Many Requests"}'],
  ['UNAUTHORIZED', 401, 'UnauthorizedException', '{"message":"Unauthorized"}'],
  ['UNSUPPORTED_MEDIA_TYPE', 415, 'UnsupportedMediaTypeException', '{"message":"Unsupported Media Type"}'],
  ['WAF_FILTERED', 403, 'ForbiddenException', '{"message":"Forbidden"}'],
];

/**
 * An Express app answering `/{type}` with that gateway error through the API's gateway responses:
 * for the types no request to this version's gateway can raise yet (authorizers, quotas, WAF).
 */
function errorApp(
  express: ExpressFactory,
  config: ApiGatewayOptions['gatewayResponses'],
  make: (type: GatewayResponseType) => GatewayError = (type) => new GatewayError(type),
) {
  const responses = new GatewayResponses(config, IDENTITY);
  const app = express();
  app.get('/:type', (req, res) => {
    sendGatewayError(res, make(req.params.type as GatewayResponseType), createRequestSeed(), responses);
  });
  return app;
}

const mock = (template: string): Method => ({
  integration: {
    type: 'MOCK',
    requestTemplates: { 'application/json': template },
    integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': 'ok' } }],
  },
});

/** An API where each path raises one gateway error through the ordinary request flow. */
function api(gatewayResponses?: ApiGatewayOptions['gatewayResponses']): ApiGatewayOptions {
  return {
    stageVariables: { color: 'blue' },
    gatewayResponses,
    functions: {
      malformed: async () => ({ statusCode: 200, body: { not: 'a string' } }),
      hangs: () => new Promise(() => {}),
      echo: async (event: unknown) => event,
    },
    resources: {
      '/ok': { GET: mock('{"statusCode": 200}') },
      '/items/{id}': { GET: mock('not a status') },
      '/malformed': { GET: { integration: { type: 'AWS_PROXY', function: 'malformed' } } },
      '/slow': { GET: { integration: { type: 'AWS_PROXY', function: 'hangs', timeoutInMillis: 50 } } },
      '/broken': { GET: { integration: { type: 'AWS_PROXY', function: 'echo', httpMethod: 'GET' } } },
      '/strict': {
        POST: {
          integration: {
            type: 'MOCK',
            passthroughBehavior: 'NEVER',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            integrationResponses: [{ statusCode: '200' }],
          },
        },
      },
      '/not-json': {
        POST: {
          integration: { type: 'AWS', function: 'echo', integrationResponses: [{ statusCode: '200' }] },
        },
      },
      '/interim': {
        GET: {
          integration: {
            type: 'MOCK',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            integrationResponses: [
              {
                statusCode: '200',
                responseTemplates: { 'application/json': '#set($context.responseOverride.status = 101)x' },
              },
            ],
          },
        },
      },
    },
  };
}

describe.each(EXPRESS_VERSIONS)('gateway responses on Express %s', (_v, express) => {
  describe('built-in answers', () => {
    it.each(BUILT_IN)('%s: %i, %s and its exact body', async (type, status, errorType, body) => {
      const res = await request(errorApp(express, undefined)).get(`/${type}`);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.headers['x-amzn-errortype']).toBe(errorType);
      expect(res.text).toBe(body);
    });

    it('ACCESS_DENIED for an explicit deny: the message given, in the capital-M body', async () => {
      const app = errorApp(
        express,
        undefined,
        (type) =>
          new GatewayError(type, {
            message: 'User is not authorized to access this resource with an explicit deny',
          }),
      );
      const res = await request(app).get('/ACCESS_DENIED');
      expect(res.status).toBe(403);
      expect(res.text).toBe(
        '{"Message":"User is not authorized to access this resource with an explicit deny"}',
      );
    });

    it('a message given keeps the type byte form: spaced for the Lambda-side errors, null as null', async () => {
      const app = errorApp(express, undefined, (type) =>
        type === 'BAD_REQUEST_BODY'
          ? new GatewayError(type, { message: 'Invalid request body', validationErrorString: 'x' })
          : new GatewayError(type, { message: null }),
      );
      expect((await request(app).get('/BAD_REQUEST_BODY')).text).toBe('{"message": "Invalid request body"}');
      expect((await request(app).get('/UNAUTHORIZED')).text).toBe('{"message":null}');
    });

    it('raises the reachable types through the request flow with their built-in bytes', async () => {
      const app = createApp(api(), express);
      const cases: [request.Test, number, string][] = [
        [request(app).get('/prod/nope'), 403, '{"message":"Missing Authentication Token"}'],
        [request(app).get('/prod/items/1'), 500, '{"message": "Internal server error"}'],
        [request(app).get('/prod/malformed'), 502, '{"message": "Internal server error"}'],
        [request(app).get('/prod/slow'), 504, '{"message": "Endpoint request timed out"}'],
        [request(app).get('/prod/broken'), 500, '{"message": "Internal server error"}'],
        [
          request(app).post('/prod/strict').set('Content-Type', 'text/plain').send('x'),
          415,
          '{"message":"Unsupported Media Type"}',
        ],
      ];
      for (const [pending, status, body] of cases) {
        const res = await pending;
        expect([res.status, res.text]).toEqual([status, body]);
      }
    });
  });

  describe('a type of its own', () => {
    it('overrides status, headers and body; x-amzn-ErrorType stays', async () => {
      const app = createApp(
        api({
          MISSING_AUTHENTICATION_TOKEN: {
            statusCode: '404',
            responseParameters: { 'gatewayresponse.header.X-Static': "'fixed value'" },
            responseTemplates: {
              'application/json':
                '{"msg":"$context.error.message","quoted":$context.error.messageString,"type":"$context.error.responseType"}',
            },
          },
        }),
        express,
      );
      const res = await request(app).get('/prod/nope');
      expect(res.status).toBe(404);
      expect(res.headers['x-static']).toBe('fixed value');
      expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.text).toBe(
        '{"msg":"Missing Authentication Token","quoted":"Missing Authentication Token","type":"MISSING_AUTHENTICATION_TOKEN"}',
      );
    });

    it('keeps the built-in body when only the status or headers are set', async () => {
      const app = createApp(api({ INTEGRATION_TIMEOUT: { statusCode: '503' } }), express);
      const res = await request(app).get('/prod/slow');
      expect(res.status).toBe(503);
      expect(res.text).toBe('{"message": "Endpoint request timed out"}');
    });

    it('maps every header source: static, request header, query string, path, stage variable, context', async () => {
      const app = createApp(
        api({
          API_CONFIGURATION_ERROR: {
            responseParameters: {
              'gatewayresponse.header.X-Static': "'s'",
              'gatewayresponse.header.X-Header': 'method.request.header.X-Client',
              'gatewayresponse.header.X-Query': 'method.request.querystring.q',
              'gatewayresponse.header.X-Path': 'method.request.path.id',
              'gatewayresponse.header.X-Stage-Var': 'stageVariables.color',
              'gatewayresponse.header.X-Stage': 'context.stage',
              'gatewayresponse.header.X-Resource': 'context.resourcePath',
              'gatewayresponse.header.X-Error-Type': 'context.error.responseType',
              'gatewayresponse.header.X-Request-Id': 'context.requestId',
              'gatewayresponse.header.X-Missing': 'method.request.header.X-Absent',
            },
          },
        }),
        express,
      );
      const res = await request(app).get('/prod/items/42?q=find').set('x-client', 'web');
      expect(res.status).toBe(500);
      expect(res.headers['x-static']).toBe('s');
      expect(res.headers['x-header']).toBe('web');
      expect(res.headers['x-query']).toBe('find');
      expect(res.headers['x-path']).toBe('42');
      expect(res.headers['x-stage-var']).toBe('blue');
      expect(res.headers['x-stage']).toBe('prod');
      expect(res.headers['x-resource']).toBe('/items/{id}');
      expect(res.headers['x-error-type']).toBe('API_CONFIGURATION_ERROR');
      expect(res.headers['x-request-id']).toBe(res.headers['x-amzn-requestid']);
      expect(res.headers).not.toHaveProperty('x-missing');
      expect(res.text).toBe('{"message": "Internal server error"}');
    });

    it('renders $input.params, $stageVariables and $context in templates', async () => {
      const app = createApp(
        api({
          MISSING_AUTHENTICATION_TOKEN: {
            responseTemplates: {
              'application/json':
                '{"q":"$input.params(\'q\')","h":"$input.params(\'X-Client\')","color":"$stageVariables.color","stage":"$context.stage","path":"$context.path","v":"$context.error.validationErrorString"}',
            },
          },
        }),
        express,
      );
      const res = await request(app).get('/prod/nope?q=1').set('X-Client', 'web');
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text)).toEqual({
        q: '1',
        h: 'web',
        color: 'blue',
        stage: 'prod',
        path: '/prod/nope',
        v: '',
      });
    });

    it('messageString is null, unquoted, when the type has no message', async () => {
      const app = errorApp(express, {
        AUTHORIZER_CONFIGURATION_ERROR: {
          responseTemplates: {
            'application/json': '{"m":$context.error.messageString,"raw":"$context.error.message"}',
          },
        },
      });
      const res = await request(app).get('/AUTHORIZER_CONFIGURATION_ERROR');
      expect(res.status).toBe(500);
      expect(res.text).toBe('{"m":null,"raw":""}');
    });

    it('gives $context.error.validationErrorString the detail the error carries', async () => {
      const app = errorApp(
        express,
        {
          BAD_REQUEST_BODY: {
            responseTemplates: { 'application/json': '$context.error.validationErrorString' },
          },
        },
        (type) =>
          new GatewayError(type, {
            validationErrorString: '[object has missing required properties (["name"])]',
          }),
      );
      const res = await request(app).get('/BAD_REQUEST_BODY').parse(asText);
      // JSON-escaped, unquoted: the template supplies the quotes (guards §4)
      expect(res.body).toBe('[object has missing required properties ([\\"name\\"])]');
    });

    it('chooses the template by Accept, else application/json, else the first declared', async () => {
      const config = (templates: Record<string, string>) =>
        createApp(api({ MISSING_AUTHENTICATION_TOKEN: { responseTemplates: templates } }), express);
      const both = config({ 'text/html': '<b>$context.error.message</b>', 'application/json': '{"j":1}' });
      const html = await request(both).get('/prod/nope').set('Accept', 'text/html, */*');
      expect([html.headers['content-type'], html.text]).toEqual([
        'text/html',
        '<b>Missing Authentication Token</b>',
      ]);
      const none = await request(both).get('/prod/nope');
      expect([none.headers['content-type'], none.text]).toEqual(['application/json', '{"j":1}']);
      const other = await request(both).get('/prod/nope').set('Accept', 'text/csv');
      expect([other.headers['content-type'], other.text]).toEqual(['application/json', '{"j":1}']);
      const xmlOnly = config({ 'application/xml': '<m/>' });
      const first = await request(xmlOnly).get('/prod/nope');
      expect([first.headers['content-type'], first.text]).toEqual(['application/xml', '<m/>']);
    });
  });

  describe('DEFAULT_4XX and DEFAULT_5XX', () => {
    it('DEFAULT_4XX.statusCode changes every unconfigured 4xx type, and its header goes with it', async () => {
      const app = createApp(
        api({
          DEFAULT_4XX: {
            statusCode: '400',
            responseParameters: { 'gatewayresponse.header.X-Default': "'4xx'" },
          },
        }),
        express,
      );
      const missing = await request(app).get('/prod/nope');
      expect(missing.status).toBe(400);
      expect(missing.headers['x-default']).toBe('4xx');
      expect(missing.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      expect(missing.text).toBe('{"message":"Missing Authentication Token"}');
      const media = await request(app).post('/prod/strict').set('Content-Type', 'text/plain').send('x');
      expect([media.status, media.headers['x-default']]).toEqual([400, '4xx']);
      const server = await request(app).get('/prod/malformed');
      expect([server.status, server.headers['x-default']]).toEqual([502, undefined]);
    });

    it("a type's own response wins over DEFAULT_4XX, whole", async () => {
      const app = createApp(
        api({
          DEFAULT_4XX: {
            statusCode: '400',
            responseParameters: { 'gatewayresponse.header.X-Default': "'4xx'" },
          },
          UNSUPPORTED_MEDIA_TYPE: { responseParameters: { 'gatewayresponse.header.X-Own': "'415'" } },
        }),
        express,
      );
      const res = await request(app).post('/prod/strict').set('Content-Type', 'text/plain').send('x');
      expect(res.status).toBe(415);
      expect(res.headers['x-own']).toBe('415');
      expect(res.headers).not.toHaveProperty('x-default');
      expect((await request(app).get('/prod/nope')).status).toBe(400);
    });

    it('DEFAULT_5XX shapes every unconfigured 5xx: 500, 502, 504 and a response that cannot be sent', async () => {
      const app = createApp(
        api({
          DEFAULT_5XX: {
            responseParameters: { 'gatewayresponse.header.X-Default': "'5xx'" },
            responseTemplates: { 'application/json': '{"error":$context.error.messageString}' },
          },
        }),
        express,
      );
      for (const [path, status, message] of [
        ['/prod/items/1', 500, 'Internal server error'],
        ['/prod/malformed', 502, 'Internal server error'],
        ['/prod/slow', 504, 'Endpoint request timed out'],
        ['/prod/interim', 500, 'Internal server error'],
      ] as const) {
        const res = await request(app).get(path);
        expect([path, res.status, res.headers['x-default'], res.text]).toEqual([
          path,
          status,
          '5xx',
          `{"error":"${message}"}`,
        ]);
      }
      const client = await request(app).get('/prod/nope');
      expect([client.status, client.headers['x-default']]).toEqual([403, undefined]);
    });

    it('falls back by the status the error goes out with: the 400 for a non-JSON payload is a 4xx', async () => {
      const app = createApp(
        api({
          DEFAULT_4XX: { responseTemplates: { 'application/json': '{"m":$context.error.messageString}' } },
        }),
        express,
      );
      const res = await request(app).post('/prod/not-json').set('Content-Type', 'text/plain').send('hello');
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).m).toMatch(/^Could not parse request body into json: /);
    });

    it("DEFAULT_4XX's headers reach the 401", async () => {
      const app = errorApp(express, {
        DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } },
      });
      const res = await request(app).get('/UNAUTHORIZED');
      expect(res.status).toBe(401);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.text).toBe('{"message":"Unauthorized"}');
    });

    it('leaves the 10 MB 413 and the 414, answered before the API, as they are', async () => {
      const app = createApp(
        api({
          DEFAULT_4XX: {
            statusCode: '400',
            responseParameters: { 'gatewayresponse.header.X-Default': "'4xx'" },
          },
        }),
        express,
      );
      const long = await request(app).get(`/prod/ok?q=${'a'.repeat(10_300)}`);
      expect([long.status, long.headers['x-default'], long.text]).toEqual([
        414,
        undefined,
        '{"message":"Request URI too long"}',
      ]);
      const large = await request(app)
        .post('/prod/ok')
        .set('Content-Length', String(10 * 1024 * 1024 + 1))
        .send('');
      expect([large.status, large.headers['x-default']]).toEqual([413, undefined]);
    });
  });

  describe('ACCESS_DENIED body', () => {
    const denied = (config: ApiGatewayOptions['gatewayResponses']) =>
      request(errorApp(express, config)).get('/ACCESS_DENIED');

    it('keeps the capital "Message" while neither ACCESS_DENIED nor DEFAULT_4XX has a template', async () => {
      const res = await denied({
        DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.X-A': "'a'" } },
      });
      expect([res.status, res.headers['x-a'], res.text]).toEqual([
        403,
        'a',
        '{"Message":"User is not authorized to access this resource"}',
      ]);
    });

    it("renders DEFAULT_4XX's template instead", async () => {
      const res = await denied({
        DEFAULT_4XX: {
          responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
        },
      });
      expect(res.text).toBe('{"message":"User is not authorized to access this resource"}');
    });

    it("renders ACCESS_DENIED's own template", async () => {
      const res = await denied({
        ACCESS_DENIED: { responseTemplates: { 'application/json': 'no: $context.error.message' } },
      }).parse(asText);
      expect(res.body).toBe('no: User is not authorized to access this resource');
    });

    it('is lower-case when DEFAULT_4XX has a template but ACCESS_DENIED, put without one, answers', async () => {
      const res = await denied({
        ACCESS_DENIED: { statusCode: '401' },
        DEFAULT_4XX: { responseTemplates: { 'application/json': 'unused' } },
      });
      expect([res.status, res.text]).toEqual([
        401,
        '{"message":"User is not authorized to access this resource"}',
      ]);
    });
  });
});

describe('gateway responses at startup', () => {
  const options = (gatewayResponses: unknown): ApiGatewayOptions =>
    ({ ...api(), logger: silentLogger(), gatewayResponses }) as ApiGatewayOptions;

  it.each([
    [
      'an unknown response type',
      { NOT_A_TYPE: {} },
      /^gatewayResponses\.NOT_A_TYPE: unknown gateway response type/,
    ],
    ['a non-object', 'yes', /^gatewayResponses: must be an object/],
    [
      'an unknown field',
      { UNAUTHORIZED: { status: '401' } },
      /^gatewayResponses\.UNAUTHORIZED: unknown field "status"/,
    ],
    [
      'a status out of range',
      { UNAUTHORIZED: { statusCode: '600' } },
      /^gatewayResponses\.UNAUTHORIZED\.statusCode: /,
    ],
    [
      'an interim status',
      { UNAUTHORIZED: { statusCode: '101' } },
      /^gatewayResponses\.UNAUTHORIZED\.statusCode: /,
    ],
    [
      'a numeric status',
      { UNAUTHORIZED: { statusCode: 401 } },
      /^gatewayResponses\.UNAUTHORIZED\.statusCode: /,
    ],
    [
      'a key that is not gatewayresponse.header.X',
      { DEFAULT_4XX: { responseParameters: { 'method.response.header.X': "'a'" } } },
      /^gatewayResponses\.DEFAULT_4XX\.responseParameters\["method\.response\.header\.X"\]: keys are gatewayresponse\.header\.\{name\}/,
    ],
    [
      'a header name Node refuses',
      { DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.Bad Name': "'a'" } } },
      /responseParameters\["gatewayresponse\.header\.Bad Name"\]: keys are/,
    ],
    [
      'a source that is not allowed',
      { DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.X': 'integration.response.body' } } },
      /^gatewayResponses\.DEFAULT_4XX\.responseParameters\["gatewayresponse\.header\.X"\]: "integration\.response\.body" is not a mapping source/,
    ],
    [
      'an unquoted static value',
      { DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.X': '*' } } },
      /"\*" is not a mapping source/,
    ],
    [
      'a static value with a control character',
      { DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.X': "'a\u0001b'" } } },
      /gatewayresponse\.header\.X"\]: .* is not a valid header value/,
    ],
    [
      'a template key that is not a media type',
      { DEFAULT_4XX: { responseTemplates: { json: '{}' } } },
      /^gatewayResponses\.DEFAULT_4XX\.responseTemplates\["json"\]: keys are media types/,
    ],
    [
      'a template that is not a string',
      { DEFAULT_4XX: { responseTemplates: { 'application/json': 1 } } },
      /^gatewayResponses\.DEFAULT_4XX\.responseTemplates\["application\/json"\]: must be a string/,
    ],
    [
      'a template that fails to compile',
      { DEFAULT_5XX: { responseTemplates: { 'application/json': '#if($x) open' } } },
      /^gatewayResponses\.DEFAULT_5XX\.responseTemplates\["application\/json"\]: /,
    ],
  ])('refuses %s', (_name, config, message) => {
    expect(() => apiGateway(options(config))).toThrow(ConfigError);
    expect(() => apiGateway(options(config))).toThrow(message);
  });
});
