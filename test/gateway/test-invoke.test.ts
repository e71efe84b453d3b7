import { type ApiGatewayOptions, apiGateway, testInvoke } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

// AWS's Lambda non-proxy tutorial, whose Test log is documented line by line:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-lambda-non-proxy-integration.html
const NOW = Date.UTC(2017, 7, 31, 1, 7, 25);
const TIME = 'Thu Aug 31 01:07:25 UTC 2017';

function tutorialApi(extra: Partial<ApiGatewayOptions> = {}) {
  return apiGateway({
    logger: silentLogger(),
    clock: () => NOW,
    region: 'us-west-2',
    accountId: '123456789012',
    functions: {
      GetStartedLambdaIntegration: async (event: {
        city: string;
        time: string;
        day: string;
        name: string;
      }) => ({
        greeting: `Good ${event.time}, ${event.name} of ${event.city}. Happy ${event.day}!`,
      }),
    },
    requestValidators: { params: { validateRequestParameters: true } },
    resources: {
      '/{city}': {
        ANY: {
          requestValidator: 'params',
          requestParameters: { 'method.request.querystring.time': true, 'method.request.header.day': true },
          integration: {
            type: 'AWS',
            function: 'GetStartedLambdaIntegration',
            passthroughBehavior: 'WHEN_NO_TEMPLATES',
            requestTemplates: {
              'application/json': `#set($inputRoot = $input.path('$'))
{
"city": "$input.params('city')",
"time": "$input.params('time')",
"day": "$input.params('day')",
"name" : "$inputRoot.callerName"
}`,
            },
            integrationResponses: [{ statusCode: '200' }],
          },
          methodResponses: [{ statusCode: '200' }],
        },
      },
    },
    ...extra,
  } as ApiGatewayOptions);
}

