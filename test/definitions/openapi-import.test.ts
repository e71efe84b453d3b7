import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import request from 'supertest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { importOpenApi } from '../../src/definitions/openapi-import.js';
import type { ApiGatewayOptions } from '../../src/index.js';
import { apiGateway, ConfigError } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { EXPRESS_VERSIONS, type ExpressFactory, silentLogger } from '../support/create-app.js';

const FIXTURES = join(__dirname, '../fixtures/definitions/openapi');
const PETS_OAS3 = join(FIXTURES, 'pets-oas3.yaml');
const ORDERS_SWAGGER2 = join(FIXTURES, 'orders-swagger2.json');
const ctx = { baseDir: FIXTURES, logger: silentLogger() };
const tmp = mkdtempSync(join(tmpdir(), 'apigw-openapi-'));

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);
const clock = () => T0;
const pool = createTestUserPool({ userPoolId: 'us-east-1_Pets42', now: clock });
const API_KEY = 'pets-key-0123456789abcdef';

/** The pet store's functions: a proxy one, a non-proxy one and a TOKEN authorizer. */
const petFunctions = {
  'pets-api': async (event: APIGatewayProxyEvent) => ({
    statusCode: 200,
    body: JSON.stringify({
      resource: event.resource,
      httpMethod: event.httpMethod,
      path: event.path,
      query: event.queryStringParameters,
      isBase64Encoded: event.isBase64Encoded,
    }),
  }),
  'create-pet': async (event: { pet: { price: number }; caller: string }) => {
    if (event.pet.price > 1000) throw new Error(`Invalid price for ${event.caller}`);
    return { id: 7, location: '/pets/7' };
  },
  'token-authorizer': async (event: APIGatewayTokenAuthorizerEvent) => {
    if (event.authorizationToken !== 'Bearer good') throw new Error('Unauthorized');
    return {
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
      },
    };
  },
};

const orderFunctions = {
  orders: async () => ({ statusCode: 200, body: '[]' }),
  'create-order': async (event: { order: { item: string }; key: string }) => {
    if (event.order.item === 'dup') throw new Error(`Order ${event.key} already exists`);
    return { id: `order-${event.key}`, item: event.order.item };
  },
  'orders-authorizer': async (event: APIGatewayTokenAuthorizerEvent) => ({
    principalId: 'shop',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'execute-api:Invoke',
          Effect: event.authorizationToken === 'open-sesame' ? 'Allow' : 'Deny',
          // The policy is cached per token for 300 s: it covers every method of the stage.
          Resource: `${event.methodArn.split('/').slice(0, 2).join('/')}/*`,
        },
      ],
    },
  }),
};

async function appWith(factory: ExpressFactory, options: ApiGatewayOptions) {
  const gateway = apiGateway({ logger: silentLogger(), ...options });
  await gateway.ready;
  const app = factory();
  app.use(gateway);
  return app;
}

