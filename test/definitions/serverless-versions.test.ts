// biome-ignore-all lint/suspicious/noTemplateCurlyInString: serverless.yml ${…} variables, not template literals
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadDefinition } from '../../src/definitions/load-definition.js';
import { frameworkRules } from '../../src/definitions/serverless/framework-version.js';
import { importServerless } from '../../src/definitions/serverless-import.js';
import { apiGateway, type LambdaHandler } from '../../src/index.js';
import { asText } from '../support/as-text.js';
import { EXPRESS_VERSIONS, type ExpressFactory, silentLogger } from '../support/create-app.js';

/** A service folder with `serverless.yml` (and any other files) written as given. */
function serviceDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sls-versions-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return path.join(dir, 'serverless.yml');
}

const versionLine = (frameworkVersion: string | undefined) =>
  frameworkVersion === undefined ? '' : `frameworkVersion: '${frameworkVersion}'\n`;

const echo: LambdaHandler = async (event: { body: string | null; requestContext: { stage: string } }) => ({
  statusCode: 200,
  body: JSON.stringify({ received: event.body === null ? null : JSON.parse(event.body) }),
});

/** The v2 docs' form: `request.schema` by content type, the schema in its own file. */
const schemaService = (frameworkVersion: string | undefined) =>
  serviceDir({
    'serverless.yml': `service: orders
${versionLine(frameworkVersion)}provider:
  name: aws
  runtime: nodejs14.x
functions:
  create:
    handler: handler.create
    events:
      - http:
          path: orders
          method: post
          request:
            schema:
              application/json: \${file(./create_request.json)}
  legacy:
    handler: handler.legacy
    events:
      - http:
          path: orders/legacy
          method: post
          integration: lambda
          request:
            schema:
              application/json:
                type: object
                required: [qty]
                properties:
                  qty: { type: integer, minimum: 1 }
`,
    'create_request.json': JSON.stringify({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      required: ['item'],
      properties: { item: { type: 'string' } },
    }),
  });

const authorizerService = (frameworkVersion: string) =>
  serviceDir({
    'serverless.yml': `service: guarded
${versionLine(frameworkVersion)}provider:
  name: aws
functions:
  auth:
    handler: handler.auth
  hello:
    handler: handler.hello
    events:
      - http:
          path: hello
          method: get
          authorizer: { name: auth, type: request, resultTtlInSeconds: 0 }
`,
  });

async function serve(
  express: ExpressFactory,
  file: string,
  functions: Record<string, LambdaHandler>,
  logger = silentLogger(),
) {
  const gateway = apiGateway({ serverless: file, functions, logger });
  await gateway.ready;
  const app = express();
  app.use(gateway);
  return app;
}

