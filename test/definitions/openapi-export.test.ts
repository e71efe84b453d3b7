import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import type { ResolvedOptions } from '../../src/config/types.js';
import { importOpenApi } from '../../src/definitions/openapi-import.js';
import type { ApiGatewayOptions } from '../../src/index.js';
import { apiGateway, toOpenApi } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const FIXTURES = join(__dirname, '../fixtures/definitions/openapi');
const ctx = { baseDir: FIXTURES, logger: silentLogger() };
const API_KEY = 'round-trip-key-0123456789';

const echo = async (event: APIGatewayProxyEvent) => ({
  statusCode: 200,
  body: JSON.stringify({
    resource: event.resource,
    method: event.httpMethod,
    principal: event.requestContext.authorizer?.principalId ?? null,
  }),
});

/** An API written as options: proxy, non-proxy with templates and a pattern, mock, ANY, guards, a model. */
const inline: ResolvedOptions = {
  region: 'eu-central-1',
  accountId: '111122223333',
  binaryMediaTypes: ['image/png'],
  apiKeySource: 'HEADER',
  models: {
    Item: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        tag: { $ref: 'https://apigateway.amazonaws.com/restapis/api/models/Tag' },
      },
    },
    Tag: { type: 'string', enum: ['new', 'old'] },
  },
  requestValidators: { body: { validateRequestBody: true }, params: { validateRequestParameters: true } },
  gatewayResponses: {
    MISSING_AUTHENTICATION_TOKEN: {
      statusCode: '404',
      responseTemplates: { 'application/json': '{"message": "nothing here"}' },
    },
  },
  authorizers: {
    gate: {
      type: 'REQUEST',
      function: 'gate',
      identitySource: 'method.request.header.X-Pass',
      authorizerResultTtlInSeconds: 0,
    },
  },
  resources: {
    '/items': {
      GET: {
        integration: { type: 'AWS_PROXY', function: 'echo' },
        apiKeyRequired: true,
        requestValidator: 'params',
        requestParameters: { 'method.request.querystring.page': true },
      },
      POST: {
        operationName: 'AddItem',
        authorizationType: 'CUSTOM',
        authorizer: 'gate',
        requestValidator: 'body',
        requestModels: { 'application/json': 'Item' },
        methodResponses: [
          { statusCode: '201', responseParameters: { 'method.response.header.X-Id': false } },
          { statusCode: '409' },
        ],
        integration: {
          type: 'AWS',
          function: 'add',
          passthroughBehavior: 'NEVER',
          requestTemplates: {
            'application/json': `{"name": $input.json('$.name'), "who": "$context.authorizer.principalId"}`,
          },
          integrationResponses: [
            {
              statusCode: '201',
              responseParameters: { 'method.response.header.X-Id': 'integration.response.body.id' },
            },
            {
              statusCode: '409',
              selectionPattern: 'Duplicate.*',
              responseTemplates: { 'application/json': '{"dup": true}' },
            },
          ],
        },
      },
    },
    '/items/{id}': {
      ANY: {
        integration: { type: 'AWS_PROXY', function: 'echo' },
        requestParameters: { 'method.request.path.id': true },
      },
    },
    '/ping': {
      GET: {
        integration: {
          type: 'MOCK',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          integrationResponses: [
            { statusCode: '200', responseTemplates: { 'application/json': '{"pong": true}' } },
          ],
        },
        methodResponses: [{ statusCode: '200' }],
      },
    },
  },
};

const functions = {
  echo,
  add: async (event: { name: string; who: string }) => {
    if (event.name === 'dup') throw new Error('Duplicate item');
    return { id: `${event.who}-${event.name}` };
  },
  gate: async (event: { headers: Record<string, string>; methodArn: string }) => ({
    principalId: 'pat',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'execute-api:Invoke',
          Effect: event.headers['X-Pass'] === 'yes' ? 'Allow' : 'Deny',
          Resource: event.methodArn,
        },
      ],
    },
  }),
};