describe('OpenAPI import: the mapped options', () => {
  it('reads an OAS 3 YAML file into resources, authorizers, models, validators and gateway responses', async () => {
    const { options, unsupported } = await importOpenApi(PETS_OAS3, ctx);
    expect(unsupported).toEqual([]);
    expect(Object.keys(options.resources)).toEqual(['/', '/pets', '/pets/{petId}', '/files/{proxy+}']);
    expect(options.resources['/pets']?.POST).toEqual({
      operationName: 'CreatePet',
      authorizationType: 'CUSTOM',
      authorizer: 'pets-token',
      requestValidator: 'all',
      requestModels: { 'application/json': 'NewPet' },
      methodResponses: [
        { statusCode: '201', responseParameters: { 'method.response.header.Location': false } },
        { statusCode: '400' },
      ],
      integration: {
        type: 'AWS',
        uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:create-pet/invocations',
        httpMethod: 'POST',
        passthroughBehavior: 'NEVER',
        timeoutInMillis: 5000,
        requestTemplates: {
          'application/json': `{"pet": $input.json('$'), "caller": "$context.authorizer.principalId"}\n`,
        },
        integrationResponses: [
          {
            statusCode: '201',
            responseParameters: { 'method.response.header.Location': 'integration.response.body.location' },
            responseTemplates: { 'application/json': `{"id": $input.json('$.id'), "status": "created"}` },
          },
          {
            statusCode: '400',
            selectionPattern: '^Invalid.*',
            responseTemplates: {
              'application/json': `{"error": "$util.escapeJavaScript($input.path('$.errorMessage'))"}`,
            },
          },
        ],
      },
    });
    expect(options.resources['/pets']?.GET).toMatchObject({
      apiKeyRequired: true,
      requestValidator: 'params-only',
      requestParameters: {
        'method.request.querystring.type': false,
        'method.request.querystring.page': true,
      },
      methodResponses: [{ statusCode: '200', responseModels: { 'application/json': 'Pets' } }],
    });
    expect(options.resources['/pets/{petId}']?.GET).toMatchObject({
      authorizationType: 'COGNITO_USER_POOLS',
      authorizer: 'pets-users',
      authorizationScopes: ['pets/read'],
      requestParameters: { 'method.request.path.petId': true },
    });
    expect(Object.keys(options.resources['/files/{proxy+}'] ?? {})).toEqual(['ANY']);
    expect(options.authorizers).toEqual({
      'pets-token': {
        type: 'TOKEN',
        uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token-authorizer/invocations',
        identitySource: 'method.request.header.Authorization',
        identityValidationExpression: '^Bearer [a-z]+$',
        authorizerResultTtlInSeconds: 0,
      },
      'pets-users': {
        type: 'COGNITO_USER_POOLS',
        providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pets42'],
        identitySource: 'method.request.header.Authorization',
      },
    });
    expect(options.binaryMediaTypes).toEqual(['image/png', 'application/octet-stream']);
    expect(options.requestValidators).toEqual({
      all: { validateRequestBody: true, validateRequestParameters: true },
      'params-only': { validateRequestBody: false, validateRequestParameters: true },
    });
    expect(options.gatewayResponses?.BAD_REQUEST_BODY).toEqual({
      statusCode: '422',
      responseTemplates: { 'application/json': '{"invalid": "$context.error.validationErrorString"}' },
    });
    // Models name each other in AWS's form; every imported API has Empty.
    expect(options.models?.Pets).toEqual({
      type: 'array',
      items: { $ref: 'https://apigateway.amazonaws.com/restapis/api/models/Pet' },
    });
    expect(Object.keys(options.models ?? {})).toEqual(['Empty', 'Pets', 'Pet', 'NewPet', 'PetType']);
  });

  it('reads a Swagger 2 JSON file: global security, api_key alongside an authorizer, body models from consumes', async () => {
    const { options, unsupported } = await importOpenApi(ORDERS_SWAGGER2, ctx);
    expect(unsupported).toEqual(['x-amazon-apigateway-endpoint-configuration']);
    // The resource policy is carried over, to be enforced.
    expect(options.resourcePolicy).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }],
    });
    expect(options.resources['/orders']?.GET).toMatchObject({
      authorizationType: 'CUSTOM',
      authorizer: 'orders-auth',
    });
    expect(options.resources['/orders']?.POST).toMatchObject({
      apiKeyRequired: true,
      authorizationType: 'CUSTOM',
      authorizer: 'orders-auth',
      requestValidator: 'full',
      requestParameters: { 'method.request.header.Idempotency-Key': true },
      requestModels: { 'application/json': 'NewOrder' },
      methodResponses: [
        {
          statusCode: '200',
          responseParameters: { 'method.response.header.X-Order-Id': false },
          responseModels: { 'application/json': 'Order' },
        },
        { statusCode: '409' },
      ],
    });
    // `security: []` on the operation clears the document's security.
    expect(options.resources['/health']?.ANY?.authorizationType).toBeUndefined();
    // No identitySource: the header the scheme names; no TTL: 300 (recorded: LocalStack import snapshots).
    expect(options.authorizers?.['orders-auth']).toEqual({
      type: 'TOKEN',
      uri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:210987654321:function:orders-authorizer/invocations',
      identitySource: 'method.request.header.X-Orders-Token',
      authorizerResultTtlInSeconds: 300,
    });
    expect(options.binaryMediaTypes).toEqual(['image/jpeg', 'application/pdf']);
    expect(options.models?.Orders).toEqual({
      type: 'array',
      items: { $ref: 'https://apigateway.amazonaws.com/restapis/api/models/Order' },
    });
  });

  it('reads the same API from OAS 3 JSON, Swagger 2 YAML, and a document object', async () => {
    const oas3 = parseYaml(readFileSync(PETS_OAS3, 'utf8'));
    const swagger2 = JSON.parse(readFileSync(ORDERS_SWAGGER2, 'utf8'));
    writeFileSync(join(tmp, 'pets.json'), JSON.stringify(oas3));
    writeFileSync(join(tmp, 'orders.yml'), toYaml(swagger2));
    const fromYaml = await importOpenApi(PETS_OAS3, ctx);
    expect(await importOpenApi(join(tmp, 'pets.json'), ctx)).toEqual(fromYaml);
    expect(await importOpenApi(oas3, ctx)).toEqual(fromYaml);
    expect(await importOpenApi(join(tmp, 'orders.yml'), ctx)).toEqual(
      await importOpenApi(ORDERS_SWAGGER2, ctx),
    );
  });

  it('takes enums in any case and a YAML integer status code as a string', async () => {
    const { options } = await importOpenApi(
      {
        openapi: '3.0.1',
        info: { title: 'cases', version: 1 },
        paths: {
          '/a': {
            post: {
              responses: { 200: { description: 'ok' } },
              'x-amazon-apigateway-integration': {
                type: 'Aws',
                uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations',
                httpMethod: 'post',
                passthroughBehavior: 'When_No_Templates',
                contentHandling: 'convert_to_text',
                requestTemplates: { 'application/json': { statusCode: 200 } },
                responses: { default: { statusCode: 200, contentHandling: 'CONVERT_TO_binary' } },
              },
            },
          },
        },
      },
      ctx,
    );
    expect(options.resources['/a']?.POST?.integration).toEqual({
      type: 'AWS',
      uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations',
      httpMethod: 'POST',
      passthroughBehavior: 'WHEN_NO_TEMPLATES',
      contentHandling: 'CONVERT_TO_TEXT',
      requestTemplates: { 'application/json': '{"statusCode":200}' },
      integrationResponses: [{ statusCode: '200', contentHandling: 'CONVERT_TO_BINARY' }],
    });
    expect(options.resources['/a']?.POST?.methodResponses).toEqual([{ statusCode: '200' }]);
  });

  it('names what it cannot carry over, and leaves such methods out', async () => {
    const lambda =
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations';
    const { options, unsupported } = await importOpenApi(
      {
        swagger: '2.0',
        info: { title: 'odd', version: '1' },
        'x-amazon-apigateway-minimum-compression-size': 1024,
        'x-amazon-apigateway-documentation': { version: '1' },
        securityDefinitions: {
          oauth: {
            type: 'oauth2',
            flow: 'implicit',
            authorizationUrl: 'https://auth.example.com',
            scopes: {},
          },
          iam: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authtype': 'awsSigv4',
          },
        },
        paths: {
          '/http': {
            get: {
              responses: {},
              'x-amazon-apigateway-integration': {
                type: 'http_proxy',
                uri: 'https://example.com',
                httpMethod: 'GET',
              },
            },
          },
          '/s3': {
            get: {
              responses: {},
              'x-amazon-apigateway-integration': {
                type: 'aws',
                uri: 'arn:aws:apigateway:us-east-1:s3:path/bucket/key',
                httpMethod: 'GET',
              },
            },
          },
          '/none': { get: { responses: {} } },
          '/signed': {
            get: {
              security: [{ iam: [] }],
              parameters: [{ in: 'formData', name: 'f', type: 'string' }],
              responses: {},
              'x-amazon-apigateway-integration': {
                type: 'aws_proxy',
                uri: lambda,
                httpMethod: 'POST',
                connectionType: 'VPC_LINK',
                requestParameters: { 'integration.request.header.x': true },
              },
            },
            put: {
              'x-amazon-apigateway-auth': { type: 'AWS_IAM' },
              responses: {},
              'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: lambda, httpMethod: 'POST' },
            },
          },
        },
      },
      ctx,
    );
    expect(unsupported).toEqual([
      'securityDefinitions["oauth"]: oauth2 scheme without x-amazon-apigateway-authorizer',
      'x-amazon-apigateway-minimum-compression-size',
      'x-amazon-apigateway-documentation',
      'GET /none: no x-amazon-apigateway-integration (method left out)',
      'GET /signed: requestParameters["integration.request.header.x"]: expected a string, got true',
      'GET /signed: x-amazon-apigateway-integration.connectionType',
      'GET /signed: formData parameter "f"',
    ]);
    expect(Object.keys(options.resources)).toEqual(['/http', '/s3', '/signed']);
    expect(options.resources['/http']?.GET?.integration).toEqual({
      type: 'HTTP_PROXY',
      uri: 'https://example.com',
      httpMethod: 'GET',
    });
    expect(options.resources['/s3']?.GET?.integration).toEqual({
      type: 'AWS',
      uri: 'arn:aws:apigateway:us-east-1:s3:path/bucket/key',
      httpMethod: 'GET',
    });
    expect(options.resources['/signed']?.GET?.authorizationType).toBe('AWS_IAM');
    expect(options.resources['/signed']?.PUT?.authorizationType).toBe('AWS_IAM');
  });

  it('refuses a document it cannot read: a missing file, broken YAML, not OpenAPI, a dangling scheme', async () => {
    const broken = join(tmp, 'broken.yaml');
    writeFileSync(
      broken,
      'test:\n  value:\n    - "value ... \\"escaped\\": $var, \\"dt\\": $(var +"%a")}\\"\n',
    );
    await expect(importOpenApi(join(tmp, 'nope.yaml'), ctx)).rejects.toThrow(
      new ConfigError(
        `openapi: cannot read ${join(tmp, 'nope.yaml')}: ENOENT: no such file or directory, open '${join(tmp, 'nope.yaml')}'`,
      ),
    );
    await expect(importOpenApi(broken, ctx)).rejects.toThrow(
      /^openapi: .*broken\.yaml: not valid JSON or YAML: /,
    );
    await expect(importOpenApi({ info: { title: 'x' }, paths: {} }, ctx)).rejects.toThrow(
      `openapi: the document: neither "openapi: 3.0.x" nor "swagger: '2.0'" is given`,
    );
    await expect(
      importOpenApi({ openapi: '3.0.1', info: { title: 'x', version: '1' } }, ctx),
    ).rejects.toThrow('openapi: the document: "paths" must be an object');
    await expect(
      importOpenApi({ swagger: '1.2', info: { title: 'x', version: '1' }, paths: {} }, ctx),
    ).rejects.toThrow('openapi: the document: Unrecognized Swagger version: 1.2. Expected 2.0');
    await expect(
      importOpenApi(
        {
          openapi: '3.0.1',
          info: { title: 'x', version: '1' },
          paths: {
            '/a': {
              get: {
                security: [{ nobody: [] }],
                responses: {},
                'x-amazon-apigateway-integration': { type: 'mock' },
              },
            },
          },
        },
        ctx,
      ),
    ).rejects.toThrow('GET /a: security: no security scheme named "nobody"');
    await expect(
      importOpenApi(
        {
          openapi: '3.0.1',
          info: { title: 'x', version: '1' },
          paths: { '/a': { get: { responses: {}, 'x-amazon-apigateway-integration': { type: 'lambda' } } } },
        },
        ctx,
      ),
    ).rejects.toThrow('GET /a: x-amazon-apigateway-integration.type: unknown type "lambda"');
  });

  it('resolves $refs to other files, keeping models named', async () => {
    writeFileSync(
      join(tmp, 'schemas.yaml'),
      toYaml({ Note: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } }),
    );
    writeFileSync(
      join(tmp, 'notes.yaml'),
      toYaml({
        openapi: '3.0.1',
        info: { title: 'notes', version: '1' },
        paths: {
          '/notes': {
            post: {
              requestBody: {
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } },
              },
              responses: { '200': { $ref: '#/components/responses/Ok' } },
              'x-amazon-apigateway-integration': { type: 'mock' },
            },
          },
        },
        components: {
          schemas: { Note: { $ref: './schemas.yaml#/Note' } },
          responses: { Ok: { description: 'ok', headers: { 'X-Note': { schema: { type: 'string' } } } } },
        },
      }),
    );
    const { options } = await importOpenApi(join(tmp, 'notes.yaml'), ctx);
    expect(options.models?.Note).toEqual({
      type: 'object',
      required: ['text'],
      properties: { text: { type: 'string' } },
    });
    expect(options.resources['/notes']?.POST).toMatchObject({
      requestModels: { 'application/json': 'Note' },
      methodResponses: [
        { statusCode: '200', responseParameters: { 'method.response.header.X-Note': false } },
      ],
    });
  });
});

