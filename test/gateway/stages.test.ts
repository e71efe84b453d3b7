import type { APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import express5 from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { resolveStageVariables } from '../../src/gateway/stage-variables.js';
import type { ApiGatewayOptions, Method } from '../../src/index.js';
import { apiGateway, ConfigError, testInvoke } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const FN_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations';

/** A function answering its own name and what the event says of the stage. */
function named(name: string, events: APIGatewayProxyEvent[] = []) {
  return async (event: APIGatewayProxyEvent) => {
    events.push(event);
    return { statusCode: 200, body: JSON.stringify({ fn: name, stage: event.requestContext.stage }) };
  };
}

/** In every REST event, though @types/aws-lambda leaves it out. */
const deploymentIdOf = (event: APIGatewayProxyEvent) =>
  (event.requestContext as unknown as { deploymentId: string }).deploymentId;

const contextEcho: Method = {
  integration: {
    type: 'MOCK',
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [
      {
        statusCode: '200',
        responseTemplates: {
          'application/json':
            '{"stage":"$context.stage","deploymentId":"$context.deploymentId","color":"$stageVariables.color","path":"$context.path"}',
        },
      },
    ],
  },
};

function twoStages(
  extra: Partial<ApiGatewayOptions> = {},
  events: APIGatewayProxyEvent[] = [],
): ApiGatewayOptions {
  return {
    logger: silentLogger(),
    clock: () => 1_700_000_000_000,
    functions: { 'orders-beta': named('orders-beta', events), 'orders-prod': named('orders-prod', events) },
    stages: {
      beta: { variables: { fn: 'orders-beta', color: 'blue' } },
      prod: { variables: { fn: 'orders-prod', color: 'green' }, deploymentId: 'd1prod' },
    },
    resources: {
      '/orders': { GET: { integration: { type: 'AWS_PROXY', uri: FN_URI } } },
      '/context': { GET: contextEcho },
    },
    ...extra,
  };
}

describe.each(EXPRESS_VERSIONS)('stages (Express %s)', (_v, express) => {
  it('serves each stage under /{stage}, the stage variable choosing the function', async () => {
    const events: APIGatewayProxyEvent[] = [];
    const app = createApp(twoStages({}, events), express);
    const beta = await request(app).get('/beta/orders');
    const prod = await request(app).get('/prod/orders');
    expect([beta.status, beta.body]).toEqual([200, { fn: 'orders-beta', stage: 'beta' }]);
    expect([prod.status, prod.body]).toEqual([200, { fn: 'orders-prod', stage: 'prod' }]);
    expect(events.map((e) => e.stageVariables)).toEqual([
      { fn: 'orders-beta', color: 'blue' },
      { fn: 'orders-prod', color: 'green' },
    ]);
    expect(events.map((e) => [e.path, e.requestContext.path, deploymentIdOf(e)])).toEqual([
      ['/orders', '/beta/orders', expect.stringMatching(/^[a-z0-9]{6}$/)],
      ['/orders', '/prod/orders', 'd1prod'],
    ]);
    expect(deploymentIdOf(events[0])).not.toBe('d1prod');
    expect(events[0].requestContext.apiId).toBe(events[1].requestContext.apiId);
  });

  it("gives templates each stage's $context.stage, $context.deploymentId and $stageVariables", async () => {
    const app = createApp(twoStages(), express);
    const beta = await request(app).get('/beta/context');
    const prod = await request(app).get('/prod/context');
    expect(beta.status).toBe(200);
    expect(JSON.parse(beta.text)).toEqual({
      stage: 'beta',
      deploymentId: expect.stringMatching(/^[a-z0-9]{6}$/),
      color: 'blue',
      path: '/beta/context',
    });
    expect(JSON.parse(prod.text)).toEqual({
      stage: 'prod',
      deploymentId: 'd1prod',
      color: 'green',
      path: '/prod/context',
    });
  });

  it('passes a path under no stage to the next middleware, and answers 403 under a stage', async () => {
    const app = createApp(twoStages(), express, {
      after: (a) => a.use((_req, res) => res.status(404).send('host app')),
    });
    const outside = await request(app).get('/gamma/orders');
    expect([outside.status, outside.text]).toEqual([404, 'host app']);
    const prefix = await request(app).get('/betas/orders');
    expect([prefix.status, prefix.text]).toEqual([404, 'host app']);
    const missing = await request(app).get('/beta/nope');
    expect(missing.status).toBe(403);
    expect(missing.body).toEqual({ message: 'Missing Authentication Token' });
    // Dot segments into another stage are that stage's to refuse, as a URL reader would resolve them.
    const dotted = await request(app).get('/beta/../prod/orders');
    expect(dotted.status).toBe(400);
    const doubled = await request(app).get('//prod/orders?x=1');
    expect([doubled.status, doubled.body]).toEqual([200, { fn: 'orders-prod', stage: 'prod' }]);
  });

  it('throttles each stage by its own method settings, in buckets of its own', async () => {
    const throttle = {
      resourcePath: '/*',
      httpMethod: '*',
      throttlingRateLimit: 0.001,
      throttlingBurstLimit: 1,
    };
    const options = twoStages();
    options.stages = {
      beta: { variables: { fn: 'orders-beta' }, methodSettings: [throttle] },
      prod: { variables: { fn: 'orders-prod' }, methodSettings: [throttle] },
      dev: { variables: { fn: 'orders-beta' } },
    };
    const app = createApp(options, express);
    const statuses = async (stage: string) => [
      (await request(app).get(`/${stage}/orders`)).status,
      (await request(app).get(`/${stage}/orders`)).status,
    ];
    expect(await statuses('beta')).toEqual([200, 429]);
    expect(await statuses('prod')).toEqual([200, 429]);
    expect(await statuses('dev')).toEqual([200, 200]);
    const throttled = await request(app).get('/beta/orders');
    expect(throttled.body).toEqual({ message: 'Too Many Requests' });
  });

  it('top-level methodSettings apply to the stages that give none', async () => {
    const options = twoStages({
      methodSettings: [
        { resourcePath: '/orders', httpMethod: 'GET', throttlingRateLimit: 0.001, throttlingBurstLimit: 1 },
      ],
    });
    options.stages = {
      beta: { variables: { fn: 'orders-beta' } },
      prod: { variables: { fn: 'orders-prod' }, methodSettings: [] },
    };
    const app = createApp(options, express);
    expect((await request(app).get('/beta/orders')).status).toBe(200);
    expect((await request(app).get('/beta/orders')).status).toBe(429);
    expect((await request(app).get('/prod/orders')).status).toBe(200);
    expect((await request(app).get('/prod/orders')).status).toBe(200);
  });

  it("keeps each stage's authorizer results in a cache of its own", async () => {
    const calls: string[] = [];
    const options = twoStages();
    options.functions = {
      ...options.functions,
      auth: async (event: APIGatewayTokenAuthorizerEvent) => {
        calls.push(event.methodArn);
        return {
          principalId: 'user',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }],
          },
        };
      },
    };
    options.authorizers = { auth: { type: 'TOKEN', function: 'auth', authorizerResultTtlInSeconds: 300 } };
    options.resources = {
      '/orders': {
        GET: {
          authorizationType: 'CUSTOM',
          authorizer: 'auth',
          integration: { type: 'AWS_PROXY', uri: FN_URI },
        },
      },
    };
    const app = createApp(options, express);
    for (const stage of ['beta', 'beta', 'prod', 'prod', 'beta']) {
      const res = await request(app).get(`/${stage}/orders`).set('Authorization', 'token-1');
      expect(res.status).toBe(200);
    }
    expect(calls).toEqual([
      expect.stringMatching(/\/beta\/GET\/orders$/),
      expect.stringMatching(/\/prod\/GET\/orders$/),
    ]);
  });

  it('writes each access-log line with its stage, to the destination given once', async () => {
    const lines: string[] = [];
    const options = twoStages({
      accessLogSettings: {
        format: '$context.stage $context.requestId $context.path',
        destination: (l) => lines.push(l),
      },
    });
    options.stages = {
      beta: { variables: { fn: 'orders-beta' } },
      prod: {
        variables: { fn: 'orders-prod' },
        accessLogSettings: { format: 'prod $context.status $context.requestId' },
      },
    };
    const app = createApp(options, express);
    await request(app).get('/beta/orders');
    await request(app).get('/prod/orders');
    expect(lines).toEqual([
      expect.stringMatching(/^beta \S+ \/beta\/orders$/),
      expect.stringMatching(/^prod 200 \S+$/),
    ]);
  });
});

