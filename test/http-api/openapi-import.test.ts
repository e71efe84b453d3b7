import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { parseDefinitionYaml } from '../../src/definitions/parse-yaml.js';
import { isHttpApiOpenApi } from '../../src/http-api/openapi/import-http-api-openapi.js';
import type { HttpApiMiddleware, HttpApiOptions } from '../../src/index.js';
import { ConfigError, httpApi, loadHttpApiDefinitions } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { silentLogger } from '../support/create-app.js';

const DIR = path.join(__dirname, '../fixtures/definitions/http-api/openapi');
const at = (file: string) => path.join(DIR, file);
const HANDLERS = { codeUri: path.join(DIR, 'src') };
const FUNCTIONS = {
  EchoFunction: { handler: 'handlers.echo', ...HANDLERS },
  AuthFunction: { handler: 'handlers.authorize', ...HANDLERS },
};
const opened: HttpApiMiddleware[] = [];
afterAll(() => Promise.all(opened.map((api) => api.close())));

function petsDocument(): Record<string, unknown> {
  return parseDefinitionYaml(readFileSync(at('pets.yaml'), 'utf8')) as Record<string, unknown>;
}

async function serve(options: HttpApiOptions) {
  const api = httpApi({ logger: silentLogger(), ...options });
  opened.push(api);
  await api.ready;
  return express().use(api);
}

/** `ready` rejects with this ConfigError message. */
async function refusal(options: HttpApiOptions): Promise<string> {
  const api = httpApi({ logger: silentLogger(), ...options });
  opened.push(api);
  const error = await api.ready.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as Error).message;
}