describe('toOpenApi', () => {
  it('writes an OAS 3.0 document with the extensions AWS exports', () => {
    // biome-ignore lint/suspicious/noExplicitAny: reading into the exported document
    const doc = toOpenApi(inline) as Record<string, any>;
    expect(doc.openapi).toBe('3.0.1');
    expect(doc.paths['/items'].post).toEqual({
      operationId: 'AddItem',
      requestBody: {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
        required: true,
      },
      responses: {
        '201': { description: '201 response', headers: { 'X-Id': { schema: { type: 'string' } } } },
        '409': { description: '409 response' },
      },
      security: [{ gate: [] }],
      'x-amazon-apigateway-request-validator': 'body',
      'x-amazon-apigateway-integration': {
        type: 'aws',
        httpMethod: 'POST',
        uri: 'arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-central-1:111122223333:function:add/invocations',
        responses: {
          default: {
            statusCode: '201',
            responseParameters: { 'method.response.header.X-Id': 'integration.response.body.id' },
          },
          'Duplicate.*': { statusCode: '409', responseTemplates: { 'application/json': '{"dup": true}' } },
        },
        requestTemplates: inline.resources['/items']?.POST?.integration.requestTemplates,
        passthroughBehavior: 'never',
      },
    });
    expect(Object.keys(doc.paths['/items/{id}'])).toEqual(['x-amazon-apigateway-any-method']);
    expect(doc.components.schemas.Item.properties.tag).toEqual({ $ref: '#/components/schemas/Tag' });
    expect(doc.components.securitySchemes).toEqual({
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      gate: {
        type: 'apiKey',
        name: 'X-Pass',
        in: 'header',
        'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': {
          type: 'request',
          authorizerUri:
            'arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-central-1:111122223333:function:gate/invocations',
          identitySource: 'method.request.header.X-Pass',
          authorizerResultTtlInSeconds: 0,
        },
      },
    });
    expect(doc['x-amazon-apigateway-binary-media-types']).toEqual(['image/png']);
    expect(doc['x-amazon-apigateway-request-validators']).toEqual({
      body: { validateRequestBody: true, validateRequestParameters: false },
      params: { validateRequestBody: false, validateRequestParameters: true },
    });
    expect(doc['x-amazon-apigateway-gateway-responses']).toEqual(inline.gatewayResponses);
  });

  it('round-trips an imported definition: import → export → import gives the same options', async () => {
    for (const file of ['pets-oas3.yaml', 'orders-swagger2.json']) {
      const first = await importOpenApi(join(FIXTURES, file), ctx);
      const second = await importOpenApi(toOpenApi(first.options), ctx);
      expect(second.unsupported).toEqual([]);
      expect(second.options).toEqual(first.options);
    }
  });
});

describe.each(EXPRESS_VERSIONS)('toOpenApi round trip, Express %s', (_version, factory) => {
  async function appWith(options: ApiGatewayOptions) {
    const gateway = apiGateway({ logger: silentLogger(), functions, apiKeys: [API_KEY], ...options });
    await gateway.ready;
    const app = factory();
    app.use(gateway);
    return app;
  }

  it('answers every request as the options it was exported from', async () => {
    const { resources, ...rest } = inline;
    const apps = [await appWith(inline), await appWith({ ...rest, openapi: toOpenApi(inline) })];
    const answers = await Promise.all(
      apps.map(async (app) => {
        const out = [];
        out.push(await request(app).get('/prod/items?page=1').set('x-api-key', API_KEY));
        out.push(await request(app).get('/prod/items?page=1'));
        out.push(await request(app).get('/prod/items').set('x-api-key', API_KEY));
        out.push(await request(app).post('/prod/items').set('X-Pass', 'yes').send({ name: 'cup' }));
        out.push(await request(app).post('/prod/items').set('X-Pass', 'yes').send({ name: 'dup' }));
        out.push(await request(app).post('/prod/items').set('X-Pass', 'yes').send({ tag: 'new' }));
        out.push(await request(app).post('/prod/items').set('X-Pass', 'no').send({ name: 'cup' }));
        out.push(await request(app).patch('/prod/items/9'));
        out.push(await request(app).get('/prod/ping'));
        out.push(await request(app).get('/prod/nowhere'));
        return out.map((r) => ({ status: r.status, body: r.text, id: r.headers['x-id'] }));
      }),
    );
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]?.map((a) => a.status)).toEqual([200, 403, 400, 201, 409, 400, 403, 200, 200, 404]);
    expect(answers[0]?.[3]).toEqual({ status: 201, body: '{"id":"pat-cup"}', id: 'pat-cup' });
    expect(answers[0]?.[7]?.body).toBe('{"resource":"/items/{id}","method":"PATCH","principal":null}');
  });
});