describe('stages: test invoke and close', () => {
  it('test-invokes a method with the first stage variables, on no stage', async () => {
    const result = await testInvoke(apiGateway(twoStages()), { method: 'GET', path: '/orders' });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ fn: 'orders-beta', stage: 'test-invoke-stage' });
  });

  it('answers 503 under every stage once closing, and passes the rest on', async () => {
    const gateway = apiGateway(twoStages());
    const app = express5();
    app.use(gateway);
    app.use((_req, res) => {
      res.status(404).send('host');
    });
    await gateway.close();
    expect((await request(app).get('/beta/orders')).status).toBe(503);
    expect((await request(app).get('/prod/orders')).status).toBe(503);
    expect((await request(app).get('/other')).text).toBe('host');
  });
});

describe('stages: startup', () => {
  it('says a warning that holds for every stage once', () => {
    const logger = silentLogger();
    const options = twoStages({ logger });
    options.resources = {
      '/orders': { GET: { integration: { type: 'AWS_PROXY', uri: FN_URI, httpMethod: 'GET' } } },
    };
    apiGateway(options);
    const warnings = logger.calls.filter((c) => c.level === 'warn').map((c) => String(c.args[0]));
    expect(warnings.filter((w) => w.includes('integration.httpMethod GET'))).toHaveLength(1);
  });
});