const lambdaUri = (fn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn}/invocations`;

describe('httpApi({ openapi }): an exported HTTP API, served', () => {
  test('payload 1.0 from the integration: the 1.0 event, its resource and path', async () => {
    const app = await serve({ openapi: at('pets.yaml'), functions: FUNCTIONS });
    const res = await request(app).get('/pets');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      version: '1.0',
      routeKey: null,
      resource: '/pets',
      path: '/pets',
      authorizer: expect.any(Object),
      header: null,
    });
  });

  test('a JWT-guarded route from securitySchemes refuses without a token (401, www-authenticate)', async () => {
    const app = await serve({ openapi: at('pets.yaml'), functions: FUNCTIONS });
    const res = await request(app).get('/pets/7');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.text).toBe('{"message":"Unauthorized"}');
  });

  test('a request authorizer (simple responses) from securitySchemes guards ANY /admin/{proxy+}', async () => {
    const app = await serve({ openapi: at('pets.yaml'), functions: FUNCTIONS });
    const missing = await request(app).delete('/admin/x');
    expect(missing.status).toBe(401);
    expect(missing.text).toBe('{"message":"Unauthorized"}');
    const wrong = await request(app).delete('/admin/x').set('x-key', 'nope');
    expect(wrong.status).toBe(403);
    const right = await request(app).delete('/admin/x').set('x-key', 'let-me-in');
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({
      version: '2.0',
      routeKey: 'ANY /admin/{proxy+}',
      authorizer: { lambda: { who: 'key-holder' } },
    });
  });

  test('/$default with isDefaultRoute is the $default route (an integration $ref to components)', async () => {
    const app = await serve({ openapi: at('pets.yaml'), functions: FUNCTIONS });
    const res = await request(app).patch('/nothing/here');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: '2.0', routeKey: '$default', path: '/nothing/here' });
  });

  test('x-amazon-apigateway-cors: the gateway answers the preflight and replaces the function’s CORS headers', async () => {
    // Without its $default route, which would take the preflight (D-cors).
    const { '/$default': _default, ...paths } = petsDocument().paths as Record<string, unknown>;
    const app = await serve({ openapi: { ...petsDocument(), paths }, functions: FUNCTIONS });
    const preflight = await request(app)
      .options('/pets')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'GET');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(preflight.headers['access-control-allow-methods']).toBe('GET,POST');
    expect(preflight.headers['access-control-max-age']).toBe('300');
    const res = await request(app).get('/pets').set('Origin', 'https://app.example.com');
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  test('a function named in a uri but not given refuses to start, naming it', async () => {
    const message = await refusal({
      openapi: at('pets.yaml'),
      functions: { EchoFunction: FUNCTIONS.EchoFunction },
    });
    expect(message).toMatch(/AuthFunction/);
  });
});

describe('httpApi({ openapi }): integration settings', () => {
  test('requestParameters, responseParameters and timeoutInMillis are the route’s', async () => {
    const seen: Record<string, unknown>[] = [];
    const app = await serve({
      functions: {
        fn: async (event: { headers: Record<string, unknown> }) => {
          seen.push(event.headers);
          return { statusCode: 500, headers: { 'content-type': 'text/plain' }, body: 'x' };
        },
        never: () => new Promise(() => {}),
      },
      openapi: {
        openapi: '3.0.1',
        info: { title: 't', version: '1' },
        paths: {
          '/items/{id}': {
            put: {
              'x-amazon-apigateway-integration': {
                type: 'aws_proxy',
                payloadFormatVersion: '2.0',
                uri: lambdaUri('fn'),
                requestParameters: { 'overwrite:header.x-item': '$request.path.id' },
                responseParameters: {
                  '500': { 'overwrite:statuscode': '418', 'append:header.x-why': 'mapped' },
                },
              },
            },
          },
          '/slow': {
            get: {
              'x-amazon-apigateway-integration': {
                type: 'aws_proxy',
                payloadFormatVersion: '2.0',
                uri: lambdaUri('never'),
                timeoutInMillis: 50,
              },
            },
          },
        },
      },
    });
    const res = await request(app).put('/items/42');
    expect(res.status).toBe(418);
    expect(res.headers['x-why']).toBe('mapped');
    expect(seen[0]['x-item']).toBe('42');
    expect((await request(app).get('/slow')).status).toBe(503);
  });
});

describe('httpApi({ openapi }): a JWT authorizer with keys from the issuer’s discovery', () => {
  const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
  const pool = createTestUserPool({ now: () => NOW });
  let server: http.Server;
  let issuer: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration')
        res.end(JSON.stringify({ jwks_uri: `${issuer}/jwks` }));
      else res.end(JSON.stringify(pool.jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const document = () => ({
    openapi: '3.0.1',
    info: { title: 'jwt', version: '1' },
    paths: {
      '/me': {
        get: {
          security: [{ users: ['pets/read'] }],
          'x-amazon-apigateway-integration': {
            type: 'aws_proxy',
            payloadFormatVersion: '2.0',
            uri: lambdaUri('echo'),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        users: {
          type: 'openIdConnect',
          openIdConnectUrl: `${issuer}/.well-known/openid-configuration`,
          'x-amazon-apigateway-authorizer': {
            type: 'jwt',
            identitySource: '$request.header.Authorization',
            jwtConfiguration: { audience: ['pets-client'] },
          },
        },
      },
    },
  });
  const echo = async (event: { requestContext: unknown }) => ({
    statusCode: 200,
    body: JSON.stringify(event.requestContext),
  });
  const token = (scope: string) =>
    pool.sign(
      { iss: issuer, client_id: 'pets-client', scope, exp: NOW / 1000 + 60, iat: NOW / 1000 - 1 },
      { kid: pool.kid },
    );

  test('the route’s scopes from security: a token with one passes, one without is 403', async () => {
    const app = await serve({ openapi: document(), functions: { echo }, clock: () => NOW });
    const ok = await request(app)
      .get('/me')
      .set('Authorization', `Bearer ${token('pets/read')}`);
    expect(ok.status).toBe(200);
    expect(ok.body.authorizer.jwt.scopes).toEqual(['pets/read']);
    expect(ok.body.authorizer.jwt.claims.iss).toBe(issuer);
    const denied = await request(app)
      .get('/me')
      .set('Authorization', `Bearer ${token('other')}`);
    expect(denied.status).toBe(403);
    const none = await request(app).get('/me');
    expect(none.status).toBe(401);
  });
});

describe('httpApi({ openapi }): what import-api refuses, refused at startup', () => {
  const op = (integration: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    openapi: '3.0.1',
    info: { title: 't', version: '1' },
    paths: { '/a': { get: { 'x-amazon-apigateway-integration': integration, ...extra } } },
  });
  const proxy = { type: 'aws_proxy', payloadFormatVersion: '2.0', uri: lambdaUri('fn') };
  const functions = { fn: async () => 'ok' };

  test('Swagger 2.0', async () => {
    const message = await refusal({
      openapi: { swagger: '2.0', info: { title: 't', version: '1' }, paths: {} },
      functions,
    });
    expect(message).toBe('openapi: an HTTP API is imported from OpenAPI 3.0 only, not Swagger 2.0');
  });

  test('an integration without payloadFormatVersion', async () => {
    const message = await refusal({ openapi: op({ type: 'aws_proxy', uri: lambdaUri('fn') }), functions });
    expect(message).toBe(
      'openapi: paths["/a"].get.x-amazon-apigateway-integration.payloadFormatVersion: "2.0" or "1.0", required for an HTTP API\'s integration (got undefined)',
    );
  });

  test('an importexport version other than 1.0', async () => {
    const message = await refusal({
      openapi: { ...op(proxy), 'x-amazon-apigateway-importexport-version': '2.0' },
      functions,
    });
    expect(message).toMatch(/x-amazon-apigateway-importexport-version: "1.0" is the only version/);
  });

  test('two security requirements on one operation', async () => {
    const message = await refusal({
      openapi: {
        ...op(proxy, { security: [{ a: [] }, { b: [] }] }),
        components: {
          securitySchemes: {
            a: {
              type: 'oauth2',
              'x-amazon-apigateway-authorizer': {
                type: 'jwt',
                jwtConfiguration: { issuer: 'https://i', audience: ['x'] },
              },
            },
            b: {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authtype': 'awsSigv4',
            },
          },
        },
      },
      functions,
    });
    expect(message).toMatch(/one security requirement per operation on an HTTP API \(got a, b\)/);
  });

  test('a route guarded by a scheme that is no authorizer is refused, never served open', async () => {
    const message = await refusal({
      openapi: {
        ...op(proxy, { security: [{ key: [] }] }),
        components: { securitySchemes: { key: { type: 'apiKey', name: 'x-api-key', in: 'header' } } },
      },
      functions,
    });
    expect(message).toMatch(/"key" is no jwt or request authorizer.*refusing to serve the route open/);
  });

  test('a uri that names no Lambda function', async () => {
    const message = await refusal({ openapi: op({ ...proxy, uri: 'https://example.com' }), functions });
    expect(message).toMatch(/\.uri: not a Lambda function ARN/);
  });

  test('openapi beside routes', () => {
    expect(() => httpApi({ openapi: op(proxy), routes: {}, functions })).toThrow(
      'routes: not with openapi (the definition gives the routes)',
    );
  });
});

describe('httpApi({ openapi }): what cannot run here is named and left out', () => {
  test('an http_proxy integration is left out with a warning; the rest is served', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger(), warn: (...args: unknown[]) => warnings.push(args.join(' ')) };
    const api = httpApi({
      logger,
      functions: { fn: async () => ({ ok: true }) },
      openapi: {
        openapi: '3.0.1',
        info: { title: 't', version: '1' },
        paths: {
          '/http': {
            get: {
              'x-amazon-apigateway-integration': {
                type: 'http_proxy',
                payloadFormatVersion: '1.0',
                uri: 'https://example.com',
              },
            },
          },
          '/fn': {
            get: {
              'x-amazon-apigateway-integration': {
                type: 'AWS_PROXY',
                payloadFormatVersion: 2,
                uri: lambdaUri('fn'),
              },
            },
          },
        },
      },
    });
    opened.push(api);
    await api.ready;
    const app = express().use(api);
    expect((await request(app).get('/fn')).body).toEqual({ ok: true });
    expect((await request(app).get('/http')).status).toBe(404);
    expect(warnings.join('\n')).toMatch(
      /paths\["\/http"\]\.get\.x-amazon-apigateway-integration: type http_proxy/,
    );
  });
  test('scopes on a request authorizer’s route are named: only JWT authorizers check scopes', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger(), warn: (...args: unknown[]) => warnings.push(args.join(' ')) };
    const api = httpApi({
      logger,
      functions: { fn: async () => ({ ok: true }), auth: async () => ({ isAuthorized: true }) },
      openapi: {
        openapi: '3.0.1',
        info: { title: 't', version: '1' },
        paths: {
          '/fn': {
            get: {
              security: [{ keys: ['admin'] }],
              'x-amazon-apigateway-integration': {
                type: 'aws_proxy',
                payloadFormatVersion: '2.0',
                uri: lambdaUri('fn'),
              },
            },
          },
        },
        components: {
          securitySchemes: {
            keys: {
              type: 'apiKey',
              name: 'x-key',
              in: 'header',
              'x-amazon-apigateway-authorizer': {
                type: 'request',
                identitySource: '$request.header.x-key',
                authorizerUri: lambdaUri('auth'),
                authorizerPayloadFormatVersion: '2.0',
                enableSimpleResponses: true,
              },
            },
          },
        },
      },
    });
    opened.push(api);
    await api.ready;
    const app = express().use(api);
    expect((await request(app).get('/fn')).status).toBe(401);
    expect((await request(app).get('/fn').set('x-key', 'k')).status).toBe(200);
    expect(warnings.join('\n')).toMatch(
      /paths\["\/fn"\]\.get\.security: scopes of a request authorizer \(not checked\)/,
    );
  });
});

describe('OpenAPI bodies in templates', () => {
  test('SAM DefinitionUri (a local file): the document’s routes and the events’ routes, authorizers and CORS', async () => {
    const [api] = await loadHttpApiDefinitions({ template: at('sam-uri.yaml') });
    expect(Object.keys(api.options.routes ?? {}).sort()).toEqual([
      '$default',
      'ANY /admin/{proxy+}',
      'GET /pets',
      'GET /pets/{id}',
      'POST /extra',
    ]);
    expect(Object.keys(api.options.functions ?? {}).sort()).toEqual(['AuthFunction', 'EchoFunction']);
    expect(api.options.authorizers?.users).toEqual({
      type: 'JWT',
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example',
      audience: ['pets-client'],
      identitySource: '$request.header.Authorization',
    });
    expect(api.options.cors?.allowOrigins).toEqual(['https://app.example.com']);
    const app = await serve({ template: at('sam-uri.yaml') });
    expect((await request(app).get('/pets/1')).status).toBe(401);
    const extra = await request(app).post('/extra');
    expect(extra.body).toMatchObject({ version: '2.0', routeKey: 'POST /extra' });
    const admin = await request(app).get('/admin/a').set('x-key', 'let-me-in');
    expect(admin.status).toBe(200);
  });

  test('SAM DefinitionBody with !Sub of the function’s Arn, on a named stage', async () => {
    const app = await serve({ template: at('sam-body.yaml') });
    const res = await request(app).get('/dev/hello');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: '1.0', resource: '/hello', path: '/dev/hello' });
  });

  test('CloudFormation Body (no ProtocolType needed) and BodyS3Location as a local file', async () => {
    const apis = await loadHttpApiDefinitions({ template: at('cfn-body.json') });
    expect(apis.map((a) => a.name)).toEqual(['Api', 'FileApi']);
    expect(apis[0].options.routes).toEqual({
      'POST /hello': { integration: { function: 'EchoFunction', payloadFormatVersion: '2.0' } },
    });
    expect(apis[0].options.cors).toEqual({ allowOrigins: ['*'], allowMethods: ['POST'] });
    expect(Object.keys(apis[1].options.routes ?? {})).toHaveLength(4);
    const app = await serve({ template: at('cfn-body.json') });
    const res = await request(app).post('/hello').set('Origin', 'https://x.example');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  test('a body on S3 is refused, naming the field', async () => {
    await expect(
      loadHttpApiDefinitions({
        template: {
          Resources: {
            Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { BodyS3Location: 's3://bucket/api.yaml' } },
          },
        },
      }),
    ).rejects.toThrow(
      "Resources.Api.Properties.BodyS3Location: a document on S3 cannot be read here (give it inline, or as a file path under the template's folder)",
    );
  });
});

describe('isHttpApiOpenApi: an HTTP API document, not a REST API one', () => {
  const base = { openapi: '3.0.1', info: { title: 't', version: '1' } };
  test.each([
    ['the importexport version', { ...base, paths: {}, 'x-amazon-apigateway-importexport-version': '1.0' }],
    ['x-amazon-apigateway-cors', { ...base, paths: {}, 'x-amazon-apigateway-cors': {} }],
    [
      'a payloadFormatVersion',
      {
        ...base,
        paths: { '/a': { get: { 'x-amazon-apigateway-integration': { payloadFormatVersion: '2.0' } } } },
      },
    ],
    ['a $default path', { ...base, paths: { $default: {} } }],
  ])('%s makes it one', (_name, doc) => {
    expect(isHttpApiOpenApi(doc)).toBe(true);
  });
  test.each([
    [
      'a REST export',
      { ...base, paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy' } } } } },
    ],
    ['Swagger 2', { swagger: '2.0', paths: {}, 'x-amazon-apigateway-importexport-version': '1.0' }],
  ])('%s is not', (_name, doc) => {
    expect(isHttpApiOpenApi(doc)).toBe(false);
  });
});
