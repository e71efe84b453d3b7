import request from 'supertest';
import type { ApiGatewayOptions, Method } from '../../src/index.js';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';

function mockApi(
  method: Omit<Partial<Method>, 'integration'> & { integration: Omit<Method['integration'], 'type'> },
): ApiGatewayOptions {
  return {
    resources: {
      '/pets/{id}': { OPTIONS: { ...method, integration: { ...method.integration, type: 'MOCK' } } },
    },
  };
}

describe.each(EXPRESS_VERSIONS)('MOCK integration on Express %s', (_v, express) => {
  it('answers the preflight the console\'s "Enable CORS" builds: 200, headers, empty body', async () => {
    const app = createApp(
      mockApi({
        integration: {
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          integrationResponses: [
            {
              statusCode: '200',
              responseParameters: {
                'method.response.header.Access-Control-Allow-Headers':
                  "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
                'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'",
                'method.response.header.Access-Control-Allow-Origin': "'*'",
              },
              responseTemplates: { 'application/json': '' },
            },
          ],
        },
        methodResponses: [
          {
            statusCode: '200',
            responseParameters: {
              'method.response.header.Access-Control-Allow-Headers': false,
              'method.response.header.Access-Control-Allow-Methods': false,
              'method.response.header.Access-Control-Allow-Origin': false,
            },
          },
        ],
      }),
      express,
    );
    const res = await request(app).options('/prod/pets/1').set('Origin', 'https://example.com');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET,OPTIONS');
    expect(res.headers['access-control-allow-headers']).toBe(
      'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token',
    );
  });

  it("selects the integration response by the template's statusCode and renders the body", async () => {
    const app = createApp(
      mockApi({
        integration: {
          requestTemplates: {
            'application/json': `#if($input.params('id') == "404")
{"statusCode": 404}
#else
{statusCode: 200}
#end`,
          },
          integrationResponses: [
            {
              statusCode: '200',
              responseTemplates: { 'application/json': '{"id": "$input.params(\'id\')"}' },
            },
            {
              statusCode: '404',
              selectionPattern: '4\\d{2}',
              responseTemplates: { 'application/json': '{"message": "no pet"}' },
            },
          ],
        },
      }),
      express,
    );
    const found = await request(app).options('/prod/pets/7');
    expect(found.status).toBe(200);
    expect(found.text).toBe('{"id": "7"}');
    const missing = await request(app).options('/prod/pets/404');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('{"message": "no pet"}');
  });

  it('answers 500 when the request template gives no integer statusCode', async () => {
    const app = createApp(
      mockApi({
        integration: {
          requestTemplates: { 'application/json': '{"statusCode": "two hundred"}' },
          integrationResponses: [{ statusCode: '200' }],
        },
      }),
      express,
    );
    const res = await request(app).options('/prod/pets/1');
    expect(res.status).toBe(500);
    expect(res.text).toBe('{"message": "Internal server error"}');
  });

  it('keeps request-template overrides into the response', async () => {
    const app = createApp(
      mockApi({
        integration: {
          requestTemplates: {
            'application/json': `#set($context.responseOverride.status = 444)
#set($context.responseOverride.header.foo = "bar")
#set($context.requestOverride.path.petName = "rex")
{"statusCode": 200}`,
          },
          integrationResponses: [
            {
              statusCode: '200',
              responseTemplates: { 'application/json': '$context.requestOverride.path.petName' },
            },
          ],
        },
      }),
      express,
    );
    const res = await request(app).options('/prod/pets/1').parse(asText);
    expect(res.status).toBe(444);
    expect(res.headers.foo).toBe('bar');
    expect(res.body).toBe('rex');
  });

  it('with an empty response template map answers 200 with an empty body', async () => {
    const app = createApp(
      mockApi({
        integration: {
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          integrationResponses: [{ statusCode: '200' }],
        },
      }),
      express,
    );
    const res = await request(app).options('/prod/pets/1');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers['content-type']).toBe('application/json');
  });
});
