import request from 'supertest';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { proxy } from '../support/echo-function.js';

describe.each(EXPRESS_VERSIONS)(
  'validation failures through gateway responses (Express %s)',
  (_v, express) => {
    const app = createApp(
      {
        functions: { fn: async () => ({ statusCode: 200, body: 'ok' }) },
        models: {
          Pet: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['name'] },
        },
        requestValidators: { all: { validateRequestBody: true, validateRequestParameters: true } },
        gatewayResponses: {
          BAD_REQUEST_BODY: {
            responseTemplates: {
              'application/json':
                '{ "message": $context.error.messageString, "validationErrors": "$context.error.validationErrorString" }',
            },
          },
          DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.X-Api': "'pets'" } },
        },
        resources: {
          '/pets': {
            POST: {
              ...proxy('fn'),
              requestValidator: 'all',
              requestModels: { 'application/json': 'Pet' },
              requestParameters: { 'method.request.header.X-Tenant': true },
            },
          },
        },
      },
      express,
    );

    it('renders $context.error.validationErrorString JSON-escaped inside the template quotes', async () => {
      const res = await request(app)
        .post('/prod/pets')
        .set('X-Tenant', 't')
        .set('Content-Type', 'application/json')
        .send('{}')
        .parse(asText);
      expect(res.status).toBe(400);
      expect(res.body).toBe(
        '{ "message": "Invalid request body", "validationErrors": "[object has missing required properties ([\\"name\\"])]" }',
      );
      expect(JSON.parse(res.body).validationErrors).toBe(
        '[object has missing required properties (["name"])]',
      );
    });

    it('applies DEFAULT_4XX to the missing-parameters 400', async () => {
      const res = await request(app)
        .post('/prod/pets')
        .set('Content-Type', 'application/json')
        .send('{"name":"x"}')
        .parse(asText);
      expect(res.status).toBe(400);
      expect(res.headers['x-api']).toBe('pets');
      expect(res.body).toBe('{"message": "Missing required request parameters: [X-Tenant]"}');
    });
  },
);
