import type { APIGatewayProxyEvent } from 'aws-lambda';
import express from 'express';
import request from 'supertest';
import { type ApiGatewayOptions, apiGateway } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { silentLogger } from '../support/create-app.js';

// The README's examples, kept honest.
describe('README examples', () => {
  it('the mapping-template example answers as the README says', async () => {
    const api = {
      logger: silentLogger(),
      functions: { greet: async (event: { name: string }) => ({ greeting: `Hello ${event.name}` }) },
      resources: {
        '/greet/{name}': {
          GET: {
            integration: {
              type: 'AWS',
              function: 'greet',
              requestTemplates: {
                'application/json': `{"name": "$util.escapeJavaScript($input.params('name'))"}`,
              },
              integrationResponses: [
                {
                  statusCode: '200',
                  responseTemplates: { 'application/json': `{"text": $input.json('$.greeting')}` },
                },
              ],
            },
          },
        },
      },
    } satisfies ApiGatewayOptions;

    const res = await request(express().use(apiGateway(api))).get('/prod/greet/Ann');
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"text": "Hello Ann"}');
  });

  it('the quick-start proxy example answers with its path parameter', async () => {
    const app = express().use(
      apiGateway({
        logger: silentLogger(),
        functions: {
          hello: async (event: { pathParameters: { name?: string } | null }) => ({
            statusCode: 200,
            headers: { 'Content-Type': 'text/plain' },
            body: `Hello ${event.pathParameters?.name ?? 'world'}`,
          }),
        },
        resources: { '/hello/{name}': { GET: { integration: { type: 'AWS_PROXY', function: 'hello' } } } },
      }),
    );
    const res = await request(app).get('/prod/hello/you');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.text).toBe('Hello you');
  });

  describe('the Cognito testing example', () => {
    let now = Date.now();
    const clock = () => now;
    const pool = createTestUserPool({ now: clock });
    const app = express().use(
      apiGateway({
        logger: silentLogger(),
        clock,
        userPools: pool.userPools,
        authorizers: { users: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn] } },
        functions: {
          me: async (event: APIGatewayProxyEvent) => ({
            statusCode: 200,
            body: JSON.stringify(event.requestContext.authorizer),
          }),
        },
        resources: {
          '/me': {
            GET: {
              authorizationType: 'COGNITO_USER_POOLS',
              authorizer: 'users',
              integration: { type: 'AWS_PROXY', function: 'me' },
            },
          },
        },
      }),
    );

    it('hands the claims to the function', async () => {
      const res = await request(app)
        .get('/prod/me')
        .set('Authorization', pool.idToken({ 'cognito:groups': ['admin'] }));
      expect(res.body.claims['cognito:groups']).toBe('admin');
    });

    it('refuses an expired token', async () => {
      const token = pool.idToken();
      now += 3600_000;
      const res = await request(app).get('/prod/me').set('Authorization', token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthorized' });
    });
  });

  it('the gateway-responses and CORS example answers as the README says', async () => {
    const getPets = { integration: { type: 'AWS_PROXY', function: 'pets' } } as const;
    const app = express().use(
      apiGateway({
        logger: silentLogger(),
        functions: { pets: async () => ({ statusCode: 200, body: '[]' }) },
        gatewayResponses: {
          MISSING_AUTHENTICATION_TOKEN: {
            statusCode: '404',
            responseTemplates: { 'application/json': '{"error": $context.error.messageString}' },
          },
          DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.X-Request-Id': 'context.requestId' } },
        },
        resources: {
          '/pets': { GET: getPets, cors: { allowOrigin: 'https://shop.example', gatewayResponses: true } },
        },
      }),
    );
    const missing = await request(app).get('/prod/nope');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('{"error": "Missing Authentication Token"}');
    expect(missing.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(app).options('/prod/pets');
    expect(preflight.status).toBe(200);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET,OPTIONS');
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
  });
});