describe.each(EXPRESS_VERSIONS)('serverless.yml of v1/v2 services (Express %s)', (_v, express) => {
  const legacy: LambdaHandler = async (event: { body: unknown }) => ({ got: event.body });

  it.each(['2', '^2.x', '>=1.0.0 <2.0.0', undefined])(
    'frameworkVersion %s: request.schema validates the body, as the framework compiled it',
    async (frameworkVersion) => {
      const logger = silentLogger();
      const app = await serve(express, schemaService(frameworkVersion), { create: echo, legacy }, logger);
      const infos = logger.calls.filter((c) => c.level === 'info').map((c) => c.args.join(' '));
      expect(infos.filter((line) => line.includes('without frameworkVersion'))).toHaveLength(
        frameworkVersion === undefined ? 1 : 0,
      );
      const invalid = await request(app).post('/dev/orders').send({ qty: 2 });
      expect(invalid.status).toBe(400);
      expect(invalid.body).toEqual({ message: 'Invalid request body' });
      const valid = await request(app).post('/dev/orders').send({ item: 'tea' });
      expect(valid.status).toBe(200);
      expect(valid.body).toEqual({ received: { item: 'tea' } });
      const lambdaInvalid = await request(app).post('/dev/orders/legacy').send({ qty: 0 });
      expect(lambdaInvalid.status).toBe(400);
      expect(lambdaInvalid.body).toEqual({ message: 'Invalid request body' });
      const lambdaValid = await request(app).post('/dev/orders/legacy').send({ qty: 3 });
      expect(lambdaValid.status).toBe(200);
      expect(lambdaValid.body).toEqual({ got: { qty: 3 } });
    },
  );

  it('frameworkVersion 3: request.schema is not compiled (v3 drops it), and the startup warning says so', async () => {
    const logger = silentLogger();
    const app = await serve(express, schemaService('3'), { create: echo, legacy }, logger);
    const res = await request(app).post('/dev/orders').send({ qty: 2 });
    expect(res.status).toBe(200);
    const warnings = logger.calls.filter((c) => c.level === 'warn').map((c) => c.args.join(' '));
    expect(warnings.join('\n')).toContain(
      'functions.create.events[0].http.request.schema: the v1/v2 form, which frameworkVersion 3.40.0 no longer compiles (use request.schemas)',
    );
  });

  const stageService = (frameworkVersion: string | undefined) =>
    serviceDir({
      'serverless.yml': `service: stages
${versionLine(frameworkVersion)}custom:
  stage: \${opt:stage, self:provider.stage}
provider:
  name: aws
  environment:
    STAGE: \${self:custom.stage}
    REGION: \${self:provider.region}
functions:
  hello:
    handler: handler.hello
    events:
      - http: GET hello
`,
    });
  const env: LambdaHandler = async () => ({
    statusCode: 200,
    body: JSON.stringify({ stage: process.env.STAGE, region: process.env.REGION }),
  });

  it.each(['1', '2', undefined])(
    'frameworkVersion %s: ${opt:stage, self:provider.stage} without provider.stage is dev, ${self:provider.region} us-east-1',
    async (frameworkVersion) => {
      const { options } = await importServerless(stageService(frameworkVersion), {
        baseDir: '.',
        logger: silentLogger(),
      });
      expect(options.stageName).toBe('dev');
      expect(options.functions?.hello).toMatchObject({ environment: { STAGE: 'dev', REGION: 'us-east-1' } });
      const app = await serve(express, stageService(frameworkVersion), { hello: env });
      expect((await request(app).get('/dev/hello')).status).toBe(200);
    },
  );

  const corsService = (frameworkVersion: string) =>
    serviceDir({
      'serverless.yml': `service: cors
${versionLine(frameworkVersion)}provider:
  name: aws
functions:
  hello:
    handler: handler.hello
    events:
      - http: { path: hello, method: get, cors: true }
`,
    });

  it.each([
    [
      '1',
      'https://app.example.com',
      'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent',
    ],
    ['2', '*', 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent'],
    [
      '3',
      '*',
      'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id',
    ],
  ])(
    'frameworkVersion %s: cors: true answers the preflight with origin %s and that release’s headers',
    async (frameworkVersion, origin, headers) => {
      const app = await serve(express, corsService(frameworkVersion), { hello: echo });
      const res = await request(app)
        .options('/dev/hello')
        .set('Origin', 'https://app.example.com')
        .parse(asText);
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers['access-control-allow-headers']).toBe(headers);
    },
  );

  const queryService = (frameworkVersion: string) =>
    serviceDir({
      'serverless.yml': `service: query
${versionLine(frameworkVersion)}provider:
  name: aws
functions:
  list:
    handler: handler.list
    events:
      - http:
          path: items
          method: get
          request:
            parameters:
              querystrings:
                limit: true
`,
    });

  it('a required query string alone is checked from v2.53 on, not by v1 (no validator was attached)', async () => {
    const v1 = await serve(express, queryService('>=1.0.0 <2.0.0'), { list: echo });
    expect((await request(v1).get('/dev/items')).status).toBe(200);
    const v2 = await serve(express, queryService('2'), { list: echo });
    const refused = await request(v2).get('/dev/items');
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ message: 'Missing required request parameters: [limit]' });
    const early = await serve(express, queryService('~2.50.0'), { list: echo });
    expect((await request(early).get('/dev/items')).status).toBe(200);
  });

  const keyService = (frameworkVersion: string) =>
    serviceDir({
      'serverless.yml': `service: keys
${versionLine(frameworkVersion)}provider:
  name: aws
  apiKeys:
    - name: partner
      value: partnerKey0123456789abcdef
functions:
  report:
    handler: handler.report
    events:
      - http: { path: report, method: get, private: true }
`,
    });

  it('provider.apiKeys (v2 place) makes the keys under v2; under v3 it is named as left out', async () => {
    const v2 = await serve(express, keyService('2'), { report: echo });
    const ok = await request(v2).get('/dev/report').set('x-api-key', 'partnerKey0123456789abcdef');
    expect(ok.status).toBe(200);
    const logger = silentLogger();
    const v3 = await serve(express, keyService('3'), { report: echo }, logger);
    const refused = await request(v3).get('/dev/report').set('x-api-key', 'partnerKey0123456789abcdef');
    expect(refused.status).toBe(403);
    const warnings = logger.calls.filter((c) => c.level === 'warn').map((c) => c.args.join(' '));
    expect(warnings.join('\n')).toContain(
      'provider.apiKeys: read from provider.apiGateway.apiKeys since v3 (frameworkVersion 3.40.0)',
    );
  });
});

