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
});
