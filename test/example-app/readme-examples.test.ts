import express from 'express';
import request from 'supertest';
import { type ApiGatewayOptions, apiGateway } from '../../src/index.js';
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