describe.each(EXPRESS_VERSIONS)('OpenAPI import, Express %s', (_version, factory) => {
  const petStore = () =>
    appWith(factory, {
      openapi: PETS_OAS3,
      functions: petFunctions,
      apiKeys: [API_KEY],
      userPools: pool.userPools,
      clock,
    });

  it('serves the MOCK root with its response template and header', async () => {
    const res = await request(await petStore()).get('/prod/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.text).toBe('<h1>Welcome to the prod pet store</h1>');
  });

  it('requires the API key and the required query string of GET /pets', async () => {
    const app = await petStore();
    const noKey = await request(app).get('/prod/pets?page=1');
    expect(noKey.status).toBe(403);
    expect(noKey.body).toEqual({ message: 'Forbidden' });
    const noPage = await request(app).get('/prod/pets').set('x-api-key', API_KEY);
    expect(noPage.status).toBe(400);
    expect(noPage.body).toEqual({ message: 'Missing required request parameters: [page]' });
    const ok = await request(app).get('/prod/pets?page=2').set('x-api-key', API_KEY);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      resource: '/pets',
      httpMethod: 'GET',
      path: '/pets',
      query: { page: '2' },
      isBase64Encoded: false,
    });
  });

  it('runs the non-proxy POST /pets: TOKEN authorizer, body model, templates and selection patterns', async () => {
    const app = await petStore();
    const created = await request(app)
      .post('/prod/pets')
      .set('Authorization', 'Bearer good')
      .send({ type: 'cat', price: 12.5 });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/pets/7');
    expect(created.body).toEqual({ id: 7, status: 'created' });

    const refused = await request(app)
      .post('/prod/pets')
      .set('Authorization', 'Bearer good')
      .send({ type: 'cat', price: 5000 });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: 'Invalid price for user-1' });

    const anonymous = await request(app).post('/prod/pets').send({ type: 'cat', price: 1 });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="pets"');
    expect(anonymous.body).toEqual({ message: 'Unauthorized', hint: 'sign in' });
  });

  it('guards GET /pets/{petId} with the Cognito authorizer and its scope', async () => {
    const app = await petStore();
    expect((await request(app).get('/prod/pets/1')).status).toBe(401);
    const idToken = await request(app).get('/prod/pets/1').set('Authorization', pool.idToken());
    expect(idToken.status).toBe(401);
    const scoped = await request(app)
      .get('/prod/pets/1')
      .set('Authorization', pool.accessToken({ scopes: ['pets/read'] }));
    expect(scoped.status).toBe(200);
    expect(scoped.body).toMatchObject({ resource: '/pets/{petId}', path: '/pets/1' });
  });

  it('serves ANY on the greedy path, and image/png bodies as binary', async () => {
    const app = await petStore();
    const res = await request(app)
      .delete('/prod/files/a/b.png')
      .set('Content-Type', 'image/png')
      .send(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      resource: '/files/{proxy+}',
      httpMethod: 'DELETE',
      path: '/files/a/b.png',
      query: null,
      isBase64Encoded: true,
    });
  });

  it('serves the Swagger 2 orders API, and warns once about what it left out', async () => {
    const logger = silentLogger();
    const app = await appWith(factory, {
      openapi: ORDERS_SWAGGER2,
      functions: orderFunctions,
      apiKeys: [API_KEY],
      logger,
    });
    expect(logger.calls.filter((c) => c.level === 'warn')).toEqual([
      {
        level: 'warn',
        args: ['apigw-express: openapi: not supported, left out: x-amazon-apigateway-endpoint-configuration'],
      },
    ]);
    const health = await request(app).put('/prod/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ ok: true, method: 'PUT' });

    expect((await request(app).get('/prod/orders')).status).toBe(401);
    const denied = await request(app).get('/prod/orders').set('X-Orders-Token', 'guess');
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({
      Message: 'User is not authorized to access this resource with an explicit deny',
    });
    expect((await request(app).get('/prod/orders').set('X-Orders-Token', 'open-sesame')).status).toBe(200);

    const order = () =>
      request(app)
        .post('/prod/orders')
        .set('X-Orders-Token', 'open-sesame')
        .set('x-api-key', API_KEY)
        .set('Idempotency-Key', 'k1');
    const created = await order().send({ item: 'book', quantity: 2 });
    expect(created.status).toBe(200);
    expect(created.headers['x-order-id']).toBe('order-k1');
    expect(created.body).toEqual({ id: 'order-k1', item: 'book' });
    const duplicate = await order().send({ item: 'dup', quantity: 1 });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toEqual({ conflict: 'Order k1 already exists' });
    const invalid = await order().send({ item: 'book', quantity: 0 });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ message: 'Invalid request body' });

    const lost = await request(app).get('/prod/nowhere');
    expect(lost.status).toBe(404);
    expect(lost.body).toEqual({ message: 'no such route' });
  });

  it('rejects ready, naming the operation, when functions lack a function the definition names', async () => {
    expect.assertions(3);
    const { 'create-order': _left, ...functions } = orderFunctions;
    const gateway = apiGateway({
      openapi: ORDERS_SWAGGER2,
      functions,
      apiKeys: [API_KEY],
      logger: silentLogger(),
    });
    await expect(gateway.ready).rejects.toThrow(ConfigError);
    await expect(gateway.ready).rejects.toThrow(
      /^POST \/orders: integration\.uri: unknown function "create-order"/,
    );
    const app = factory();
    app.use(gateway);
    const res = await request(app).get('/prod/orders');
    expect(res.status).toBe(500);
  });
});
