import path from 'node:path';
import express from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { importHttpApiOpenApi } from '../../src/http-api/openapi/import-http-api-openapi.js';
import type { HttpApiMiddleware, HttpApiOptions, HttpRoute } from '../../src/index.js';
import { exportHttpApiOpenApi, httpApi } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

const DIR = path.join(__dirname, '../fixtures/definitions/http-api/openapi');
const opened: HttpApiMiddleware[] = [];
afterAll(() => Promise.all(opened.map((api) => api.close())));

const uri = (fn: string) =>
  `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:${fn}/invocations`;

const OPTIONS: HttpApiOptions = {
  apiId: 'abc123',
  region: 'eu-west-1',
  accountId: '111122223333',
  stageName: 'dev',
  routes: {
    'GET /pets/{id}': {
      integration: { function: 'pets', timeoutInMillis: 5000 },
      authorizer: 'users',
      authorizationScopes: ['pets/read'],
    },
    'ANY /admin/{proxy+}': {
      integration: { function: 'pets', payloadFormatVersion: '1.0' },
      authorizer: 'keys',
    },
    'POST /signed': { integration: { function: 'pets' }, authorizationType: 'AWS_IAM' },
    $default: {
      integration: {
        function: 'fallback',
        requestParameters: { 'overwrite:header.x-from': '$request.path' },
        responseParameters: { '404': { 'overwrite:statuscode': '410' } },
      },
    },
  },
  authorizers: {
    users: {
      type: 'JWT',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
      audience: ['client-a'],
      jwks: { keys: [] },
    },
    keys: {
      type: 'REQUEST',
      function: 'auth',
      authorizerPayloadFormatVersion: '2.0',
      enableSimpleResponses: true,
      identitySource: ['$request.header.x-key'],
      authorizerResultTtlInSeconds: 300,
    },
  },
  cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET'], maxAge: 60 },
};

