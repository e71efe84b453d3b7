import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { type ApiGatewayOptions, loadDefinition, type ResolvedOptions, toOpenApi } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

// `export` writes OpenAPI 3.0 that an OpenAPI validator accepts.
const root = join(__dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'definitions');

async function validate(doc: Record<string, unknown>): Promise<string> {
  try {
    await SwaggerParser.validate(structuredClone(doc) as never);
    return 'valid';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('toOpenApi output validates as OpenAPI 3.0', () => {
  it('the example app', async () => {
    const options = require('../../example-app/api.js') as ResolvedOptions;
    const doc = toOpenApi(options);
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(await validate(doc)).toBe('valid');
  });

  it.each([
    ['an OpenAPI 3 document', { openapi: join(fixtures, 'openapi', 'pets-oas3.yaml') }],
    ['a Swagger 2 document', { openapi: join(fixtures, 'openapi', 'orders-swagger2.json') }],
    ['a SAM template', { template: join(fixtures, 'sam', 'app', 'template.yaml') }],
    [
      'a SAM template with an explicit API',
      { template: join(fixtures, 'sam', 'explicit-api', 'template.yaml') },
    ],
    ['a serverless.yml', { serverless: join(fixtures, 'serverless', 'serverless.yml') }],
    ['the example SAM template', { template: join(root, 'example-app', 'template.yaml') }],
    ['the example serverless.yml', { serverless: join(root, 'example-app', 'serverless.yml') }],
  ])('%s', async (_name, definition) => {
    const options = {
      logger: silentLogger(),
      serveUnenforcedGuardsOpen: true,
      ...definition,
    } as ApiGatewayOptions;
    const doc = toOpenApi(await loadDefinition(options, silentLogger()));
    expect(await validate(doc)).toBe('valid');
  });

  it('a method without method responses, models in draft 4 with a $ref between them', async () => {
    const doc = toOpenApi({
      functions: { f: async () => ({}) },
      models: {
        Pet: {
          $schema: 'http://json-schema.org/draft-04/schema#',
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string' },
            owner: { $ref: 'https://apigateway.amazonaws.com/restapis/abc/models/Owner' },
          },
        },
        Owner: { $schema: 'http://json-schema.org/draft-04/schema#', title: 'Owner', type: 'object' },
      },
      resources: {
        '/pets': {
          GET: { integration: { type: 'AWS_PROXY', function: 'f' } },
          POST: {
            requestModels: { 'application/json': 'Pet' },
            methodResponses: [{ statusCode: '201', responseModels: { 'application/json': 'Pet' } }],
            integration: { type: 'AWS', function: 'f', integrationResponses: [{ statusCode: '201' }] },
          },
        },
      },
    });
    expect(await validate(doc)).toBe('valid');
  });
});