/** The log's lines without the time prefix, which must be the clock's time on every line. */
function steps(log: string): string[] {
  const [header, ...lines] = log.trimEnd().split(/\n(?=[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d )/);
  return [header, ...lines.map((line) => line.slice(line.indexOf(' : ') + 3))];
}

describe('testInvoke', () => {
  it("logs the non-proxy tutorial's documented Test log, step for step", async () => {
    const result = await testInvoke(tutorialApi(), {
      method: 'POST',
      path: '/Seattle',
      query: 'time=morning',
      headers: { day: 'Wednesday' },
      body: '{ "callerName": "John" }',
    });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ greeting: 'Good morning, John of Seattle. Happy Wednesday!' });
    const id = result.headers['x-amzn-RequestId'];
    const trace = result.headers['X-Amzn-Trace-Id'];
    const uri =
      'https://lambda.us-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:GetStartedLambdaIntegration/invocations';
    for (const line of result.log.trimEnd().split('\n').slice(1)) {
      if (/^[A-Z][a-z]{2} /.test(line)) expect(line.startsWith(`${TIME} : `)).toBe(true);
    }
    const lines = steps(result.log);
    // The documented lines, but for what is ours to make up: ids, the signed headers, the
    // function's response headers, and the newer `Status:` AWS now adds to "Received response".
    expect(lines.filter((line) => !/^Endpoint (request|response) headers: /.test(line))).toEqual([
      `Execution log for request ${id}`,
      `Starting execution for request: ${id}`,
      'HTTP Method: POST, Resource Path: /Seattle',
      'Method request path: {city=Seattle}',
      'Method request query string: {time=morning}',
      'Method request headers: {day=Wednesday}',
      'Method request body before transformations: { "callerName": "John" }',
      'Request validation succeeded for content type application/json',
      `Endpoint request URI: ${uri}`,
      'Endpoint request body after transformations: {\n"city": "Seattle",\n"time": "morning",\n"day": "Wednesday",\n"name" : "John"\n}',
      `Sending request to ${uri}`,
      'Received response. Status: 200, Integration latency: 0 ms',
      'Endpoint response body before transformations: {"greeting":"Good morning, John of Seattle. Happy Wednesday!"}',
      'Method response body after transformations: {"greeting":"Good morning, John of Seattle. Happy Wednesday!"}',
      `Method response headers: {X-Amzn-Trace-Id=${trace}, Content-Type=application/json}`,
      'Successfully completed execution',
      'Method completed with status: 200',
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^Endpoint request headers: \{X-Amz-Date=20170831T010725Z, x-amzn-apigateway-api-id=\w+, Accept=application\/json, User-Agent=AmazonAPIGateway_\w+, Host=lambda\.us-west-2\.amazonaws\.com, X-Amz-Content-Sha256=[0-9a-f]{64}, X-Amzn-Trace-Id=Root=[^,]+, x-amzn-lambda-integration-tag=[0-9a-f-]{36}, X-Amz-Source-Arn=arn:aws:execute-api:us-west-2:123456789012:\w+\/test-invoke-stage\/POST\/\{city\}\}$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^Endpoint response headers: \{Date=Thu, 31 Aug 2017 01:07:25 GMT, Content-Type=application\/json, Content-Length=62, Connection=keep-alive, x-amzn-RequestId=[0-9a-f-]{36}, x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=\$LATEST, X-Amzn-Trace-Id=root=/,
      ),
    );
  });

  it('logs a proxy integration as the recorded test-invoke-method of one (2024): no headers, no body', async () => {
    const api = apiGateway({
      logger: silentLogger(),
      clock: () => NOW,
      functions: { employees: async () => ({ statusCode: 200, body: '[]' }) },
      resources: { '/employees': { GET: { integration: { type: 'AWS_PROXY', function: 'employees' } } } },
    });
    const result = await testInvoke(api, { method: 'GET', path: '/employees' });
    const lines = steps(result.log);
    expect(lines.slice(0, 8)).toEqual([
      `Execution log for request ${result.headers['x-amzn-RequestId']}`,
      `Starting execution for request: ${result.headers['x-amzn-RequestId']}`,
      'HTTP Method: GET, Resource Path: /employees',
      'Method request path: {}',
      'Method request query string: {}',
      'Method request headers: {}',
      'Method request body before transformations: ',
      expect.stringMatching(
        /^Endpoint request URI: https:\/\/lambda\.us-east-1\.amazonaws\.com\/2015-03-31\/functions\/arn:aws:lambda:us-east-1:123456789012:function:employees\/invocations$/,
      ),
    ]);
    // The event is longer than a log line: cut at 1,024 characters, as the recorded one is.
    const body = lines.find((line) =>
      line.startsWith('Endpoint request body after transformations: '),
    ) as string;
    expect(
      body.startsWith(
        'Endpoint request body after transformations: {"resource":"/employees","path":"/employees","httpMethod":"GET","headers":',
      ),
    ).toBe(true);
    expect(body).toHaveLength(1024 + ' [TRUNCATED]'.length);
    expect(body.endsWith(' [TRUNCATED]')).toBe(true);
    expect(lines.slice(-5)).toEqual([
      'Endpoint response body before transformations: {"statusCode":200,"body":"[]"}',
      'Method response body after transformations: []',
      `Method response headers: {Content-Type=application/json, X-Amzn-Trace-Id=${result.headers['X-Amzn-Trace-Id']}}`,
      'Successfully completed execution',
      'Method completed with status: 200',
    ]);
    expect(result).toMatchObject({ status: 200, body: '[]', latencyMs: 0 });
  });

  it("gives the function the test invoke's stage and a path without one, as recorded", async () => {
    const api = apiGateway({
      logger: silentLogger(),
      stageName: 'dev',
      functions: {
        fn: async (event: { requestContext: { stage: string; path: string } }) => ({
          statusCode: 200,
          body: JSON.stringify([event.requestContext.stage, event.requestContext.path]),
        }),
      },
      resources: { '/employees': { GET: { integration: { type: 'AWS_PROXY', function: 'fn' } } } },
    });
    const result = await testInvoke(api, { method: 'GET', path: '/employees' });
    expect(JSON.parse(result.body)).toEqual(['test-invoke-stage', '/employees']);
    expect(result.log).toMatch(
      /X-Amz-Source-Arn=arn:aws:execute-api:us-east-1:123456789012:\w+\/test-invoke-stage\/GET\/employees\}/,
    );
  });

  it('logs a MOCK integration: its template, no endpoint call, the mapped response', async () => {
    const api = apiGateway({
      logger: silentLogger(),
      clock: () => NOW,
      resources: {
        '/mock': {
          GET: {
            integration: {
              type: 'MOCK',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              integrationResponses: [
                { statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } },
              ],
            },
            methodResponses: [{ statusCode: '200' }],
          },
        },
      },
    });
    const result = await testInvoke(api, { method: 'GET', path: '/mock' });
    expect(steps(result.log).slice(2)).toEqual([
      'HTTP Method: GET, Resource Path: /mock',
      'Method request path: {}',
      'Method request query string: {}',
      'Method request headers: {}',
      'Method request body before transformations: ',
      'Endpoint request body after transformations: {"statusCode": 200}',
      'Method response body after transformations: {"ok":true}',
      'Method response headers: {Content-Type=application/json}',
      'Successfully completed execution',
      'Method completed with status: 200',
    ]);
    expect(result.body).toBe('{"ok":true}');
  });

  describe('integration errors', () => {
    const failing = (handler: (...args: never[]) => unknown, integration: Record<string, unknown> = {}) =>
      apiGateway({
        logger: silentLogger(),
        clock: () => NOW,
        functions: { fn: { handler: handler as never, timeout: 60 } },
        resources: {
          '/x': { GET: { integration: { type: 'AWS_PROXY', function: 'fn', ...integration } as never } },
        },
      });

    it('a function error: "Lambda execution failed with status 200 due to customer function error", 502', async () => {
      const result = await testInvoke(
        failing(async () => {
          throw new Error('Application error in a Lambda function');
        }),
        { method: 'GET', path: '/x' },
      );
      const lines = steps(result.log);
      const lambdaId = /x-amzn-RequestId=([0-9a-f-]{36})/.exec(result.log)?.[1];
      expect(lines.slice(-2)).toEqual([
        `Lambda execution failed with status 200 due to customer function error: Application error in a Lambda function. Lambda request id: ${lambdaId}`,
        'Method completed with status: 502',
      ]);
      expect(lines).toContainEqual(
        expect.stringMatching(/^Endpoint response headers: \{.*X-Amz-Function-Error=Unhandled/),
      );
      expect(lines).not.toContain('Successfully completed execution');
      expect(result.status).toBe(502);
    });

    it('an integration timeout: "Execution failed due to a timeout error", 504', async () => {
      const result = await testInvoke(
        failing(() => new Promise(() => undefined), { timeoutInMillis: 50 }),
        { method: 'GET', path: '/x' },
      );
      const lines = steps(result.log);
      expect(lines.slice(-3)).toEqual([
        expect.stringMatching(/^Sending request to https:\/\/lambda\./),
        'Execution failed due to a timeout error',
        'Method completed with status: 504',
      ]);
      expect(result.status).toBe(504);
    });

    it('a malformed proxy result: "Malformed Lambda proxy response", 502', async () => {
      const result = await testInvoke(
        failing(async () => ({ statusCode: 200, body: { hey: 'dude' } })),
        { method: 'GET', path: '/x' },
      );
      expect(steps(result.log).slice(-3)).toEqual([
        'Endpoint response body before transformations: {"statusCode":200,"body":{"hey":"dude"}}',
        'Execution failed due to configuration error: Malformed Lambda proxy response',
        'Method completed with status: 502',
      ]);
      expect(result.status).toBe(502);
    });

    it('a non-proxy function error with no integration response for it: "No match for output mapping", 500', async () => {
      const api = apiGateway({
        logger: silentLogger(),
        clock: () => NOW,
        functions: {
          fn: async () => {
            throw new Error('Bad thing');
          },
        },
        resources: {
          '/x': {
            GET: {
              integration: {
                type: 'AWS',
                function: 'fn',
                integrationResponses: [{ statusCode: '400', selectionPattern: 'Nope.*' }],
              },
              methodResponses: [{ statusCode: '400' }],
            },
          },
        },
      });
      const result = await testInvoke(api, { method: 'GET', path: '/x' });
      expect(steps(result.log).slice(-3)).toEqual([
        expect.stringMatching(
          /^Lambda execution failed with status 200 due to customer function error: Bad thing\. Lambda request id: [0-9a-f-]{36}$/,
        ),
        'Execution failed due to configuration error: No match for output mapping and no default output mapping configured',
        'Method completed with status: 500',
      ]);
    });
  });

  it("logs an asynchronous invocation's 202 from Lambda", async () => {
    const api = apiGateway({
      logger: silentLogger(),
      clock: () => NOW,
      functions: { fn: async () => 'ignored' },
      resources: {
        '/x': {
          POST: {
            integration: {
              type: 'AWS',
              function: 'fn',
              requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
              integrationResponses: [{ statusCode: '200' }],
            },
            methodResponses: [{ statusCode: '200' }],
          },
        },
      },
    });
    const result = await testInvoke(api, { method: 'POST', path: '/x', body: '{}' });
    expect(result.status).toBe(200);
    expect(steps(result.log)).toContain('Received response. Status: 202, Integration latency: 0 ms');
  });

  it('logs a failed body validation with the model detail, and no integration call', async () => {
    const api = apiGateway({
      logger: silentLogger(),
      clock: () => NOW,
      functions: { fn: async () => ({ statusCode: 200, body: '' }) },
      models: { Pet: { type: 'object', required: ['name'] } },
      requestValidators: { body: { validateRequestBody: true } },
      resources: {
        '/pets': {
          POST: {
            requestValidator: 'body',
            requestModels: { 'application/json': 'Pet' },
            integration: { type: 'AWS_PROXY', function: 'fn' },
          },
        },
      },
    });
    const result = await testInvoke(api, {
      method: 'POST',
      path: '/pets',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(result.status).toBe(400);
    expect(steps(result.log).slice(-4)).toEqual([
      'Method request body before transformations: {}',
      'Request body does not match model schema for content type application/json: [object has missing required properties (["name"])]',
      'Gateway response type: BAD_REQUEST_BODY with status code: 400',
      'Method completed with status: 400',
    ]);
  });

  describe('authorizers', () => {
    const guarded = (authorizer: (event: { authorizationToken: string }) => unknown) =>
      apiGateway({
        logger: silentLogger(),
        clock: () => NOW,
        functions: { fn: async () => ({ statusCode: 200, body: 'in' }), auth: authorizer as never },
        authorizers: { tokens: { type: 'TOKEN', function: 'auth', authorizerResultTtlInSeconds: 0 } },
        resources: {
          '/x': {
            GET: {
              authorizationType: 'CUSTOM',
              authorizer: 'tokens',
              integration: { type: 'AWS_PROXY', function: 'fn' },
            },
          },
        },
      } as ApiGatewayOptions);
    const policy = (effect: string, principalId = '6527a55d-5498-428b-a997-8213981c70cd') => ({
      principalId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: '*' }],
      },
    });

    it("bypasses the method's authorizer by default, as AWS's test invoke does", async () => {
      const authorizer = jest.fn(async () => policy('Deny'));
      const result = await testInvoke(guarded(authorizer), { method: 'GET', path: '/x' });
      expect(result.status).toBe(200);
      expect(authorizer).not.toHaveBeenCalled();
      expect(result.log).not.toContain('authorizer');
    });

    it('with authorize: true, logs the authorizer that allows, its principal redacted', async () => {
      const result = await testInvoke(
        guarded(async () => policy('Allow')),
        {
          method: 'GET',
          path: '/x',
          headers: { Authorization: 'allow-me-please' },
          authorize: true,
        },
      );
      expect(result.status).toBe(200);
      const lines = steps(result.log);
      const id = result.headers['x-amzn-RequestId'];
      expect(lines.slice(1, 7)).toEqual([
        expect.stringMatching(new RegExp(`^Starting authorizer: [a-z0-9]{6} for request: ${id}$`)),
        'Incoming identity: *********please',
        expect.stringMatching(
          /^Endpoint request URI: https:\/\/lambda\.us-east-1\.amazonaws\.com\/2015-03-31\/functions\/arn:aws:lambda:us-east-1:123456789012:function:auth\/invocations$/,
        ),
        expect.stringMatching(
          /^Endpoint request body after transformations: \{"type":"TOKEN","methodArn":"arn:aws:execute-api:/,
        ),
        expect.stringMatching(/^Authorizer result body before parsing: \{"principalId":"6527a55d/),
        'Using valid authorizer policy for principal: ******************************1c70cd',
      ]);
      expect(lines[7]).toBe('Successfully completed authorizer execution');
      expect(lines[8]).toBe(`Starting execution for request: ${id}`);
      expect(lines).toContain('Method request headers: {Authorization=*********please}');
    });

    it('with authorize: true, logs a deny and the 403', async () => {
      const result = await testInvoke(
        guarded(async () => policy('Deny')),
        {
          method: 'GET',
          path: '/x',
          headers: { Authorization: 'token' },
          authorize: true,
        },
      );
      expect(result.status).toBe(403);
      expect(steps(result.log).slice(-5)).toEqual([
        'Using valid authorizer policy for principal: ******************************1c70cd',
        'Successfully completed authorizer execution',
        'The client is not authorized to perform this operation.',
        'Gateway response type: ACCESS_DENIED with status code: 403',
        'Method completed with status: 403',
      ]);
    });

    it('with authorize: true, logs an authorizer that throws as an authorizer configuration error', async () => {
      const result = await testInvoke(
        guarded(async () => {
          throw new Error('boom');
        }),
        { method: 'GET', path: '/x', headers: { Authorization: 'token' }, authorize: true },
      );
      expect(result.status).toBe(500);
      expect(steps(result.log).slice(-3)).toEqual([
        'Execution failed due to configuration error: Authorizer error',
        'Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500',
        'Method completed with status: 500',
      ]);
    });

    it('with authorize: true, logs an Unauthorized answer', async () => {
      const result = await testInvoke(
        guarded(async () => {
          throw new Error('Unauthorized');
        }),
        { method: 'GET', path: '/x', headers: { Authorization: 'token' }, authorize: true },
      );
      expect(result.status).toBe(401);
      expect(steps(result.log).slice(-3)).toEqual([
        `Unauthorized request: ${result.headers['x-amzn-RequestId']}`,
        'Gateway response type: UNAUTHORIZED with status code: 401',
        'Method completed with status: 401',
      ]);
    });
  });

  it("takes stage variables for the call, over the stage's own", async () => {
    const api = apiGateway({
      logger: silentLogger(),
      stageVariables: { color: 'red', size: 'L' },
      functions: {
        fn: async (event: { stageVariables: unknown }) => ({
          statusCode: 200,
          body: JSON.stringify(event.stageVariables),
        }),
      },
      resources: { '/x': { GET: { integration: { type: 'AWS_PROXY', function: 'fn' } } } },
    });
    const result = await testInvoke(api, { method: 'GET', path: '/x', stageVariables: { color: 'blue' } });
    expect(JSON.parse(result.body)).toEqual({ color: 'blue', size: 'L' });
  });

  it('takes query and headers as maps, several values each', async () => {
    const api = apiGateway({
      logger: silentLogger(),
      functions: {
        fn: async (event: {
          multiValueQueryStringParameters: unknown;
          multiValueHeaders: Record<string, unknown>;
        }) => ({
          statusCode: 200,
          body: JSON.stringify([event.multiValueQueryStringParameters, event.multiValueHeaders['x-a']]),
        }),
      },
      resources: { '/x': { GET: { integration: { type: 'AWS_PROXY', function: 'fn' } } } },
    });
    const result = await testInvoke(api, {
      method: 'get',
      path: 'x',
      query: { a: ['1', '2'] },
      headers: { 'x-a': ['p', 'q'] },
    });
    expect(JSON.parse(result.body)).toEqual([{ a: ['1', '2'] }, ['p', 'q']]);
    expect(steps(result.log)).toContain('Method request query string: {a=1,2}');
  });

  it('rejects what apiGateway() did not make', async () => {
    await expect(testInvoke((() => undefined) as never, { method: 'GET', path: '/' })).rejects.toThrow(
      TypeError,
    );
  });
});