describe('exportHttpApiOpenApi', () => {
  test('writes what export-api writes: aws_proxy integrations, authorizers, CORS, version 1.0', () => {
    expect(exportHttpApiOpenApi(OPTIONS, { title: 'pets' })).toEqual({
      openapi: '3.0.1',
      info: { title: 'pets', version: '1.0' },
      servers: [
        {
          url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/{basePath}',
          variables: { basePath: { default: 'dev' } },
        },
      ],
      paths: {
        '/pets/{id}': {
          get: {
            responses: { default: { description: 'Default response for GET /pets/{id}' } },
            security: [{ users: ['pets/read'] }],
            'x-amazon-apigateway-integration': {
              payloadFormatVersion: '2.0',
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: uri('pets'),
              connectionType: 'INTERNET',
              timeoutInMillis: 5000,
            },
          },
          parameters: [
            {
              name: 'id',
              in: 'path',
              description: 'Generated path parameter for id',
              required: true,
              schema: { type: 'string' },
            },
          ],
        },
        '/admin/{proxy+}': {
          'x-amazon-apigateway-any-method': {
            responses: { default: { description: 'Default response for ANY /admin/{proxy+}' } },
            security: [{ keys: [] }],
            'x-amazon-apigateway-integration': {
              payloadFormatVersion: '1.0',
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: uri('pets'),
              connectionType: 'INTERNET',
            },
          },
          parameters: [
            {
              name: 'proxy+',
              in: 'path',
              description: 'Generated path parameter for proxy+',
              required: true,
              schema: { type: 'string' },
            },
          ],
        },
        '/signed': {
          post: {
            responses: { default: { description: 'Default response for POST /signed' } },
            security: [{ AWS_IAM: [] }],
            'x-amazon-apigateway-integration': {
              payloadFormatVersion: '2.0',
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: uri('pets'),
              connectionType: 'INTERNET',
            },
          },
        },
        '/$default': {
          'x-amazon-apigateway-any-method': {
            isDefaultRoute: true,
            responses: { default: { description: 'Default response for $default' } },
            'x-amazon-apigateway-integration': {
              payloadFormatVersion: '2.0',
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: uri('fallback'),
              connectionType: 'INTERNET',
              requestParameters: { 'overwrite:header.x-from': '$request.path' },
              responseParameters: { '404': { 'overwrite:statuscode': '410' } },
            },
          },
        },
      },
      components: {
        securitySchemes: {
          users: {
            type: 'oauth2',
            flows: {},
            'x-amazon-apigateway-authorizer': {
              identitySource: '$request.header.Authorization',
              jwtConfiguration: {
                audience: ['client-a'],
                issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
              },
              type: 'jwt',
            },
          },
          keys: {
            type: 'apiKey',
            name: 'x-key',
            in: 'header',
            'x-amazon-apigateway-authtype': 'custom',
            'x-amazon-apigateway-authorizer': {
              identitySource: '$request.header.x-key',
              authorizerUri: uri('auth'),
              authorizerPayloadFormatVersion: '2.0',
              authorizerResultTtlInSeconds: 300,
              enableSimpleResponses: true,
              type: 'request',
            },
          },
          AWS_IAM: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authtype': 'awsSigv4',
          },
        },
      },
      'x-amazon-apigateway-cors': {
        allowMethods: ['GET'],
        maxAge: 60,
        allowOrigins: ['https://app.example.com'],
      },
      'x-amazon-apigateway-importexport-version': '1.0',
    });
  });

  test('imported again, the routes, authorizers (but jwks) and CORS are the same', async () => {
    const { options } = await importHttpApiOpenApi(exportHttpApiOpenApi(OPTIONS), { baseDir: DIR });
    expect(options.routes).toEqual(withDefaults(OPTIONS.routes ?? {}));
    const { jwks: _jwks, ...users } = (OPTIONS.authorizers as Record<string, { jwks?: unknown }>).users;
    expect(options.authorizers).toEqual({
      ...OPTIONS.authorizers,
      users: { ...users, identitySource: '$request.header.Authorization' },
    });
    expect(options.cors).toEqual(OPTIONS.cors);
  });

  test('an exported file imported again serves the same routes', async () => {
    const { options: imported } = await importHttpApiOpenApi(path.join(DIR, 'pets.yaml'), { baseDir: DIR });
    const handlers = { codeUri: path.join(DIR, 'src') };
    const functions = {
      EchoFunction: { handler: 'handlers.echo', ...handlers },
      AuthFunction: { handler: 'handlers.authorize', ...handlers },
    };
    const api = httpApi({
      logger: silentLogger(),
      functions,
      openapi: exportHttpApiOpenApi({ ...imported, region: 'us-east-1' }),
    });
    opened.push(api);
    await api.ready;
    const app = express().use(api);
    expect((await request(app).get('/pets')).body).toMatchObject({ version: '1.0', resource: '/pets' });
    expect((await request(app).get('/pets/1')).status).toBe(401);
    expect((await request(app).put('/admin/a').set('x-key', 'let-me-in')).status).toBe(200);
    expect((await request(app).get('/elsewhere')).body).toMatchObject({ routeKey: '$default' });
  });

  test('property: import(export(routes)) gives the routes back, for any route set', async () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY');
    const segment = fc.oneof(fc.stringMatching(/^[a-z0-9._-]{1,6}$/), fc.constant('{id}'));
    const routePath = fc
      .tuple(fc.array(segment, { maxLength: 4 }), fc.boolean())
      .map(([segments, greedy]) => {
        // One `{id}` at most per path; a greedy variable only last.
        const parts = segments.map((s, i) => (s === '{id}' && segments.indexOf('{id}') < i ? 'x' : s));
        if (greedy) parts.push('{proxy+}');
        return `/${parts.join('/')}`;
      });
    const route: fc.Arbitrary<HttpRoute> = fc.record(
      {
        integration: fc.record(
          {
            function: fc.constantFrom('a', 'b'),
            payloadFormatVersion: fc.constantFrom('1.0' as const, '2.0' as const),
            timeoutInMillis: fc.integer({ min: 50, max: 30000 }),
          },
          { requiredKeys: ['function'] },
        ),
        authorizationType: fc.constant('AWS_IAM' as const),
      },
      { requiredKeys: ['integration'] },
    );
    const routes = fc.dictionary(
      fc.oneof(
        fc.tuple(method, routePath).map(([m, p]) => `${m} ${p}`),
        fc.constant('$default'),
      ),
      route,
      { minKeys: 1, maxKeys: 8 },
    );
    await fc.assert(
      fc.asyncProperty(routes, async (given) => {
        const { options } = await importHttpApiOpenApi(exportHttpApiOpenApi({ routes: given }), {
          baseDir: DIR,
        });
        expect(options.routes).toEqual(withDefaults(given));
      }),
      { numRuns: 60 },
    );
  });
});

/** The routes as an import gives them: the payload format always written. */
function withDefaults(routes: Record<string, HttpRoute>): Record<string, HttpRoute> {
  return Object.fromEntries(
    Object.entries(routes).map(([key, r]) => [
      key,
      {
        ...r,
        integration: { ...r.integration, payloadFormatVersion: r.integration.payloadFormatVersion ?? '2.0' },
      },
    ]),
  );
}
