import path from 'node:path';
import request from 'supertest';
import { apiGateway } from '../../src/index.js';
import { asText } from '../support/as-text.js';
import { silentLogger } from '../support/create-app.js';

const EXAMPLE = path.resolve(__dirname, '../../example-app');
const handler = (name: string) => ({ handler: `${name}.handler`, codeUri: path.join(EXAMPLE, 'functions') });

// The walkthrough, as a SAM template and as an OpenAPI export: the same two answers as api.js.
describe.each([
  ['SAM template', { template: path.join(EXAMPLE, 'template.yaml') }],
  [
    'OpenAPI export',
    {
      openapi: path.join(EXAMPLE, 'openapi.yaml'),
      functions: { 'my-function': handler('my-function'), 'my-function2': handler('my-function2') },
    },
  ],
])('the walkthrough as a %s', (_name, options) => {
  const gateway = apiGateway({ ...options, stageName: 'prod', logger: silentLogger() });
  afterAll(() => gateway.close());

  it('GET /prod answers Hello from Lambda!', async () => {
    await gateway.ready;
    const res = await request(gateway).get('/prod').parse(asText);
    expect([res.status, res.body]).toEqual([200, 'Hello from Lambda!']);
  });

  it('GET /prod/my-resource prints the Lambda payload byte for byte', async () => {
    await gateway.ready;
    const res = await request(gateway)
      .get('/prod/my-resource?myParam=Hello%20from%20API%20Gateway!')
      .parse(asText);
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"statusCode":200,"body":"\\"Hello from API Gateway!\\""}');
  });
});