describe('stages: startup checks', () => {
  const base = () => twoStages();

  it.each([
    [{ stageName: 'beta' }, 'stageName: not with stages'],
    [{ stageVariables: { a: 'b' } }, 'stageVariables: not with stages'],
    [{ basePath: '' }, 'basePath: not with stages'],
    [{ stages: {} }, 'stages: must be an object of stage name → stage'],
    [{ stages: { 'be ta': {} } }, 'stages["be ta"]: stage names use letters, digits, - and _'],
    [{ stages: { beta: { variable: {} } } }, 'stages["beta"]: unknown field "variable"'],
    [
      { stages: { beta: { variables: { 'a-b': 'x' } } } },
      'stages["beta"].variables["a-b"]: names use letters',
    ],
    [{ stages: { beta: { variables: { fn: 3 } } } }, 'stages["beta"].variables["fn"]: must be a string'],
  ])('refuses %j', (extra, message) => {
    expect(() => apiGateway({ ...base(), ...extra } as ApiGatewayOptions)).toThrow(ConfigError);
    expect(() => apiGateway({ ...base(), ...extra } as ApiGatewayOptions)).toThrow(message);
  });

  it('serves a stage whose variable leaves a Lambda uri without a function, each call of it a 500, as AWS does', async () => {
    const logger = silentLogger();
    const execution = silentLogger();
    const options = { ...base(), logger, executionLogger: execution };
    options.stages = {
      beta: { variables: { fn: 'orders-beta' } },
      prod: {
        variables: {},
        methodSettings: [{ resourcePath: '/*', httpMethod: '*', loggingLevel: 'ERROR' as const }],
      },
      dev: { variables: { fn: 'nope' } },
    };
    const app = createApp(options);
    expect((await request(app).get('/beta/orders')).body).toEqual({ fn: 'orders-beta', stage: 'beta' });
    for (const stage of ['prod', 'dev']) {
      const res = await request(app).get(`/${stage}/orders`);
      expect([res.status, res.headers['x-amzn-errortype'], res.body]).toEqual([
        500,
        'InternalServerErrorException',
        { message: 'Internal server error' },
      ]);
    }
    expect((await request(app).get('/prod/context')).status).toBe(200);
    expect(logger.calls.filter((c) => c.level === 'warn').map((c) => c.args[0])).toEqual([
      'apigw-express: stages["prod"]: GET /orders: integration.uri: stage variable "fn" is not set; every call answers 500, as on AWS',
      'apigw-express: stages["dev"]: GET /orders: integration.uri: unknown function "nope"; every call answers 500, as on AWS',
    ]);
    expect(execution.calls.map((c) => String(c.args[0])).join('\n')).toContain(
      "Execution failed due to configuration error: Invalid stage variable value: null. Please use values with alphanumeric characters and the symbols ' ', -', '.', '_', ':', '/', '?', '&', '=', and ','.",
    );
  });

  it('closes the store the first stage opened when a later stage is refused', async () => {
    let closed = 0;
    const store = {
      takeToken: async () => true,
      useQuota: async () => ({ allowed: true, used: 1 }),
      close: async () => {
        closed++;
      },
    };
    const options = { ...base(), store };
    options.stages = {
      beta: { variables: { fn: 'orders-beta' } },
      prod: {
        variables: { fn: 'orders-prod' },
        methodSettings: [{ resourcePath: '/nope', httpMethod: 'GET', throttlingRateLimit: 1 }],
      },
    };
    expect(() => apiGateway(options)).toThrow('stages["prod"]: methodSettings[0]');
    await new Promise(setImmediate);
    expect(closed).toBe(1);
  });

  it('still refuses an unset stage variable with the single-stage options', () => {
    expect(() =>
      apiGateway({
        logger: silentLogger(),
        functions: { f: named('f') },
        stageVariables: {},
        resources: { '/orders': { GET: { integration: { type: 'AWS_PROXY', uri: FN_URI } } } },
      }),
    ).toThrow('GET /orders: integration.uri: stage variable "fn" is not set in stageVariables');
  });
});