describe('serverless.yml: frameworkVersion', () => {
  it('v3 refuses ${self:provider.stage} when the file sets no provider.stage, as `sls` does', async () => {
    const file = serviceDir({
      'serverless.yml': `service: s
frameworkVersion: '3'
custom:
  stage: \${opt:stage, self:provider.stage}
provider:
  name: aws
  environment: { STAGE: '\${self:custom.stage}' }
functions:
  hello: { handler: handler.hello, events: [{ http: GET hello }] }
`,
    });
    await expect(loadDefinition({ serverless: file }, silentLogger())).rejects.toThrow(ConfigError);
  });

  it('compiles request.schema to a model named as the framework names it, and the one validator', async () => {
    const file = schemaService('2');
    const { options } = await importServerless(file, { baseDir: path.dirname(file), logger: silentLogger() });
    expect(options.resources['/orders'].POST).toMatchObject({
      requestValidator: 'orders-dev | Validate request body and querystring parameters',
      requestModels: { 'application/json': 'ApiGatewayMethodOrdersPostApplicationJsonModel' },
    });
    expect(options.requestValidators).toEqual({
      'orders-dev | Validate request body and querystring parameters': {
        validateRequestBody: true,
        validateRequestParameters: true,
      },
    });
    expect(options.models?.ApiGatewayMethodOrdersPostApplicationJsonModel).toMatchObject({
      required: ['item'],
    });
  });

  it('an uncached REQUEST authorizer gets the Authorization identity source by default in v2, none in v3', async () => {
    for (const [version, identitySource] of [
      ['2', 'method.request.header.Authorization'],
      ['3', undefined],
    ]) {
      const file = authorizerService(version as string);
      const { options } = await importServerless(file, {
        baseDir: path.dirname(file),
        logger: silentLogger(),
      });
      expect(options.authorizers?.auth).toEqual({
        type: 'REQUEST',
        function: 'auth',
        authorizerResultTtlInSeconds: 0,
        ...(identitySource ? { identitySource } : {}),
      });
    }
  });

  it('request.schemas wins over request.schema, the latter named as left out', async () => {
    const { options, unsupported } = await importServerless(
      {
        service: 's',
        frameworkVersion: '2',
        provider: { name: 'aws' },
        functions: {
          f: {
            handler: 'h.f',
            events: [
              {
                http: {
                  path: 'x',
                  method: 'post',
                  request: {
                    schema: { 'application/json': { type: 'string' } },
                    schemas: { 'application/json': { type: 'object' } },
                  },
                },
              },
            ],
          },
        },
      },
      { baseDir: '.', logger: silentLogger() },
    );
    expect(options.models).toEqual({ ApiGatewayMethodXPostApplicationJsonModel: { type: 'object' } });
    expect(unsupported).toContain(
      'functions.f.events[0].http.request.schema: request.schemas is given, which wins, as the framework does',
    );
  });

  it.each([
    [undefined, undefined, true, true, true],
    ['1', '1.83.3', true, false, false],
    ['>=1.0.0 <2.0.0', '1.83.3', true, false, false],
    ['2', '2.72.4', true, true, false],
    ['^2.x', '2.72.4', true, true, false],
    ['~2.50.0', '2.50.0', true, false, false],
    ['2.20.0', '2.20.0', true, false, false],
    ['>=2.53.0 <2.59.0', '2.53.0', true, true, false],
    ['3', '3.40.0', false, true, true],
    ['>=3.0.0 <3.20.0', '3.0.0', false, true, false],
    ['^2 || ^3', '3.40.0', false, true, true],
    ['>=2.0.0', 'latest', false, true, true],
    ['*', 'latest', false, true, true],
  ])(
    '%s → release %s: request.schema %s, required parameters checked %s, trace id header %s',
    (range, release, schema, required, trace) => {
      const rules = frameworkRules(range);
      expect(rules.release).toBe(release);
      expect(rules.requestSchema).toBe(schema);
      expect(rules.requiredParametersValidated).toBe(required);
      expect(rules.corsTraceIdHeader).toBe(trace);
    },
  );

  it('refuses a frameworkVersion that is not a range', () => {
    expect(() => frameworkRules('two')).toThrow(
      new ConfigError(
        `frameworkVersion: "two" is not a version range the framework accepts (for example '3', '^2.x' or '>=1.0.0 <2.0.0')`,
      ),
    );
    expect(() => frameworkRules('<1.0.0 >2.0.0')).toThrow(ConfigError);
  });

  it('an exact version picks the rules of its own place among the releases', () => {
    const version = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.nat(99), fc.nat(20));
    fc.assert(
      fc.property(version, ([major, minor, patch]) => {
        const rules = frameworkRules(`${major}.${minor}.${patch}`);
        const n = major * 10000 + minor * 100 + patch;
        expect(rules.release).toBe(`${major}.${minor}.${patch}`);
        expect(rules.requestSchema).toBe(major < 3);
        expect(rules.requiredParametersValidated).toBe(n >= 25300);
        expect(rules.corsTrueEchoesOrigin).toBe(n < 25900);
        expect(rules.corsTraceIdHeader).toBe(n >= 32000);
      }),
    );
  });
});