describe('resolveStageVariables', () => {
  it("fills each reference with the stage's value", () => {
    expect(
      resolveStageVariables('http://${stageVariables.host}/v/${stageVariables.v}?q=${stageVariables.v}', {
        host: 'example.com',
        v: '2',
      }),
    ).toBe('http://example.com/v/2?q=2');
    expect(
      resolveStageVariables('arn:aws:lambda:us-east-1:1:function:f:${stageVariables.alias}', {
        alias: 'live',
      }),
    ).toBe('arn:aws:lambda:us-east-1:1:function:f:live');
  });

  it('gives undefined when a referenced variable is unset or empty, as AWS refuses the call', () => {
    expect(resolveStageVariables('http://${stageVariables.host}/', {})).toBeUndefined();
    expect(resolveStageVariables('http://${stageVariables.host}/', null)).toBeUndefined();
    expect(resolveStageVariables('http://${stageVariables.host}/', { host: '' })).toBeUndefined();
    expect(resolveStageVariables('${stageVariables.toString}', {})).toBeUndefined();
  });

  it('leaves text without references, and $stageVariables.x without braces, unchanged', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.string()), (text, variables) => {
        fc.pre(!text.includes('${stageVariables.'));
        expect(resolveStageVariables(text, variables)).toBe(text);
      }),
    );
    expect(resolveStageVariables('$stageVariables.x', {})).toBe('$stageVariables.x');
  });

  it('substitutes any set values wherever the references sit', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/);
    fc.assert(
      fc.property(
        name,
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.string(),
        (key, value, before, after) => {
          fc.pre(!`${before}${after}`.includes('${'));
          expect(resolveStageVariables(`${before}\${stageVariables.${key}}${after}`, { [key]: value })).toBe(
            `${before}${value}${after}`,
          );
        },
      ),
    );
  });
});
